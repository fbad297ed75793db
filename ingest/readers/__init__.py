"""Readers turn files in a known format into staged rows of the canonical schema.

Each reader module has `looks_like(paths) -> bool` and `read(loader, paths) -> None`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from ingest.errors import LoadError
from ingest.files import WIDE_SAMPLE, wide_encoding
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
# Where a format is chosen: the command line's option, the Data page's select box.
CHOOSING = " with --format on the command line, or under Format on the Data page"


def detect(paths: list[Path]) -> str:
    """The name of the one format the paths are in; LoadError when none or several fit."""
    fits = [name for name, reader in FORMATS.items() if reader.looks_like(paths)]
    specific = [name for name in fits if name != GENERIC]
    if len(specific) == 1 or (len(fits) == 1 and not specific):
        return (specific or fits)[0]
    names = _named(paths)
    if not fits:
        # The readers recognise files by their first line or page; in UTF-16 (Excel's "Unicode
        # text") none can, and that, not the format, is what to fix.
        wide = next(_wide_files(paths), None)
        if wide:
            raise LoadError.single(wide[0].name, f"this file is {wide[1]} text; save it as UTF-8")
        raise LoadError.single(names, f"cannot tell the format; choose one ({', '.join(FORMATS)}){CHOOSING}")
    raise LoadError.single(names, f"could be {' or '.join(specific)}; choose one{CHOOSING}")


def _named(paths: list[Path]) -> str:
    """The files as their owner knows them: file names, not where they were saved (an upload's
    folder on the server), and a folder as the files in it."""
    names = [f.name for p in paths for f in (sorted(p.iterdir()) if p.is_dir() else [p]) if not f.is_dir()]
    return ", ".join(names[:5]) + (f" and {len(names) - 5:,} more" if len(names) > 5 else "")


def _wide_files(paths: list[Path], limit: int = 200) -> Iterator[tuple[Path, str]]:
    """Files among `paths` (folders searched, at most `limit` files) in UTF-16 or UTF-32."""
    files = (f for p in paths for f in ([p] if p.is_file() else sorted(p.rglob("*"))) if f.is_file())
    for path in itertools.islice(files, limit):
        with path.open("rb") as handle:
            wide = wide_encoding(handle.read(WIDE_SAMPLE))
        if wide:
            yield path, wide
