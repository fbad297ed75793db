"""A Parquet folder (hive-partitioned reviews) as the data source: same derived objects, same query
results as the DuckDB file, and every page of the app opens on it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from bench.record import record_pages
from ingest.parquet_source import export_parquet, is_parquet_source, open_parquet_source, source_url
from ingest.store import DERIVED
from tests.sources import STATES, in_order


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> tuple[Path, Path]:
    """The small dataset as a DuckDB file and as a Parquet folder exported from it."""
    from tests.conftest import build_small_db

    base = tmp_path_factory.mktemp("parquet")
    db = build_small_db(base / "small.duckdb")
    con = duckdb.connect(str(db), read_only=True)
    export_parquet(con, base / "folder")
    con.close()
    return db, base / "folder"


@pytest.fixture(scope="module")
def recorded(sources) -> list:
    """Every page's first-open queries, recorded by opening the app on the Parquet folder."""
    _, folder = sources
    return record_pages(folder, {}, STATES, timeout=60)


def test_export_writes_a_hive_partitioned_folder(sources):
    _, folder = sources
    for table in ("films", "people", "credits", "reviewers"):
        assert (folder / f"{table}.parquet").is_file()
    years = sorted(p.name for p in (folder / "reviews").iterdir())
    assert years and all(y.startswith("review_year=") for y in years)
    assert is_parquet_source(folder)
    assert not is_parquet_source(sources[0])
    assert is_parquet_source("s3://bucket/reviews")


def test_object_store_urls_survive_being_paths():
    # REVIEWS_DB is read as a Path, which folds "s3://" into "s3:/".
    assert source_url(Path("s3://bucket/reviews/")) == "s3://bucket/reviews"
    assert source_url("gs://bucket/data") == "gs://bucket/data"
    assert source_url(Path("/data/reviews")) == "/data/reviews"
    assert is_parquet_source(Path("s3://bucket/reviews"))


@pytest.mark.parametrize("table", ["reviews", *DERIVED])
def test_views_equal_the_database_tables(sources, table):
    db, folder = sources
    file_con = duckdb.connect(str(db), read_only=True)
    folder_con = open_parquet_source(folder)
    try:
        want = in_order(file_con.execute(f"SELECT * FROM {table}").df())
        got = in_order(folder_con.execute(f"SELECT * FROM {table}").df())
    finally:
        file_con.close()
        folder_con.close()
    assert len(want) > 0
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_every_page_opens_on_the_folder(recorded):
    for record in recorded:
        assert record.error is None, f"{record.title}: {record.error}"
    titles = {r.title for r in recorded}
    assert {"Overview", "Reviews", "Films (film view)"} <= titles
    assert all(r.calls for r in recorded if r.page.title != "Data")
    # The states open the views themselves, not the page's list.
    named = {r.title: {c.name for c in r.calls} for r in recorded}
    assert "film_summary" in named["Films (film view)"]
    assert "reviewer_profile" in named["Reviewers (reviewer view)"]


def test_current_ratings_and_site_figures_travel_to_the_folder(tmp_path):
    """A member's listed ratings and other sites' figures are written and read back, so the counted
    ratings and the film view's labelled figures are the same from the folder."""
    from ingest.load import load_paths
    from ingest.location import open_for_loading

    fixtures = Path(__file__).parent / "fixtures"
    db = tmp_path / "member.duckdb"
    con = open_for_loading(db)
    load_paths(con, [fixtures / "letterboxd_export" / "letterboxd-quietfox-2023-07-20-09-15-utc"])
    load_paths(con, [fixtures / "letterboxd_pages"])
    export_parquet(con, tmp_path / "folder")
    tables = ("ratings", "current_ratings", "site_ratings", "site_rating_counts", "films", "people")
    want = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
    con.close()
    folder = open_parquet_source(tmp_path / "folder")
    try:
        for table in tables:
            assert folder.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() == want[table], table
    finally:
        folder.close()


