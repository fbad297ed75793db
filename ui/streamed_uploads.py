"""Uploads written to the server's disk as they arrive, never held whole in its memory.

Streamlit's own uploader keeps each file in the server's memory until the session ends (a 1 GB
upload costs 1 GB of memory, however it is read afterwards). When the app is served by `server.py`,
the Data page uses this instead: the browser sends each file with a PUT to a route of the app's own,
which writes it to this session's inbox folder a chunk at a time, checking the limits as it goes.

A session's inbox is named by an unguessable token, the only key to it. It holds one batch of files
at a time (one choice in the picker): a new batch retires the last, whose files are removed and whose
late requests are refused. The page takes a complete batch as an `Upload`, which moves the files out
of the inbox. The route runs on the server's event loop and the page in its own thread, so the
inbox's state changes under a lock. The inbox folder goes with the session's state, or with
`uploads.sweep_unused` when the tab has been closed.
"""

from __future__ import annotations

import functools
import re
import secrets
import shutil
import tempfile
import threading
import weakref
from pathlib import Path

import streamlit as st
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ingest.errors import LoadError
from ui import served, uploads
from ui.scratch import nearly_full, scratch_dir, touch

INBOX_ROUTE = "/api/uploads/{token}"
ROUTE = INBOX_ROUTE + "/{batch}/{name}"
BATCH = re.compile(r"[A-Za-z0-9]{8,64}")
_INBOX_KEY = "data_inbox"
_INBOXES: weakref.WeakValueDictionary[str, Inbox] = weakref.WeakValueDictionary()
GONE = "the files are no longer on the server (loaded already, replaced or removed); choose them again"


class Refused(Exception):
    """A file the route does not take: the HTTP status and what the page says."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class Inbox:
    """One session's folder for files arriving from the browser, and the token naming it."""

    def __init__(self, root: Path | None = None):
        self.token = secrets.token_urlsafe(24)
        # Made when the first file arrives: a visit that uploads nothing leaves nothing on disk.
        self.folder = scratch_dir("uploads", root) / f"inbox-{secrets.token_hex(8)}"
        self.batch: str | None = None
        self.received = 0
        self.seen: str | None = None
        self._retired: set[str] = set()
        self._lock = threading.Lock()
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.folder, True)
        _INBOXES[self.token] = self

    def start(self, batch: str) -> Path:
        """The folder of `batch`, the current one from now on; a new batch retires the one before."""
        with self._lock:
            if batch in self._retired:
                raise Refused(409, "a newer choice of files replaced these")
            if batch != self.batch:
                self._retire()
                self.batch, self.received = batch, 0
            folder = self.folder / batch
            folder.mkdir(parents=True, exist_ok=True)
            touch(self.folder)
            return folder

    def count(self, batch: str, n_bytes: int) -> int:
        """Add bytes arriving for `batch`; returns the batch's total (Refused once it was replaced)."""
        with self._lock:
            if batch != self.batch:
                raise Refused(409, "a newer choice of files replaced these")
            self.received += n_bytes
            return self.received

    def uncount(self, batch: str, n_bytes: int) -> None:
        """Take back the bytes of a file that was refused."""
        with self._lock:
            if batch == self.batch:
                self.received -= n_bytes

    def finish(self, batch: str, partial: Path, name: str) -> None:
        """Give a file that arrived whole its name (Refused when its batch was replaced meanwhile)."""
        with self._lock:
            if batch != self.batch:
                raise Refused(409, "a newer choice of files replaced these")
            partial.rename(partial.parent / name)

    def take(self, batch: str, files: object) -> uploads.Upload:
        """The current batch's files as an Upload of their own (moved out of the inbox), once the
        files on disk are exactly the ones the browser reported sending, whole. LoadError otherwise."""
        reported = _reported(files)
        with self._lock:
            if not isinstance(batch, str) or batch != self.batch:
                raise LoadError.single("the upload", GONE)
            folder = self.folder / batch
            if not folder.is_dir():
                raise LoadError.single("the upload", GONE)
            arrived = {p.name: p.stat().st_size for p in folder.iterdir() if not p.name.startswith(".")}
            if arrived != reported:
                missing = sorted(reported.keys() - arrived.keys()) or sorted(reported)
                raise LoadError.single(", ".join(missing), "did not arrive whole; choose the files again")
            try:
                target = Path(tempfile.mkdtemp(prefix="upload-", dir=self.folder.parent))
                target.rmdir()
                folder.rename(target)
            except OSError as exc:
                raise LoadError.single("the upload", f"cannot be saved for reading ({exc.strerror or exc})") from None
            self._retired.add(batch)
            self.batch, self.received = None, 0
        return uploads.upload_in(target)

    def drop(self, batch: str | None) -> None:
        """Retire `batch` and remove its files, if it is still the current one (a batch the page no
        longer shows: removed from the picker, or refused)."""
        with self._lock:
            if batch is not None and batch == self.batch:
                self._retire()
                self.batch, self.received = None, 0

    def renew(self) -> None:
        """Mark the inbox as in use (the unused-upload sweep goes by its age)."""
        touch(self.folder)

    def _retire(self) -> None:
        if self.batch is not None:
            self._retired.add(self.batch)
            shutil.rmtree(self.folder / self.batch, ignore_errors=True)


