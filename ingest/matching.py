"""Matching a database's films to another source's titles (IMDb, the built-in catalogue).

Most exact first: a film that knows its IMDb id is that title. Otherwise its title and release year:
titles are compared after normalising them the same way on both sides (`TITLE_KEY`: case, accents,
punctuation and spacing ignored, `&` read as "and", a leading English article dropped), against
every form of the film's title (`title_variants`: MovieLens's "Matrix, The" and its alternative
title in brackets). A candidate released in the film's year wins over one a year off; a year off
is tried only when no title matches the exact year. Several candidates left: the one with the
most votes wins if it clearly dominates (`DOMINANCE` times the runner-up's votes, counting a
runner-up as at least `MIN_VOTES`), otherwise the film is ambiguous and left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# DuckDB macro: the normalised form of a title, the same for both sides of a match.
TITLE_KEY = r"""
CREATE OR REPLACE TEMP MACRO title_key(title) AS
    regexp_replace(
        trim(regexp_replace(replace(lower(strip_accents(title)), '&', ' and '), '[^\p{L}\p{N}]+', ' ', 'g')),
        '^(the|a|an) ', '')
"""
DOMINANCE = 10
MIN_VOTES = 10
# Articles MovieLens (and some catalogues) move to the end: "Matrix, The", "Misérables, Les".
_ARTICLE_LAST = re.compile(
    r"^(?P<rest>.+?), (?P<article>The|A|An|Les|Le|La|L'|Il|Lo|Gli|I|El|Los|Las|Der|Die|Das|Den|Det|De|Het|O|Os|As)$"
)
_BRACKETED = re.compile(r"^(?P<main>.+?)\s*\((?:a\.k\.a\.\s*)?(?P<other>[^()]+)\)$", re.IGNORECASE)


def title_variants(title: str) -> list[str]:
    """Every form of a title worth matching: as written, with a trailing article moved to the
    front, and for "Main (Other)" each of the two."""
    forms = [title]
    bracketed = _BRACKETED.match(title)
    if bracketed:
        forms += [bracketed.group("main"), bracketed.group("other")]
    out: list[str] = []
    for form in forms:
        moved = _ARTICLE_LAST.match(form.strip())
        if moved:
            article = moved.group("article")
            out.append(article + ("" if article.endswith("'") else " ") + moved.group("rest"))
        out.append(form.strip())
    return list(dict.fromkeys(f for f in out if f))


@dataclass(frozen=True)
class Candidate:
    """A title that matches a film's title, `gap` years from its release year."""

    source_id: str
    gap: int
    votes: int
    label: str


def resolve(candidates: list[Candidate]) -> tuple[Candidate | None, list[Candidate]]:
    """The matching title and how many were in contention: (winner, contenders).

    No winner with contenders means ambiguous; no contenders means unmatched.
    """
    exact = [c for c in candidates if c.gap == 0]
    pool = exact or [c for c in candidates if c.gap == 1]
    unique = sorted({c.source_id: c for c in pool}.values(), key=lambda c: (-c.votes, c.source_id))
    if len(unique) <= 1:
        return (unique[0] if unique else None), unique
    first, second = unique[0], unique[1]
    if first.votes >= DOMINANCE * max(second.votes, MIN_VOTES):
        return first, unique
    return None, unique
