"""Saved diary pages (both markup generations) and folders of saved pages of every kind.

Fixtures (tests/fixtures/letterboxd_diary/): quietfox's diary in the older `td-*` markup, whose
month and year are printed on the first entry of each month only, and paperowl's in the newer
`col-*` markup with the film in `data-item-name`.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.errors import LoadError
from ingest.load import load_paths
from ingest.readers.common import stable_id
from ingest.readers.letterboxd_page import parse_file
from ingest.readers.letterboxd_page_model import DiaryEntry
from tests.conftest import rows, snapshot

FIXTURES = Path(__file__).parent / "fixtures"
QUIETFOX = FIXTURES / "letterboxd_diary" / "quietfox-diary-2023.html"
PAPEROWL = FIXTURES / "letterboxd_diary" / "paperowl-diary-2024.html"
LANTERN = FIXTURES / "letterboxd_pages" / "the-lantern-keeper.html"
LIST_PAGE = """<!DOCTYPE html><html><head><meta property="og:title" content="Favourite noir • Letterboxd">
<link rel="canonical" href="https://letterboxd.com/quietfox/list/favourite-noir/"></head><body>
<h1 class="title-1">Favourite noir</h1><ul class="poster-list">
<li><div class="film-poster" data-film-slug="harbor-lights-1994" data-film-name="Harbor Lights"></div></li>
<li><div class="film-poster" data-film-slug="glass-orchard" data-film-name="Glass Orchard"></div></li>
</ul></body></html>"""
HISTOGRAM_FRAGMENT = """<section class="section ratings-histogram-chart"><h2 class="section-heading">
<a href="/film/the-lantern-keeper/ratings/">Ratings</a></h2><span class="average-rating">
<a class="tooltip display-rating" href="/film/the-lantern-keeper/ratings/"
title="Weighted average of 3.62 based on 1,204 ratings">3.6</a></span><div class="rating-histogram"><ul>
<li class="rating-histogram-bar"><a href="/film/the-lantern-keeper/ratings/rated/.5/" title="6 half-★ ratings (0%)"></a></li>
</ul></div></section>"""


def viewing(number: str) -> str:
    """The id of a review with a Letterboxd viewing id (the same from a diary and a reviews page)."""
    return stable_id("lbp", "viewing", number)


def test_the_older_markup_gives_every_entry_with_dates_carried_down():
    page = parse_file(QUIETFOX)
    assert (page.owner, page.owner_name, page.unusable, page.problems) == ("quietfox", "Mara Lindqvist", None, [])
    assert page.entries == [
        DiaryEntry("Glass Orchard", "2022", 3.5, "2023-09-01", False, True, True, "7001", "entry 1"),
        DiaryEntry("Harbor Lights", "1994", 4.0, "2023-08-14", True, False, False, "7002", "entry 2"),
        # No link on the day: the month cell of the row gives January 2023.
        DiaryEntry("The Lantern Keeper", "2019", 4.0, "2023-01-04", False, True, True, "5001", "entry 3"),
        # Neither a month nor a day link: January 2023 carried down from the entry above.
        DiaryEntry("Untitled Tram Project", None, None, "2023-01-02", False, False, False, "7004", "entry 4"),
    ]


def test_the_newer_markup_gives_every_entry():
    page = parse_file(PAPEROWL)
    assert (page.owner, page.unusable, page.problems) == ("paperowl", None, [])
    assert page.entries == [
        DiaryEntry("Second Tide", "2020", 1.5, "2024-03-15", True, False, True, "8101", "entry 1"),
        DiaryEntry("Nuit blanche à Québec", "2015", 5.0, "2024-03-03", False, True, False, "8102", "entry 2"),
        DiaryEntry("Harbor Lights", "2021", 0.5, "2024-02-29", False, False, False, "8103", "entry 3"),
    ]


def test_diary_pages_load_as_their_members_reviews(fresh_con):
    result = load_paths(fresh_con, [QUIETFOX, PAPEROWL])
    assert rows(fresh_con, "reviewers") == [("paperowl", "paperowl"), ("quietfox", "Mara Lindqvist")]
    got = [(r[0], r[1], r[2], r[3], r[4], r[5], r[7]) for r in rows(fresh_con, "reviews")]
    assert sorted(got) == sorted(
        [
            (viewing("7001"), "glass-orchard", "quietfox", Decimal("3.5"), None, date(2023, 9, 1), False),
            (viewing("7002"), "harbor-lights-1994", "quietfox", Decimal("4.0"), None, date(2023, 8, 14), True),
            (viewing("5001"), "the-lantern-keeper", "quietfox", Decimal("4.0"), None, date(2023, 1, 4), False),
            (viewing("7004"), "untitled-tram-project", "quietfox", None, None, date(2023, 1, 2), False),
            (viewing("8101"), "second-tide", "paperowl", Decimal("1.5"), None, date(2024, 3, 15), True),
            (viewing("8102"), "nuit-blanche-a-quebec", "paperowl", Decimal("5.0"), None, date(2024, 3, 3), False),
            (viewing("8103"), "harbor-lights-2021", "paperowl", Decimal("0.5"), None, date(2024, 2, 29), False),
        ]
    )
    assert [(r[0], r[1], r[2]) for r in rows(fresh_con, "films")] == [
        ("glass-orchard", "Glass Orchard", 2022),
        ("harbor-lights-1994", "Harbor Lights", 1994),
        ("harbor-lights-2021", "Harbor Lights", 2021),
        ("nuit-blanche-a-quebec", "Nuit blanche à Québec", 2015),
        ("second-tide", "Second Tide", 2020),
        ("the-lantern-keeper", "The Lantern Keeper", 2019),
        ("untitled-tram-project", "Untitled Tram Project", None),
    ]
    skipped = "\n".join(result.skipped)
    assert "quietfox-diary-2023.html: 2 diary entries have a written review" in skipped
    assert "paperowl-diary-2024.html: 1 diary entry marked 'Liked'" in skipped


def test_a_diary_entry_and_its_review_on_the_film_page_are_one_review(fresh_con):
    load_paths(fresh_con, [QUIETFOX, LANTERN])
    mine = [r for r in rows(fresh_con, "reviews") if r[1] == "the-lantern-keeper" and r[2] == "quietfox"]
    assert len(mine) == 1
    assert mine[0][0] == viewing("5001") and mine[0][4].startswith("A slow burn")


def test_reloading_a_diary_changes_nothing(fresh_con):
    load_paths(fresh_con, [QUIETFOX, PAPEROWL])
    before = snapshot(fresh_con)
    again = load_paths(fresh_con, [QUIETFOX, PAPEROWL])
    assert snapshot(fresh_con) == before
    assert all(t.inserted == 0 and t.updated == 0 for t in again.tables.values())


def _saved_folder(tmp_path: Path) -> Path:
    """A folder as a member keeps it: pages in subfolders, a browser's `_files` folder, strays."""
    root = tmp_path / "saved"
    (root / "diary").mkdir(parents=True)
    (root / "films" / "the-lantern-keeper_files").mkdir(parents=True)
    shutil.copy(QUIETFOX, root / "diary" / QUIETFOX.name)
    shutil.copy(LANTERN, root / "films" / LANTERN.name)
    (root / "films" / "the-lantern-keeper_files" / "frame.html").write_text("<p>an ad frame</p>", encoding="utf-8")
    (root / "favourite-noir.html").write_text(LIST_PAGE, encoding="utf-8")
    (root / "films" / "rating-histogram.html").write_text(HISTOGRAM_FRAGMENT, encoding="utf-8")
    (root / "films" / "latin.html").write_bytes("<h1 class='primaryname'>Québec</h1>".encode("latin-1"))
    return root


