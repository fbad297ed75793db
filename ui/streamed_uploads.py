"""Uploads written to the server's disk as they arrive, never held whole in its memory.

Streamlit's own uploader keeps each file in the server's memory until the session ends (a 1 GB
upload costs 1 GB of memory, however it is read afterwards). When the app is served by `server.py`,
the Data page uses this instead: the browser sends each file with a PUT to a route of the app's own,
which writes it to this session's inbox folder a chunk at a time, checking the limits as it goes.

A session's inbox is named by an unguessable token, the only key to it. It holds one batch of files
at a time (one choice in the picker): a new batch replaces the last. The page takes a complete batch
as an `Upload`, which moves the files out of the inbox. The inbox folder goes with the session's
state, or with `uploads.sweep_unused` when the tab has been closed.
"""

from __future__ import annotations

import functools
import re
import secrets
import shutil
import tempfile
import weakref
from pathlib import Path

import streamlit as st
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ingest.errors import LoadError
from ui import served, uploads
from ui.scratch import scratch_dir, touch

ROUTE = "/api/uploads/{token}/{batch}/{name}"
BATCH = re.compile(r"[A-Za-z0-9]{8,64}")
# Room left on the disk after a file, so an upload never fills it for the database beside it.
DISK_MARGIN_BYTES = 256 * 1024**2
_INBOX_KEY = "data_inbox"
_INBOXES: weakref.WeakValueDictionary[str, Inbox] = weakref.WeakValueDictionary()


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
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.folder, True)
        _INBOXES[self.token] = self

    def start(self, batch: str) -> Path:
        """The folder of `batch`; a new batch removes the one before it."""
        if batch != self.batch:
            if self.batch is not None:
                shutil.rmtree(self.folder / self.batch, ignore_errors=True)
            self.batch, self.received = batch, 0
        folder = self.folder / batch
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def take(self, batch: str, files: list[dict]) -> uploads.Upload:
        """The batch's files as an Upload of their own (moved out of the inbox), once every file the
        browser reported is there, whole. LoadError otherwise."""
        folder = self.folder / batch
        if not folder.is_dir():
            raise LoadError.single(
                "the upload", "the files are no longer on the server (loaded already, or removed); choose them again"
            )
        for item in files:
            name = uploads.safe_name(str(item.get("name", "")))
            path = folder / name
            if not path.is_file() or path.stat().st_size != item.get("size"):
                raise LoadError.single(name, "did not arrive whole; upload it again")
        target = Path(tempfile.mkdtemp(prefix="upload-", dir=self.folder.parent))
        target.rmdir()
        folder.rename(target)
        if self.batch == batch:
            self.batch, self.received = None, 0
        return uploads.upload_in(target)

    def renew(self) -> None:
        """Mark the inbox as in use (the unused-upload sweep goes by its age)."""
        touch(self.folder)

    def discard(self) -> None:
        """Delete the folder now (also done when the Inbox is garbage-collected)."""
        _INBOXES.pop(self.token, None)
        self._finalizer()


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


def upload_url(box: Inbox) -> str:
    """The path the browser sends this inbox's files to (followed by /<batch>/<file name>)."""
    return served.url(f"/api/uploads/{box.token}")


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
    if not BATCH.fullmatch(params["batch"]):
        return _refusal(Refused(400, "the upload's batch name is not one this page makes"))
    name = uploads.safe_name(params["name"])
    partial, written = None, 0
    try:
        folder = box.start(params["batch"])
        declared = _declared_size(request)
        _check(box, name, declared, declared, folder)
        partial = folder / f".{name}.part"
        with partial.open("wb") as out:
            async for chunk in request.stream():
                written += len(chunk)
                box.received += len(chunk)
                _check(box, name, written, 0, folder)
                out.write(chunk)
        partial.rename(folder / name)
        return JSONResponse({"name": name, "size": written})
    except Refused as refused:
        failure = refused
    except ClientDisconnect:
        failure = Refused(400, f"{name}: the browser stopped sending it")
    except OSError as exc:
        failure = Refused(507, f"{name} cannot be stored on the server ({exc.strerror or exc})")
    box.received -= written
    return _refusal(failure, partial)


def _declared_size(request: Request) -> int:
    value = request.headers.get("content-length", "0")
    if not value.isdigit():
        raise Refused(400, "the upload's declared length is not a number")
    return int(value)


