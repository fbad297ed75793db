"""Counts in messages as people write them: 1 film, 2 films, 1,204 ratings."""

from __future__ import annotations


def count(n: int, word: str, plural: str | None = None) -> str:
    """`n` and `word`, in the plural (`word` + s, or `plural`) unless `n` is 1."""
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def size(n_bytes: int) -> str:
    """A size in the unit that reads best: 512 KiB, 340 MiB, 1.2 GiB."""
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:,.1f} {unit}" if n_bytes < 10 * scale else f"{n_bytes / scale:,.0f} {unit}"
    return f"{max(n_bytes, 0) / 1024:,.0f} KiB"