def test_a_folder_written_before_schema_seven_still_opens(sources, tmp_path):
    """No current ratings or site files, and films/people without the new columns: empty tables and
    NULL columns stand in, so every page still works."""
    import shutil

    _, folder = sources
    old = tmp_path / "old"
    shutil.copytree(folder, old)
    for name in ("current_ratings", "site_ratings", "site_rating_counts"):
        (old / f"{name}.parquet").unlink()
    with duckdb.connect() as con:
        for table, columns in (("films", "film_id, title, year, synopsis, runtime_minutes"), ("people", "person_id, name")):
            con.execute(f"COPY (SELECT {columns} FROM read_parquet('{folder}/{table}.parquet')) TO '{old}/{table}.parquet'")
    opened = open_parquet_source(old)
    try:
        assert opened.execute("SELECT count(*) FROM current_ratings").fetchall() == [(0,)]
        assert opened.execute("SELECT count(imdb_id), count(*) FROM films").fetchall() == [(0, 7)]
        assert opened.execute("SELECT count(*) FROM ratings").fetchall()[0][0] > 0
    finally:
        opened.close()


def _definitions(con) -> str:
    return " ".join(r[0] for r in con.execute("SELECT sql FROM duckdb_views() WHERE NOT internal").fetchall())


def test_the_exported_derived_tables_are_read_not_recounted(sources):
    _, folder = sources
    assert {p.stem for p in (folder / "derived").iterdir()} >= {*DERIVED, "_source_counts"}
    con = open_parquet_source(folder)
    try:
        # The per-review tables are views over their exported, reviewer- and film-sorted files.
        assert "derived/reviews_by_reviewer.parquet" in _definitions(con)
        assert "derived/ratings.parquet" in _definitions(con)
    finally:
        con.close()


def test_a_folder_changed_after_its_export_is_recounted(sources, tmp_path):
    import shutil

    db, exported = sources
    folder = tmp_path / "folder"
    shutil.copytree(exported, folder)
    extra = folder / "reviews" / "review_year=2024"
    extra.mkdir(exist_ok=True)
    con = duckdb.connect(str(db), read_only=True)
    film, reviewer = con.execute("SELECT film_id, reviewer_id FROM reviews LIMIT 1").fetchone()
    con.close()
    duckdb.connect().execute(
        f"COPY (SELECT 'added-by-hand' AS review_id, '{film}' AS film_id, '{reviewer}' AS reviewer_id, "
        f"4.5::DECIMAL(2,1) AS rating, NULL::VARCHAR AS review_text, DATE '2024-05-01' AS review_date, 0 AS likes, "
        f"false AS rewatch, 'hand' AS source) TO '{extra / 'hand.parquet'}' (FORMAT parquet)"
    )
    changed = open_parquet_source(folder)
    try:
        assert "derived/ratings.parquet" not in _definitions(changed)
        assert changed.execute("SELECT count(*) FROM reviews").fetchone()[0] == changed.execute(
            "SELECT sum(reviews) FROM film_review_totals"
        ).fetchone()[0]
        assert changed.execute("SELECT reviews FROM film_review_totals WHERE film_id = $f", {"f": film}).fetchone()[0] == (
            duckdb.connect(str(db), read_only=True).execute(
                "SELECT reviews FROM film_review_totals WHERE film_id = $f", {"f": film}
            ).fetchone()[0] + 1
        )
    finally:
        changed.close()


def test_a_folder_exported_without_derived_tables_still_opens(sources, tmp_path):
    import shutil

    db, exported = sources
    folder = tmp_path / "folder"
    shutil.copytree(exported, folder)
    shutil.rmtree(folder / "derived")
    file_con = duckdb.connect(str(db), read_only=True)
    folder_con = open_parquet_source(folder)
    try:
        for table in DERIVED:
            want = in_order(file_con.execute(f"SELECT * FROM {table}").df())
            got = in_order(folder_con.execute(f"SELECT * FROM {table}").df())
            pd.testing.assert_frame_equal(got, want, check_dtype=False, obj=table)
    finally:
        file_con.close()
        folder_con.close()
