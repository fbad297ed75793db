"""Reader for Letterboxd pages saved from a browser: film pages, their reviews pages, and a
member's diary pages.

HTML is parsed with BeautifulSoup (lxml) and never rendered or run: scripts, styles and other
active content are dropped before any text is taken, and review text is stored as plain text
(what a reviewer typed as `<b>` stays the four characters `<b>`). Both the current markup
(`article.production-viewing`, `h1.primaryname`) and the older one (`li.film-detail`,
`p.attribution`, `h1.filmtitle`) are read; stars come from `rated-N` classes (N/2) or from glyphs
(`★★★½`). A plain-text copy of a page (title line, synopsis, `★★★½ review by NAME on Letterboxd`
lines each followed by the indented review) is read too.

- A film page gives the film (and its IMDb id, from the page's IMDb link), its credits, its
  reviews, and Letterboxd's own site-wide histogram, average and rating count when the browser
  saved them; those are kept as Letterboxd's figures (`site_ratings`, `site_rating_counts`), never
  mixed with the reviews loaded here.
- A diary page (`letterboxd.com/USER/films/diary/`, the older `table#diary-table` rows and the
  newer `col-*` cells alike) gives one review row per entry: film, year, rating, viewing date,
  rewatch. The month and year are printed only on the first entry of each month, so they are
  carried down; the day's link gives the full date where present.
- Any other page (a list, a profile, the histogram fragment a film page loads) is skipped and
  named in the report, as is a file that cannot be read; the rest of a batch loads. A load where
  nothing at all can be read is refused.

Pages of one film (matched by the film's Letterboxd URL, else by title and year) are merged.
Films get the same ids as in the export reader (title slugs; see `common.assign_film_ids`). Reviewers
are usernames; in a plain-text copy only display names are known, so their slug is the id.
Things without a canonical column (the "Liked" mark, spoiler warnings) and reviews cut short on the
page are reported as skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup
from bs4.element import Comment, Declaration, Doctype, NavigableString, PageElement, ProcessingInstruction, Tag
from lxml import etree

from ingest.errors import LoadError, Problem
from ingest.files import MAX_FILE_BYTES, check_text_file
from ingest.lru import BoundedCache
from ingest.readers.common import Batch, FilmKey, clean_body, clean_text, film_key, slugify, stable_id
from ingest.store import Loader
from ingest.wording import count

SOURCE = "letterboxd-page"
PAGE_SUFFIXES = (".html", ".htm", ".txt")
# A saved film page is a few hundred KB; BeautifulSoup needs many times a file's size in memory.
MAX_PAGE_BYTES = 50 * 1024**2
SNIFF_BYTES = 1 << 20
MAX_LABEL = 300  # longer than any name line, histogram label or like count on a real page
# Tags inside tags: a saved Letterboxd page nests a few dozen deep. BeautifulSoup and CSS matching
# walk up through the open tags, so a page nested thousands deep (review blocks never closed)
# costs time with the square of its size.
MAX_DEPTH = 256
BAD_STARS = -1.0  # what `_rating` returns for stars that are not a rating
# Parsed pages kept for a second read of the same file (see `parse_file`).
PARSED_BYTES = 64 * 1024**2
_PARSED: BoundedCache[bytes] = BoundedCache(PARSED_BYTES, lambda key, value: len(value))

_DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "head",
    "button",
    "form",
    "select",
    "textarea",
    "canvas",
    "audio",
    "video",
    "math",
}
_BLOCKS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "blockquote",
    "section",
    "article",
    "pre",
    "table",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "dd",
    "dt",
    "dl",
}
_NOT_TEXT = (Comment, Declaration, Doctype, ProcessingInstruction)
_STARS = re.compile(r"^(★{0,5})(½?)$")
_HIST_BAR = re.compile(r"([\d,]+)\s+(half-★|★+½?|½)\s+ratings?", re.IGNORECASE)
_AVERAGE = re.compile(r"average of ([\d.]+) based on ([\d,]+)", re.IGNORECASE)
_FILM_URL = re.compile(r"/film/([^/?#\s]+)")
_YEAR = re.compile(r"^(?:1[89]|2[0-9])\d\d$")
_TITLE_YEAR = re.compile(r"^(.*\S)\s*\(((?:1[89]|2[0-9])\d\d)\)$")
_SPOILER = re.compile(r"may contain spoilers", re.IGNORECASE)
_REVIEW_LINE = re.compile(
    r"^\s*(?:[•·▪*]\s*)?(?P<stars>[★½]+)?\s*review by\s+(?P<name>.+?)\s+on Letterboxd\s*$", re.IGNORECASE
)
_BULLET = re.compile(r"^\s*[•·▪]\s*")
_UI_LINES = {
    "add a review",
    "see more films",
    "see all reviews",
    "popular reviews",
    "recent reviews",
    "reviews from friends",
    "where to watch",
    "more",
    "show all",
}
_DATE_FORMATS = ("%Y-%m-%d", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y")


@dataclass
class PageReview:
    """One review as found on a page."""

    username: str | None
    display_name: str | None
    rating: float | None
    text: str | None
    date: str | None
    likes: int | None = None
    liked: bool = False
    spoiler: bool = False
    rewatch: bool | None = None
    truncated: bool = False
    viewing_id: str | None = None
    location: str = ""


@dataclass
class Histogram:
    """The ratings histogram of a film page: (stars label, count) bars and the average."""

    bars: list[tuple[str, int]]
    average: float | None = None
    count: int | None = None

    def shares(self) -> dict[float, int]:
        """The bars as rating → count (`half-★` is 0.5)."""
        out: dict[float, int] = {}
        for label, ratings in self.bars:
            rating = 0.5 if label.lower() == "half-★" else parse_stars(label)
            if rating is not None:
                out.setdefault(rating, ratings)
        return out


@dataclass
class Page:
    """What one saved page says about one film."""

    source: str
    slug: str | None = None
    title: str | None = None
    year: str | None = None
    synopsis: str | None = None
    runtime: str | None = None
    directors: list[tuple[str, str]] = field(default_factory=list)
    cast: list[tuple[str, str]] = field(default_factory=list)
    reviews: list[PageReview] = field(default_factory=list)
    histogram: Histogram | None = None
    imdb_id: str | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Why the file gives nothing to load (not a film page, diary or reviews page; empty): skipped.
    unusable: str | None = None
    # A diary page: whose it is and its entries.
    owner: str | None = None
    owner_name: str | None = None
    entries: list[DiaryEntry] = field(default_factory=list)


@dataclass
class DiaryEntry:
    """One entry of a member's diary page."""

    title: str
    year: str | None
    rating: float | None
    date: str | None
    rewatch: bool
    liked: bool
    reviewed: bool
    viewing_id: str | None
    location: str


