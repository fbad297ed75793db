"""Every page's queries give the same rows on every kind of source: the DuckDB file, a Parquet
folder, a Parquet folder and a DuckDB file in an S3 bucket (moto's server), and a DuckLake with
its catalog in PostgreSQL and its files in that bucket (both real servers, started here)."""

from __future__ import annotations

import duckdb
import pytest

from bench.record import record_pages
from ingest.lake_writes import replace_with
from ingest.parquet_source import export_parquet
from tests.connect import connect_queries
from tests.servers import environment, postgres_server, s3_server
from tests.sources import STATES, VARIANTS, assert_same_rows

KINDS = ["parquet folder", "parquet on s3", "file on s3", "ducklake"]


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """The small dataset in each kind of source, by kind; the settings that reach the servers
    are in the environment meanwhile."""
    from tests.conftest import build_small_db

    base = tmp_path_factory.mktemp("sources")
    db = build_small_db(base / "small.duckdb")
    con = duckdb.connect(str(db), read_only=True)
    export_parquet(con, base / "folder")
    con.close()
    with s3_server() as s3, postgres_server() as pg, environment({**s3.environ, "REVIEWS_LAKE_DATA": "s3://lake/files/"}):
        pg.create_database("lake")
        s3.client().create_bucket(Bucket="lake")
        lake = f"ducklake:postgres:{pg.dsn('lake')}"
        replace_with(lake, db)
        yield {
            "file": db,
            "parquet folder": base / "folder",
            "parquet on s3": s3.upload(base / "folder", "reviews", "folder"),
            "file on s3": s3.upload(db, "reviews", "small.duckdb"),
            "ducklake": lake,
        }


@pytest.fixture(scope="module")
def calls(sources) -> list:
    """Every query call of every page's first open (and the film and reviewer views), on the file."""
    recorded = record_pages(sources["file"], {}, STATES, timeout=60)
    found = {c.key(): c for r in recorded for c in r.calls}
    assert {c.name for c in found.values()} >= {"overview_metrics", "rating_histogram", "review_rows", "film_list"}
    return list(found.values())


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("kind", KINDS)
def test_page_queries_give_the_same_rows_on_every_source(sources, calls, kind, variant):
    want = connect_queries(sources["file"])
    got = connect_queries(sources[kind])
    try:
        assert_same_rows(want, got, calls, variant)
    finally:
        want.close()
        got.close()
