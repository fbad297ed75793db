"""The app's database: one read-only handle per process, reused cursors, cached results.

The location is one setting, `REVIEWS_DB`: a DuckDB file (default `data/demo.duckdb`) or a folder of
Parquet files (see `ingest.parquet_source`). Writes (the Data page) go through `Database.write`,
which closes the read-only handle, writes with a separate writer connection and reopens.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd
import streamlit as st

import queries
from ingest.health import DatabaseProblem, check_database
from ingest.parquet_source import is_parquet_source
from ingest.store import compact, connect
from ui.cache import ResultCache

ROOT = Path(__file__).parent.parent
DEFAULT_DB = ROOT / "data" / "demo.duckdb"
# Memory for cached query results per database handle (see `ui.cache`).
CACHE_BYTES = int(os.environ.get("REVIEWS_CACHE_MB", 64)) * 1024**2
T = TypeVar("T")


def database_location() -> Path:
    """Where the data lives: `REVIEWS_DB`, or the demo database."""
    return Path(os.environ.get("REVIEWS_DB") or DEFAULT_DB)


class Database:
    """A read-only DuckDB handle shared by every session of the app process."""

    def __init__(self, location: Path):
        self.location = location
        self.generation = 0
        self._lock = threading.RLock()
        self._con = self._open()
        self.results = ResultCache(CACHE_BYTES)
        # Cursors with the filter macros defined, not in use. DuckDB keeps temporary macros per
        # cursor and defining them costs about 10 ms, so a cursor is made once and then reused by
        # one query at a time.
        self._idle: list[duckdb.DuckDBPyConnection] = []

    def _open(self) -> duckdb.DuckDBPyConnection:
        if not is_parquet_source(self.location):
            check_database(self.location)
        return queries.connect(self.location)

    @property
    def writable(self) -> bool:
        """True when the data is a DuckDB file the Data page may load into."""
        return not is_parquet_source(self.location)

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own, the filter macros defined, for one query or download."""
        with self._lock:
            generation = self.generation
            cur, new = (self._idle.pop(), False) if self._idle else (self._con.cursor(), True)
        if new:
            queries.install_macros(cur)
        try:
            yield cur
        finally:
            with self._lock:
                if generation == self.generation:
                    self._idle.append(cur)
                else:
                    cur.close()

    def write(self, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Run `work` on a writer connection; readers see the new data afterwards.

        DuckDB allows one writer process and no readers beside it, so the read-only handle is
        closed for the duration of the write and reopened after, whether the write succeeded. A
        write that left most of the file free space is followed by a compaction (`ingest.store.compact`).
        """
        if not self.writable:
            raise RuntimeError("a Parquet folder is read-only; load into a DuckDB file instead")
        with self._lock:
            for idle in self._idle:
                idle.close()
            self._idle.clear()
            self._con.close()
            try:
                writer = connect(self.location)
                try:
                    done = work(writer)
                finally:
                    writer.close()
                compact(self.location)
                return done
            finally:
                self._con = self._open()
                self.generation += 1
                self.results.clear()


@st.cache_resource(show_spinner=False)
def get_database(location: str) -> Database:
    """The process-wide database handle for `location`."""
    return Database(Path(location))


def database() -> Database:
    """The handle for the configured location (see `database_location`)."""
    return get_database(str(database_location()))


def frame(name: str, **params) -> pd.DataFrame:
    """Result of named query `name`, cached per database state and parameters.

    Only for small, aggregated or paged results: everything cached here is kept in memory. The
    films passing the film-level filters are looked up once per filter state (cached too) and
    handed to every query that needs them.
    """
    db = database()
    bound = queries.bind(name, params)
    derive_kept = queries.uses_kept(name) and "kept" not in params
    # Keyed by the filters the kept films come from, not by the (long) list itself.
    key = (name, _frozen(bound), _frozen(_filters(params)) if derive_kept else None)

    def compute() -> pd.DataFrame:
        values = {**bound, "kept": kept_films(params)} if derive_kept else bound
        with db.cursor() as cur:
            return queries.frame(cur, name, **values)

    return db.results.get(key, compute).copy()


def kept_films(params: dict) -> list[str] | None:
    """`queries.kept_films` for the filters in `params`, from the cache when it was asked before."""
    db = database()
    filters = _filters(params)

    def compute() -> list[str] | None:
        with db.cursor() as cur:
            return queries.kept_films(cur, **filters)

    return db.results.get(("kept", _frozen(filters)), compute)


def clear_results() -> None:
    """Forget the cached results of the current database (to time queries as a first visit does)."""
    database().results.clear()


def _filters(params: dict) -> dict:
    return {k: params[k] for k in queries.FILTERS}


def _frozen(params: dict) -> tuple:
    """Parameters as a hashable cache key (lists as tuples)."""
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


__all__ = ["Database", "DatabaseProblem", "clear_results", "database", "database_location", "frame"]