# Finding pages --------------------------------------------------------------------------------


def page_files(folder: Path) -> list[Path]:
    """The saved pages in a folder and its subfolders (not hidden files, nor the `*_files` folders
    browsers save beside a page with its images and scripts)."""
    try:
        return sorted(
            p
            for p in folder.rglob("*")
            if p.is_file()
            and p.suffix.lower() in PAGE_SUFFIXES
            and not any(part.startswith(".") or part.endswith("_files") for part in p.relative_to(folder).parts)
        )
    except OSError:
        return []


def looks_like_page(path: Path) -> bool:
    """True when a file is a saved Letterboxd page (HTML) or a plain-text copy of one."""
    if path.suffix.lower() not in PAGE_SUFFIXES:
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES).decode("utf-8", "replace")
    except OSError:
        return False
    if path.suffix.lower() == ".txt":
        return any(review_line(line) for line in head.splitlines()) or "letterboxd" in head.lower()
    return "letterboxd" in head.lower()


def looks_like(paths: list[Path]) -> bool:
    """True when every path is a saved Letterboxd page or a folder of them (no CSV files)."""
    found = False
    for path in paths:
        if path.is_dir():
            try:
                if any(p.suffix.lower() == ".csv" for p in path.iterdir()):
                    return False
            except OSError:
                return False
            files = page_files(path)
        else:
            files = [path]
        if not files or not all(f.suffix.lower() in PAGE_SUFFIXES for f in files):
            return False
        found = found or any(looks_like_page(f) for f in files)
    return found


