"""Data kept as Parquet files instead of one DuckDB file, for data larger than one file.

A Parquet source is a folder (or an object-store prefix DuckDB can read, such as `s3://bucket/reviews`)
holding `films.parquet`, `people.parquet`, `credits.parquet`, `reviewers.parquet` and a `reviews/`
folder hive-partitioned by review year (`reviews/review_year=2019/*.parquet`), and the derived
tables in `derived/`. The app opens an in-memory DuckDB with views over these files and the summary
tables read from `derived/` (or computed, for a folder without them or changed since), so every
query runs unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from ingest import object_store
from ingest.errors import DatabaseProblem
from ingest.sql_text import literal
from ingest.store import SCHEMA_VERSION, derived_selects
from ingest.tables import TABLES

SMALL_TABLES = ("films", "people", "credits", "reviewers", "current_ratings", "site_ratings", "site_rating_counts")
# Tables added in schema version 7: a folder written before them has no such file.
LATER_TABLES = ("current_ratings", "site_ratings", "site_rating_counts")
SCHEMA_SQL = Path(__file__).parent / "schema.sql"


# `Path("s3://bucket/x")` reads back as "s3:/bucket/x"; the URL's double slash is put back.
_COLLAPSED_URL = re.compile(r"^([a-z][a-z0-9+.-]+):/(?!/)")


def source_url(location: Path | str) -> str:
    """The location as DuckDB should read it: an object-store URL keeps its `scheme://`."""
    return _COLLAPSED_URL.sub(r"\1://", str(location)).rstrip("/")


def is_parquet_source(location: Path | str) -> bool:
    """True when `location` is a folder or object-store prefix rather than a DuckDB file."""
    text = source_url(location)
    if "://" in text:
        return True
    path = Path(text)
    return path.is_dir() and (path / "reviews").exists()


def open_parquet_source(location: Path | str) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the canonical tables as views over the Parquet files.

    In object storage (`s3://…`, `gs://…`) DuckDB's httpfs extension reads the files, reached
    as `ingest.object_store` describes; a failure to read them is said in the app's own words.
    """
    base = source_url(location)
    if object_store.scheme(base) in object_store.WEB:
        raise DatabaseProblem(
            f"{base} cannot be read: a Parquet folder needs a bucket (s3:// or gs://), since a web server "
            "cannot list its files. Copy the folder to a bucket, or serve a DuckDB file instead."
        )
    con = duckdb.connect()
    try:
        if object_store.is_remote(base):
            object_store.configure(con, base)
        _define(con, base)
    except duckdb.Error as exc:
        if not object_store.is_remote(base):
            con.close()
            raise
        problem = object_store.explain(base, exc, con)
        con.close()
        raise problem from None
    except BaseException:
        con.close()
        raise
    return con


def _define(con: duckdb.DuckDBPyConnection, base: str) -> None:
    """The views and summary tables of the Parquet source at `base`, in `con`."""
    # The schema's empty tables stand in for files a folder written by an older version lacks, and
    # give every view the schema's columns (added columns are NULL in older files).
    con.execute("CREATE SCHEMA empty")
    con.execute("USE empty")
    con.execute(SCHEMA_SQL.read_text())
    con.execute("USE memory.main")
    for table in SMALL_TABLES:
        try:
            con.execute(
                f"CREATE VIEW {table} AS SELECT * FROM empty.{table} "
                f"UNION ALL BY NAME SELECT * FROM read_parquet({literal(f'{base}/{table}.parquet')})"
            )
        except duckdb.IOException:
            if table not in LATER_TABLES:
                raise
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM empty.{table}")
    columns = ", ".join(TABLES["reviews"].column_names)
    con.execute(
        f"CREATE VIEW reviews AS SELECT {columns} FROM read_parquet({literal(f'{base}/reviews/**/*.parquet')}, hive_partitioning = true)"
    )
    if _exported_derived_match(con, base):
        _read_derived(con, base)
    else:
        _derive(con)
    con.execute("CREATE TABLE schema_info AS SELECT 'schema_version' AS key, $v AS value", {"v": SCHEMA_VERSION})