def _reported(files: object) -> dict[str, int]:
    """What the browser says it sent, {file name: size}; LoadError when it is not a list of files."""
    if not isinstance(files, list) or not files:
        raise LoadError.single("the upload", "the page reported no files; choose the files again")
    reported = {}
    for item in files:
        name, size = (item.get("name"), item.get("size")) if isinstance(item, dict) else (None, None)
        if not isinstance(name, str) or not isinstance(size, int):
            raise LoadError.single("the upload", "the page reported files it could not name; choose the files again")
        reported[uploads.safe_name(name)] = size
    return reported


def routes() -> list[Route]:
    """The upload route, for `st.App` (after `served.mount`)."""
    return [Route(served.url(ROUTE), receive, methods=["PUT"])]


def inbox() -> Inbox:
    """This session's inbox, renewed."""
    box = st.session_state.get(_INBOX_KEY)
    if box is None:
        box = st.session_state[_INBOX_KEY] = Inbox()
    box.renew()
    return box


def per_file_limit() -> int:
    """The largest file taken, in bytes: the server's upload limit (server.maxUploadSize, in MB)."""
    return int(st.get_option("server.maxUploadSize")) * 1024**2


async def receive(request: Request) -> JSONResponse:
    """Write one file of a batch to its inbox as it arrives; answer with its name and size, or with
    the reason it was refused (nothing of it is kept then)."""
    params = request.path_params
    box = _INBOXES.get(params["token"])
    if box is None:
        return _refusal(Refused(404, "the page this upload came from is closed or was reloaded; upload again"))
    batch = params["batch"]
    if not BATCH.fullmatch(batch):
        return _refusal(Refused(400, "the upload's batch name is not one this page makes"))
    name = uploads.safe_name(params["name"])
    partial, counted = None, 0
    try:
        folder = box.start(batch)
        declared = _declared_size(request)
        _check(name, declared, box.received + declared, declared, folder)
        partial = folder / f".{name}.part"
        with partial.open("wb") as out:
            async for chunk in request.stream():
                total = box.count(batch, len(chunk))
                counted += len(chunk)
                _check(name, counted, total, 0, folder)
                out.write(chunk)
        box.finish(batch, partial, name)
        return JSONResponse({"name": name, "size": counted})
    except Refused as refused:
        failure = refused
    except ClientDisconnect:
        failure = Refused(400, f"{name}: the browser stopped sending it")
    except OSError as exc:
        failure = Refused(507, f"{name} cannot be stored on the server ({exc.strerror or exc})")
    box.uncount(batch, counted)
    return _refusal(failure, partial)


def _declared_size(request: Request) -> int:
    value = request.headers.get("content-length", "0")
    if not value.isdigit():
        raise Refused(400, "the upload's declared length is not a number")
    return int(value)


