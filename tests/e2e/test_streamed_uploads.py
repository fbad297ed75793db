"""Served by `server.py`, the Data page sends uploads to the app's own route, which writes them to
disk as they arrive: the server's memory does not grow with the file, as it does with Streamlit's
uploader (which holds every uploaded file in memory)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import psutil
from playwright.sync_api import expect

from bench.appmem import Sampler
from tests.conftest import build_small_db
from tests.e2e.browser import assert_no_exception, open_app, screenshot, wait_for_run
from tests.e2e.server import StreamlitServer
from tests.e2e.uploads import NEW_FILMS, NEW_REVIEWS, send_files


def test_files_are_streamed_previewed_loaded_and_removed(page, tmp_path):
    db = build_small_db(tmp_path / "writable.duckdb")
    (tmp_path / "films.csv").write_text(NEW_FILMS)
    (tmp_path / "reviews.csv").write_text(NEW_REVIEWS)
    with StreamlitServer(db, tmp_path / "streamlit.log", script="server.py") as server:
        uploads = Path(tempfile.gettempdir()) / "film-review-uploads" / str(server.process.pid)
        open_app(page, f"{server.url}/data")
        expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
        send_files(page, [tmp_path / "films.csv", tmp_path / "reviews.csv"])
        main = page.get_by_test_id("stMain")
        expect(main).to_contain_text("Format: canonical")
        expect(page.locator(".picker .status")).to_have_text("Sent: 2 files, 198 bytes.")
        assert_no_exception(page)
        screenshot(page, "streamed-upload-preview")
        assert sorted(p.name.split("-")[0] for p in uploads.iterdir()) == ["inbox", "upload"]

        page.get_by_role("button", name="Load into the database").click()
        wait_for_run(page)
        expect(main).to_contain_text("Result")
        assert_no_exception(page)
        screenshot(page, "streamed-upload-loaded")
        assert [p.name.split("-")[0] for p in uploads.iterdir()] == ["inbox"], "the loaded files are removed"
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM reviews WHERE film_id = 'upload-film'").fetchone()[0] == 2
    con.close()


def test_a_file_of_a_type_not_taken_is_refused_in_the_browser(page, tmp_path):
    db = build_small_db(tmp_path / "writable.duckdb")
    (tmp_path / "notes.exe").write_bytes(b"MZ")
    with StreamlitServer(db, tmp_path / "streamlit.log", script="server.py") as server:
        open_app(page, f"{server.url}/data")
        send_files(page, [tmp_path / "notes.exe"])
        expect(page.get_by_test_id("stAlertContentError")).to_contain_text(
            "notes.exe is not one of the file types taken")
        assert_no_exception(page)


def test_removing_the_files_takes_the_preview_and_the_files_away(page, tmp_path):
    db = build_small_db(tmp_path / "writable.duckdb")
    (tmp_path / "reviews.csv").write_text(NEW_REVIEWS)
    with StreamlitServer(db, tmp_path / "streamlit.log", script="server.py") as server:
        uploads = Path(tempfile.gettempdir()) / "film-review-uploads" / str(server.process.pid)
        open_app(page, f"{server.url}/data")
        send_files(page, [tmp_path / "reviews.csv"])
        main = page.get_by_test_id("stMain")
        expect(main).to_contain_text("Preview")
        page.locator(".picker").get_by_role("button", name="Remove the files").click()
        wait_for_run(page)
        expect(main).not_to_contain_text("Preview")
        expect(page.locator(".picker li")).to_have_count(0)
        assert_no_exception(page)
        assert [p.name.split("-")[0] for p in uploads.iterdir()] == ["inbox"]


def test_a_big_upload_does_not_grow_the_servers_memory_with_its_size(page, tmp_path):
    """300 MiB sent from the browser: Streamlit's uploader would hold all of it in the server's
    memory; the route writes it to disk as it arrives. (Not a zip inside, so it is refused at once
    after it arrives, and nothing but the upload is measured.)"""
    db = build_small_db(tmp_path / "writable.duckdb")
    big = tmp_path / "big.zip"
    with big.open("wb") as out:
        for _ in range(300):
            out.write(b"\xa5" * 1024**2)
    with StreamlitServer(db, tmp_path / "streamlit.log", script="server.py") as server:
        open_app(page, f"{server.url}/data")
        process = psutil.Process(server.process.pid)
        before = process.memory_info().rss
        with Sampler(process, interval=0.05) as sampler:
            send_files(page, [big])
        expect(page.get_by_test_id("stAlertContentError")).to_contain_text("big.zip: not a readable zip archive")
        assert_no_exception(page)
    grown = (sampler.peak - before) / 1024**2
    assert grown < 100, f"the server grew by {grown:.0f} MiB while receiving 300 MiB"


def test_a_new_choice_while_files_are_still_sending_replaces_them(page, tmp_path):
    db = build_small_db(tmp_path / "writable.duckdb")
    slow = tmp_path / "slow.zip"
    slow.write_bytes(b"\xa5" * 300 * 1024**2)
    (tmp_path / "films.csv").write_text(NEW_FILMS)
    (tmp_path / "reviews.csv").write_text(NEW_REVIEWS)
    with StreamlitServer(db, tmp_path / "streamlit.log", script="server.py") as server:
        uploads = Path(tempfile.gettempdir()) / "film-review-uploads" / str(server.process.pid)
        open_app(page, f"{server.url}/data")
        # The next choice comes at once, while the first is on its way (300 MiB take a few seconds).
        page.locator(".picker input[type=file]").set_input_files([slow])
        send_files(page, [tmp_path / "films.csv", tmp_path / "reviews.csv"])
        main = page.get_by_test_id("stMain")
        expect(main).to_contain_text("Format: canonical")
        expect(page.locator(".picker li")).to_have_count(2)
        assert_no_exception(page)
        wait_for_run(page, settle_ms=1000)
        expect(main).not_to_contain_text("slow.zip")
        left = sorted(p for p in uploads.rglob("*") if p.is_file())
        assert [p.name for p in left] == ["films.csv", "reviews.csv"], "the replaced files are gone"
