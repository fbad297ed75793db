"""Opening the data: the one place that knows what a location is and how to open it.

A location is a DuckDB file or a folder (or object-store prefix) of Parquet files written by
`python -m ingest export-parquet` (see `ingest.parquet_source`); which of the two is decided once,
when a `Source` is made. Readers get a read-only connection with the data as its current database;
a load gets a writer that creates the schema in a new file (`open_for_loading`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.parquet_source import is_parquet_source, open_parquet_source
from ingest.store import create_schema

# The name a database file is attached under when it is opened for reading.
READ_AS = "reviews"


@dataclass(frozen=True)
class Source:
    """Where the data lives, and whether it is a Parquet folder (read-only) or a DuckDB file."""

    path: Path
    parquet: bool

    @classmethod
    def of(cls, location: Path | str) -> Source:
        """The source at `location`, its kind looked up now."""
        return cls(Path(location), is_parquet_source(location))

    @property
    def writable(self) -> bool:
        """True for a DuckDB file, which loads can write a new version of."""
        return not self.parquet

    def open_reader(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection with this data as its current database."""
        return open_parquet_source(self.path) if self.parquet else open_file_read_only(self.path)


def open_reader(location: Path | str) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the DuckDB file or Parquet folder at `location`."""
    return Source.of(location).open_reader()


def open_file_read_only(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the database file now at `path`, as the current database.

    Not `duckdb.connect(path)`: that hands back the database this process already has open for
    the path, which after a new version was renamed into place (`ingest.versions`) is the old one.
    A file attached to a connection of its own is always the one at `path` now. A cursor of the
    connection starts elsewhere: `use_data` points it here.
    """
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH $path AS {READ_AS} (TYPE duckdb, READ_ONLY)", {"path": str(path)})
        con.execute(f"USE {READ_AS}")
    except BaseException:
        con.close()
        raise
    return con


def use_data(cur: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Point a new cursor of an `open_reader` connection at the data, as the connection is."""
    # A cursor starts in the connection's first database, not the one `USE` chose for it.
    attached = cur.execute(
        "SELECT count(*) FROM duckdb_databases() WHERE database_name = $name", {"name": READ_AS}
    ).fetchall()[0][0]
    if attached:
        cur.execute(f"USE {READ_AS}")
    return cur


def open_for_loading(path: Path | str, upgrade: bool = False) -> duckdb.DuckDBPyConnection:
    """A writer connection to the DuckDB file at `path`, its schema created if the file is new.

    Refuses a file made by an older version unless `upgrade` is set (`ingest upgrade`), so a load
    never rewrites a file as a side effect: a refused load leaves it exactly as it was.
    """
    con = duckdb.connect(str(path))
    try:
        create_schema(con, Path(path), upgrade)
    except BaseException:
        con.close()
        raise
    return con
