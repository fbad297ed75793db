"""Checks that a database file can be opened by the app, with a message saying how to fix it."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.store import SCHEMA_VERSION
from ingest.tables import TABLES

REQUIRED = (*TABLES, "ratings", "schema_info")


class DatabaseProblem(Exception):
    """The database cannot be used; the message says what is wrong and how to fix it."""


def check_database(path: Path) -> None:
    """Raise DatabaseProblem unless `path` is a readable database of the current schema."""
    build = "build the demo with `python -m ingest demo --db PATH` or load files with `python -m ingest load FILES --db PATH`"
    if not path.exists():
        raise DatabaseProblem(f"No database at {path}. To create it, {build.replace('PATH', str(path))}.")
    if path.stat().st_size == 0:
        raise DatabaseProblem(f"The database file {path} is empty (0 bytes). Delete it, then {build.replace('PATH', str(path))}.")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        raise DatabaseProblem(
            f"{path} is not a readable DuckDB database ({first}). If it is damaged, move it away, then "
            f"{build.replace('PATH', str(path))}."
        ) from None
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
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
            f"{build.replace('PATH', str(path))}."
        )
