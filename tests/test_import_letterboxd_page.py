"""The saved-page importer: Letterboxd film pages, reviews pages and plain-text copies.

Fixtures (tests/fixtures/letterboxd_pages/): a film page and its reviews page in the current markup,
an older-markup film page, two more current pages (a same-title film of another year; a title
with a comma, quotes, entities and invisible marks), and a plain-text copy of a year-less film.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.errors import LoadError
from ingest.load import load_paths
from ingest.location import open_for_loading
from ingest.readers import detect
from ingest.readers.common import stable_id
from ingest.readers.letterboxd_html import html_text, parse_html
from ingest.readers.letterboxd_page import parse_file
from ingest.readers.letterboxd_page_model import parse_stars
from tests.conftest import rows, snapshot

PAGES = Path(__file__).parent / "fixtures" / "letterboxd_pages"
LANTERN = PAGES / "the-lantern-keeper.html"
LANTERN_REVIEWS = PAGES / "the-lantern-keeper-reviews.html"
HARBOR_OLD = PAGES / "harbor-lights-1994.html"
TRAM = PAGES / "untitled-tram-project.txt"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_01f5b8400acba966.txt"
SRC = "letterboxd-page"






def viewing(number: str) -> str:
    """The documented id of a review the page gives a viewing id."""
    return stable_id("lbp", "viewing", number)


def unnumbered(reviewer: str, title: str, year: str | None, day: str | None, n: int = 0) -> str:
    """The documented id of a review without a viewing id: reviewer, film, date, order."""
    return stable_id("lbp", reviewer, title.casefold(), year, day, str(n))


def review(review_id, film_id, reviewer, rating, text, day, likes=0, rewatch=False) -> tuple:
    """A reviews row as the database returns it."""
    stars = None if rating is None else Decimal(str(rating)).quantize(Decimal("0.1"))
    return (review_id, film_id, reviewer, stars, text, day and date.fromisoformat(day), likes, rewatch, SRC)


FILMS = [
    (
        "harbor-lights-1994",
        "Harbor Lights",
        1994,
        "A night-shift crane operator witnesses something on the container docks he was paid not to see.",
        97,
        None,
        None,
    ),
    ("harbor-lights-2021", "Harbor Lights", 2021, "A remake nobody asked for, set on a solar-powered ferry.", None, None, None),
    (
        "salt-smoke-and-sugar",
        'Salt, Smoke and "Sugar"',
        2008,
        "Three cooks, one smokehouse, and a recipe that may be stolen.",
        None,
        None,
        None,
    ),
    (
        "the-lantern-keeper",
        "The Lantern Keeper",
        2019,
        "A retired keeper returns to a decommissioned lighthouse to find the lamp burning every night & a logbook "
        "in a hand she does not know.",
        104,
        "tt0000000",  # from the page's IMDb button
        None,
    ),
    (
        "untitled-tram-project",
        "Untitled Tram Project",
        None,
        "A conductor on the last night tram keeps a ledger of every passenger who never gets off.",
        None,
        None,
        None,
    ),
]
PEOPLE = [
    ("dev-iyer", "Dev Iyer", None),
    ("ines-haddad", "Ines Haddad", None),
    ("jonah-berg", "Jonah Berg", None),
    ("kofi-abara", "Kofi Abara", None),
    ("mira-okafor", "Mira Okafor", None),
    ("priya-santos", "Priya Santos", None),
    ("sami-petrov", "Sami Petrov", None),
    ("theo-varga", "Theo Varga", None),
    ("wen-xu", "Wen Xu", None),
]
CREDITS = [
    ("harbor-lights-1994", "ines-haddad", "actor", 1),
    ("harbor-lights-1994", "sami-petrov", "actor", 2),
    ("harbor-lights-1994", "theo-varga", "director", None),
    ("harbor-lights-2021", "priya-santos", "director", None),
    ("the-lantern-keeper", "dev-iyer", "director", None),
    ("the-lantern-keeper", "ines-haddad", "actor", 2),
    ("the-lantern-keeper", "jonah-berg", "actor", 1),
    ("the-lantern-keeper", "kofi-abara", "actor", 3),
    ("the-lantern-keeper", "mira-okafor", "director", None),
    ("the-lantern-keeper", "wen-xu", "actor", 4),
]
REVIEWERS = [
    ("ana-castillo", "Ana Castillo"),
    ("grainyotter", "Grainy Otter"),
    ("grumpy-gus", "Grumpy Gus"),
    ("lea", "Léa"),
    ("lunarfinch", "月の鳥"),
    ("midnight_tram", "midnight tram"),
    ("paperowl", "paperowl"),
    ("quietfox", "Mara Lindqvist"),
    ("saltcomet", "Salt Comet"),
    ("tram-fan", "tram fan"),
    ("velvetheron", "Velvet Heron 🌙"),
]
LANTERN_FULL = (
    "A slow burn that earns every minute of its ending. The lighthouse scenes use real darkness, and "
    "the sound design does the rest.\n\nSecond watch soon."
)
REVIEWS = [
    # The film page shows quietfox's review cut short; the reviews page has it whole: one review, whole.
    review(viewing("5001"), "the-lantern-keeper", "quietfox", 4, LANTERN_FULL, "2023-01-04", likes=14),
    review(
        viewing("5002"),
        "the-lantern-keeper",
        "velvetheron",
        2.5,
        "The logbook was hers all along, which the poster gives away.\n\nStill: that last shot of the lamp going dark.",
        "2023-02-18",
        likes=3,
    ),
    # What the reviewer typed as markup stays text; the page's own <script> and <style> are gone.
    review(
        viewing("5003"),
        "the-lantern-keeper",
        "midnight_tram",
        None,
        "I typed <script>alert(1)</script> here to see what happens <b>unclosed 🤷\n\nNo stars: I could not decide.",
        "2023-03-09",
    ),
    review(
        viewing("5004"),
        "the-lantern-keeper",
        "grainyotter",
        3.5,
        "Third time.\nStill the best fog on film.",
        "2023-04-22",
        likes=1204,
        rewatch=True,
    ),
    review(
        viewing("5005"),
        "the-lantern-keeper",
        "lunarfinch",
        0.5,
        "灯台の場面は美しいが、長すぎる。",
        "2023-05-01",
        likes=2,
    ),
    review(
        viewing("7001"),
        "harbor-lights-1994",
        "paperowl",
        3.5,
        "Fog, sodium lamps, and a score made of ship horns.",
        "2016-03-12",
        likes=3,
    ),
    review(
        unnumbered("quietfox", "Harbor Lights", "1994", "2023-02-10"),
        "harbor-lights-1994",
        "quietfox",
        5,
        "Every frame of the docks looks wet. The middle act drags but the final crane sequence…",
        "2023-02-10",
        likes=27,
    ),
    review(
        unnumbered("saltcomet", "Harbor Lights", "1994", "2019-06-01"),
        "harbor-lights-1994",
        "saltcomet",
        None,
        "Line one\nline two\nline three, with &amp; left as typed.",
        "2019-06-01",
    ),
    review(
        viewing("8001"),
        "harbor-lights-2021",
        "paperowl",
        1.5,
        "The original had fog. This has LEDs.",
        "2023-06-11",
        likes=9,
    ),
    review(
        viewing("9001"),
        "salt-smoke-and-sugar",
        "quietfox",
        None,
        "No stars from me, only notes: 🍬 甘い.",
        "2023-02-28",
        likes=1,
    ),
    review(
        unnumbered("ana-castillo", "Untitled Tram Project", None, None),
        "untitled-tram-project",
        "ana-castillo",
        4,
        "Shot entirely at night on one tram line, and it never feels small.\n\nThe final stop is a gut punch.",
        None,
    ),
    review(
        unnumbered("tram-fan", "Untitled Tram Project", None, None),
        "untitled-tram-project",
        "tram-fan",
        None,
        "I ride this line every day. No rating, just recognition.",
        None,
    ),
    review(
        unnumbered("grumpy-gus", "Untitled Tram Project", None, None),
        "untitled-tram-project",
        "grumpy-gus",
        0.5,
        "Ninety minutes of bells.",
        None,
    ),
    review(
        unnumbered("lea", "Untitled Tram Project", None, None),
        "untitled-tram-project",
        "lea",
        2.5,
        "The ledger is blank at the end, which means the conductor was the passenger all along, and the…",
        None,
    ),
]


def test_detected_as_saved_pages():
    assert detect([PAGES]) == "letterboxd-page"
    assert detect([LANTERN, TRAM]) == "letterboxd-page"


def test_pages_load_exact_rows(fresh_con):
    load_paths(fresh_con, [PAGES])
    assert rows(fresh_con, "films") == FILMS
    assert rows(fresh_con, "people") == PEOPLE
    assert rows(fresh_con, "credits") == CREDITS
    assert rows(fresh_con, "reviewers") == REVIEWERS
    assert rows(fresh_con, "reviews") == sorted(REVIEWS, key=lambda r: tuple((v is None, v) for v in r))


def test_pages_report_what_has_no_column_and_what_is_cut_short(fresh_con):
    skipped = load_paths(fresh_con, [PAGES]).skipped
    assert "Harbor Lights (1994): 1 review is truncated on the page" in "\n".join(skipped)
    assert "Untitled Tram Project: 1 review is truncated on the page" in "\n".join(skipped)
    assert not any("The Lantern Keeper (2019): 1 review is truncated" in s for s in skipped)
    assert any("The Lantern Keeper (2019): 1 reviewer marked the film 'Liked'" in s for s in skipped)
    assert any("The Lantern Keeper (2019): 1 review carries a spoiler warning" in s for s in skipped)


def test_letterboxd_site_figures_are_kept_as_letterboxds(fresh_con):
    """A film page's site-wide histogram and weighted average are stored as Letterboxd's own figures."""
    load_paths(fresh_con, [PAGES])
    assert rows(fresh_con, "site_ratings") == [
        ("harbor-lights-1994", "letterboxd", 3.41, 812),
        ("the-lantern-keeper", "letterboxd", 3.62, 1204),
    ]
    bars = fresh_con.execute(
        "SELECT CAST(rating AS DOUBLE), ratings FROM site_rating_counts WHERE film_id = 'harbor-lights-1994' ORDER BY rating"
    ).fetchall()
    assert bars == [(0.5, 4), (1.0, 10), (3.0, 298), (4.0, 500)]


def test_current_markup_details():
    page = parse_file(LANTERN)
    assert (page.slug, page.title, page.year, page.runtime) == (
        "the-lantern-keeper",
        "The Lantern Keeper",
        "2019",
        "104",
    )
    assert page.directors == [("mira-okafor", "Mira Okafor"), ("dev-iyer", "Dev Iyer")]
    assert [p for p, _ in page.cast] == ["jonah-berg", "ines-haddad", "kofi-abara", "wen-xu"]
    first, second = page.reviews
    assert (first.username, first.display_name, first.rating, first.likes) == ("quietfox", "Mara Lindqvist", 4.0, 14)
    assert first.liked and first.truncated and not first.spoiler and first.viewing_id == "5001"
    assert first.text.endswith("the sound design does the rest…")
    assert second.spoiler and not second.liked and "may contain spoilers" not in second.text
    assert page.histogram.bars[0] == ("half-★", 6) and page.histogram.bars[-1] == ("★★★★★", 80)
    assert (page.histogram.average, page.histogram.count) == (3.62, 1204)


def test_older_markup_details():
    page = parse_file(HARBOR_OLD)
    assert (page.slug, page.title, page.year, page.runtime) == ("harbor-lights-1994", "Harbor Lights", "1994", "97")
    assert page.directors == [("theo-varga", "Theo Varga")]
    owl, fox, comet = page.reviews
    assert (owl.username, owl.rating, owl.date, owl.likes, owl.viewing_id) == ("paperowl", 3.5, "2016-03-12", 3, "7001")
    assert (fox.rating, fox.date, fox.likes, fox.truncated) == (5.0, "2023-02-10", 27, True)
    assert (comet.username, comet.display_name, comet.rating, comet.likes) == ("saltcomet", "Salt Comet", None, None)


def test_scripts_and_styles_never_reach_the_database(fresh_con):
    load_paths(fresh_con, [PAGES])
    texts = " ".join(r[4] or "" for r in rows(fresh_con, "reviews")) + " ".join(r[3] or "" for r in rows(fresh_con, "films"))
    for active in ("owned", "color: red", "tracking", "steal()", "window.", "display: none"):
        assert active not in texts


def test_reloading_the_same_pages_changes_nothing(fresh_con):
    load_paths(fresh_con, [PAGES])
    before = snapshot(fresh_con)
    again = load_paths(fresh_con, [PAGES])
    assert snapshot(fresh_con) == before
    assert all(t.inserted == 0 and t.updated == 0 for t in again.tables.values())


def test_a_later_reviews_page_adds_new_reviews_and_completes_a_cut_one(fresh_con):
    load_paths(fresh_con, [LANTERN])
    cut = fresh_con.execute("SELECT review_text FROM reviews WHERE review_id = $id", {"id": viewing("5001")}).fetchone()[0]
    assert cut.endswith("…")
    result = load_paths(fresh_con, [LANTERN, LANTERN_REVIEWS])
    assert (result.tables["reviews"].inserted, result.tables["reviews"].updated) == (3, 1)
    whole = fresh_con.execute("SELECT review_text FROM reviews WHERE review_id = $id", {"id": viewing("5001")}).fetchone()[0]
    assert whole == LANTERN_FULL


def test_the_seed_text_copy_loads_one_film_and_five_reviews(fresh_con):
    if not SEED.exists():
        pytest.skip("the shared seed text is not present")
    page = parse_file(SEED)
    assert [r.rating for r in page.reviews] == [3.5, 3.5, 4.0, 3.5, 3.5]
    load_paths(fresh_con, [SEED])
    assert [(r[0], r[1]) for r in rows(fresh_con, "films")] == [("miss-you-already", "Miss You Already")]
    got = rows(fresh_con, "reviews")
    assert len(got) == 5
    assert sorted(r[3] for r in got) == [Decimal("3.5")] * 4 + [Decimal("4.0")]
    assert all(r[4] and r[1] == "miss-you-already" for r in got)


def test_stars():
    assert parse_stars("★★★½") == 3.5
    assert parse_stars("½") == 0.5
    assert parse_stars("★★★★★") == 5.0
    assert parse_stars("★★★★★★") is None
    assert parse_stars("") is None


def test_deeply_nested_markup_does_not_exhaust_the_stack():
    page = parse_html("<div>" * 5000 + "deep" + "</div>" * 5000, "deep.html")
    assert page.title is None
    assert html_text(parse_html_body("<p>" + "<b>" * 3000 + "x" + "</b>" * 3000 + "</p>")) == "x"


def parse_html_body(markup: str):
    """A parsed fragment's body element."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(markup, "lxml").body


