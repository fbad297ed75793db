"""Readers turn files in a known format into staged rows of the canonical schema.

Each reader module has `looks_like(paths) -> bool` and `read(loader, paths) -> None`.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from ingest.errors import LoadError
from ingest.readers import canonical

FORMATS: dict[str, ModuleType] = {
    "canonical": canonical,
}


def detect(paths: list[Path]) -> str:
    """The name of the one format the paths are in; LoadError when none or several fit."""
    fits = [name for name, reader in FORMATS.items() if reader.looks_like(paths)]
    if len(fits) == 1:
        return fits[0]
    names = ", ".join(str(p) for p in paths)
    if not fits:
        raise LoadError.single(names, f"cannot tell the format; name it with --format ({', '.join(FORMATS)})")
    raise LoadError.single(names, f"could be {' or '.join(fits)}; name it with --format")
