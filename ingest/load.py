"""Load files of any supported format into a database, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from ingest.credits import add_catalogue_credits
from ingest.errors import LoadError, Problem, capped
from ingest.readers import FORMATS, detect
from ingest.store import Loader, LoadResult, Progress, bounded_memory
from ingest.tables import LOAD_ORDER


def load_paths(
    con: duckdb.DuckDBPyConnection,
    paths: list[Path],
    fmt: str | None = None,
    progress: Progress | None = None,
    catalogue: bool = True,
) -> LoadResult:
    """Read `paths` in format `fmt` (detected when None) and write them; LoadError if refused.

    With `catalogue`, films left without a director or cast get the built-in catalogue's credits
    when their title and year match it (see `ingest.credits`), in the same transaction.
    """
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise LoadError.single(str(missing[0]), "no such file or folder")
    name = fmt or detect(paths)
    if name not in FORMATS:
        raise LoadError.single(name, f"unknown format; known formats: {', '.join(FORMATS)}")
    with bounded_memory(con):
        loader = Loader(con, progress)
        if progress:
            progress(f"reading {name} files", 0.0)
        FORMATS[name].read(loader, paths)
        return loader.commit(enrich=_catalogue_lines if catalogue else None)


def _catalogue_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    added = add_catalogue_credits(con)
    if not added.credited_films:
        return []
    return [
        f"credits from the built-in catalogue (real credits, matched by title and year): {added.directors:,} "
        f"director and {added.actors:,} actor credits for {added.credited_films:,} films"
    ]


@dataclass
class Preview:
    """What a load would do, without writing: rows per table, first rows, problems, skips."""

    format: str
    counts: dict[str, int] = field(default_factory=dict)
    samples: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the load would be accepted."""
        return not self.problems and any(self.counts.values())


def preview_paths(con: duckdb.DuckDBPyConnection, paths: list[Path], fmt: str | None = None, rows: int = 5) -> Preview:
    """Read and check `paths` against the database behind `con` without writing anything.

    Works on a read-only connection: staging uses temporary tables only.
    """
    name = fmt or detect(paths)
    preview = Preview(format=name)
    loader = Loader(con)
    try:
        with bounded_memory(con):
            FORMATS[name].read(loader, paths)
            preview.counts = loader.staged_counts()
            preview.samples = {t: loader.preview(t, rows) for t in LOAD_ORDER if t in preview.counts}
            preview.problems = capped(loader.validate())
            preview.skipped = list(loader.skipped)
    except LoadError as refused:
        preview.problems = refused.problems
    finally:
        loader.discard()
    return preview