def _check(name: str, file_bytes: int, batch_bytes: int, coming: int, folder: Path) -> None:
    """Refuse a file over the per-file limit, a batch over the per-load limit, or a file the disk has
    no room for: first with the declared length (`coming` bytes not yet received), then as it arrives."""
    limit = per_file_limit()
    if file_bytes > limit:
        raise Refused(413, f"{name} is over the limit of {limit:,} bytes a file")
    if batch_bytes > uploads.MAX_TOTAL_BYTES:
        raise Refused(413, f"{name}: {uploads.over_total(batch_bytes)}")
    if nearly_full(folder, coming):
        raise Refused(507, f"{name} cannot be stored: the server's disk is nearly full")


def _refusal(refused: Refused, partial: Path | None = None) -> JSONResponse:
    if partial is not None:
        partial.unlink(missing_ok=True)
    return JSONResponse({"error": str(refused)}, status_code=refused.status)


@functools.cache
def _picker():
    # Registered once per process: a second registration of the name is logged as a conflict.
    return st.components.v2.component("film_reviews.file_picker", html=_HTML, css=_CSS, js=_JS)


def pick_files(key: str, types: list[str]) -> uploads.Chosen | None:
    """The file picker: files chosen in the browser are sent to this session's inbox as they are
    read. Returns the chosen batch (saved as an Upload when asked), or None before any choice."""
    box = inbox()
    result = _picker()(
        key=key,
        data={
            "url": served.url(INBOX_ROUTE.format(token=box.token)),
            "types": types,
            "max_file": per_file_limit(),
            "max_total": uploads.MAX_TOTAL_BYTES,
        },
        default={"batch": None},
        # A state change reruns the page only with a callback (a no-op: the page reads the state).
        on_batch_change=lambda: None,
    )
    batch = result.get("batch")
    if not isinstance(batch, dict) or batch.get("error"):
        # Removed from the picker, or refused: the last batch the page saw is not kept.
        box.drop(box.seen)
    if not isinstance(batch, dict):
        return None
    box.seen = batch.get("id")
    if batch.get("error"):
        return uploads.Chosen(("refused", box.seen), None, LoadError.single("the upload", str(batch["error"])))
    if batch.get("sending"):
        return uploads.Chosen(("sending", box.seen), None)
    return uploads.Chosen(("sent", box.seen), lambda: box.take(batch.get("id"), batch.get("files")))


_HTML = """
<div class="picker" part="picker">
  <label class="title">Files</label>
  <div class="zone">
    <div class="hint">Drag and drop files here<div class="limits"></div></div>
    <label class="browse">Browse files<input type="file" multiple hidden></label>
  </div>
  <ul class="files"></ul>
  <div class="status" role="status"></div>
  <button type="button" class="clear" hidden>Remove the files</button>
</div>
"""

_CSS = """
.picker { font-family: var(--st-font); color: var(--st-text-color); font-size: 0.875rem; }
.title { display: block; margin-bottom: 0.25rem; }
.zone { display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding: 1rem; border-radius: var(--st-base-radius, 0.5rem);
        background: var(--st-secondary-background-color); border: 1px dashed transparent; }
.zone.over { border-color: var(--st-primary-color); }
.browse { cursor: pointer; padding: 0.25rem 0.75rem; border: 1px solid var(--st-border-color);
          border-radius: var(--st-base-radius, 0.5rem); background: var(--st-background-color); }
.browse:hover { border-color: var(--st-primary-color); color: var(--st-primary-color); }
.limits { opacity: 0.7; font-size: 0.8rem; }
.files { list-style: none; padding: 0; margin: 0.5rem 0 0; }
.status { margin-top: 0.25rem; opacity: 0.8; }
.clear { margin-top: 0.5rem; font: inherit; color: inherit; cursor: pointer; padding: 0.25rem 0.75rem;
         background: var(--st-background-color); border: 1px solid var(--st-border-color);
         border-radius: var(--st-base-radius, 0.5rem); }
"""

