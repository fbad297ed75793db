"""Hostile and oversized input to the readers: saved pages with thousands of reviews are read in
time that grows with their size, a CSV line over DuckDB's limit is refused saying so, and UTF-16
files are named as UTF-16.

The saved pages are built here, in the markup of the fixtures in tests/fixtures/letterboxd_pages/:
a reviews page and its review blocks as in the-lantern-keeper-reviews.html, a text copy as in
untitled-tram-project.txt.
"""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest
from bs4.element import Tag

from ingest.errors import LoadError
from ingest.files import MAX_REASON, check_text_file
from ingest.load import load_paths
from ingest.readers import detect
from ingest.readers.letterboxd_html import parse_html
from ingest.readers.letterboxd_text import parse_text
from tests.conftest import snapshot

PAGE_HEAD = """<!DOCTYPE html>
<html lang="en" class="no-js">
<head>
<meta charset="utf-8">
<title>&lrm;Reviews of The Lantern Keeper &bull; Letterboxd</title>
<link rel="canonical" href="https://letterboxd.com/film/the-lantern-keeper/reviews/by/activity/">
<script src="https://example.invalid/static/main.js"></script>
</head>
<body class="reviews-page">
<div id="content" class="site-body">
<section class="film-header-lockup -default">
  <div class="react-component poster film-poster" data-film-name="The Lantern Keeper" data-film-slug="the-lantern-keeper" data-film-release-year="2019"></div>
  <h1 class="headline-2 prettify"><span class="context">Reviews of</span> <a href="/film/the-lantern-keeper/">The Lantern Keeper</a></h1>
</section>
<div class="viewing-list">
"""
PAGE_TAIL = "</div>\n</div>\n</body>\n</html>\n"
BLOCK = """  <article class="production-viewing -viewing js-production-viewing" data-owner="{user}" data-person="{user}" data-object-id="viewing:{viewing}">
    <p class="attribution">
      <a class="context" href="/{user}/film/the-lantern-keeper/">Review by <strong class="displayname">Reviewer {n}</strong></a>
      <span class="rating -green rated-{rated}">★★★★</span>
      <span class="date"><span class="context">Watched</span> <time class="timestamp" datetime="2023-01-{day:02d}T00:00:00.000Z">{day:02d} Jan 2023</time></span>
    </p>
    <div class="body-text -prose -reset js-review-body js-collapsible-text">
      <p>Review {n}: a slow burn that earns every minute of its ending. The lighthouse scenes use real darkness.</p>
      <p>Second watch soon.</p>
    </div>
    <p class="like-link-target react-component -like" data-likeable-uid="viewing:{viewing}" data-count="{n}"></p>
  </article>
"""


def saved_page(reviews: int, after_each: str = "", close: bool = True) -> str:
    """A saved reviews page of The Lantern Keeper holding `reviews` review blocks, `after_each`
    following each block; with `close` false the blocks' closing tags are missing."""
    blocks = []
    for n in range(1, reviews + 1):
        block = BLOCK.format(user=f"reviewer{n}", n=n, viewing=500_000 + n, rated=n % 10 + 1, day=n % 28 + 1)
        blocks.append((block if close else block.replace("</article>", "")) + after_each)
    return PAGE_HEAD + "".join(blocks) + PAGE_TAIL


def text_copy(reviews: int, padding: int = 0) -> str:
    """A plain-text copy of a film page with `reviews` reviews; with `padding`, the review lines
    hold a run of that many spaces and the text lines are indented by it."""
    lines = ["Untitled Tram Project", "", "A conductor on the last night tram keeps a ledger.", "", "Add a review", ""]
    for n in range(1, reviews + 1):
        lines += [
            f"  • ★★★½ review by Rider {n}{' ' * padding} on Letterboxd",
            "",
            f"{' ' * padding}    Shot entirely at night on one tram line, stop {n}.",
            "",
        ]
    return "\n".join([*lines, "  • See all reviews", ""])


# Saved pages: time --------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_saved_page_of_20000_reviews_is_read_in_time():
    markup = saved_page(20_000)
    started = time.perf_counter()
    page = parse_html(markup, "reviews.html")
    elapsed = time.perf_counter() - started
    assert (page.title, page.slug, page.unusable) == ("The Lantern Keeper", "the-lantern-keeper", None)
    assert len(page.reviews) == 20_000
    last = page.reviews[-1]
    assert (last.username, last.rating, last.date, last.likes, last.viewing_id) == (
        "reviewer20000",
        0.5,
        "2023-01-09",
        20_000,
        "520000",
    )
    assert elapsed < 30, f"{elapsed:.1f} s to read 20,000 reviews"


