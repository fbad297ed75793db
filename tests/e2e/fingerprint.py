"""A fingerprint of everything stored in a database, to prove a test changed nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb


def fingerprint(db: Path) -> dict[str, tuple[int, int]]:
    """Table name → (row count, order-independent checksum of its rows), for every table."""
    con = duckdb.connect(str(db), read_only=True)
    try:
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
    finally:
        con.close()
