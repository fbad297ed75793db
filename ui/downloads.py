"""CSV downloads written by DuckDB straight to a file, never through a pandas frame.

Served by `server.py`, a download never passes through the server's memory either: its button asks
a route of the app's own to write the CSV (a POST), then the browser fetches the file from disk (a
GET), which is removed once sent. A failure (a full disk) is said under the button. Run otherwise
(`streamlit run app.py`, AppTest), the button is Streamlit's own, which holds the file in memory
while it serves it.

A session's downloads are named by unguessable tokens, which live as long as its page state.
"""

from __future__ import annotations

import functools
import re
import secrets
import tempfile
import threading
import weakref
from pathlib import Path

import anyio
import duckdb
import streamlit as st
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

import queries
from ingest.errors import describe_failure
from ui import served
from ui.db import Database, database
from ui.scratch import nearly_full, scratch_dir

ROUTE = "/api/exports/{token}"
_EXPORTS: weakref.WeakValueDictionary[str, Export] = weakref.WeakValueDictionary()


def export_to_file(name: str, *, source: Database | None = None, **params) -> Path:
    """Run query `name` with `params` on `source` (this session's data when None) and write the
    whole result as CSV; returns the file.

    A failed export (a full disk) leaves no partial file behind.
    """
    with tempfile.NamedTemporaryFile(dir=scratch_dir("exports"), suffix=".csv", delete=False) as handle:
        target = Path(handle.name)
    try:
        with (source or database()).cursor() as cur:
            queries.export_csv(cur, name, target, **params)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


class Export:
    """One download button's CSV: the query and its parameters, the data it reads, the file name,
    and the file written for the browser to fetch (removed when sent, replaced or dropped). The route
    writes it in a worker thread while the page may replace it, so its state changes under a lock."""

    def __init__(self, name: str, params: dict, source: Database, file_name: str):
        self.name, self.params, self.source, self.file_name = name, params, source, file_name
        self.token = secrets.token_urlsafe(24)
        self.busy = False
        self._lock = threading.Lock()
        # The written file and whether the export was dropped, in a list the finalizer shares (it
        # must not hold the Export itself).
        self._written: list[Path] = []
        self._finalizer = weakref.finalize(self, _unlink, self._written)
        _EXPORTS[self.token] = self

    def same(self, name: str, params: dict, source: Database, file_name: str) -> bool:
        """Whether this export is the one asked for (then its token is kept across reruns)."""
        return (self.name, self.params, self.source, self.file_name) == (name, params, source, file_name)

    def write(self) -> None:
        """Write the CSV, replacing one written before and not fetched; a file written after the
        export was dropped is removed at once."""
        try:
            path = export_to_file(self.name, source=self.source, **self.params)
        finally:
            with self._lock:
                self.busy = False
        with self._lock:
            if not self._finalizer.alive:
                path.unlink(missing_ok=True)
                return
            _unlink(self._written)
            self._written.append(path)

    def claim(self) -> bool:
        """Mark the export as being written; False when it already is."""
        with self._lock:
            if self.busy:
                return False
            self.busy = True
            return True

    def take(self) -> Path | None:
        """The written file, handed over to whoever sends it (None when there is none)."""
        with self._lock:
            return self._written.pop() if self._written else None

    def discard(self) -> None:
        """Forget the export now: its token is no longer served, and a file not fetched is removed."""
        _EXPORTS.pop(self.token, None)
        with self._lock:
            self._finalizer()


def _unlink(paths: list[Path]) -> None:
    while paths:
        paths.pop().unlink(missing_ok=True)


@functools.cache
def _writers() -> anyio.CapacityLimiter:
    # Two exports at a time on the whole server (made on first use, inside the event loop): more
    # would only share the same cores and disk, and slow the pages.
    return anyio.CapacityLimiter(2)


def routes() -> list[Route]:
    """The export route, for `st.App` (after `served.mount`): POST writes the CSV, GET sends it."""
    return [Route(served.url(ROUTE), export_route, methods=["GET", "POST"])]


