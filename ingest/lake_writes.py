"""Loads into a DuckLake (see `ingest.lake`), with the loader a DuckDB file uses.

A load works on a local copy of the lake's tables with the same loader as a DuckDB file (checks,
upserts, summary tables updated for what it touched), then writes the difference back in one
DuckLake transaction. DuckLake commits it as one snapshot, which readers see at their next query.
Every load also replaces one row of `schema_info` (`loads`), so two loads that overlap always
conflict: the one that commits second fails and is run again on the data the first one left.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb

from ingest.errors import WriteRefused
from ingest.lake import attach, snapshot_id, tables
from ingest.location import open_for_loading
from ingest.sql_text import literal
from ingest.store import SCHEMA_VERSION

T = TypeVar("T")
# Each try of a load that lost a race against another load starts again from the new data.
ATTEMPTS = 5
# The row every load replaces, so that two loads that overlap conflict (see the module's notes).
LOADS_KEY = "loads"
WRITE_AS = "lake"


@dataclass(frozen=True)
class LakeWrite:
    """What a load committed: the snapshot, the tables it changed, and how many tries it took."""

    snapshot: int
    changed: tuple[str, ...]
    attempts: int
    compacted: None = None


def write_lake(location: str, work: Callable[[duckdb.DuckDBPyConnection], T]) -> tuple[T, LakeWrite]:
    """Run `work` on a writer connection holding a copy of the lake's tables, then commit the
    difference to the lake as one snapshot; run again when another load committed meanwhile."""
    for attempt in range(1, ATTEMPTS + 1):
        with tempfile.TemporaryDirectory(prefix="reviews-lake-") as folder:
            con = open_for_loading(Path(folder) / "work.duckdb")
            try:
                attach(con, location, WRITE_AS, read_only=False)
                start = snapshot_id(con, WRITE_AS)
                present = set(tables(con, WRITE_AS))
                local = tables(con, "work")
                _check_version(con, location, present)
                for table in sorted(present & set(local)):
                    con.execute(f"DELETE FROM work.main.{table}")
                    con.execute(f"INSERT INTO work.main.{table} SELECT * FROM {WRITE_AS}.main.{table}")
                before = _fingerprints(con, local)
                done = work(con)
                con.execute("USE work")
                changed = tuple(t for t, f in _fingerprints(con, local).items() if f != before[t] or t not in present)
                committed = _publish(con, start, present, changed)
            finally:
                con.close()
        if committed is not None:
            return done, LakeWrite(committed, changed, attempt)
    raise WriteRefused(f"other loads committed to {location} {ATTEMPTS} times while this one ran; run it again")


def _check_version(con: duckdb.DuckDBPyConnection, location: str, present: set[str]) -> None:
    if "schema_info" not in present:
        return
    rows = con.execute(f"SELECT value FROM {WRITE_AS}.schema_info WHERE key = 'schema_version'").fetchall()
    if rows and rows[0][0] != SCHEMA_VERSION:
        raise WriteRefused(
            f"{location} has schema version {rows[0][0]}, and this program writes version {SCHEMA_VERSION}"
        )


def _fingerprints(con: duckdb.DuckDBPyConnection, names: list[str]) -> dict[str, tuple]:
    # A row count and an order-free sum of row hashes: equal before and after the work means the
    # table was not changed, and is not written back.
    return {
        t: tuple(con.execute(f"SELECT count(*), sum(hash(x)) FROM work.main.{t} x").fetchall()[0]) for t in names
    }


def _publish(con: duckdb.DuckDBPyConnection, start: int, present: set[str], changed: tuple[str, ...]) -> int | None:
    """Write the changed tables to the lake in one transaction; the new snapshot, or None when
    another load committed first (its data is then what the next try starts from)."""
    con.execute("BEGIN")
    try:
        if snapshot_id(con, WRITE_AS) != start:
            con.execute("ROLLBACK")
            return None
        for table in changed:
            if table in present:
                _apply_difference(con, table)
            else:
                con.execute(f"CREATE TABLE {WRITE_AS}.main.{table} AS SELECT * FROM work.main.{table}")
        _count_load(con, present)
        con.execute("COMMIT")
    except duckdb.TransactionException as exc:
        if "conflict" not in str(exc).lower():
            raise
        return None
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return snapshot_id(con, WRITE_AS)


def _apply_difference(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Make the lake's `table` equal the local one, writing only the rows that differ."""
    columns = [r[0] for r in con.execute(f"DESCRIBE work.main.{table}").fetchall()]
    same = " AND ".join(f"x.{c} IS NOT DISTINCT FROM g.{c}" for c in columns)
    lake, local = f"{WRITE_AS}.main.{table}", f"work.main.{table}"
    # Every copy of a row that is gone is deleted, then whatever the local table has more of is
    # inserted: the result has each row as many times as the local table (tables may repeat rows).
    con.execute(
        f"DELETE FROM {lake} x WHERE EXISTS "
        f"(SELECT 1 FROM (SELECT * FROM {lake} EXCEPT ALL SELECT * FROM {local}) g WHERE {same})"
    )
    con.execute(f"INSERT INTO {lake} SELECT * FROM {local} EXCEPT ALL SELECT * FROM {lake}")


def _count_load(con: duckdb.DuckDBPyConnection, present: set[str]) -> None:
    if "schema_info" not in present:
        con.execute(f"INSERT INTO {WRITE_AS}.schema_info VALUES ($key, '1')", {"key": LOADS_KEY})
        return
    rows = con.execute(f"SELECT value FROM {WRITE_AS}.schema_info WHERE key = $key", {"key": LOADS_KEY}).fetchall()
    loads = int(rows[0][0]) if rows else 0
    con.execute(f"DELETE FROM {WRITE_AS}.schema_info WHERE key = $key", {"key": LOADS_KEY})
    con.execute(f"INSERT INTO {WRITE_AS}.schema_info VALUES ($key, $value)", {"key": LOADS_KEY, "value": str(loads + 1)})


def replace_with(location: str, source: Path) -> tuple[None, LakeWrite]:
    """Make the lake's data that of the DuckDB file `source`, in one snapshot."""

    def copy(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(f"ATTACH {literal(source)} AS source (READ_ONLY)")
        for table in tables(con, "source"):
            con.execute(f"DELETE FROM work.main.{table}")
            con.execute(f"INSERT INTO work.main.{table} SELECT * FROM source.main.{table}")
        con.execute("DETACH source")

    return write_lake(location, copy)