def read(loader: Loader, paths: list[Path]) -> None:
    """Stage the films, credits, reviewers and reviews of the saved pages in `paths`."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = page_files(path)
            if not found:
                raise LoadError.single(str(path), "the folder holds no saved pages (.html, .htm or .txt)")
            files += found
        elif path.suffix.lower() in PAGE_SUFFIXES:
            files.append(path)
        else:
            raise LoadError.single(str(path), "not a saved Letterboxd page (expected .html, .htm or .txt)")
    batch = Batch()
    unusable = gather(loader, batch, files)
    if len(unusable) == len(files):
        raise LoadError(unusable)
    report_unusable(loader, unusable)
    batch.stage(loader)


def report_unusable(loader: Loader, unusable: list[Problem]) -> None:
    """Name each file of a batch that gave nothing, with why, in the load report."""
    for problem in unusable:
        loader.skip(f"{problem.source}: not loaded ({problem.message})")


# Gathering ------------------------------------------------------------------------------------


def parse_file(path: Path) -> Page:
    """Parse one saved page (HTML or plain text); LoadError when the file is unreadable.

    A page parsed before with the same name and bytes (the Data page's preview, then its load) is
    not parsed again: parses are kept, pickled so that every caller gets its own copy, up to
    PARSED_BYTES.
    """
    check_text_file(path, max_bytes=min(MAX_FILE_BYTES, MAX_PAGE_BYTES))
    raw = path.read_bytes()
    key = (path.name, hashlib.sha256(raw).digest())
    return pickle.loads(_PARSED.get(key, lambda: pickle.dumps(_parse_bytes(raw, path))))


def _parse_bytes(raw: bytes, path: Path) -> Page:
    text = raw.decode("utf-8-sig")
    if path.suffix.lower() == ".txt":
        return parse_text(text, path.name)
    return parse_html(text, path.name)


def gather(loader: Loader, batch: Batch, files: list[Path]) -> list[Problem]:
    """Parse the pages, merge those of one film and add their rows to `batch`.

    Returns the files that gave nothing (unreadable, or not a page this reader knows), each with
    the reason, for the caller to report or, when no file was usable, to refuse the load.
    """
    pages: list[Page] = []
    unusable: list[Problem] = []
    for file in files:
        try:
            page = parse_file(file)
        except LoadError as exc:
            unusable += exc.problems
            continue
        if page.unusable:
            unusable.append(Problem(page.source, page.unusable))
            continue
        for message, location in page.problems:
            loader.problem(page.source, message, location)
        for note in page.notes:
            loader.skip(f"{page.source}: {note}")
        if page.owner is not None:
            _add_diary(loader, batch, page)
        else:
            pages.append(page)
    for group in _group_by_film(pages):
        _add_film(loader, batch, group)
    return unusable


def _group_by_film(pages: list[Page]) -> list[list[Page]]:
    """Pages of one film together: same Letterboxd slug, else same title and year."""
    groups: dict[tuple, list[Page]] = {}
    for page in pages:
        key = ("slug", page.slug) if page.slug else ("film", film_key(page.title or "", page.year))
        groups.setdefault(key, []).append(page)
    # A page without a slug joins the one slug group of its title, if there is exactly one.
    for key in [k for k in groups if k[0] == "film"]:
        title, year = key[1]
        homes = [
            k
            for k, g in groups.items()
            if k[0] == "slug"
            and any(p.title and p.title.casefold() == title and (year is None or p.year in (None, year)) for p in g)
        ]
        if len(homes) == 1:
            groups[homes[0]] += groups.pop(key)
    return list(groups.values())


def _add_film(loader: Loader, batch: Batch, pages: list[Page]) -> None:
    first = pages[0]
    title = next((p.title for p in pages if p.title), None)
    if title is None:
        loader.problem(first.source, f"no film title found for /film/{first.slug}/ (none of its pages names the film)")
        return
    year = next((p.year for p in pages if p.year), None)
    film = batch.add_film(
        title,
        year,
        first.source,
        1,
        synopsis=next((p.synopsis for p in pages if p.synopsis), None),
        runtime_minutes=next((p.runtime for p in pages if p.runtime), None),
        imdb_id=next((p.imdb_id for p in pages if p.imdb_id), None),
    )
    directors = max((p for p in pages), key=lambda p: len(p.directors))
    for person_id, name in directors.directors:
        batch.add_person(person_id, name, directors.source, 1)
        batch.add_credit(film, person_id, "director", None, directors.source, 1)
    cast = max((p for p in pages), key=lambda p: len(p.cast))
    for billing, (person_id, name) in enumerate(cast.cast, start=1):
        batch.add_person(person_id, name, cast.source, billing)
        batch.add_credit(film, person_id, "actor", billing, cast.source, billing)
    marks: dict[str, tuple[bool, bool]] = {}  # review id -> (liked, spoiler), a review counted once
    for page in pages:
        seen: dict[tuple, int] = {}
        for number, review in enumerate(page.reviews, start=1):
            review_id = _add_review(batch, film, page, review, number, seen)
            liked, spoiler = marks.get(review_id, (False, False))
            marks[review_id] = (liked or review.liked, spoiler or review.spoiler)
        if page.histogram:
            batch.add_site_figures(
                film, page.histogram.average, page.histogram.count, page.histogram.shares(), page.source
            )
    name = f"{title} ({year})" if year else title
    truncated = sum(1 for review_id in marks if batch.reviews[review_id].get("_truncated"))
    liked = sum(1 for liked, _ in marks.values() if liked)
    spoilers = sum(1 for _, spoiler in marks.values() if spoiler)
    if truncated:
        loader.skip(
            f"{name}: {count(truncated, 'review is', 'reviews are')} truncated on the page (loaded as shown; "
            "save the review's own page for the full text)"
        )
    if liked:
        loader.skip(f"{name}: {count(liked, 'reviewer')} marked the film 'Liked' (no canonical column; not stored)")
    if spoilers:
        loader.skip(
            f"{name}: {count(spoilers, 'review carries', 'reviews carry')} a spoiler warning (text loaded; the warning is not stored)"
        )


def _add_review(batch: Batch, film: FilmKey, page: Page, review: PageReview, number: int, seen: dict) -> str:
    name = review.display_name or ""
    reviewer = review.username or slugify(name) or stable_id("reviewer", name)
    batch.add_reviewer(reviewer, review.display_name, page.source, number)
    if review.viewing_id:
        review_id = stable_id("lbp", "viewing", review.viewing_id)
    else:
        # Same reviewer, film and date twice on one page: tell them apart by their order.
        place = (reviewer, review.date)
        n = seen[place] = seen.get(place, -1) + 1
        review_id = stable_id("lbp", reviewer, film[0], film[1], review.date, str(n))
    batch.add_review(
        {
            "review_id": review_id,
            "film": film,
            "reviewer_id": reviewer,
            "rating": review.rating,
            "review_text": review.text,
            "review_date": review.date,
            "likes": review.likes,
            "rewatch": review.rewatch,
            "source": SOURCE,
            "_source": page.source,
            "_row": number,
            "_truncated": review.truncated,
        }
    )
    return review_id


# HTML -----------------------------------------------------------------------------------------


def parse_html(markup: str, source: str) -> Page:
    """Everything a saved Letterboxd HTML page says: a film's page or reviews page, or a diary page."""
    page = Page(source)
    depth = _depth(markup)
    if depth > MAX_DEPTH:
        page.unusable = (
            f"the page's tags nest {depth:,} deep, where a page saved from Letterboxd nests a few dozen "
            "(tags left open, or not a saved page); save the page again from the browser"
        )
        return page
    soup = BeautifulSoup(markup, "lxml")
    everything = _tags(soup)
    data = _json_ld([t for t in everything if t.name == "script"])
    _remove([t for t in everything if t.name in _DROP and t.name != "head"])
    tags = _tags(soup)
    if any(_is_diary(t) for t in tags):
        return _parse_diary(soup, page)
    containers = [t for t in tags if _is_review(t)]
    # A container nested in another is part of it (by identity: Tag equality compares whole trees;
    # the depth check above keeps the walk up short).
    ids = {id(c) for c in containers}
    containers = [c for c in containers if not any(id(p) in ids for p in c.parents)]
    # Reviews are read out of the page: the film's details are never taken from what a reviewer
    # wrote, and the look-ups for them below need not walk every review.
    _detach(containers)
    page.slug = _slug(soup)
    page.title, page.year = _title_year(soup, data)
    page.synopsis = _synopsis(soup)
    page.runtime = _runtime(soup)
    page.directors = _people(soup, "director", data)
    page.cast = _people(soup, "actor", data)
    page.histogram = _histogram(soup, data)
    page.imdb_id = _imdb_id(soup)
    for number, container in enumerate(containers, start=1):
        review = _review(container, f"review {number}")
        if review is None:
            page.problems.append(
                ("a review without a reviewer (no data-owner, profile link or name)", f"review {number}")
            )
        elif review.rating == BAD_STARS:
            page.problems.append(("the review's stars are not a rating from ½ to ★★★★★", f"review {number}"))
        else:
            page.reviews.append(review)
    if not _is_film_page(soup, data) or (page.title is None and page.slug is None):
        page.unusable = NOT_A_PAGE
        return page
    undated = sum(1 for r in page.reviews if r.date is None)
    if page.reviews and undated:
        page.notes.append(f"{undated} review(s) without a readable date (loaded without one)")
    if not _closed(markup):
        page.notes.append("the file seems cut short (no closing </html>); loaded what it holds")
    return page


class _Depth:
    """An lxml parser target that only follows how deep the tags nest; no tree is built."""

    def __init__(self) -> None:
        self.depth = self.deepest = 0

    def start(self, tag: str, attrib: dict) -> None:
        self.depth += 1
        self.deepest = max(self.deepest, self.depth)

    def end(self, tag: str) -> None:
        self.depth -= 1

    def close(self) -> int:
        return self.deepest


def _depth(markup: str) -> int:
    """How deep the page's tags nest, as the lxml parser behind BeautifulSoup reads them."""
    parser = etree.HTMLParser(target=_Depth(), recover=True)
    parser.feed(markup)
    return parser.close()


def _detach(elements: list[PageElement]) -> None:
    """Take `elements` out of the tree, in time linear in the page's size.

    `extract()` alone finds an element's place by scanning its siblings from the first, and takes
    it out of the middle of the list: quadratic for thousands of siblings (review blocks in one
    list, scripts between them). So each parent's children are reordered once, kept ones first,
    and the others extracted from the end; extract() relinks the tree by the elements' own links.
    """
    leaving = {id(e) for e in elements}
    parents = {id(e.parent): e.parent for e in elements if e.parent is not None}
    for parent in parents.values():
        gone = [c for c in parent.contents if id(c) in leaving]
        parent.contents = [c for c in parent.contents if id(c) not in leaving] + gone
        for child in reversed(gone):
            child.extract(_self_index=len(parent.contents) - 1)


def _remove(elements: list[PageElement]) -> None:
    """Take `elements` out of the tree and wipe them (see `_detach`)."""
    _detach(elements)
    for element in elements:
        if not element.decomposed:
            element.decompose()


NOT_A_PAGE = (
    "no film found on the page, nor diary entries: not a saved Letterboxd film page, reviews page or diary "
    "(expected a /film/ address, a title in h1.primaryname or h1.filmtitle, or diary rows)"
)


def _is_film_page(soup: BeautifulSoup, data: dict) -> bool:
    """Whether the page is about one film: its address is a film's (`/film/SLUG/`, its reviews page
    too), it has a film page's header, or its metadata says it is a movie. A list or a profile shows
    many films' posters but is none of these."""
    for tag, attr in (("link[rel=canonical]", "href"), ("meta[property='og:url']", "content")):
        if _FILM_URL.search(_attr(soup.select_one(tag), attr) or ""):
            return True
    if soup.select_one("h1.primaryname, h1.filmtitle, #featured-film-header h1"):
        return True
    return (
        data.get("@type") == "Movie" or _attr(soup.select_one("meta[property='og:type']"), "content") == "video.movie"
    )


def _closed(markup: str) -> bool:
    """Whether a saved HTML document ends as a whole one does (a download cut short does not)."""
    return "</html>" in markup[-4096:].lower() or not markup.lstrip()[:15].lower().startswith(("<!doctype", "<html"))


def _imdb_id(soup: BeautifulSoup) -> str | None:
    """The film's IMDb id from the page's IMDb button (`imdb.com/title/tt…`)."""
    for link in soup.select("a[href*='imdb.com/title/tt']"):
        match = re.search(r"imdb\.com/title/(tt\d{1,12})\b", _attr(link, "href") or "")
        if match:
            return match.group(1)
    return None


# Diary pages ----------------------------------------------------------------------------------

_DIARY_URL = re.compile(r"letterboxd\.com/([A-Za-z0-9_]+)/(?:films/)?diary\b")
_DIARY_PATH = re.compile(r"^/([A-Za-z0-9_]+)/(?:films/diary|film/)")
_DAY_LINK = re.compile(r"/diary/for/(\d{4})/(\d{1,2})/(\d{1,2})/?")
_MONTHS = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}
_OWNER_TITLE = re.compile(r"^(.+?)[’'`]s?\s+(?:film\s+)?diary\b", re.IGNORECASE)


