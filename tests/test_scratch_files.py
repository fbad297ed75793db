"""Upload and export files never outlive their use: refused, failed, abandoned or crashed."""

from __future__ import annotations

import errno
import gc
import io
import os
import subprocess
import sys

import pytest

import ui.uploads
from ingest.errors import LoadError
from tests.conftest import snapshot
from tests.data_page import NEW_FILMS, NEW_REVIEWS, open_data_page, text
from ui.scratch import scratch_dir, sweep
from ui.uploads import Upload, save_uploads


class Uploaded(io.BytesIO):
    """What st.file_uploader hands the page: a named, sized, readable file."""

    def __init__(self, name: str, data: bytes):
        super().__init__(data)
        self.name, self.size = name, len(data)


class FullDisk(Uploaded):
    """A file whose copy fails halfway, as on a full disk."""

    def read(self, *args):
        if self.tell() > 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return super().read(10)


def test_a_full_disk_while_saving_leaves_no_folder_and_says_why(tmp_path):
    with pytest.raises(LoadError, match="cannot be saved for reading \\(No space left on device\\)"):
        save_uploads([Uploaded("films.csv", b"film_id\n"), FullDisk("reviews.csv", b"x" * 100)], root=tmp_path)
    assert list(scratch_dir("uploads", tmp_path).iterdir()) == []


def test_the_files_of_one_load_are_limited_together(tmp_path, monkeypatch):
    monkeypatch.setattr(ui.uploads, "MAX_TOTAL_BYTES", 150)
    files = [Uploaded("films.csv", b"x" * 100), Uploaded("reviews.csv", b"y" * 100)]
    with pytest.raises(LoadError, match="the files add up to 200 bytes, above the limit of 150 bytes per load"):
        save_uploads(files, root=tmp_path)
    assert not any(scratch_dir("uploads", tmp_path).iterdir())


def test_an_abandoned_upload_is_removed_with_its_session_state(tmp_path):
    upload = save_uploads([Uploaded("films.csv", b"film_id,title\n")], root=tmp_path)
    folder = upload.folder
    assert (folder / "films.csv").exists()
    state = {"data_upload": upload}
    del upload
    state.clear()
    gc.collect()
    assert not folder.exists()


def test_discarding_twice_is_harmless(tmp_path):
    upload = save_uploads([Uploaded("films.csv", b"film_id,title\n")], root=tmp_path)
    upload.discard()
    upload.discard()
    assert not upload.folder.exists()
    assert isinstance(upload, Upload)


def test_the_next_start_removes_what_a_killed_process_left(tmp_path):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = scratch_dir("uploads", tmp_path).parent / gone.stdout.strip()
    (dead / "upload-x").mkdir(parents=True)
    (dead / "upload-x" / "reviews.csv").write_bytes(b"x" * 1000)
    dead_exports = scratch_dir("exports", tmp_path).parent / gone.stdout.strip()
    dead_exports.mkdir()
    mine = save_uploads([Uploaded("films.csv", b"film_id,title\n")], root=tmp_path)
    assert sorted(sweep(tmp_path)) == sorted([dead, dead_exports])
    assert not dead.exists() and not dead_exports.exists()
    assert mine.folder.exists()


def uploads_here() -> set:
    return set(scratch_dir("uploads").iterdir())


def test_files_that_cannot_be_loaded_are_kept_only_while_chosen(app_db):
    """Before, an upload whose format could not be told stayed on disk for the life of the server. Now
    it stays while it is on the uploader (another format can be tried on it) and goes with it."""
    at = open_data_page()
    before = uploads_here()
    at.get("file_uploader")[0].set_value(("notes.txt", b"nothing to see here\n", "text/plain")).run()
    assert not at.exception, at.exception
    assert "cannot" in text(at).lower()
    assert len(uploads_here() - before) == 1
    at.selectbox(key="data_format").set_value("letterboxd-page").run()
    assert not at.exception, at.exception
    assert len(uploads_here() - before) == 1, "another format is tried on the files already saved"
    at.get("file_uploader")[0].set_value(("reviews.csv", b"review_id,film_id,reviewer_id,rating\nz9,x,ana,7\n", "text/csv")).run()
    at.selectbox(key="data_format").set_value("Detect from the files").run()
    assert "rating '7' is not a half-star rating" in text(at)
    assert len(uploads_here() - before) == 1, "other files replace the ones before"
    at.get("file_uploader")[0].set_value(None).run()
    assert uploads_here() == before


def test_a_failed_export_leaves_no_file(app_db, monkeypatch):
    import queries
    from ui.downloads import export_to_file

    open_data_page()

    def full_disk(con, name, target, **params):
        target.write_bytes(b"review_id,")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(queries, "export_csv", full_disk)
    before = set(scratch_dir("exports").iterdir())
    with pytest.raises(OSError):
        export_to_file("review_export")
    assert set(scratch_dir("exports").iterdir()) == before


def test_an_upload_swept_as_unused_is_not_loaded_and_the_page_says_so(app_db, monkeypatch):
    at = open_data_page()
    before = snapshot(app_db)
    at.get("file_uploader")[0].set_value(
        [("films.csv", NEW_FILMS, "text/csv"), ("reviews.csv", NEW_REVIEWS, "text/csv")]
    ).run()
    folder = at.session_state["data_upload"].folder
    assert folder.exists()
    monkeypatch.setattr(ui.uploads, "UNUSED_TTL_S", -1)
    at.run()
    assert not at.exception, at.exception
    assert not folder.exists()
    assert "The uploaded files were removed after being left unused; nothing was loaded." in text(at)
    assert not [b for b in at.button if b.key == "data_confirm"]
    assert snapshot(app_db) == before


def test_the_start_sweep_also_takes_an_earlier_process_with_this_id(tmp_path):
    """In a container the app is process 1 every time, and its temp folder outlives a restart."""
    from ui.scratch import scratch_dir, sweep

    left = scratch_dir("sessions", tmp_path) / "session-x"
    left.mkdir()
    assert sweep(tmp_path) == []  # this process is running: kept
    assert sweep(tmp_path, own=True) == [left.parent]
