"""Counts in messages as people write them: 1 film, 2 films, 1,204 ratings."""

from __future__ import annotations


def count(n: int, word: str, plural: str | None = None) -> str:
    """`n` and `word`, in the plural (`word` + s, or `plural`) unless `n` is 1."""
    return f"{n:,} {word if n == 1 else plural or word + 's'}"
