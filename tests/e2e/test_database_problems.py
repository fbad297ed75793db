"""In the browser: a damaged database file gives the message that says how to fix it, on every page."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import assert_no_exception, open_app, screenshot
from tests.e2e.server import StreamlitServer


@pytest.fixture
def server_on_corrupt_file(tmp_path):
    """The app served against a file of random bytes where the database should be."""
    damaged = tmp_path / "reviews.duckdb"
    damaged.write_bytes(os.urandom(64 * 1024))
    with StreamlitServer(damaged, tmp_path / "streamlit.log") as running:
        yield running, damaged


def test_a_corrupt_database_is_explained_not_a_traceback(page, server_on_corrupt_file):
    server, damaged = server_on_corrupt_file
    for path in ("", "films?film=rewatch-film", "reviews?director=dir-a"):
        open_app(page, f"{server.url}/{path}")
        alert = page.get_by_test_id("stAlertContentError")
        expect(alert).to_contain_text("is not a DuckDB database")
        expect(alert).to_contain_text(str(damaged))
        expect(alert).to_contain_text("python -m ingest demo")
        assert_no_exception(page)
        expect(page.get_by_test_id("stMetricValue")).to_have_count(0)
    screenshot(page, "database-corrupt")
    assert "Traceback" not in server.log_text()