async def export_route(request: Request):
    """POST: write the CSV (answers `{"ready": true}` or `{"error": why}`). GET: send the CSV written
    by the last POST, then remove it."""
    export = _EXPORTS.get(request.path_params["token"])
    if export is None:
        message = "this download belongs to a page that was closed or reloaded; download again from the page"
        return JSONResponse({"error": message}, status_code=404)
    if request.method == "HEAD":
        # Starlette answers HEAD on a GET route: it must not hand the file over (and so remove it).
        return Response(status_code=405, headers={"Allow": "GET, POST"})
    if request.method == "POST":
        if nearly_full(scratch_dir("exports")):
            return JSONResponse({"error": "the server's disk is nearly full"}, status_code=507)
        if not export.claim():
            return JSONResponse({"error": "this CSV is already being prepared"}, status_code=409)
        try:
            # DuckDB's work runs in a worker thread: the server goes on answering other sessions.
            await anyio.to_thread.run_sync(export.write, limiter=_writers())
        except (duckdb.Error, OSError, MemoryError) as failed:
            return JSONResponse({"error": f"the CSV could not be written: {_why(failed)}"}, status_code=507)
        return JSONResponse({"ready": True})
    path = export.take()
    if path is None:
        return JSONResponse({"error": "nothing to download: ask for the CSV again"}, status_code=404)
    return FileResponse(path, media_type="text/csv", filename=export.file_name,
                        background=BackgroundTask(path.unlink, missing_ok=True))


def _why(failed: BaseException) -> str:
    # Without the file's name: a path on the server is none of the visitor's business.
    if isinstance(failed, OSError) and failed.strerror:
        failed = OSError(failed.errno, failed.strerror)
    return describe_failure(failed)


def csv_button(label: str, name: str, file_name: str, key: str, **params) -> None:
    """A download button that produces the CSV only when clicked."""
    source = database()
    file_name = _safe_file_name(file_name)
    if not served.mounted():
        _streamlit_button(label, name, file_name, key, source, params)
        return
    held = f"export_{key}"
    export = st.session_state.get(held)
    if export is None or not export.same(name, params, source, file_name):
        if export is not None:
            export.discard()
        export = st.session_state[held] = Export(name, params, source, file_name)
    _button()(key=key, data={"label": label, "url": served.url(ROUTE.format(token=export.token))})


def _streamlit_button(label: str, name: str, file_name: str, key: str, source: Database, params: dict) -> None:
    # Taken now: the file is produced when clicked, outside this script run, where the session
    # (and so its private copy of the data, if any) is not known.
    def produce():
        path = export_to_file(name, source=source, **params)
        # Streamlit reads the whole file when serving it; the temporary copy is removed at once.
        try:
            return path.read_bytes()
        finally:
            path.unlink(missing_ok=True)

    st.download_button(label, data=produce, file_name=file_name, mime="text/csv", key=key, on_click="ignore",
                       icon=":material/download:")


def _safe_file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "export.csv"


@functools.cache
def _button():
    # Registered once per process: a second registration of the name is logged as a conflict.
    return st.components.v2.component("film_reviews.csv_download", html=_HTML, css=_CSS, js=_JS)


_HTML = """
<div class="csv-download">
  <button type="button"><span class="icon" aria-hidden="true">↓</span><span class="label"></span></button>
  <div class="problem" role="alert" hidden></div>
</div>
"""

_CSS = """
.csv-download { font-family: var(--st-font); color: var(--st-text-color); }
button { display: inline-flex; align-items: center; gap: 0.5rem; font: inherit; font-size: 1rem; color: inherit;
         cursor: pointer; padding: 0.25rem 0.75rem; min-height: 2.5rem; background: var(--st-background-color);
         border: 1px solid var(--st-border-color); border-radius: var(--st-base-radius, 0.5rem); }
button:hover { border-color: var(--st-primary-color); color: var(--st-primary-color); }
button:disabled { cursor: progress; opacity: 0.6; }
.problem { margin-top: 0.25rem; font-size: 0.875rem; color: var(--st-red-color, #d33); }
"""

# The latest data is kept on the element: a click reads the label and address of the last rerun.
_JS = """
export default function ({ data, parentElement }) {
  const root = parentElement.querySelector(".csv-download");
  const button = root.querySelector("button");
  const label = button.querySelector(".label");
  const problem = root.querySelector(".problem");
  root.data = data;
  if (!button.disabled) label.textContent = data.label;
  button.onclick = async () => {
    const { url } = root.data;
    button.disabled = true;
    label.textContent = "Preparing the CSV…";
    problem.hidden = true;
    let answer;
    try {
      const reply = await fetch(url, { method: "POST" });
      const text = await reply.text();
      try { answer = JSON.parse(text); } catch (e) { answer = { error: `the server answered ${reply.status}` }; }
    } catch (e) {
      answer = { error: "the server did not answer" };
    }
    button.disabled = false;
    label.textContent = root.data.label;
    if (answer.error) {
      problem.textContent = `Not downloaded: ${answer.error}.`;
      problem.hidden = false;
      return;
    }
    const link = document.createElement("a");
    link.href = url;
    link.download = "";
    root.appendChild(link);
    link.click();
    link.remove();
  };
}
"""
