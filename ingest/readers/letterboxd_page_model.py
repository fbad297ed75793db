"""What a saved Letterboxd page says, as both page parsers (`letterboxd_html`, `letterboxd_text`)
give it to the page reader (`letterboxd_page`): the page, its reviews, its ratings histogram and
its diary entries, with the page notation both parsers read (stars, years, titles with a year,
spoiler warnings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_LABEL = 300  # longer than any name line, histogram label or like count on a real page
_STARS = re.compile(r"^(★{0,5})(½?)$")
YEAR = re.compile(r"^(?:1[89]|2[0-9])\d\d$")
TITLE_YEAR = re.compile(r"^(.*\S)\s*\(((?:1[89]|2[0-9])\d\d)\)$")
SPOILER = re.compile(r"may contain spoilers", re.IGNORECASE)


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


def parse_stars(text: str) -> float | None:
    """Star glyphs as a rating: `★★★½` is 3.5, `½` is 0.5; None when not a rating."""
    match = _STARS.match(text.strip())
    if not match or not text.strip():
        return None
    value = len(match.group(1)) + (0.5 if match.group(2) else 0.0)
    return value if 0.5 <= value <= 5 else None