def _parse_diary(soup: BeautifulSoup, page: Page) -> Page:
    """A member's diary page: its owner and one entry per row."""
    page.owner = _diary_owner(soup)
    if page.owner is None:
        page.unusable = "a diary page, but whose diary it is cannot be told (no letterboxd.com/USER/films/diary/ link)"
        return page
    title = clean_text(_attr(soup.select_one("meta[property='og:title']"), "content")) or ""
    match = _OWNER_TITLE.match(_short(title))
    page.owner_name = clean_text(match.group(1)) if match else None
    month: tuple[int, int] | None = None  # (year, month) carried down from the month's first row
    for number, row in enumerate(soup.select("tr.diary-entry-row"), start=1):
        location = f"entry {number}"
        month = _calendar(_cell(row, "calendar", "monthdate", "month")) or month
        entry = _entry(row, month, location)
        if entry is None:
            page.problems.append(("no film name in the diary entry", location))
        elif entry.rating == BAD_STARS:
            page.problems.append(("the entry's stars are not a rating from ½ to ★★★★★", location))
        else:
            page.entries.append(entry)
    if not page.entries and not page.problems:
        page.unusable = "a diary page without entries"
    undated = sum(1 for e in page.entries if e.date is None)
    if undated:
        page.notes.append(
            f"{undated} diary entr{'y' if undated == 1 else 'ies'} without a readable date (loaded without one)"
        )
    return page


def _diary_owner(soup: BeautifulSoup) -> str | None:
    for tag, attr in (("link[rel=canonical]", "href"), ("meta[property='og:url']", "content")):
        match = _DIARY_URL.search(_attr(soup.select_one(tag), attr) or "")
        if match:
            return match.group(1)
    owner = _attr(soup.select_one("body[data-owner]"), "data-owner")
    if owner and re.fullmatch(r"[A-Za-z0-9_]+", owner):
        return owner
    for link in soup.select("tr.diary-entry-row a[href]"):
        match = _DIARY_PATH.match(_attr(link, "href") or "")
        if match and match.group(1) not in ("film", "films"):
            return match.group(1)
    return None


