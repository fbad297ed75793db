"""A fingerprint of everything stored in a database, to prove a test changed nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb


def fingerprint(db: Path | duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    """Table name → (row count, order-independent checksum of its rows), for every table.

    Takes a database file (opened read-only for the purpose) or an open connection.
    """
    if isinstance(db, duckdb.DuckDBPyConnection):
        return _fingerprint(db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        return _fingerprint(con)
    finally:
        con.close()


def _fingerprint(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY 1"
    ).fetchall()]
    out = {}
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        count, checksum = con.execute(
            f"SELECT count(*), coalesce(sum(hash(t) % 1000000007), 0) FROM {quoted} AS t"
        ).fetchone()
        out[table] = (int(count), int(checksum))
    return out