def test_a_text_copy_of_20000_reviews_padded_with_spaces_is_read_in_time():
    text = text_copy(20_000, padding=200)
    started = time.perf_counter()
    page = parse_text(text, "copy.txt")
    elapsed = time.perf_counter() - started
    assert len(page.reviews) == 20_000
    assert (page.reviews[-1].display_name, page.reviews[-1].rating) == ("Rider 20000", 3.5)
    assert page.reviews[-1].text == "Shot entirely at night on one tram line, stop 20000."
    assert elapsed < 6, f"{elapsed:.1f} s to read 20,000 reviews"


def test_review_blocks_and_active_content_leave_the_page_without_sibling_scans(monkeypatch):
    # Taking thousands of siblings out one by one, each found by a scan from the first sibling,
    # is what made big pages quadratic.
    def scan(self, element):
        raise AssertionError("a sibling list was scanned")

    monkeypatch.setattr(Tag, "index", scan)
    page = parse_html(saved_page(300, after_each="<script>track();</script><svg></svg>\n"), "reviews.html")
    assert len(page.reviews) == 300
    assert page.reviews[0].text == (
        "Review 1: a slow burn that earns every minute of its ending. The lighthouse scenes use real darkness.\n\n"
        "Second watch soon."
    )


def test_review_blocks_left_open_are_refused_quickly():
    started = time.perf_counter()
    page = parse_html(saved_page(5_000, close=False), "reviews.html")
    assert time.perf_counter() - started < 10
    assert page.unusable.startswith("the page's tags nest 5,0")
    assert "save the page again from the browser" in page.unusable
    assert page.reviews == []


# Saved pages: what is read -----------------------------------------------------------------------


def test_a_spoiler_notice_naming_spoilers_twice_is_read():
    body = (
        '<p class="contains-spoilers">This review may contain spoilers. <b>May contain spoilers!</b></p>'
        "<p>The keeper was the ghost.</p>"
    )
    markup = saved_page(1).replace("<p>Second watch soon.</p>", body)
    review = parse_html(markup, "reviews.html").reviews[0]
    assert review.spoiler
    assert review.text == (
        "Review 1: a slow burn that earns every minute of its ending. The lighthouse scenes use real darkness.\n\n"
        "The keeper was the ghost."
    )


def test_the_films_details_are_not_taken_from_a_review():
    link = '<p><a href="https://www.imdb.com/title/tt0111161/">another film</a> did this better.</p>'
    markup = saved_page(2).replace("<p>Second watch soon.</p>", link, 1)
    page = parse_html(markup, "reviews.html")
    assert page.imdb_id is None
    assert page.reviews[0].text.endswith("another film did this better.")


def test_review_lines_with_runs_of_spaces_are_read():
    page = parse_text(text_copy(2, padding=40), "copy.txt")
    assert [(r.display_name, r.rating) for r in page.reviews] == [("Rider 1", 3.5), ("Rider 2", 3.5)]


# CSV lines over DuckDB's limit --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name", "lines"),
    [
        (
            "canonical",
            "reviews.csv",
            ["review_id,film_id,reviewer_id,review_text", "r1,f1,u1,fine", "r2,f1,u2," + "x" * 3_000_000],
        ),
        (
            "movielens",
            "ratings.csv",
            ["userId,movieId,rating,timestamp", "1,1,4.0,1262304000", "1,2," + "9" * 3_000_000 + ",1262304000"],
        ),
    ],
)
def test_a_line_over_the_maximum_line_size_is_refused_saying_so(tmp_path, fresh_con, fmt, name, lines):
    folder = tmp_path / "input"
    folder.mkdir()
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = snapshot(fresh_con)
    with pytest.raises(LoadError) as refused:
        load_paths(fresh_con, [folder], fmt)
    assert snapshot(fresh_con) == before
    [problem] = [p for p in refused.value.problems if p.source == name]
    assert problem.message.startswith("a line is longer than 2,000,000 bytes (maximum line size): it is 3,000,0")
    assert "(line 3: " in problem.message
    assert len(problem.message) <= MAX_REASON


# UTF-16 and UTF-32 --------------------------------------------------------------------------------

LANTERN = Path(__file__).parent / "fixtures" / "letterboxd_pages" / "the-lantern-keeper.html"
CSV_TEXT = "review_id,film_id,reviewer_id,review_text\r\nr1,f1,u1,Très bien\r\n"


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (codecs.BOM_UTF16_LE + CSV_TEXT.encode("utf-16-le"), "UTF-16"),
        (codecs.BOM_UTF16_BE + CSV_TEXT.encode("utf-16-be"), "UTF-16"),
        (CSV_TEXT.encode("utf-16-le"), "UTF-16"),
        (CSV_TEXT.encode("utf-16-be"), "UTF-16"),
        (codecs.BOM_UTF32_LE + CSV_TEXT.encode("utf-32-le"), "UTF-32"),
        (codecs.BOM_UTF32_BE + CSV_TEXT.encode("utf-32-be"), "UTF-32"),
    ],
    ids=["utf16-le-bom", "utf16-be-bom", "utf16-le", "utf16-be", "utf32-le-bom", "utf32-be-bom"],
)
def test_wide_text_is_named_as_such(tmp_path, content, encoding):
    path = tmp_path / "reviews.csv"
    path.write_bytes(content)
    with pytest.raises(LoadError) as refused:
        check_text_file(path)
    assert str(refused.value) == f"reviews.csv: this file is {encoding} text; save it as UTF-8"