def _cell(row: Tag, *names: str) -> Tag | None:
    """The row's cell for one column: `td-NAME` in the older markup, `col-NAME` in the newer."""
    for name in names:
        cell = row.select_one(f"td.td-{name}, td.col-{name}")
        if cell is not None:
            return cell
    return None


def _calendar(cell: Tag | None) -> tuple[int, int] | None:
    """(year, month) from a month cell ("Mar 2024"), printed on the first entry of a month only."""
    if cell is None:
        return None
    words = _short(clean_text(cell.get_text(" "))).lower().split()
    months = [_MONTHS[w[:3]] for w in words if w[:3] in _MONTHS]
    years = [int(w) for w in words if _YEAR.match(w)]
    return (years[0], months[0]) if months and years else None


def _entry(row: Tag, month: tuple[int, int] | None, location: str) -> DiaryEntry | None:
    film = _cell(row, "film-details", "production", "film")
    holder = film.select_one("[data-item-name], [data-film-name]") if film is not None else None
    name = clean_text(_attr(holder, "data-item-name", "data-film-name"))
    if name is None and film is not None:
        heading = film.select_one("h3 a, h2 a, .headline-3 a, .name a")
        name = clean_text(heading.get_text(" ")) if heading is not None else None
    if not name:
        return None
    year = None
    released = _cell(row, "released", "releaseyear")
    if released is not None and _YEAR.match(text := (clean_text(released.get_text()) or "")):
        year = text
    named = _TITLE_YEAR.match(name)
    if named:
        name, year = named.group(1), year or named.group(2)
    year = year or _attr(holder, "data-film-release-year", "data-item-release-year")
    rating_cell = _cell(row, "rating")
    return DiaryEntry(
        title=name,
        year=year if year and _YEAR.match(year) else None,
        rating=_rating(_tags(rating_cell)) if rating_cell is not None else None,
        date=_entry_date(_cell(row, "day", "daydate"), month),
        rewatch=_marked(_cell(row, "rewatch")),
        liked=_marked(_cell(row, "like"), "liked"),
        reviewed=(cell := _cell(row, "review")) is not None and cell.select_one("a[href]") is not None,
        viewing_id=_attr(row, "data-viewing-id")
        if re.fullmatch(r"\d+", _attr(row, "data-viewing-id") or "")
        else _viewing_id(row, _tags(row)),
        location=location,
    )


