"""Property tests of the filter-to-SQL path, with generated filters and generated links.

1. Any filter (known and unknown ids, any ranges, reversed or not, any minimum) runs through every
   filtered query without error, and the figures equal an independent pandas filter of the small
   dataset.
2. Any query-string values given to the app (valid, unknown, malformed, hostile) give a page with
   no exception, one warning per kind of ignored or corrected value, and the figures of what remains.
3. Generated hostile text, bound into every filtered query, never changes a stored row.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import queries
from queries.filters import Filters
from tests import oracle, small_data
from tests.conftest import ROOT, build_small_db
from tests.connect import connect_queries
from tests.e2e.fingerprint import fingerprint

FRAMES = oracle.small_frames()
DIRECTORS = sorted({c["person_id"] for c in small_data.CREDITS if c["role"] == "director"})
ACTORS = sorted({c["person_id"] for c in small_data.CREDITS if c["role"] == "actor"})
PEOPLE = sorted(p["person_id"] for p in small_data.PEOPLE)
FILTER_KEYS = set(Filters().params())
# Extra parameters some filtered queries take, with ordinary values.
EXTRAS = {"search": None, "limit": 1000, "offset": 0, "sort": "date", "descending": True}
HOSTILE = ["' OR 1=1 --", "'; DROP TABLE reviews; --", "\"; DELETE FROM films; --", "%", "_", "\\", "$directors",
           "?", "NULL", "x" * 10_000, "\x00", "🎬", "dir-a' OR '1'='1", "); DROP TABLE ratings; --"]

ids = st.one_of(st.sampled_from(PEOPLE), st.sampled_from(HOSTILE), st.text(max_size=30))
years = st.one_of(st.none(), st.integers(1990, 2025), st.integers(-10**9, 10**9))
dates = st.one_of(st.none(), st.dates(dt.date(2018, 6, 1), dt.date(2024, 1, 1)), st.dates())
filters = st.builds(
    Filters,
    directors=st.lists(st.one_of(st.sampled_from(DIRECTORS), ids), max_size=3).map(tuple),
    actors=st.lists(st.one_of(st.sampled_from(ACTORS), ids), max_size=3).map(tuple),
    year_from=years,
    year_to=years,
    date_from=dates,
    date_to=dates,
    min_ratings=st.integers(-3, 5),
)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_small_db(tmp_path_factory.mktemp("property") / "small.duckdb")


@pytest.fixture(scope="module")
def cur(db):
    connection = connect_queries(db)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def writable_cur(tmp_path_factory):
    """A connection that could write: so a value that reached SQL as text would show in the data."""
    import duckdb

    path = build_small_db(tmp_path_factory.mktemp("property-writable") / "small.duckdb")
    connection = duckdb.connect(str(path))
    queries.install_macros(connection)
    yield connection
    connection.close()


def filtered_queries() -> list[str]:
    """Every query that takes the global filter and nothing this test cannot supply."""
    names = []
    for path in sorted(queries.HERE.glob("*.sql")):
        used = queries.parameters(path.stem)
        if FILTER_KEYS.issubset(used) and used.issubset(FILTER_KEYS | EXTRAS.keys()):
            names.append(path.stem)
    return names


def test_the_filtered_queries_are_found():
    assert {"overview_metrics", "rating_histogram", "review_export", "review_rows_count"} <= set(filtered_queries())


def _selection(f: Filters) -> oracle.Selection:
    return oracle.select(FRAMES, **{k: v for k, v in f.params().items()})


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(f=filters)
def test_generated_filters_give_the_pandas_figures(cur, f):
    params = {**f.params(), **EXTRAS}
    for name in filtered_queries():
        queries.frame(cur, name, **params)  # every filtered query runs

    sel = _selection(f)
    m = queries.frame(cur, "overview_metrics", **params).iloc[0]
    n = oracle.overview_numbers(sel)
    assert (m.films, m.reviewers, m.reviews, m.ratings) == (n["films"], n["reviewers"], n["reviews"], n["ratings"])
    assert m.films_reviewed == sel.reviews.film_id.nunique()
    assert m.reviews_with_text == sel.reviews.review_text.notna().sum()
    assert m.likes == sel.reviews.likes.sum()
    if n["average_rating"] is None:
        assert m.average_rating is None or m.average_rating != m.average_rating
    else:
        assert m.average_rating == pytest.approx(n["average_rating"], abs=1e-9)

    hist = queries.frame(cur, "rating_histogram", **params)
    counts = sel.ratings.rating.value_counts()
    assert {float(r): int(c) for r, c in zip(hist.rating, hist.ratings, strict=True) if c} == {
        float(r): int(c) for r, c in counts.items()
    }

    rows = queries.frame(cur, "review_export", **params)
    assert rows.review_id.tolist() == oracle.export_rows(FRAMES, sel).review_id.tolist()
    assert int(queries.frame(cur, "review_rows_count", **params).iloc[0].reviews) == len(sel.reviews)


@settings(max_examples=60, deadline=None)
@given(f=filters, search=st.one_of(st.sampled_from(HOSTILE), st.text(max_size=200)))
def test_hostile_text_never_changes_the_data(writable_cur, f, search):
    cur = writable_cur
    before = fingerprint(cur)
    hostile = Filters(directors=(*f.directors, search), actors=(search,), year_from=f.year_from,
                      date_to=f.date_to, min_ratings=f.min_ratings)
    params = {**hostile.params(), **EXTRAS, "search": search}
    for name in filtered_queries():
        queries.frame(cur, name, **params)
    assert fingerprint(cur) == before


@settings(max_examples=80, deadline=None)
@given(search=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=12))
def test_the_text_search_matches_pandas(cur, search):
    params = {**Filters().params(), **EXTRAS, "search": search or None}
    rows = queries.frame(cur, "review_export", **params)
    want = oracle.export_rows(FRAMES, _selection(Filters()), search=search or None)
    assert rows.review_id.tolist() == want.review_id.tolist()


# The links. Number and date fields get plausible and implausible strings; id fields any text.
INT_TEXTS = st.one_of(
    st.integers(-20, 2100).map(str),
    st.sampled_from(["", "abc", "1e3", "2000.5", "-5", "0", "9" * 40, "' OR 1=1 --", "2020-01-01"]),
)
DATE_TEXTS = st.one_of(
    st.dates(dt.date(2017, 1, 1), dt.date(2025, 1, 1)).map(dt.date.isoformat),
    st.sampled_from(["", "2020-99-99", "2021-02-30", "abc", "2020/01/01", "'; DROP TABLE reviews; --", "1" * 100]),
)
URL_IDS = st.one_of(st.sampled_from(PEOPLE), st.sampled_from(HOSTILE[:-1]), st.text(min_size=1, max_size=20))
links = st.fixed_dictionaries(
    {},
    optional={
        "director": st.lists(st.one_of(st.sampled_from(DIRECTORS), URL_IDS), min_size=1, max_size=3),
        "actor": st.lists(st.one_of(st.sampled_from(ACTORS), URL_IDS), min_size=1, max_size=3),
        "year_from": st.lists(INT_TEXTS, min_size=1, max_size=2),
        "year_to": st.lists(INT_TEXTS, min_size=1, max_size=2),
        "date_from": st.lists(DATE_TEXTS, min_size=1, max_size=2),
        "date_to": st.lists(DATE_TEXTS, min_size=1, max_size=2),
        "min_ratings": st.lists(INT_TEXTS, min_size=1, max_size=2),
    },
)


def expected_view(link: dict[str, list[str]]) -> tuple[dict, int]:
    """What the app should keep from a link, and how many values it should report as ignored.

    The documented rules, restated: unknown people are dropped (one note for all of a role); the last
    of repeated single values counts (a note); unreadable numbers and dates are dropped; ranges are
    clamped to the data (a note for each value moved) and swapped when reversed; a negative minimum is
    dropped; a range covering all the data is no filter.
    """
    notes = 0
    kept: dict = {}
    for key, known, out in (("director", DIRECTORS, "directors"), ("actor", ACTORS, "actors")):
        values = link.get(key, [])
        notes += any(v not in known for v in values)
        kept[out] = list(dict.fromkeys(v for v in values if v in known))

    def last(key):
        nonlocal notes
        values = link.get(key, [])
        notes += len(values) > 1
        return values[-1] if values else ""

    def number(key):
        nonlocal notes
        text = last(key)
        if text == "":
            return None
        if len(text) <= 12 and re.fullmatch(r"-?[0-9]+", text):
            return int(text)
        notes += 1
        return None

    def day(key):
        nonlocal notes
        text = last(key)
        if text == "":
            return None
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            try:
                return dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
            except ValueError:
                pass
        notes += 1
        return None

    first_year, last_year = int(FRAMES["films"].year.min()), int(FRAMES["films"].year.max())
    first_day = FRAMES["reviews"].review_date.min().date()
    last_day = FRAMES["reviews"].review_date.max().date()
    for low_key, high_key, low, high, read in (("year_from", "year_to", first_year, last_year, number),
                                               ("date_from", "date_to", first_day, last_day, day)):
        a, b = read(low_key), read(high_key)
        notes += sum(v is not None and not low <= v <= high for v in (a, b))
        a = low if a is None else min(max(a, low), high)
        b = high if b is None else min(max(b, low), high)
        if a > b:
            notes += 1
            a, b = b, a
        kept[low_key] = a if a > low else None
        kept[high_key] = b if b < high else None
    minimum = number("min_ratings")
    if minimum is not None and minimum < 0:
        notes += 1
        minimum = None
    notes += minimum is not None and minimum > 10**9
    kept["min_ratings"] = min(minimum or 0, 10**9)
    return kept, notes


@pytest.fixture(scope="module")
def app_on_small_db(db):
    import streamlit

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REVIEWS_DB", str(db))
        streamlit.cache_data.clear()
        streamlit.cache_resource.clear()
        yield db
        streamlit.cache_data.clear()
        streamlit.cache_resource.clear()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(link=links)
def test_generated_links_show_the_right_figures_or_say_what_was_ignored(app_on_small_db, link):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, values in link.items():
        at.query_params[key] = values
    at.run()
    assert not at.exception, at.exception
    kept, notes = expected_view(link)
    assert len(at.warning) == notes, [w.value for w in at.warning]
    shown = {m.label: m.value for m in at.metric}
    want = oracle.overview_texts(oracle.select(FRAMES, **kept))
    assert {label: shown.get(label) for label in want} == want
