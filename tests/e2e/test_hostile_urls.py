"""Links anyone can edit: every hostile query-string value is ignored or reported, never an error.

Each case opens the app in Chromium with a crafted query string, checks the page shows no
exception, shows the expected warnings, shows the figures of what is left of the filter after
the bad values are dropped (computed in pandas), and leaves every table exactly as it was.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from playwright.sync_api import expect

from tests.e2e import expected
from tests.e2e.browser import assert_no_exception, expect_metrics, open_app, screenshot, warnings_shown
from tests.e2e.fingerprint import fingerprint

HUGE = "x" * 100_000
OR_TRUE = "' OR 1=1 --"
DROP = "'; DROP TABLE reviews; --"

# id, query pairs, the filter that should remain (pandas), warnings expected (substrings, in order)
OVERVIEW_CASES = [
    ("unknown-director", [("director", "Nobody Atall")], {}, ["unknown director 'Nobody Atall'"]),
    ("or-1-equals-1", [("director", OR_TRUE)], {}, ["unknown director"]),
    ("drop-table", [("actor", DROP)], {}, ["unknown actor"]),
    ("drop-table-in-number", [("year_from", DROP), ("min_ratings", OR_TRUE)], {},
     ["year_from", "not a whole number", "min_ratings", "not a whole number"]),
    ("huge-string", [("director", HUGE)], {}, ["unknown director 'xxxxxxxx"]),
    ("huge-number", [("min_ratings", "9" * 40)], {}, ["min_ratings", "not a whole number"]),
    ("year-not-a-number", [("year_from", "abc")], {}, ["year_from 'abc' is not a whole number"]),
    ("negative-min-ratings", [("min_ratings", "-5")], {}, ["min_ratings in the link was negative"]),
    ("impossible-date", [("date_from", "2020-99-99")], {}, ["date_from '2020-99-99' is not a date"]),
    ("date-with-sql", [("date_to", "2021-01-01' OR '1'='1")], {}, ["date_to", "is not a date"]),
    ("reversed-years", [("year_from", "2015"), ("year_to", "2000")], {"year_from": 2000, "year_to": 2015},
     ["release-year range in the link was reversed"]),
    ("reversed-dates", [("date_from", "2022-01-01"), ("date_to", "2020-06-01")],
     {"date_from": "2020-06-01", "date_to": "2022-01-01"}, ["review-date range in the link was reversed"]),
    ("repeated-params", [("director", "dir-a"), ("director", "dir-a"), ("year_from", "2000"), ("year_from", "2005")],
     {"directors": ["dir-a"], "year_from": 2005}, []),
    ("known-and-unknown", [("director", "dir-b"), ("director", OR_TRUE)], {"directors": ["dir-b"]},
     ["unknown director"]),
    ("markup-and-control-chars", [("actor", "<script>alert(1)</script>"), ("director", "\x00🎬\u202e")], {},
     ["unknown director", "unknown actor '<script>alert(1)</script>'"]),
    ("out-of-range-year", [("year_from", "-99999"), ("year_to", "99999")], {}, []),
    ("unknown-keys", [("film", DROP), ("page", "-1"), ("__proto__", "x")], {}, []),
]


@pytest.fixture
def unchanged(e2e_db):
    """Fails the test if any table's rows changed while it ran."""
    before = fingerprint(e2e_db)
    yield
    assert fingerprint(e2e_db) == before, "the data changed"


def _query(pairs) -> str:
    return urlencode(pairs, quote_via=quote)


def _filter_kwargs(spec: dict) -> dict:
    import datetime as dt

    out = dict(spec)
    for key in ("date_from", "date_to"):
        if key in out:
            out[key] = dt.date.fromisoformat(out[key])
    return out


@pytest.mark.parametrize(("pairs", "remains", "notes"), [c[1:] for c in OVERVIEW_CASES],
                         ids=[c[0] for c in OVERVIEW_CASES])
def test_hostile_link_on_overview(page, server, e2e_frames, unchanged, request, pairs, remains, notes):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_app(page, f"{server.url}/?{_query(pairs)}")
    assert_no_exception(page)
    expect_metrics(page, expected.overview_texts(expected.select(e2e_frames, **_filter_kwargs(remains))))
    shown = " | ".join(warnings_shown(page))
    position = 0
    for note in notes:
        found = shown.find(note, position)
        assert found >= 0, f"warning {note!r} not shown; shown: {shown[:500]!r}"
        position = found
    if not notes:
        assert shown == ""
    assert len(shown) < 2_000, "a huge value was echoed into the page"
    assert dialogs == [], "markup from the link ran as script"
    screenshot(page, f"hostile-{request.node.callspec.id}")


SEARCHES = [OR_TRUE, DROP, "%", "_", "\\", HUGE[:200], "'; SELECT * FROM reviewers; --"]


def test_hostile_text_in_the_reviews_search_is_only_searched_for(page, server, e2e_frames, unchanged):
    open_app(page, f"{server.url}/reviews")
    box = page.get_by_label("Search review text")
    for text in SEARCHES:
        box.fill(text)
        box.press("Enter")
        want = len(expected.export_rows(e2e_frames, expected.select(e2e_frames), search=text[:200]))
        expect(page.get_by_test_id("stMain")).to_contain_text(f"{want:,} reviews match")
        assert_no_exception(page)
    screenshot(page, "hostile-reviews-search")


PAGE_CASES = [
    ("films", [("film", OR_TRUE)]),
    ("films", [("film", HUGE), ("film", "rewatch-film")]),
    ("reviewers", [("reviewer", DROP)]),
    ("reviewers", [("reviewer", "")]),
    ("people", [("compare", OR_TRUE)]),
    ("people", [("compare", DROP), ("compare", "dir-a"), ("compare", HUGE)]),
    ("reviews", [("search", DROP), ("page", "-1"), ("director", OR_TRUE)]),
    ("data", [("film", DROP), ("reviewer", OR_TRUE), ("compare", HUGE)]),
]


@pytest.mark.parametrize(("path", "pairs"), PAGE_CASES,
                         ids=[f"{path}-{i}" for i, (path, _) in enumerate(PAGE_CASES)])
def test_hostile_page_parameters_never_raise(page, server, unchanged, path, pairs):
    open_app(page, f"{server.url}/{path}?{_query(pairs)}")
    assert_no_exception(page)
    expect(page.locator("h1").first).to_be_visible()
    assert len(" ".join(warnings_shown(page))) < 2_000, "a huge value was echoed into the page"