# The picker keeps what it shows, and the request in flight, on its host element: a rerun calls this
# again and redraws it. A new choice or "Remove" aborts the request in flight, and a send that is no
# longer the current one reports nothing.
_JS = """
const amount = (n) => n < 1024 ? `${n} bytes`
  : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB`
  : n < 1073741824 ? `${(n / 1048576).toFixed(1)} MiB` : `${(n / 1073741824).toFixed(2)} GiB`;

// Not crypto.randomUUID: it exists only on https or localhost, and a dashboard may be served on plain http.
const newId = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

function put(view, url, file, progress) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    view.xhr = xhr;
    xhr.open("PUT", url);
    xhr.upload.onprogress = (e) => progress(e.loaded);
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
      resolve(xhr.status === 200 ? { ok: true } : { error: body.error || `the server answered ${xhr.status}` });
    };
    xhr.onerror = () => resolve({ error: `${file.name}: the connection to the server was lost` });
    xhr.onabort = () => resolve({ aborted: true });
    xhr.send(file);
  });
}

export default function ({ data, parentElement, setStateValue }) {
  const root = parentElement.querySelector(".picker");
  const input = root.querySelector("input");
  const zone = root.querySelector(".zone");
  const list = root.querySelector(".files");
  const status = root.querySelector(".status");
  const clear = root.querySelector(".clear");
  const view = root.view || (root.view = { files: [], status: "", current: null, xhr: null });
  view.data = data;
  const draw = () => {
    list.replaceChildren(...view.files.map((f) => {
      const item = document.createElement("li");
      item.textContent = `${f.name} (${amount(f.size)})`;
      return item;
    }));
    status.textContent = view.status;
    clear.hidden = view.files.length === 0;
  };
  const stop = () => {
    view.current = null;
    if (view.xhr) view.xhr.abort();
  };
  input.accept = data.types.map((t) => "." + t).join(",");
  root.querySelector(".limits").textContent =
    `Up to ${amount(data.max_file)} a file and ${amount(data.max_total)} a load • ${data.types.join(", ").toUpperCase()}`;

  const send = async (files) => {
    if (!files.length) return;
    stop();
    const id = newId();
    const limits = view.data;
    view.current = id;
    view.files = files.map((f) => ({ name: f.name, size: f.size }));
    const total = files.reduce((sum, f) => sum + f.size, 0);
    const wrongType = files.find((f) => !limits.types.includes(f.name.split(".").pop().toLowerCase()));
    const tooBig = files.find((f) => f.size > limits.max_file);
    let error = null;
    if (wrongType) error = `${wrongType.name} is not one of the file types taken (${limits.types.join(", ")})`;
    else if (tooBig) error = `${tooBig.name} is over the limit of ${limits.max_file.toLocaleString("en")} bytes a file`;
    else if (total > limits.max_total) error = `the files add up to ${total.toLocaleString("en")} bytes, above the limit of ${limits.max_total.toLocaleString("en")} bytes per load`;
    const fail = (why) => {
      view.status = "Not sent.";
      draw();
      setStateValue("batch", { id, error: why });
    };
    if (error) return fail(error);
    setStateValue("batch", { id, sending: true });
    let sent = 0;
    for (const file of files) {
      const url = `${limits.url}/${id}/${encodeURIComponent(file.name)}`;
      const answer = await put(view, url, file, (loaded) => {
        if (view.current !== id) return;
        view.status = `Sending ${file.name}: ${Math.floor((100 * (sent + loaded)) / Math.max(total, 1))}%`;
        draw();
      });
      if (view.current !== id) return;
      if (answer.error) return fail(answer.error);
      sent += file.size;
    }
    view.status = `Sent: ${files.length === 1 ? "1 file" : files.length + " files"}, ${amount(total)}.`;
    draw();
    setStateValue("batch", { id, files: view.files });
  };
  const choose = (files) => send(files).catch((e) => {
    view.status = `Not sent: ${e}`;
    draw();
  });

  input.onchange = () => { choose([...input.files]); input.value = ""; };
  zone.ondragover = (e) => { e.preventDefault(); zone.classList.add("over"); };
  zone.ondragleave = () => zone.classList.remove("over");
  zone.ondrop = (e) => { e.preventDefault(); zone.classList.remove("over"); choose([...e.dataTransfer.files]); };
  clear.onclick = () => { stop(); view.files = []; view.status = ""; draw(); setStateValue("batch", null); };
  draw();
}
"""