@pytest.mark.parametrize(
    "content",
    [b"\0" * 4096, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0"],
    ids=["zeros", "png"],
)
def test_binary_content_is_still_called_binary(tmp_path, content):
    path = tmp_path / "reviews.csv"
    path.write_bytes(content)
    with pytest.raises(LoadError, match="binary content"):
        check_text_file(path)


@pytest.mark.parametrize(("name", "fmt"), [("reviews.csv", "canonical"), ("film.html", "letterboxd-page")])
def test_a_file_saved_as_unicode_text_is_refused_naming_utf16(tmp_path, fresh_con, name, fmt):
    # What Excel writes for "Unicode text": UTF-16, little-endian, with a byte-order mark.
    text = CSV_TEXT if fmt == "canonical" else LANTERN.read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    with pytest.raises(LoadError) as refused:
        load_paths(fresh_con, [path], fmt)
    assert f"{name}: this file is UTF-16 text; save it as UTF-8" in str(refused.value)


def test_an_export_saved_as_unicode_text_is_named_utf16_not_an_unknown_format(tmp_path, fresh_con):
    """Formats are recognised by their first line or page, which UTF-16 hides; the format need not be named."""
    folder = tmp_path / "letterboxd-mallory"
    folder.mkdir()
    for name in ("profile.csv", "diary.csv"):
        text = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n2023-01-01,Film,2020,,4,,,\n"
        (folder / name).write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    with pytest.raises(LoadError) as refused:
        load_paths(fresh_con, [folder])
    assert "diary.csv: this file is UTF-16 text; save it as UTF-8" in str(refused.value)


def test_a_page_is_parsed_once_for_its_preview_and_its_load(tmp_path, fresh_con, monkeypatch):
    """Before, the load parsed every page again after the preview had (18 s each for 20,000 reviews)."""
    from ingest.load import preview_paths
    from ingest.readers import letterboxd_page

    page = tmp_path / "the-lantern-keeper.html"
    page.write_bytes(LANTERN.read_bytes())
    parsed = []
    parse = letterboxd_page.parse_html

    def counted(markup, source):
        parsed.append(source)
        return parse(markup, source)

    monkeypatch.setattr(letterboxd_page, "parse_html", counted)
    monkeypatch.setattr(letterboxd_page, "_PARSED", letterboxd_page.BoundedCache(1024**2, lambda k, v: len(v)))
    assert preview_paths(fresh_con, [page]).ok
    load_paths(fresh_con, [page])
    assert parsed == ["the-lantern-keeper.html"]
    # Each read gets its own copy; a changed file is parsed anew.
    first, second = letterboxd_page.parse_file(page), letterboxd_page.parse_file(page)
    first.title = "Changed"
    assert second.title != "Changed" and letterboxd_page.parse_file(page).title != "Changed"
    page.write_bytes(LANTERN.read_bytes().replace(b"</body>", b"<!-- saved again --></body>"))
    letterboxd_page.parse_file(page)
    assert len(parsed) == 2


def test_files_of_no_known_format_are_named_as_their_owner_knows_them(tmp_path):
    """Not where the server saved them, and with both ways of choosing a format (the page's message
    said "--format" and showed the upload's folder on the server)."""
    upload = tmp_path / "upload-x1y2"
    upload.mkdir()
    (upload / "notes.txt").write_text("nothing to see here\n")
    (upload / "more.csv").write_text("a,b\n1,2\n")
    with pytest.raises(LoadError) as refused:
        detect([upload])
    (problem,) = refused.value.problems
    assert str(problem) == (
        "more.csv, notes.txt: cannot tell the format; choose one (canonical, letterboxd-export, letterboxd-page, "
        "movielens) with --format on the command line, or under Format on the Data page"
    )


def test_one_line_of_text_is_not_taken_for_a_film_page():
    """Read as a copied page, any line of text used to load as a film of that title."""
    page = parse_text("nothing to see here\n", "notes.txt")
    assert page.unusable == "no year and no reviews after the first line: not a copy of a film page"
    assert parse_text("Perfect Days\n2023\n", "film.txt").unusable is None