def _entry_date(cell: Tag | None, month: tuple[int, int] | None) -> str | None:
    if cell is None:
        return None
    link = cell.select_one("a[href]")
    match = _DAY_LINK.search(_attr(link, "href") or "")
    parts = (int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None
    day = clean_text(cell.get_text())
    if parts is None and month is not None and day and day.isdigit():
        parts = (*month, int(day))
    if parts is None:
        return None
    try:
        return dt.date(*parts).isoformat()
    except ValueError:
        return None


def _marked(cell: Tag | None, icon: str = "") -> bool:
    """Whether a rewatch/like cell is switched on: it shows an icon that is not marked off."""
    if cell is None:
        return False
    classes = [c for tag in [cell, *cell.find_all(True)] for c in (tag.get("class") or [])]
    if any(c.endswith("-off") or c == "-off" for c in classes):
        return False
    if icon:
        return any(icon in c for c in classes)
    return any("icon" in c or "rewatch" in c for c in classes if c not in ("td-rewatch", "col-rewatch"))


def _add_diary(loader: Loader, batch: Batch, page: Page) -> None:
    """A diary page's entries as the owner's logged reviews."""
    owner = page.owner or ""
    batch.add_reviewer(owner, page.owner_name, page.source, 1)
    seen: dict[tuple, int] = {}
    for number, entry in enumerate(page.entries, start=1):
        film = batch.add_film(entry.title, entry.year, page.source, number)
        if entry.viewing_id:
            # The same id as the entry's review on a film's reviews page, so the two merge.
            review_id = stable_id("lbp", "viewing", entry.viewing_id)
        else:
            place = (film, entry.date)
            n = seen[place] = seen.get(place, -1) + 1
            review_id = stable_id("lbp", owner, film[0], film[1], entry.date, "diary", str(n))
        batch.add_review(
            {
                "review_id": review_id,
                "film": film,
                "reviewer_id": owner,
                "rating": entry.rating,
                "review_text": None,
                "review_date": entry.date,
                "rewatch": entry.rewatch,
                "source": SOURCE,
                "_source": page.source,
                "_row": number,
                "_truncated": True,  # no text here: the entry's review page, if loaded, wins
            }
        )
    liked = sum(e.liked for e in page.entries)
    reviewed = sum(e.reviewed for e in page.entries)
    if liked:
        loader.skip(
            f"{page.source}: {count(liked, 'diary entry', 'diary entries')} marked 'Liked' (no canonical column; not stored)"
        )
    if reviewed:
        loader.skip(
            f"{page.source}: {count(reviewed, 'diary entry has', 'diary entries have')} a written review; a diary page does not show the "
            "text (save the film's reviews page or the review's own page to load it)"
        )


def html_text(node: Tag) -> str:
    """The readable text of an element: paragraphs kept, active content dropped, spaces tidied.

    Iterative rather than recursive, so deeply nested hostile markup cannot exhaust the stack.
    """
    out: list[str] = []
    stack: list[object] = [node]
    while stack:
        item = stack.pop()
        if item is None:
            out.append("\n\n")
        elif isinstance(item, NavigableString):
            if not isinstance(item, _NOT_TEXT):
                out.append(re.sub(r"\s+", " ", str(item)))
        elif isinstance(item, Tag):
            if item.name in _DROP:
                continue
            if item.name == "br":
                out.append("\n")
                continue
            if item.name in _BLOCKS:
                out.append("\n\n")
                stack.append(None)
            stack.extend(reversed(item.contents))
    lines = [line.strip() for line in "".join(out).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _json_ld(scripts: list[Tag]) -> dict:
    """The page's schema.org data (read as JSON, never run) from its `scripts`."""
    for script in scripts:
        if script.get("type") != "application/ld+json":
            continue
        raw = script.string or ""
        raw = raw.replace("/* <![CDATA[ */", "").replace("/* ]]> */", "").strip()
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        if isinstance(data, dict):
            return data
    return {}


def _attr(tag: Tag | None, *names: str) -> str | None:
    if tag is None:
        return None
    for name in names:
        value = tag.get(name)
        if isinstance(value, list):
            value = " ".join(value)
        if value:
            return value
    return None


def _slug(soup: BeautifulSoup) -> str | None:
    for tag, attr in (("link[rel=canonical]", "href"), ("meta[property='og:url']", "content")):
        match = _FILM_URL.search(_attr(soup.select_one(tag), attr) or "")
        if match:
            return slugify(match.group(1)) or None
    poster = soup.select_one("[data-film-slug]")
    return slugify(_attr(poster, "data-film-slug") or "") or None


def _title_year(soup: BeautifulSoup, data: dict) -> tuple[str | None, str | None]:
    title = None
    for selector in (
        "h1.primaryname .name",
        "h1.primaryname",
        "h1.filmtitle .frame-title",
        "h1.filmtitle",
        "#featured-film-header h1",
    ):
        tag = soup.select_one(selector)
        if tag is not None and (title := clean_text(tag.get_text(" "))):
            break
    og_title = clean_text(_attr(soup.select_one("meta[property='og:title']"), "content"))
    og_match = _TITLE_YEAR.match(og_title or "")
    poster = soup.select_one("[data-film-name]")
    title = (
        title
        or clean_text(data.get("name") if isinstance(data.get("name"), str) else None)
        or clean_text(_attr(poster, "data-film-name"))
        or (og_match.group(1) if og_match else og_title)
    )
    year = None
    for selector in (
        ".releasedate a",
        ".releaseyear a",
        "#featured-film-header small.number a",
        ".film-header-lockup .releasedate",
        "small.number a",
    ):
        tag = soup.select_one(selector)
        if tag is not None and _YEAR.match(text := (clean_text(tag.get_text()) or "")):
            year = text
            break
    if year is None:
        events = data.get("releasedEvent")
        start = (
            events[0].get("startDate") if isinstance(events, list) and events and isinstance(events[0], dict) else None
        )
        for candidate in (
            str(start or "")[:4],
            _attr(poster, "data-film-release-year"),
            og_match.group(2) if og_match else None,
        ):
            if candidate and _YEAR.match(candidate):
                year = candidate
                break
    return title, year


def _synopsis(soup: BeautifulSoup) -> str | None:
    for selector in (
        ".production-synopsis .truncate",
        ".production-synopsis",
        ".review.body-text.-hero .truncate",
        "#film-page-wrapper .truncate",
    ):
        tag = soup.select_one(selector)
        if tag is not None and (text := html_text(tag)):
            return text
    for selector in ("meta[name=description]", "meta[property='og:description']"):
        if text := clean_text(_attr(soup.select_one(selector), "content")):
            return text
    return None


def _runtime(soup: BeautifulSoup) -> str | None:
    tag = soup.select_one("p.text-footer")
    match = re.search(r"(\d{1,4})\s*mins?\b", clean_text(tag.get_text(" ")) or "") if tag else None
    return match.group(1) if match else None


def _people(soup: BeautifulSoup, role: str, data: dict) -> list[tuple[str, str]]:
    """(person id, name) in page order: cast from the cast tab, directors from the crew tab or header."""
    if role == "actor":
        links = soup.select("#tab-panel-cast a[href*='/actor/']")
    else:
        links = soup.select("#tab-panel-crew a[href*='/director/']") or soup.select(
            ".credits a[href*='/director/'], #featured-film-header a[href*='/director/'], "
            ".directorlist a[href*='/director/'], a.contributor[href*='/director/']"
        )
    found = [(_attr(a, "href") or "", clean_text(a.get_text(" "))) for a in links]
    if not found:
        listed = data.get("actors" if role == "actor" else "director")
        found = [
            (str(p.get("sameAs") or ""), clean_text(str(p.get("name") or "")))
            for p in (listed if isinstance(listed, list) else [])
            if isinstance(p, dict)
        ]
    people: list[tuple[str, str]] = []
    for href, name in found:
        if not name:
            continue
        match = re.search(rf"/{role}/([^/?#\s]+)", href)
        person_id = slugify(match.group(1)) if match else slugify(name)
        person_id = person_id or stable_id("person", name)
        if person_id not in {p for p, _ in people}:
            people.append((person_id, name))
    return people


def _histogram(soup: BeautifulSoup, data: dict) -> Histogram | None:
    """Letterboxd's own site-wide histogram and weighted average, where the browser saved them; the
    page's schema.org data gives the average and count when the sidebar is missing."""
    section = soup.select_one(".ratings-histogram-chart")
    bars = []
    match = None
    if section is not None:
        for link in section.select("a.barcolumn, li.rating-histogram-bar a, .rating-histogram-bar a"):
            for label in (_attr(link, "data-original-title", "title"), link.get_text(" ")):
                found = _HIST_BAR.search(_short(clean_text(label)))
                if found:
                    bars.append((found.group(2), int(found.group(1).replace(",", ""))))
                    break
        average = section.select_one("a.averagerating, .average-rating a.display-rating, a.display-rating")
        match = _AVERAGE.search(clean_text(_attr(average, "data-original-title", "title")) or "")
    if match:
        return Histogram(bars, float(match.group(1)), int(match.group(2).replace(",", "")))
    aggregate = data.get("aggregateRating")
    if isinstance(aggregate, dict):
        value, count = _number(aggregate.get("ratingValue"), float), _number(aggregate.get("ratingCount"), int)
        if value is not None and 0 <= value <= 5 and (count is None or count >= 0):
            return Histogram(bars, value, count)
    return Histogram(bars) if bars else None


def _number(value: object, kind: type) -> float | int | None:
    try:
        return kind(str(value).replace(",", "")) if value is not None and len(str(value)) <= 20 else None
    except ValueError:
        return None


def _review(container: Tag, location: str) -> PageReview | None:
    """One review container (current or older markup); None without a reviewer; rating -1 for
    stars that are not a rating."""
    # Look-ups of a tag by its name, classes and attributes filter one list of the block's tags: a
    # CSS selector walks the whole block each time, which was most of the time a page of thousands
    # of reviews took to read. The rarer fallbacks stay CSS.
    tags = _tags(container)
    username = _attr(container, "data-owner", "data-person")
    if not username:
        for link in container.select("a.avatar[href], .attribution a[href], strong.name a[href], a.context[href]"):
            match = re.match(r"^/([A-Za-z0-9_]+)/", _attr(link, "href") or "")
            if match and match.group(1) not in ("film", "films"):
                username = match.group(1)
                break
    name_tag = _first(  # strong.displayname, strong.name, .attribution strong
        tags,
        lambda t: (
            t.name == "strong" and bool(_classes(t) & {"displayname", "name"} or _within(t, "attribution", container))
        ),
    )
    display_name = clean_text(name_tag.get_text(" ")) if name_tag else None
    display_name = display_name or clean_text(_attr(container.select_one("a.avatar img"), "alt"))
    username = clean_text(username)
    if not username and not display_name:
        return None
    review = PageReview(username, display_name, _rating(tags), None, _date(tags), location=location)
    review.likes = _likes(tags)
    review.liked = any(
        _classes(t) & {"icon-liked", "like-rating-liked"} or {"has-icon", "-liked"} <= _classes(t) for t in tags
    )
    review.viewing_id = _viewing_id(container, tags)
    spoiler = any(_classes(t) & {"contains-spoilers", "js-spoiler-container"} for t in tags)
    when = _first(tags, lambda t: bool(_classes(t) & {"date", "attribution"}))
    if when is not None and re.search(r"\brewatched\b", when.get_text(" "), re.IGNORECASE):
        review.rewatch = True
    body = _first(tags, _is_body)
    if body is not None:
        review.text, review.truncated, review.spoiler = _body(body)
    review.spoiler = review.spoiler or spoiler
    return review


def _tags(node: Tag) -> list[Tag]:
    """The tags under `node` in page order, as `find_all(True)` gives them at a fraction of the cost."""
    return [d for d in node.descendants if isinstance(d, Tag)]


def _classes(tag: Tag) -> set[str]:
    return set(tag.get("class") or ())


def _is_review(tag: Tag) -> bool:
    """A review block: `article.production-viewing`, or `li.film-detail` in the older markup."""
    return (tag.name == "article" and "production-viewing" in _classes(tag)) or (
        tag.name == "li" and "film-detail" in _classes(tag)
    )


def _is_diary(tag: Tag) -> bool:
    """Diary markup: `table#diary-table` or `tr.diary-entry-row`."""
    return (tag.name == "table" and tag.get("id") == "diary-table") or (
        tag.name == "tr" and "diary-entry-row" in _classes(tag)
    )


def _within(tag: Tag, name: str, top: Tag) -> bool:
    """Whether `tag` is inside an element of class `name`, looking no higher than `top`."""
    for parent in tag.parents:
        if name in _classes(parent):
            return True
        if parent is top:
            break
    return False


def _first(tags: list[Tag], test: Callable[[Tag], bool]) -> Tag | None:
    """The first of `tags` (in page order) that passes `test`."""
    return next((t for t in tags if test(t)), None)


def _is_body(tag: Tag) -> bool:
    """A review's text: `.js-review-body, div.body-text, .review.body-text`."""
    classes = _classes(tag)
    return "js-review-body" in classes or ("body-text" in classes and (tag.name == "div" or "review" in classes))


def _rating(tags: list[Tag]) -> float | None:
    """The stars among a block's tags: a `rated-N` class, else `span.rating, span.inline-rating,
    .rating` glyphs."""
    for tag in tags:
        for cls in tag.get("class") or []:
            match = re.fullmatch(r"rated-(\d+)", cls)
            if match:
                value = int(match.group(1))
                return value / 2 if 1 <= value <= 10 else BAD_STARS
    tag = _first(tags, lambda t: "rating" in _classes(t) or (t.name == "span" and "inline-rating" in _classes(t)))
    if tag is None:
        return None
    stars = re.sub(r"\s+", "", tag.get_text())
    if not stars:
        return None
    return parse_stars(stars) or BAD_STARS


def review_line(line: str) -> re.Match | None:
    """`★★★½ review by NAME on Letterboxd` in a text copy, as a match (stars, name); else None.

    Long lines are never review lines. Runs of spaces become one space first: the pattern would
    otherwise try every way of sharing a run between its space matches, time growing with the
    square of the run's length.
    """
    return _REVIEW_LINE.match(" ".join(line.split())) if len(line) <= MAX_LABEL else None


def _short(text: str | None) -> str:
    """A label as short text; a hostile page's huge label is not worth searching."""
    return (text or "")[:MAX_LABEL]


def parse_stars(text: str) -> float | None:
    """Star glyphs as a rating: `★★★½` is 3.5, `½` is 0.5; None when not a rating."""
    match = _STARS.match(text.strip())
    if not match or not text.strip():
        return None
    value = len(match.group(1)) + (0.5 if match.group(2) else 0.0)
    return value if 0.5 <= value <= 5 else None


def _date(tags: list[Tag]) -> str | None:
    """The date among a block's tags: `time[datetime]`, else the text of `span._nobr, .date, time`."""
    time = _first(tags, lambda t: t.name == "time" and t.has_attr("datetime"))
    if time is not None:
        raw = (_attr(time, "datetime") or "")[:10]
        if _iso_date(raw):
            return raw
    for tag in tags:
        if not (tag.name == "time" or "date" in _classes(tag) or (tag.name == "span" and "_nobr" in _classes(tag))):
            continue
        if parsed := parse_date(tag.get_text(" ")):
            return parsed
    return None


def parse_date(text: str) -> str | None:
    """A date as shown on pages (`12 Mar 2016`, `Mar 12, 2016`, `2016-03-12`) in ISO form."""
    text = clean_text(text) or ""
    text = re.sub(r"^(watched|rewatched|added|reviewed)\s+(on\s+)?", "", text, flags=re.IGNORECASE)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _iso_date(raw: str) -> bool:
    try:
        dt.date.fromisoformat(raw)
    except ValueError:
        return False
    return True


def _likes(tags: list[Tag]) -> int | None:
    """The like count among a block's tags: the `data-count` of `.like-link-target` or `.like-link`,
    or `data-likes-count`; else a "27 likes" text in those or in a link to the likes."""
    links = {id(t) for t in tags if _classes(t) & {"like-link-target", "like-link"}}
    for tag in tags:
        if not (tag.has_attr("data-likes-count") or (tag.has_attr("data-count") and id(tag) in links)):
            continue
        raw = _attr(tag, "data-count", "data-likes-count") or ""
        if re.fullmatch(r"[0-9]+", raw.strip()):
            return int(raw)
    for tag in tags:
        if not (id(tag) in links or (tag.name == "a" and str(tag.get("href") or "").endswith("/likes/"))):
            continue
        match = re.search(r"([\d,]+)\s+likes?\b", _short(tag.get_text(" ")), re.IGNORECASE)
        if match:
            return int(match.group(1).replace(",", ""))
    return None


def _viewing_id(container: Tag, tags: list[Tag]) -> str | None:
    """The viewing id (`viewing:N`) of a block (`tags` are its tags) or of its like button."""
    for raw in (
        _attr(container, "data-object-id"),
        _attr(_first(tags, lambda t: t.has_attr("data-likeable-uid")), "data-likeable-uid"),
        _attr(_first(tags, lambda t: t.has_attr("data-object-id")), "data-object-id"),
    ):
        match = re.fullmatch(r"viewing:(\d+)", raw or "")
        if match:
            return match.group(1)
    return None


def _body(body: Tag) -> tuple[str | None, bool, bool]:
    """Review text, whether it is cut short, whether it carries a spoiler warning."""
    # The short paragraph holding a spoiler warning goes; each holder is measured once, however
    # many warnings it holds.
    holders: dict[int, Tag] = {}
    for text_node in body.descendants:
        if not isinstance(text_node, NavigableString) or not _SPOILER.search(text_node):
            continue
        holder = text_node.find_parent(["p", "div"])
        if holder is not None and holder is not body:
            holders.setdefault(id(holder), holder)
    notices = [h for h in holders.values() if len(h.get_text()) < 200]
    _remove(notices)
    tags = _tags(body)
    collapsed = any("collapsed-text" in _classes(t) for t in tags)
    more = [a for a in tags if a.name == "a" and ("reveal" in _classes(a) or a.get_text(strip=True).lower() == "more")]
    _remove(more)
    text = html_text(body)
    truncated = collapsed or (bool(more) and text.rstrip().endswith(("…", "...")))
    return text or None, truncated, bool(notices)


# Plain text -----------------------------------------------------------------------------------


def parse_text(text: str, source: str) -> Page:
    """A plain-text copy of a film page: title line, synopsis, then `★★★½ review by NAME on
    Letterboxd` lines each followed by the review's (indented) text."""
    page = Page(source)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    content = [i for i, line in enumerate(lines) if line.strip()]
    if not content:
        page.unusable = "the file is empty"
        return page
    start = content[0]
    first = clean_text(lines[start]) or ""
    if review_line(lines[start]):
        page.unusable = "no title line before the first review (line 1): not a copy of a film page"
        return page
    match = _TITLE_YEAR.match(first)
    page.title, page.year = (match.group(1), match.group(2)) if match else (first, None)
    i = start + 1
    if page.year is None and i < len(lines) and _YEAR.match(lines[i].strip()):
        page.year = lines[i].strip()
        i += 1
    paragraphs: list[str] = []
    paragraph: list[str] = []
    while i < len(lines) and not _is_marker(lines[i]):
        if lines[i].strip():
            paragraph.append(lines[i].strip())
        elif paragraph:
            paragraphs.append(" ".join(paragraph))
            paragraph = []
        i += 1
    if paragraph:
        paragraphs.append(" ".join(paragraph))
    page.synopsis = clean_body("\n\n".join(paragraphs))
    items: list[dict] = []
    current: dict | None = None
    for number in range(i, len(lines)):
        line = lines[number]
        if (found := review_line(line)) is not None:
            current = {
                "name": clean_text(found.group("name")),
                "stars": found.group("stars"),
                "line": number + 1,
                "lines": [],
            }
            items.append(current)
        elif _BULLET.match(line):
            current = None  # "• See all reviews" and the like end the review before it
        elif current is not None:
            current["lines"].append(line.strip())
    page.reviews = [_text_review(page, item) for item in items]
    return page


def _is_marker(line: str) -> bool:
    stripped = line.strip()
    return bool(review_line(line) or _BULLET.match(line) or stripped.lower() in _UI_LINES)


def _text_review(page: Page, item: dict) -> PageReview:
    rating = parse_stars(item["stars"]) if item["stars"] else None
    if item["stars"] and rating is None:
        message = f"stars {item['stars']!r} are not a rating from ½ to ★★★★★"
        page.problems.append((message, f"line {item['line']}"))
    lines = [line for line in item["lines"] if not _SPOILER.search(line) or len(line) > 200]
    spoiler = len(lines) != len(item["lines"])
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    more = re.search(r"(…|\.\.\.)\s*more$", text)
    if more:
        text = text[: more.end(1)]
    truncated = bool(more) or text.endswith("…")
    return PageReview(
        username=slugify(item["name"] or "") or None,
        display_name=item["name"],
        rating=rating,
        text=text or None,
        date=None,
        spoiler=spoiler,
        truncated=truncated,
        location=f"line {item['line']}",
    )
