"""Opening a test database as the app's queries see it."""

from __future__ import annotations

from pathlib import Path

import duckdb

import queries
from ingest.location import open_reader


def connect_queries(location: Path | str) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a DuckDB file or Parquet folder with the query macros defined."""
    return queries.install_macros(open_reader(location))
