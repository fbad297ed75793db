"""Time recorded page query sets on DuckDB: cold (a new database handle per run) and warm (reused)."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

import queries
from bench.record import Call
from bench.stats import Summary
from ingest.location import Source
from ui.db import open_for_queries


def open_source(location: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a DuckDB file or a Parquet folder, as the app opens it."""
    return open_for_queries(Source.of(location))


def run_calls(con: duckdb.DuckDBPyConnection, calls: list[Call]) -> None:
    """Run the calls one after another and fetch each result as the app does (a pandas frame)."""
    for call in calls:
        queries.frame(con, call.name, **call.params)


def _timed(work: Callable[[], None]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def time_warm(con: duckdb.DuckDBPyConnection, calls: list[Call], repeats: int) -> Summary:
    """Median/p95 of the whole set on one reused connection, after one untimed warm-up run."""
    run_calls(con, calls)
    return Summary.of([_timed(lambda: run_calls(con, calls)) for _ in range(repeats)])


def time_cold(location: Path, calls: list[Call], repeats: int) -> Summary:
    """Median/p95 of opening a new database handle (macros installed) and running the set.

    The caller must hold no other connection to `location`: DuckDB shares one database instance
    (and its buffer cache) between connections of a process, which would make the run warm.
    """

    def once() -> None:
        con = open_source(location)
        try:
            run_calls(con, calls)
        finally:
            con.close()
            gc.collect()

    return Summary.of([_timed(once) for _ in range(repeats)])


def time_each(con: duckdb.DuckDBPyConnection, calls: list[Call], repeats: int) -> list[tuple[str, Summary]]:
    """Warm median/p95 of every call on its own, to show where a page's time goes."""
    out = []
    for call in calls:
        queries.frame(con, call.name, **call.params)
        out.append((call.name, Summary.of([_timed(lambda c=call: queries.frame(con, c.name, **c.params)) for _ in range(repeats)])))
    return out