def _check(box: Inbox, name: str, file_bytes: int, coming: int, folder: Path) -> None:
    """Refuse a file over the per-file limit, a batch over the per-load limit, or a file the disk has
    no room for: first with the declared length (`coming` bytes not yet received), then as it arrives."""
    limit = per_file_limit()
    if file_bytes > limit:
        raise Refused(413, f"{name} is over the limit of {limit:,} bytes a file")
    total = box.received + coming
    if total > uploads.MAX_TOTAL_BYTES:
        raise Refused(413, f"{name}: {uploads.over_total(total)}")
    if shutil.disk_usage(folder).free < coming + DISK_MARGIN_BYTES:
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
            "url": upload_url(box),
            "types": types,
            "max_file": per_file_limit(),
            "max_total": uploads.MAX_TOTAL_BYTES,
        },
        default={"batch": None},
        on_batch_change=lambda: None,
    )
    batch = result.get("batch")
    if not batch:
        return None
    if batch.get("error"):
        error = LoadError.single("the upload", batch["error"])
        return uploads.Chosen(("refused", batch["id"]), lambda: _raise(error))
    if batch.get("sending"):
        return uploads.Chosen(("sending", batch["id"]), None)
    return uploads.Chosen(("sent", batch["id"]), lambda: box.take(batch["id"], batch["files"]))


def _raise(error: LoadError) -> uploads.Upload:
    raise error


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

# The picker keeps what it shows on its host element, so a rerun (which calls this again) redraws it.
_JS = """
const amount = (n) => n < 1024 ? `${n} bytes`
  : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB`
  : n < 1073741824 ? `${(n / 1048576).toFixed(1)} MiB` : `${(n / 1073741824).toFixed(2)} GiB`;

function put(url, file, progress) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    xhr.upload.onprogress = (e) => progress(e.loaded);
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
      resolve(xhr.status === 200 ? { ok: true } : { error: body.error || `the server answered ${xhr.status}` });
    };
    xhr.onerror = () => resolve({ error: `${file.name}: the connection to the server was lost` });
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
  const view = root.view || (root.view = { files: [], status: "" });
  const draw = () => {
    list.replaceChildren(...view.files.map((f) => {
      const item = document.createElement("li");
      item.textContent = `${f.name} (${amount(f.size)})`;
      return item;
    }));
    status.textContent = view.status;
    clear.hidden = view.files.length === 0;
  };
  input.accept = data.types.map((t) => "." + t).join(",");
  root.querySelector(".limits").textContent =
    `Up to ${amount(data.max_file)} a file and ${amount(data.max_total)} a load • ${data.types.join(", ").toUpperCase()}`;

  const send = async (files) => {
    if (!files.length) return;
    const id = crypto.randomUUID().replaceAll("-", "");
    view.files = files.map((f) => ({ name: f.name, size: f.size }));
    const total = files.reduce((sum, f) => sum + f.size, 0);
    const wrongType = files.find((f) => !data.types.includes(f.name.split(".").pop().toLowerCase()));
    const tooBig = files.find((f) => f.size > data.max_file);
    let error = null;
    if (wrongType) error = `${wrongType.name} is not one of the file types taken (${data.types.join(", ")})`;
    else if (tooBig) error = `${tooBig.name} is over the limit of ${data.max_file.toLocaleString("en")} bytes a file`;
    else if (total > data.max_total) error = `the files add up to ${total.toLocaleString("en")} bytes, above the limit of ${data.max_total.toLocaleString("en")} bytes per load`;
    if (error) {
      view.status = "Not sent.";
      draw();
      setStateValue("batch", { id, error });
      return;
    }
    setStateValue("batch", { id, sending: true });
    let sent = 0;
    for (const file of files) {
      const url = `${data.url}/${id}/${encodeURIComponent(file.name)}`;
      const answer = await put(url, file, (loaded) => {
        view.status = `Sending ${file.name}: ${Math.floor((100 * (sent + loaded)) / Math.max(total, 1))}%`;
        draw();
      });
      if (answer.error) {
        view.status = "Not sent.";
        draw();
        setStateValue("batch", { id, error: answer.error });
        return;
      }
      sent += file.size;
    }
    view.status = `Sent: ${files.length === 1 ? "1 file" : files.length + " files"}, ${amount(total)}.`;
    draw();
    setStateValue("batch", { id, files: view.files });
  };

  input.onchange = () => { send([...input.files]); input.value = ""; };
  zone.ondragover = (e) => { e.preventDefault(); zone.classList.add("over"); };
  zone.ondragleave = () => zone.classList.remove("over");
  zone.ondrop = (e) => { e.preventDefault(); zone.classList.remove("over"); send([...e.dataTransfer.files]); };
  clear.onclick = () => { view.files = []; view.status = ""; draw(); setStateValue("batch", null); };
  draw();
}
"""
