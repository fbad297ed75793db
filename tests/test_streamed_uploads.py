"""Uploads sent to the app's own route: written to the session's inbox as they arrive, refused by
size or room before and while they arrive, and nothing of a refused file kept."""

from __future__ import annotations

import gc
import json
from collections import namedtuple

import pytest
from starlette.requests import Request

import ui.streamed_uploads as streamed
import ui.uploads
from ingest.errors import LoadError
from tests.asgi import run
from ui.scratch import scratch_dir
from ui.streamed_uploads import Inbox, receive

BATCH = "a1b2c3d4e5f6"
DiskUsage = namedtuple("DiskUsage", "total used free")


def put(token: str, name: str, chunks: list[bytes], batch: str = BATCH, length: int | None = None,
        disconnect: bool = False) -> tuple[int, dict]:
    """The route's answer to a PUT of `chunks` (with a Content-Length of their total, or `length`)."""
    declared = sum(map(len, chunks)) if length is None else length
    scope = {
        "type": "http", "method": "PUT", "path": "/", "headers": [(b"content-length", str(declared).encode())],
        "path_params": {"token": token, "batch": batch, "name": name}, "query_string": b"",
    }
    messages = [{"type": "http.request", "body": c, "more_body": True} for c in chunks]
    messages.append({"type": "http.disconnect"} if disconnect else {"type": "http.request", "body": b"", "more_body": False})

    async def receive_message():
        return messages.pop(0)

    answer = run(receive(Request(scope, receive_message)))
    return answer.status_code, json.loads(answer.body)


@pytest.fixture
def box(tmp_path, monkeypatch):
    monkeypatch.setattr(streamed, "per_file_limit", lambda: 1000)
    monkeypatch.setattr(ui.uploads, "MAX_TOTAL_BYTES", 1500)
    return Inbox(root=tmp_path)


def files_in(inbox: Inbox) -> list[str]:
    return sorted(str(p.relative_to(inbox.folder)) for p in inbox.folder.rglob("*") if p.is_file())


def test_a_file_arrives_in_its_batch_and_is_taken_as_an_upload(box):
    status, body = put(box.token, "reviews.csv", [b"review_id,film_id\n", b"r1,f1\n"])
    assert (status, body) == (200, {"name": "reviews.csv", "size": 24})
    assert files_in(box) == [f"{BATCH}/reviews.csv"]
    upload = box.take(BATCH, [body])
    assert (upload.folder / "reviews.csv").read_bytes() == b"review_id,film_id\nr1,f1\n"
    assert upload.paths == [upload.folder / "reviews.csv"]
    assert files_in(box) == [], "taking the batch moves its files out of the inbox"
    upload.discard()


def test_a_name_cannot_point_outside_the_batch(box):
    status, body = put(box.token, "../../escape.csv", [b"x"])
    assert (status, body["name"]) == (200, "escape.csv")
    assert files_in(box) == [f"{BATCH}/escape.csv"]


def test_an_unknown_token_or_batch_is_refused_and_writes_nothing(box):
    assert put("not-a-token", "reviews.csv", [b"x"]) == (
        404, {"error": "the page this upload came from is closed or was reloaded; upload again"})
    assert put(box.token, "reviews.csv", [b"x"], batch="../x")[0] == 400
    assert files_in(box) == []


def test_a_file_over_the_limit_is_refused_by_its_declared_length_before_a_byte_is_written(box):
    status, body = put(box.token, "big.csv", [b"x" * 10], length=5000)
    assert (status, body) == (413, {"error": "big.csv is over the limit of 1,000 bytes a file"})
    assert files_in(box) == []


def test_a_file_that_lies_about_its_length_is_stopped_at_the_limit(box):
    status, body = put(box.token, "big.csv", [b"x" * 600, b"x" * 600], length=10)
    assert (status, body) == (413, {"error": "big.csv is over the limit of 1,000 bytes a file"})
    assert files_in(box) == [], "the part received is removed"


def test_the_files_of_one_batch_are_limited_together(box):
    assert put(box.token, "films.csv", [b"f" * 900])[0] == 200
    status, body = put(box.token, "reviews.csv", [b"r" * 900])
    assert status == 413
    assert body["error"] == "reviews.csv: the files add up to 1,800 bytes, above the limit of 1,500 bytes per load"
    assert files_in(box) == [f"{BATCH}/films.csv"]
    assert put(box.token, "reviews.csv", [b"r" * 500])[0] == 200, "a refused file does not count"