# Derived tables too large to hold in memory at ten million reviews: views, computed when queried
# (or read from their exported files).
LARGE_DERIVED = ("ratings", "reviews_by_reviewer")
# Where `export_parquet` writes the derived tables, and the row counts of the data they were made from.
DERIVED_FOLDER = "derived"
COUNTS = "_source_counts"


def _exported_derived_match(con: duckdb.DuckDBPyConnection, base: str) -> bool:
    """True when the folder holds the derived tables `export_parquet` wrote beside the data, and
    the data still has the row counts it had then (a folder changed by hand is recounted)."""
    found = {
        Path(r[0]).stem
        for r in con.execute(f"SELECT file FROM glob({literal(f'{base}/{DERIVED_FOLDER}/*.parquet')})").fetchall()
    }
    if not {*derived_selects(), COUNTS} <= found:
        return False
    written = dict(con.execute(f"SELECT name, n FROM read_parquet({literal(_derived_file(base, COUNTS))})").fetchall())
    return written == _row_counts(con)


def _read_derived(con: duckdb.DuckDBPyConnection, base: str) -> None:
    """The derived tables from their exported files: the summaries into memory (small, read by
    every page), the per-review ones as views over files sorted for their filters."""
    for name in derived_selects():
        kind = "VIEW" if name in LARGE_DERIVED else "TABLE"
        con.execute(f"CREATE {kind} {name} AS SELECT * FROM read_parquet({literal(_derived_file(base, name))})")


def _row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in (*SMALL_TABLES, "reviews")}


def _derived_file(base: str | Path, name: str) -> str:
    return f"{base}/{DERIVED_FOLDER}/{name}.parquet"


def _derive(con: duckdb.DuckDBPyConnection) -> None:
    """The derived tables of a DuckDB file, from the same SELECTs (ingest/derived/).

    The summaries are computed once, on opening, into the in-memory catalog: as views, every page
    would recount the reviews (seconds per page at ten million). `ratings` (the latest rating of
    each reviewer and film) is held in a temporary table while they are computed, since most of
    them read it, then becomes a view like the reviewer-sorted copy of every review (a temporary
    view over that table meanwhile, as the per-reviewer totals read it).
    """
    selects = derived_selects()
    con.execute(f"CREATE TEMP TABLE ratings AS {selects['ratings']}")
    con.execute(f"CREATE TEMP VIEW reviews_by_reviewer AS {selects['reviews_by_reviewer']}")
    for name, select in selects.items():
        if name not in LARGE_DERIVED:
            con.execute(f"CREATE TABLE {name} AS {select}")
    con.execute("DROP VIEW temp.reviews_by_reviewer")
    con.execute("DROP TABLE temp.ratings")
    for name in LARGE_DERIVED:
        con.execute(f"CREATE VIEW {name} AS {selects[name]}")


def export_parquet(con: duckdb.DuckDBPyConnection, target: Path) -> None:
    """Write a database's canonical tables as a Parquet source folder at `target`, and its derived
    tables beside them (`derived/`) with the row counts they were made from, so that opening the
    folder reads them instead of recounting every review."""
    target.mkdir(parents=True, exist_ok=True)
    for table in SMALL_TABLES:
        con.execute(f"COPY {table} TO {literal(target / f'{table}.parquet')} (FORMAT parquet)").fetchall()
    con.execute(
        f"COPY (SELECT *, year(review_date) AS review_year FROM reviews) TO {literal(target / 'reviews')} "
        "(FORMAT parquet, PARTITION_BY (review_year), OVERWRITE_OR_IGNORE)"
    ).fetchall()
    (target / DERIVED_FOLDER).mkdir(exist_ok=True)
    # In the order the database keeps them (sorted by film or reviewer), so a filter reads few row groups.
    for name in derived_selects():
        con.execute(f"COPY {name} TO {literal(_derived_file(target, name))} (FORMAT parquet)").fetchall()
    counts = _row_counts(con)
    con.execute(
        f"COPY (SELECT unnest($names) AS name, unnest($counts) AS n) TO {literal(_derived_file(target, COUNTS))} (FORMAT parquet)",
        {"names": list(counts), "counts": list(counts.values())},
    ).fetchall()

