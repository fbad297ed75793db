"""The app's database: one read-only handle per process, reused cursors, cached results.

The location is one setting, `REVIEWS_DB`: a DuckDB file (default `data/demo.duckdb`), a folder of
Parquet files (see `ingest.parquet_source`), or either of them in object storage (`ingest.object_store`). Every write, the Data page's or a command line load
beside the running app, publishes a new version of the file (`ingest.versions`); the handle
notices the new file on the next script run (`refresh`) and reopens, with an empty result cache.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd
import streamlit as st

import queries
from ingest.health import DatabaseProblem, check_database
from ingest.lake import snapshot_id
from ingest.location import READ_AS, Source, use_data
from ingest.sql_text import literal
from ingest.store import memory_size
from ingest.versions import file_identity, write_version
from ui.cache import ResultCache
from ui.scratch import scratch_dir

ROOT = Path(__file__).parent.parent
DEFAULT_DB = ROOT / "data" / "demo.duckdb"
# Memory for cached query results per database handle (see `ui.cache`).
CACHE_BYTES = int(os.environ.get("REVIEWS_CACHE_MB", 64)) * 1024**2
# DuckDB's memory for the dashboard's queries per database handle, beyond which it spills to a
# scratch folder; unset, DuckDB's own default (80% of the machine). Measured at 100 million reviews:
# 1GB brought the app's peak from 1,541 to 1,275 MiB and a 1-million-row export's from 1,442 to
# 1,215 MiB, but the reviewer leaderboard over three years of reviews from 4.7 to 8.7 s.
QUERY_MEMORY = os.environ.get("REVIEWS_QUERY_MEMORY")
T = TypeVar("T")
# Where a session keeps its private copy of the data (`ui.loading.PrivateData`), when it has one.
SESSION_DATA = "private_data"


def database_location() -> Path:
    """Where the data lives: `REVIEWS_DB`, or the demo database."""
    return Path(os.environ.get("REVIEWS_DB") or DEFAULT_DB)


class Database:
    """A read-only DuckDB handle shared by every session of the app process."""

    def __init__(self, location: Path, cache_bytes: int | None = None):
        self.location = location
        self.source = Source.of(location)
        self.generation = 0
        self._lock = threading.RLock()
        self._identity: tuple[int, ...] | None = None
        self.closed = False
        self._con = self._open()
        self.results = ResultCache(cache_bytes or CACHE_BYTES)
        # Cursors with the filter macros defined, not in use. DuckDB keeps temporary macros per
        # cursor and defining them costs about 10 ms, so a cursor is made once and then reused by
        # one query at a time.
        self._idle: list[duckdb.DuckDBPyConnection] = []

    def _open(self) -> duckdb.DuckDBPyConnection:
        # A file's identity is taken before it is opened, so a version published meanwhile is seen.
        identity = file_identity(self.location) if self.source.writable else None
        if self.source.writable:
            check_database(self.location)
        con = open_for_queries(self.source)
        self._identity = (snapshot_id(con, READ_AS),) if self.source.kind == Source.LAKE else identity
        return con

    @property
    def writable(self) -> bool:
        """True when the data is a DuckDB file the Data page may load into."""
        return self.source.writable

    def refresh(self) -> bool:
        """Reopen when a new version of the file has replaced the one open, or drop the cached
        results when a lake has a new snapshot; True when it did.

        Queries running meanwhile finish on the old version (their cursors keep it open); the
        cached results of the old version are dropped. Raises DatabaseProblem when the file now
        at the location cannot be used (only something other than a load can put such a file there).
        """
        self._check_open()
        if self.source.kind == Source.LAKE:
            return self._refresh_lake()
        if not self.writable or file_identity(self.location) == self._identity:
            return False
        with self._lock:
            if self.closed or file_identity(self.location) == self._identity:
                return False
            self._con = self._open()
            for idle in self._idle:
                idle.close()
            self._idle.clear()
            self.generation += 1
            self.results.clear()
        return True

    def _refresh_lake(self) -> bool:
        # A lake's every query reads its newest snapshot already: only the results cached from
        # an older one go. Costs one catalog query per script run.
        with self.cursor() as cur:
            now = (snapshot_id(cur, READ_AS),)
        with self._lock:
            if now == self._identity:
                return False
            self._identity = now
            self.results.clear()
        return True

    def close(self) -> None:
        """Let go of the file (a private copy being deleted): no new cursors, writes or reopens.

        A query still running keeps its cursor (closing the handle would break it) and with it
        the file, until it ends.
        """
        with self._lock:
            self.closed = True
            for idle in self._idle:
                idle.close()
            self._idle.clear()
            self._con = None
            self.generation += 1
            self.results.clear()

    def _check_open(self) -> None:
        if self.closed:
            raise DatabaseProblem(f"{self.location} was closed: this data was deleted")

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own, the filter macros defined, for one query or download."""
        with self._lock:
            self._check_open()
            generation = self.generation
            cur, new = (self._idle.pop(), False) if self._idle else (self._con.cursor(), True)
        if new:
            queries.install_macros(use_data(cur))
        try:
            yield cur
        finally:
            with self._lock:
                if generation == self.generation:
                    self._idle.append(cur)
                else:
                    cur.close()

    def write(self, work: Callable[[duckdb.DuckDBPyConnection], T], **version) -> T:
        """Run `work` on a writer connection to a new version of the file, publish it, and reopen.

        `version` goes to `ingest.versions.new_version` (the room the write needs, a size limit).
        Raises WriteRefused when the write could not start (another load is running, a short disk).
        """
        if not self.writable:
            raise RuntimeError(f"{self.source.described} is read-only; load into a DuckDB file instead")
        self._check_open()
        done, _ = write_version(self.location, work, **version)
        self.refresh()
        return done


def open_for_queries(source: Source) -> duckdb.DuckDBPyConnection:
    """A read-only connection to `source` as the dashboard queries it: DuckDB's memory bounded by
    QUERY_MEMORY when set, spilling under this process's scratch folder (not into `.tmp` in the
    working folder, DuckDB's default for a connection without a file of its own), the filter macros
    defined."""
    try:
        limit = memory_size(QUERY_MEMORY) if QUERY_MEMORY else None
    except ValueError:
        raise DatabaseProblem(
            f"REVIEWS_QUERY_MEMORY is {QUERY_MEMORY!r}, which is not a memory size; set it to one such as 1GB or 512MB"
        ) from None
    con = source.open_reader()
    try:
        if limit:
            con.execute(f"SET memory_limit = '{limit}'")
        # A folder of its own per database: DuckDB names its spill files alike in every database,
        # and two spilling into one folder overwrite each other's. DuckDB creates it when it spills.
        con.execute(f"SET temp_directory = {literal(scratch_dir('spill') / uuid.uuid4().hex)}")
        return queries.install_macros(con)
    except BaseException:
        con.close()
        raise


@st.cache_resource(show_spinner=False)
def get_database(location: str) -> Database:
    """The process-wide database handle for `location`."""
    return Database(Path(location))


def database() -> Database:
    """This session's data: its private copy (see `ui.loading`), else the configured location."""
    private = st.session_state.get(SESSION_DATA)
    return private.database if private is not None else get_database(str(database_location()))


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