def test_a_new_batch_replaces_the_last_whose_late_files_are_refused(box):
    put(box.token, "films.csv", [b"f" * 900])
    assert put(box.token, "films.csv", [b"g" * 900], batch="ffff0000eeee")[0] == 200
    assert files_in(box) == ["ffff0000eeee/films.csv"]
    assert put(box.token, "reviews.csv", [b"r"]) == (409, {"error": "a newer choice of files replaced these"})
    assert files_in(box) == ["ffff0000eeee/films.csv"], "a late file of the old batch neither lands nor removes"
    assert box.received == 900, "nor does it count against the new batch"


def test_a_browser_that_stops_sending_leaves_nothing(box):
    status, body = put(box.token, "reviews.csv", [b"x" * 100], length=500, disconnect=True)
    assert (status, body) == (400, {"error": "reviews.csv: the browser stopped sending it"})
    assert files_in(box) == []


def test_a_nearly_full_disk_refuses_the_file_and_says_so(box, monkeypatch):
    monkeypatch.setattr(streamed.shutil, "disk_usage", lambda path: DiskUsage(10**9, 10**9, 10**6))
    status, body = put(box.token, "reviews.csv", [b"x" * 100])
    assert (status, body) == (507, {"error": "reviews.csv cannot be stored: the server's disk is nearly full"})
    assert files_in(box) == []


def test_a_failed_write_is_named_and_leaves_no_part(box, monkeypatch):
    real_open = streamed.Path.open

    def full_disk(self, mode="r", *args, **kwargs):
        handle = real_open(self, mode, *args, **kwargs)
        if "w" in mode:
            def write(data):
                raise OSError(28, "No space left on device")
            handle.write = write
        return handle

    monkeypatch.setattr(streamed.Path, "open", full_disk)
    status, body = put(box.token, "reviews.csv", [b"x" * 100])
    assert (status, body) == (507, {"error": "reviews.csv cannot be stored on the server (No space left on device)"})
    assert files_in(box) == []


def test_a_batch_is_taken_only_as_the_browser_reported_it(box):
    put(box.token, "films.csv", [b"f" * 10])
    with pytest.raises(LoadError, match="reviews.csv: did not arrive whole"):
        box.take(BATCH, [{"name": "films.csv", "size": 10}, {"name": "reviews.csv", "size": 5}])
    with pytest.raises(LoadError, match="films.csv: did not arrive whole"):
        box.take(BATCH, [{"name": "films.csv", "size": 11}])
    with pytest.raises(LoadError, match="the page reported no files"):
        box.take(BATCH, [])
    with pytest.raises(LoadError, match="the page reported files it could not name"):
        box.take(BATCH, ["films.csv"])
    upload = box.take(BATCH, [{"name": "films.csv", "size": 10}])
    with pytest.raises(LoadError, match="no longer on the server"):
        box.take(BATCH, [{"name": "films.csv", "size": 10}])
    upload.discard()


def test_a_batch_name_from_the_browser_cannot_reach_another_folder(box, tmp_path):
    """The page's state comes from the browser: a batch named `../..` must not move (and then delete)
    another folder, such as other sessions' private copies."""
    victim = scratch_dir("sessions", tmp_path) / "private-copy"
    victim.mkdir()
    (victim / "reviews.duckdb").write_bytes(b"someone else's data")
    put(box.token, "films.csv", [b"f"])
    for batch in ("../../film-review-sessions", "../..", f"{BATCH}/..", None, 7):
        with pytest.raises(LoadError, match="no longer on the server"):
            box.take(batch, [{"name": "films.csv", "size": 1}])
    assert (victim / "reviews.duckdb").read_bytes() == b"someone else's data"


def test_a_batch_removed_from_the_page_is_dropped_but_not_a_newer_one(box):
    put(box.token, "films.csv", [b"f"])
    box.drop("someotherbatch")
    assert files_in(box) == [f"{BATCH}/films.csv"], "only the batch the page saw is dropped"
    box.drop(BATCH)
    assert files_in(box) == []
    assert put(box.token, "films.csv", [b"f"])[0] == 409


def test_an_inbox_goes_with_its_session_state(tmp_path):
    inbox = Inbox(root=tmp_path)
    token, folder = inbox.token, inbox.folder
    put(token, "films.csv", [b"f"])
    state = {"data_inbox": inbox}
    del inbox
    state.clear()
    gc.collect()
    assert not folder.exists()
    assert put(token, "films.csv", [b"f"])[0] == 404
    assert list(scratch_dir("uploads", tmp_path).iterdir()) == []
