"""The HTML parser of saved Letterboxd pages: a film page, its reviews page or a member's diary page
as a `Page`.

HTML is parsed with BeautifulSoup (lxml) and never rendered or run: scripts, styles and other
active content are dropped before any text is taken, and review text is stored as plain text
(what a reviewer typed as `<b>` stays the four characters `<b>`). Both the current markup
(`article.production-viewing`, `h1.primaryname`) and the older one (`li.film-detail`,
`p.attribution`, `h1.filmtitle`) are read; stars come from `rated-N` classes (N/2) or from glyphs
(`★★★½`). On a diary page the month and year are printed only on the first entry of each month,
so they are carried down; the day's link gives the full date where present.

A parse takes time linear in the page's size: pages nested deeper than any saved page are refused
before BeautifulSoup builds a tree, and elements are taken out of the tree without rescanning
their siblings (see `_detach`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable

from bs4 import BeautifulSoup
from bs4.element import Comment, Declaration, Doctype, NavigableString, PageElement, ProcessingInstruction, Tag
from lxml import etree

from ingest.readers.common import clean_text, slugify, stable_id
from ingest.readers.letterboxd_page_model import (
    MAX_LABEL,
    SPOILER,
    TITLE_YEAR,
    YEAR,
    DiaryEntry,
    Histogram,
    Page,
    PageReview,
    parse_stars,
)

# Tags inside tags: a saved Letterboxd page nests a few dozen deep. BeautifulSoup and CSS matching
# walk up through the open tags, so a page nested thousands deep (review blocks never closed)
# costs time with the square of its size.
MAX_DEPTH = 256
BAD_STARS = -1.0  # what `_rating` returns for stars that are not a rating

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
_HIST_BAR = re.compile(r"([\d,]+)\s+(half-★|★+½?|½)\s+ratings?", re.IGNORECASE)
_AVERAGE = re.compile(r"average of ([\d.]+) based on ([\d,]+)", re.IGNORECASE)
_FILM_URL = re.compile(r"/film/([^/?#\s]+)")
_DATE_FORMATS = ("%Y-%m-%d", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y")


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
    years = [int(w) for w in words if YEAR.match(w)]
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
    if released is not None and YEAR.match(text := (clean_text(released.get_text()) or "")):
        year = text
    named = TITLE_YEAR.match(name)
    if named:
        name, year = named.group(1), year or named.group(2)
    year = year or _attr(holder, "data-film-release-year", "data-item-release-year")
    rating_cell = _cell(row, "rating")
    return DiaryEntry(
        title=name,
        year=year if year and YEAR.match(year) else None,
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
    og_match = TITLE_YEAR.match(og_title or "")
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
        if tag is not None and YEAR.match(text := (clean_text(tag.get_text()) or "")):
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
            if candidate and YEAR.match(candidate):
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


def _short(text: str | None) -> str:
    """A label as short text; a hostile page's huge label is not worth searching."""
    return (text or "")[:MAX_LABEL]

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
        if not isinstance(text_node, NavigableString) or not SPOILER.search(text_node):
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