# Broken and unreadable pages ---------------------------------------------------------------------


def refused(fresh_con, paths, fmt="letterboxd-page") -> str:
    """Load expecting refusal; returns the message, after checking the database did not change."""
    before = snapshot(fresh_con)
    with pytest.raises(LoadError) as caught:
        load_paths(fresh_con, paths, fmt)
    assert snapshot(fresh_con) == before
    return str(caught.value)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.html", "<html><body><p>letterboxd, but not a film</p></body></html>", "notes.html: no film found"),
        ("latin.html", "<h1 class='headline-1 primaryname'>Québec</h1>".encode("latin-1"), "latin.html: not UTF-8"),
        ("zeros.html", b"\x00" * 100, "zeros.html: binary content"),
        ("empty.txt", "", "empty.txt: the file is empty"),
        (
            "stars.txt",
            "Film\n\n  • ★★★★★★ review by A on Letterboxd\n\n    too many\n",
            "stars.txt, line 3: stars '★★★★★★' are not a rating",
        ),
        (
            "rated.html",
            "<h1 class='headline-1 primaryname'>F</h1><article class='production-viewing' "
            "data-owner='a'><span class='rating rated-12'></span></article>",
            "rated.html, review 1: the review's stars are not a rating",
        ),
    ],
)
def test_unreadable_pages_are_refused_naming_file_and_place(tmp_path, fresh_con, name, content, message):
    load_paths(fresh_con, [PAGES])
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    assert message in refused(fresh_con, [path])


