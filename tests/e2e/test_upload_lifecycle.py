"""An upload's files live as long as its browser session: a tab closed after the preview leaves
nothing behind on the server. And the tables offer no export of their own (the app's download
buttons neutralise formulas; the tables' own would not)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from playwright.sync_api import expect

from tests.conftest import build_small_db
from tests.e2e.browser import TIMEOUT_MS, VIEWPORT, assert_no_exception, open_app, screenshot
from tests.e2e.server import StreamlitServer
from tests.e2e.uploads import NEW_FILMS, NEW_REVIEWS, send_files


def test_a_closed_tab_takes_its_upload_with_it(browser, tmp_path, monkeypatch):
    db = build_small_db(tmp_path / "writable.duckdb")
    # Streamlit drops a closed tab's session only lazily; the page sweeps uploads unused this long.
    monkeypatch.setenv("REVIEWS_UPLOAD_TTL_S", "8")
    with StreamlitServer(db, tmp_path / "streamlit.log") as server:
        uploads = Path(tempfile.gettempdir()) / "film-review-uploads" / str(server.process.pid)
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        open_app(page, f"{server.url}/data")
        (tmp_path / "films.csv").write_text(NEW_FILMS)
        (tmp_path / "reviews.csv").write_text(NEW_REVIEWS)
        send_files(page, [tmp_path / "films.csv", tmp_path / "reviews.csv"])
        expect(page.get_by_test_id("stMain")).to_contain_text("Format: canonical")
        assert_no_exception(page)
        assert any(p.name.startswith("upload-") for p in uploads.iterdir()), "the preview keeps the files to load"

        # The tables' toolbar: search and full screen, but no CSV export of cells as they are.
        table = page.get_by_test_id("stDataFrame").first
        table.hover()
        expect(page.get_by_test_id("stElementToolbar").first).to_be_visible()
        screenshot(page, "data-table-toolbar")
        assert page.get_by_role("button", name="Download as CSV").count() == 0

        context.close()
        time.sleep(9)
        other = browser.new_context(viewport=VIEWPORT)
        open_app(other.new_page(), f"{server.url}/data")
        other.close()
        assert not any(uploads.iterdir()), "the closed session's upload is still on disk"
