"""The parser of plain-text copies of Letterboxd film pages (what a browser's "select all, copy"
gives): a title line, the synopsis, then `★★★½ review by NAME on Letterboxd` lines each followed by
the indented review, as a `Page`.
"""

from __future__ import annotations

import re

from ingest.readers.common import clean_body, clean_text, slugify
from ingest.readers.letterboxd_page_model import MAX_LABEL, SPOILER, TITLE_YEAR, YEAR, Page, PageReview, parse_stars

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


def review_line(line: str) -> re.Match | None:
    """`★★★½ review by NAME on Letterboxd` in a text copy, as a match (stars, name); else None.

    Long lines are never review lines. Runs of spaces become one space first: the pattern would
    otherwise try every way of sharing a run between its space matches, time growing with the
    square of the run's length.
    """
    return _REVIEW_LINE.match(" ".join(line.split())) if len(line) <= MAX_LABEL else None


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
    match = TITLE_YEAR.match(first)
    page.title, page.year = (match.group(1), match.group(2)) if match else (first, None)
    i = start + 1
    if page.year is None and i < len(lines) and YEAR.match(lines[i].strip()):
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
    if page.year is None and not page.reviews:
        # One line of text with nothing after it would otherwise load as a film of that title.
        page.unusable = "no year and no reviews after the first line: not a copy of a film page"
    return page


def _is_marker(line: str) -> bool:
    stripped = line.strip()
    return bool(review_line(line) or _BULLET.match(line) or stripped.lower() in _UI_LINES)


def _text_review(page: Page, item: dict) -> PageReview:
    rating = parse_stars(item["stars"]) if item["stars"] else None
    if item["stars"] and rating is None:
        message = f"stars {item['stars']!r} are not a rating from ½ to ★★★★★"
        page.problems.append((message, f"line {item['line']}"))
    lines = [line for line in item["lines"] if not SPOILER.search(line) or len(line) > 200]
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
