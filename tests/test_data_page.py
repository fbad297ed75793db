"""The Data page through AppTest: upload, preview, confirm, result; refused files change nothing."""

from __future__ import annotations

import io
import zipfile

import duckdb
import pytest

from tests.conftest import ROOT, snapshot
from tests.data_page import NEW_FILMS, NEW_REVIEWS, open_data_page, text


def test_upload_preview_confirm_and_result(app_db):
    at = open_data_page()
    tables = at.dataframe[0].value
    assert dict(zip(tables.table_name, tables.rows, strict=True))["reviews"] == 16
    at.get("file_uploader")[0].set_value(
        [("films.csv", NEW_FILMS, "text/csv"), ("reviews.csv", NEW_REVIEWS, "text/csv")]
    ).run()
    assert not at.exception, at.exception
    assert "Format: **canonical**" in text(at)
    before = snapshot(app_db)
    confirm = at.button(key="data_confirm")
    confirm.click().run()
    assert not at.exception, at.exception
    result = text(at)
    assert "films: 1 row read, 1 new, 0 updated" in result
    assert "reviews: 2 rows read, 2 new, 0 updated" in result
    after = snapshot(app_db)
    assert len(after["reviews"]) == len(before["reviews"]) + 2
    # The pages see the new data at once.
    at.switch_page(str(ROOT / "pages/overview.py")).run()
    assert {m.label: m.value for m in at.metric}["Reviews"] == "18"


def test_a_refused_upload_shows_the_problem_and_offers_no_load(app_db):
    at = open_data_page()
    before = snapshot(app_db)
    bad = b"review_id,film_id,reviewer_id,rating\nz9,new-film,ana,7\n"
    at.get("file_uploader")[0].set_value(("reviews.csv", bad, "text/csv")).run()
    assert not at.exception, at.exception
    shown = text(at)
    assert "rating '7' is not a half-star rating from 0.5 to 5" in shown
    assert "film_id 'new-film' is not in films" in shown
    assert not [b for b in at.button if b.key == "data_confirm"]
    assert snapshot(app_db) == before


def test_a_broken_zip_is_refused(app_db):
    at = open_data_page()
    before = snapshot(app_db)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("reviews.csv", "review_id,film_id,reviewer_id\n" * 50)
    broken = buffer.getvalue()[: len(buffer.getvalue()) // 2]
    at.get("file_uploader")[0].set_value(("export.zip", broken, "application/zip")).run()
    assert not at.exception, at.exception
    assert "zip" in text(at).lower()
    assert snapshot(app_db) == before


def test_database_stays_read_only_for_browsing(app_db):
    open_data_page()
    from ui.db import database

    before = snapshot(app_db)
    with database().cursor() as cur:
        for statement in ("DELETE FROM reviews", "DROP TABLE films", "INSERT INTO reviewers VALUES ('x', 'X')"):
            with pytest.raises(duckdb.Error, match="read-only"):
                cur.execute(statement)
    assert snapshot(app_db) == before


def test_cursors_are_reused_one_query_at_a_time_and_renewed_after_a_write(app_db):
    import queries
    from queries.filters import Filters
    from ui.db import database

    open_data_page()
    db = database()
    with db.cursor() as first:
        queries.frame(first, "overview_metrics", **Filters().params())
    with db.cursor() as again, db.cursor() as beside:
        assert again is first
        assert beside is not first
    db.write(lambda con: None)
    with db.cursor() as after:
        assert after is not first and after is not beside
        assert queries.frame(after, "overview_metrics", **Filters().params()).films.iloc[0] > 0