# Property: whatever the markup or text holds, the importer loads or refuses cleanly -------------

TEMPLATE = """<!DOCTYPE html><html><head><link rel="canonical" href="https://letterboxd.com/film/{slug}/">
<meta property="og:title" content="{title} ({year})"></head><body>
<h1 class="headline-1 primaryname"><span class="name">{title}</span></h1>
<span class="releasedate"><a href="/films/year/{year}/">{year}</a></span>
<div id="tab-panel-cast"><a href="/actor/{slug}/">{name}</a></div>
<article class="production-viewing" data-owner="{owner}" data-object-id="viewing:{viewing}">
<strong class="displayname">{name}</strong><span class="rating {rated}">{stars}</span>
<time datetime="{when}">{when}</time>
<div class="body-text js-review-body">{body}</div><p class="like-link-target" data-count="{likes}"></p>
</article>{tail}</body></html>"""
BITS = st.one_of(
    st.text(max_size=15),
    st.sampled_from(
        [
            "<",
            "</div>",
            "<script>x()</script>",
            "&amp;",
            "&#0;",
            "★★½",
            "½",
            "rated-7",
            "rated-0",
            "2023-02-30",
            "9" * 12,
            "<p>",
            "…",
            "more",
            "viewing:1",
            "\u200b",
            "\u00a0",
        ]
    ),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.fixed_dictionaries(
        {
            k: BITS
            for k in (
                "slug",
                "title",
                "year",
                "name",
                "owner",
                "viewing",
                "rated",
                "stars",
                "when",
                "body",
                "likes",
                "tail",
            )
        }
    ),
    text=st.lists(
        st.one_of(
            BITS,
            st.sampled_from(
                [
                    "  • ★★★½ review by X on Letterboxd",
                    "  • See all reviews",
                    "review by  on Letterboxd",
                    "",
                    "    indented",
                ]
            ),
        ),
        max_size=12,
    ),
)
def test_any_page_content_loads_or_is_refused(tmp_path, fields, text):
    with tempfile.TemporaryDirectory(dir=tmp_path) as work:
        folder = Path(work)
        (folder / "page.html").write_text(TEMPLATE.format(**fields), encoding="utf-8")
        (folder / "copy.txt").write_text("\n".join(text), encoding="utf-8")
        fresh_con = open_for_loading(":memory:")
        try:
            load_paths(fresh_con, [folder / "page.html", folder / "copy.txt"], "letterboxd-page")
        except LoadError as exc:
            assert exc.problems
        finally:
            fresh_con.close()
            shutil.rmtree(folder, ignore_errors=True)
