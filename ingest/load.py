"""Load files of any supported format into a database, in one transaction."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.errors import LoadError
from ingest.readers import FORMATS, detect
from ingest.store import Loader, LoadResult, Progress


def load_paths(
    con: duckdb.DuckDBPyConnection,
    paths: list[Path],
    fmt: str | None = None,
    progress: Progress | None = None,
) -> LoadResult:
    """Read `paths` in format `fmt` (detected when None) and write them; LoadError if refused."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise LoadError.single(str(missing[0]), "no such file or folder")
    name = fmt or detect(paths)
    if name not in FORMATS:
        raise LoadError.single(name, f"unknown format; known formats: {', '.join(FORMATS)}")
    loader = Loader(con, progress)
    if progress:
        progress(f"reading {name} files", 0.0)
    FORMATS[name].read(loader, paths)
    return loader.commit()


def stage_paths(con: duckdb.DuckDBPyConnection, paths: list[Path], fmt: str | None = None) -> Loader:
    """Read `paths` into a Loader without writing, for a preview; call `.commit()` to write."""
    name = fmt or detect(paths)
    loader = Loader(con)
    FORMATS[name].read(loader, paths)
    return loader