def test_a_folder_is_searched_through_and_what_it_cannot_use_is_named(tmp_path, fresh_con):
    result = load_paths(fresh_con, [_saved_folder(tmp_path)], "letterboxd-page")
    assert {r[2] for r in rows(fresh_con, "reviews")} == {"quietfox", "velvetheron"}
    assert len(rows(fresh_con, "films")) == 4  # four in the diary; the film page is one of them
    not_loaded = sorted(s for s in result.skipped if "not loaded" in s)
    assert len(not_loaded) == 3
    assert not_loaded[0].startswith("favourite-noir.html: not loaded (no film found on the page, nor diary entries")
    assert not_loaded[1].startswith("latin.html: not loaded (not UTF-8 text")
    assert not_loaded[2].startswith("rating-histogram.html: not loaded (no film found on the page")
    assert not any("frame.html" in s for s in result.skipped)  # a browser's asset folder is not searched


def test_pages_of_no_known_kind_alone_are_refused_naming_each(tmp_path, fresh_con):
    folder = tmp_path / "strays"
    folder.mkdir()
    (folder / "favourite-noir.html").write_text(LIST_PAGE, encoding="utf-8")
    (folder / "rating-histogram.html").write_text(HISTOGRAM_FRAGMENT, encoding="utf-8")
    before = snapshot(fresh_con)
    with pytest.raises(LoadError) as caught:
        load_paths(fresh_con, [folder], "letterboxd-page")
    assert snapshot(fresh_con) == before
    message = str(caught.value)
    assert "favourite-noir.html: no film found on the page" in message
    assert "rating-histogram.html: no film found on the page" in message


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.replace("rated-7", "rated-12"), "entry 1: the entry's stars are not a rating"),
        (
            lambda s: s.replace('<link rel="canonical" href="https://letterboxd.com/quietfox/films/diary/">', "")
            .replace('<meta property="og:url" content="https://letterboxd.com/quietfox/films/diary/">', "")
            .replace(' data-owner="quietfox"', "")
            .replace("/quietfox/", "/"),
            "whose diary it is cannot be told",
        ),
    ],
)
def test_a_broken_diary_is_refused_with_the_reason(tmp_path, fresh_con, change, message):
    page = tmp_path / "diary.html"
    page.write_text(change(QUIETFOX.read_text(encoding="utf-8")), encoding="utf-8")
    before = snapshot(fresh_con)
    with pytest.raises(LoadError) as caught:
        load_paths(fresh_con, [page], "letterboxd-page")
    assert snapshot(fresh_con) == before
    assert message in str(caught.value)


def test_a_page_cut_short_loads_what_it_holds_and_is_named(tmp_path, fresh_con):
    folder = tmp_path / "saved"
    folder.mkdir()
    text = LANTERN.read_text(encoding="utf-8")
    (folder / "the-lantern-keeper.html").write_text(text[: text.index("viewing:5002")], encoding="utf-8")
    shutil.copy(PAPEROWL, folder / PAPEROWL.name)
    result = load_paths(fresh_con, [folder], "letterboxd-page")
    assert "the-lantern-keeper.html: the file seems cut short (no closing </html>); loaded what it holds" in result.skipped
    reviewers = {r[2] for r in rows(fresh_con, "reviews") if r[1] == "the-lantern-keeper"}
    assert reviewers == {"quietfox"}  # the first review is whole; the cut one is not loaded
