"""Checks that a database file can be opened by the app, with a message saying how to fix it."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.errors import DatabaseProblem
from ingest.location import open_file_read_only
from ingest.store import SCHEMA_VERSION
from ingest.tables import TABLES
from ingest.versions import is_lock_error, load_in_progress, locked_message

REQUIRED = (*TABLES, "ratings", "schema_info")
# What DuckDB says about a file whose bytes are not (or no longer) a whole database.
# What DuckDB says about a file in another version's storage format.
STORAGE_VERSION = "Trying to read a database file with version number"
DAMAGED = ("not a valid DuckDB database file", "Could not read enough bytes", "Corrupt database file", "checksum")


def check_database(path: Path) -> None:
    """Raise DatabaseProblem unless `path` is a readable database of the current schema."""
    build = "build the demo with `python -m ingest demo --db PATH` or load files with `python -m ingest load FILES --db PATH`"
    build = build.replace("PATH", str(path))
    if not path.exists():
        busy = load_in_progress(path)
        if busy:
            raise DatabaseProblem(f"No database at {path} yet: {busy}. Reload this page when it has finished.")
        raise DatabaseProblem(f"No database at {path}. To create it, {build}.")
    if path.stat().st_size == 0:
        raise DatabaseProblem(f"The database file {path} is empty (0 bytes). Delete it, then {build}.")
    try:
        con = open_file_read_only(path)
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        if is_lock_error(exc):
            raise DatabaseProblem(f"{locked_message(path, exc)}.") from None
        if "Permission denied" in first:
            raise DatabaseProblem(
                f"{path} cannot be read by the user this dashboard runs as (permission denied). Give that user "
                "read access to the file and its folder; nothing was changed in it."
            ) from None
        if not _has_duckdb_header(path):
            raise DatabaseProblem(
                f"{path} is not a DuckDB database: it holds something else ({first}). Point REVIEWS_DB at a "
                f"database file, or {build}."
            ) from None
        if STORAGE_VERSION in first:
            raise DatabaseProblem(
                f"{path} was written by another DuckDB version than this dashboard's {duckdb.__version__} "
                f"({first.removeprefix('IO Error: ')}). Rebuild it with this version: {build}; or export it with "
                "the version that wrote it (`python -m ingest export-parquet`) and point REVIEWS_DB at that folder. "
                "Nothing was changed in it."
            ) from None
        if any(sign in first for sign in DAMAGED):
            raise DatabaseProblem(
                f"{path} is damaged: it is not a whole DuckDB database ({first}). Move it away (keep it if it holds "
                f"data you cannot load again), then {build}."
            ) from None
        raise DatabaseProblem(f"{path} cannot be opened ({first}). Nothing was changed in it.") from None
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall()}
        missing = [t for t in REQUIRED if t not in tables]
        version = None
        if "schema_info" in tables:
            rows = con.execute("SELECT value FROM schema_info WHERE key = 'schema_version'").fetchall()
            version = rows[0][0] if rows else None
    finally:
        con.close()
    if not missing and version is not None and version.isdigit() and int(version) > int(SCHEMA_VERSION):
        raise DatabaseProblem(
            f"{path} has schema version {version}, made by a newer version of this app (this one reads version "
            f"{SCHEMA_VERSION}). Open it with that newer version; this one leaves it untouched."
        )
    if missing or version != SCHEMA_VERSION:
        older = version is not None and version.isdigit()  # an older version's file lacks the newer tables
        what = (f"lacks table(s) {', '.join(missing)}" if missing and not older
                else f"has schema version {version}, this app needs {SCHEMA_VERSION}")
        raise DatabaseProblem(
            f"{path} {what}: it was made by another program or an older version. "
            f"Open it once with `python -m ingest upgrade --db {path}` to bring it up to date, or rebuild it: "
            f"{build}."
        )


def written_by_another_duckdb(path: Path) -> bool:
    """True when the database file at `path` is in a storage format this DuckDB cannot read."""
    try:
        open_file_read_only(path).close()
    except duckdb.Error as exc:
        return STORAGE_VERSION in str(exc)
    return False


def _has_duckdb_header(path: Path) -> bool:
    """True when the file starts as every DuckDB database file does (the magic bytes at offset 8)."""
    try:
        with path.open("rb") as f:
            return f.read(12)[8:12] == b"DUCK"
    except OSError:  # a folder, or a file that cannot be read
        return False
