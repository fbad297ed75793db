"""DuckLake: the data as Parquet files in object storage, with its catalog in PostgreSQL.

For a club or a site with several writers and many readers. `REVIEWS_DB` (or `--db`) is
`ducklake:postgres:dbname=reviews host=… user=…` (any DuckLake catalog DuckDB can attach works:
`ducklake:/path/catalog.ducklake` for one machine). A new lake also needs `REVIEWS_LAKE_DATA`,
where its Parquet files go (`s3://bucket/lake/`); the catalog remembers it after that. The
object store is reached with the settings of `ingest.object_store`; the PostgreSQL password, when
one is needed, comes from libpq's own `PGPASSWORD` or `~/.pgpass`.

Loads are written by `ingest.lake_writes`.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from ingest import extensions, object_store
from ingest.errors import DatabaseProblem
from ingest.sql_text import literal

PREFIX = "ducklake:"


def is_lake(location: Path | str) -> bool:
    """True when `location` names a DuckLake catalog."""
    return str(location).startswith(PREFIX)


def attach(con: duckdb.DuckDBPyConnection, location: str, name: str, *, read_only: bool) -> None:
    """Attach the lake at `location` to `con` as `name`, its extensions loaded from packages."""
    try:
        needed = ["ducklake", *(["postgres_scanner"] if location.startswith(f"{PREFIX}postgres:") else [])]
        extensions.load(con, *needed)
        data = os.environ.get("REVIEWS_LAKE_DATA", "")
        if object_store.is_remote(data) or object_store.settings_given():
            object_store.configure(con, data or "s3://")
    except extensions.MissingExtension as exc:
        raise DatabaseProblem(f"{location} cannot be read: {exc}") from None
    options = ["READ_ONLY"] if read_only else []
    if data and not read_only:
        options.append(f"DATA_PATH {literal(data)}")
    listed = f" ({', '.join(options)})" if options else ""
    con.execute(f"ATTACH {literal(location)} AS {name}{listed}")


def snapshot_id(con: duckdb.DuckDBPyConnection, name: str) -> int:
    """The newest snapshot of the lake attached as `name`: it changes with every commit."""
    return con.execute(f"SELECT * FROM {name}.current_snapshot()").fetchall()[0][0]


def tables(con: duckdb.DuckDBPyConnection, database: str) -> list[str]:
    """The tables of `database`'s main schema, by name."""
    return [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = $db AND schema_name = 'main' ORDER BY 1",
            {"db": database},
        ).fetchall()
    ]
