"""Readers turn files in a known format into staged rows of the canonical schema.

Each reader module has `looks_like(paths) -> bool` and `read(loader, paths) -> None`.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from ingest.errors import LoadError
from ingest.readers import canonical, letterboxd_export, letterboxd_page, movielens

FORMATS: dict[str, ModuleType] = {
    "canonical": canonical,
    "letterboxd-export": letterboxd_export,
    "letterboxd-page": letterboxd_page,
    "movielens": movielens,
}

# `canonical` recognises files by name alone (reviews.csv, people.csv...), and a Letterboxd export
# or a MovieLens folder may hold such names too; the other formats check headers and markup, so
# when one of them fits, it is the format.
GENERIC = "canonical"


def detect(paths: list[Path]) -> str:
    """The name of the one format the paths are in; LoadError when none or several fit."""
    fits = [name for name, reader in FORMATS.items() if reader.looks_like(paths)]
    specific = [name for name in fits if name != GENERIC]
    if len(specific) == 1 or (len(fits) == 1 and not specific):
        return (specific or fits)[0]
    names = ", ".join(str(p) for p in paths)
    if not fits:
        raise LoadError.single(names, f"cannot tell the format; name it with --format ({', '.join(FORMATS)})")
    raise LoadError.single(names, f"could be {' or '.join(specific)}; name it with --format")
