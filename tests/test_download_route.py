"""CSV downloads through the app's own route: written by DuckDB to a file when asked (POST), sent
from disk (GET) and removed once sent; a failure is named and leaves no file; a dropped page's
downloads are no longer served."""

from __future__ import annotations

import asyncio
import errno
import gc
import json
import os

import pytest
from starlette.requests import Request

import queries
import ui.downloads
from queries.filters import Filters
from tests.asgi import run
from ui.db import Database
from ui.downloads import Export, export_route
from ui.scratch import scratch_dir

PARAMS = {**Filters().params(), "search": None, "sort": "date", "descending": True}


def ask(token: str, method: str) -> tuple[int, dict | bytes, dict]:
    """The route's answer to `method` on `token`: status, body (JSON as a dict) and headers; a file
    is sent whole, and its background task (removing it) run, as a server would."""
    scope = {"type": "http", "method": method, "path": "/", "headers": [], "query_string": b"",
             "path_params": {"token": token}}

    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        # The request, then nothing: the browser stays connected until the response is sent.
        if requests:
            return requests.pop()
        await asyncio.Event().wait()

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def respond():
        response = await export_route(Request(scope, receive))
        await response(scope, receive, send)

    run(respond())
    start = sent[0]
    chunks = [m.get("body", b"") for m in sent[1:]]
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    if headers.get("content-type", "").startswith("application/json"):
        return start["status"], json.loads(b"".join(chunks)), headers
    # Sent from disk a chunk at a time, never read whole into the server's memory.
    assert max(map(len, chunks)) <= 64 * 1024
    return start["status"], b"".join(chunks), headers


@pytest.fixture
def export(small_db):
    database = Database(small_db)
    made = Export("review_export", PARAMS, database, "reviews.csv")
    yield made
    made.discard()
    database.close()


def exports_here() -> list:
    return list(scratch_dir("exports").iterdir())


def test_a_csv_is_written_when_asked_sent_from_disk_and_removed(export, small_db, tmp_path):
    before = exports_here()
    assert ask(export.token, "POST")[:2] == (200, {"ready": True})
    assert len(exports_here()) == len(before) + 1
    status, body, headers = ask(export.token, "GET")
    assert status == 200
    assert headers["content-disposition"] == 'attachment; filename="reviews.csv"'
    expected = tmp_path / "expected.csv"
    database = Database(small_db)
    with database.cursor() as cur:
        queries.export_csv(cur, "review_export", expected, **PARAMS)
    database.close()
    assert body == expected.read_bytes()
    assert exports_here() == before, "the file is removed once sent"
    assert ask(export.token, "GET")[:2] == (404, {"error": "nothing to download: ask for the CSV again"})


def test_asking_again_replaces_a_file_not_fetched(export):
    before = exports_here()
    ask(export.token, "POST")
    ask(export.token, "POST")
    assert len(exports_here()) == len(before) + 1


def test_an_unknown_token_is_refused(export):
    status, body, _ = ask("no-such-token", "POST")
    assert status == 404
    assert body["error"].startswith("this download belongs to a page that was closed or reloaded")


def test_a_failed_write_is_named_and_leaves_no_file(export, monkeypatch):
    before = exports_here()

    def full_disk(con, name, target, **params):
        target.write_bytes(b"half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(ui.downloads.queries, "export_csv", full_disk)
    status, body, _ = ask(export.token, "POST")
    assert status == 507
    assert body == {"error": "the CSV could not be written: the disk is full (No space left on device)"}
    assert exports_here() == before


def test_a_dropped_page_takes_its_downloads_and_their_files_with_it(small_db):
    database = Database(small_db)
    before = exports_here()
    made = Export("review_export", PARAMS, database, "reviews.csv")
    token = made.token
    ask(token, "POST")
    state = {"export_reviews_csv": made}
    del made
    state.clear()
    gc.collect()
    assert exports_here() == before
    assert ask(token, "POST")[0] == 404
    database.close()


def test_a_head_request_does_not_take_the_file(export):
    ask(export.token, "POST")
    assert ask(export.token, "HEAD")[0] == 405
    assert ask(export.token, "GET")[0] == 200


def test_a_csv_being_prepared_is_not_prepared_twice(export):
    assert export.claim()
    status, body, _ = ask(export.token, "POST")
    assert (status, body) == (409, {"error": "this CSV is already being prepared"})


def test_a_csv_finished_after_its_page_dropped_it_is_removed(export):
    before = exports_here()
    assert export.claim()
    export.discard()
    export.write()
    assert exports_here() == before
    assert not export.busy


def test_a_nearly_full_disk_writes_nothing_and_says_so(export, monkeypatch):
    monkeypatch.setattr(ui.downloads, "nearly_full", lambda folder, coming=0: True)
    status, body, _ = ask(export.token, "POST")
    assert (status, body) == (507, {"error": "the server's disk is nearly full"})
