"""Opening the data: the one place that knows what a location is and how to open it.

A location is a DuckDB file, a folder (or object-store prefix) of Parquet files written by
`python -m ingest export-parquet` (see `ingest.parquet_source`), a DuckDB file in object storage
(see `ingest.object_store`), a DuckLake (`ingest.lake`) or a MotherDuck database (`md:NAME`);
which is decided once, when a `Source` is made. Readers get a read-only connection with the data as its current database;
a load gets a writer that creates the schema in a new file (`open_for_loading`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest import extensions
from ingest.errors import DatabaseProblem
from ingest.lake import attach, is_lake
from ingest.object_store import configure, explain, is_remote, is_remote_file
from ingest.parquet_source import is_parquet_source, open_parquet_source, source_url
from ingest.sql_text import literal
from ingest.store import SCHEMA_VERSION, create_schema

# The name a database file is attached under when it is opened for reading.
READ_AS = "reviews"
# A MotherDuck database's address starts so (`md:reviews`).
MOTHERDUCK_PREFIX = "md:"


@dataclass(frozen=True)
class Source:
    """Where the data lives and what it is: a DuckDB file here (the only kind a load can write),
    a Parquet folder (here or in object storage), or a DuckDB file in object storage."""

    path: Path
    kind: str

    FILE = "file"
    PARQUET = "parquet"
    REMOTE_FILE = "remote file"
    LAKE = "lake"
    MOTHERDUCK = "motherduck"

    @classmethod
    def of(cls, location: Path | str) -> Source:
        """The source at `location`, its kind looked up now."""
        if is_lake(location):
            return cls(Path(location), cls.LAKE)
        if str(location).startswith(MOTHERDUCK_PREFIX):
            return cls(Path(location), cls.MOTHERDUCK)
        url = source_url(location)
        if is_remote_file(url):
            return cls(Path(location), cls.REMOTE_FILE)
        return cls(Path(location), cls.PARQUET if is_parquet_source(url) else cls.FILE)

    @property
    def url(self) -> str:
        """The location as DuckDB reads it (an object-store URL keeps its `scheme://`)."""
        return source_url(self.path)

    @property
    def described(self) -> str:
        """What the data is, in a visitor's words."""
        return {
            self.FILE: "a DuckDB file",
            self.PARQUET: "a folder of Parquet files",
            self.REMOTE_FILE: "a DuckDB file read from object storage",
            self.LAKE: "a DuckLake (load into it with `python -m ingest load … --db` and its address)",
            self.MOTHERDUCK: "a MotherDuck database (load into it from MotherDuck)",
        }[self.kind]

    @property
    def writable(self) -> bool:
        """True for a DuckDB file on this machine, which loads can write a new version of."""
        return self.kind == self.FILE

    def open_reader(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection with this data as its current database."""
        if self.kind == self.PARQUET:
            return open_parquet_source(self.path)
        if self.kind == self.REMOTE_FILE:
            return open_remote_file(self.url)
        if self.kind == self.LAKE:
            return open_lake(str(self.path))
        if self.kind == self.MOTHERDUCK:
            return open_motherduck(str(self.path))
        return open_file_read_only(self.path)


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
        con.execute(f"ATTACH {literal(path)} AS {READ_AS} (TYPE duckdb, READ_ONLY)")
        con.execute(f"USE {READ_AS}")
    except BaseException:
        con.close()
        raise
    return con


def open_remote_file(url: str) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the DuckDB file at `url` in object storage or on a web server.

    DuckDB reads the blocks a query needs with ranged requests and keeps them in its file cache,
    so the summary tables make pages as cheap as from a local file after the first reads.
    """
    return _attached(url, lambda con: (configure(con, url), con.execute(f"ATTACH {literal(url)} AS {READ_AS} (TYPE duckdb, READ_ONLY)")))


def open_lake(location: str) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the DuckLake at `location` (see `ingest.lake`).

    Each query reads the lake's newest snapshot, so a load committed meanwhile is seen at once.
    """
    return _attached(location, lambda con: attach(con, location, READ_AS, read_only=True))


def open_motherduck(location: str, connect: Callable[[], duckdb.DuckDBPyConnection] = duckdb.connect) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the MotherDuck database at `location` (`md:NAME`).

    The access token is MotherDuck's own setting, `MOTHERDUCK_TOKEN`; a read-scaling token is
    enough, as the dashboard only reads. `connect` is replaceable for tests, which cannot reach
    MotherDuck.
    """
    token = os.environ.get("MOTHERDUCK_TOKEN", "")
    if not token:
        raise DatabaseProblem(
            f"{location} cannot be read: set MOTHERDUCK_TOKEN to a MotherDuck access token (a read-scaling "
            "token is enough: the dashboard only reads)."
        )

    def attach_to(con: duckdb.DuckDBPyConnection) -> None:
        extensions.load(con, "motherduck")
        # SET takes no bound parameter; the token is the operator's setting.
        con.execute(f"SET motherduck_token = {literal(token)}")
        con.execute(f"ATTACH {literal(location)} AS {READ_AS} (READ_ONLY)")

    return _attached(location, attach_to, connect)


def _attached(
    where: str, attach_to: Callable[[duckdb.DuckDBPyConnection], object],
    connect: Callable[[], duckdb.DuckDBPyConnection] = duckdb.connect,
) -> duckdb.DuckDBPyConnection:
    """A new connection with the data at `where` attached by `attach_to` as the current database,
    of the schema version this program reads; failures said in the app's own words."""
    con = connect()
    try:
        attach_to(con)
        con.execute(f"USE {READ_AS}")
        version = con.execute("SELECT value FROM schema_info WHERE key = 'schema_version'").fetchall()
    except duckdb.Error as exc:
        problem = explain(where, exc, con if is_remote(where) else None)
        con.close()
        raise problem from None
    except BaseException:
        con.close()
        raise
    if not version or version[0][0] != SCHEMA_VERSION:
        con.close()
        found = version[0][0] if version else "none"
        raise DatabaseProblem(
            f"{where} has schema version {found}; this dashboard reads version {SCHEMA_VERSION}. Run "
            "`python -m ingest upgrade --db FILE` on a local copy and publish it again."
        )
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
