"""Private uploads on a shared dashboard, in two browser sessions: the uploader sees their reviews
beside the shared data, the other visitor's figures and the shared file do not change by a byte,
and nothing is left on disk once the uploader's session has ended."""

from __future__ import annotations

import hashlib
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.conftest import build_small_db
from tests.e2e.browser import (
    TIMEOUT_MS,
    VIEWPORT,
    assert_no_exception,
    metric,
    open_app,
    screenshot,
    wait_for_run,
)
from tests.e2e.server import StreamlitServer
from tests.e2e.uploads import NEW_FILMS, NEW_REVIEWS, send_files

SHOWN = ("Films", "Reviewers", "Reviews", "Ratings", "Average rating")


def figures(page: Page, url: str) -> dict[str, str]:
    """The Overview's headline figures as shown, and the Data page's table counts."""
    open_app(page, url)
    assert_no_exception(page)
    shown = {label: metric(page, label).inner_text() for label in SHOWN}
    open_app(page, f"{url}/data")
    shown["tables"] = page.get_by_test_id("stDataFrame").first.inner_text()
    return shown


def reviews_download(page: Page) -> str:
    """The Reviews page's CSV download, reached from the sidebar (within the session)."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Reviews").click()
    wait_for_run(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    return Path(download.value.path()).read_text(encoding="utf-8-sig")


def load_privately(page: Page, files: list[Path]) -> None:
    """Upload `files` on the Data page and load them into the session's private copy."""
    send_files(page, files)
    page.get_by_role("button", name="Load into my private copy").click()
    wait_for_run(page)
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("reviews: 2 rows read, 2 new")


def session(browser: Browser) -> Page:
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def test_a_private_upload_is_seen_by_its_session_only_and_goes_with_it(browser, tmp_path, monkeypatch):
    db = build_small_db(tmp_path / "shared.duckdb")
    shared_bytes = hashlib.sha256(db.read_bytes()).hexdigest()
    monkeypatch.setenv("REVIEWS_UPLOADS", "private")
    # Streamlit ends a closed tab's session after this many seconds (120 by default).
    options = {"server.disconnectedSessionTTL": "2"}
    with StreamlitServer(db, tmp_path / "streamlit.log", options) as server:
        copies = Path(tempfile.gettempdir()) / "film-review-sessions" / str(server.process.pid)
        other, mine = session(browser), session(browser)
        before = figures(other, server.url)

        open_app(mine, f"{server.url}/data")
        expect(mine.get_by_test_id("stMain")).to_contain_text("private copy")
        (tmp_path / "films.csv").write_text(NEW_FILMS)
        (tmp_path / "reviews.csv").write_text(NEW_REVIEWS)
        load_privately(mine, [tmp_path / "films.csv", tmp_path / "reviews.csv"])
        assert_no_exception(mine)
        assert len(list(copies.iterdir())) == 1

        # Within the session (a reload of the tab would start a new one, without the copy).
        mine.get_by_test_id("stSidebarNav").get_by_role("link", name="Overview").click()
        wait_for_run(mine)
        expect(metric(mine, "Reviews")).to_have_text(str(int(before["Reviews"]) + 2))
        expect(mine.get_by_test_id("stSidebar")).to_contain_text("You are seeing your private upload")
        screenshot(mine, "private-upload-overview")

        # Downloads are made after the run that drew the button: from the same session's data.
        assert "Seen after the upload" in reviews_download(mine)

        assert figures(other, server.url) == before
        expect(other.get_by_test_id("stSidebar")).not_to_contain_text("private upload")
        assert "Seen after the upload" not in reviews_download(other)
        assert hashlib.sha256(db.read_bytes()).hexdigest() == shared_bytes

        # Deleting the copy by hand: the shared data again; then the same files loaded once more.
        mine.get_by_test_id("stSidebarNav").get_by_role("link", name="Data").click()
        wait_for_run(mine)
        mine.get_by_role("button", name="Delete my private data").click()
        wait_for_run(mine)
        assert_no_exception(mine)
        assert not any(copies.iterdir())
        expect(mine.get_by_test_id("stSidebar")).not_to_contain_text("private upload")
        expect(mine.get_by_test_id("stMain")).not_to_contain_text("Result")
        load_privately(mine, [tmp_path / "films.csv", tmp_path / "reviews.csv"])
        assert len(list(copies.iterdir())) == 1

        mine.context.close()
        deadline = time.monotonic() + 30
        while any(copies.iterdir()) and time.monotonic() < deadline:
            # Streamlit forgets an ended session when its session store is next used: another
            # visitor coming or going, as here.
            assert figures(other, server.url) == before
            time.sleep(1)
        assert not any(copies.iterdir()), "the ended session's private copy is still on disk"
        other.context.close()
        assert "Traceback" not in server.log_text()
