"""Uploaded files on disk, ready for the importers: saved under a fresh folder, zips unpacked.

An upload's folder lives exactly as long as it is needed: it is removed after the load, when the
files are removed or others chosen, when saving fails (a full disk), when the browser session's
state is dropped (and with it the `Upload`), and, since Streamlit drops a closed tab's session only
lazily, by `sweep_unused` once it has not been used for UNUSED_TTL_S seconds. Files whose preview
fails are kept while they stay chosen, so another format can be tried without sending them again.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import LoadError
from ingest.uploads import expand_uploads
from ui.scratch import scratch_dir, touch

# The uploader's own limit is per file (server.maxUploadSize); this bounds what one load can bring.
MAX_TOTAL_BYTES = 1024**3
# An upload not looked at for this long belongs to a closed tab (every run of its page renews it).
UNUSED_TTL_S = int(os.environ.get("REVIEWS_UPLOAD_TTL_S", 3600))


@dataclass
class Upload:
    """Saved upload files: the folder holding them and the paths to load."""

    folder: Path
    paths: list[Path]
    _finalizer: weakref.finalize = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.folder, True)

    def discard(self) -> None:
        """Delete the folder now (also done when the Upload is garbage-collected)."""
        self._finalizer()

    def renew(self) -> bool:
        """Mark the upload as in use; False when it is gone (swept as unused)."""
        return touch(self.folder)


@dataclass(frozen=True)
class Chosen:
    """Files chosen on the page: what tells this choice from another, how to save them as an Upload
    (None while they are still arriving, or when they were refused), and why they were refused."""

    signature: tuple
    save: Callable[[], Upload] | None
    refused: LoadError | None = None


def chosen_in_uploader(files) -> Chosen | None:
    """The files on Streamlit's own uploader (held in the server's memory), or None when it is empty."""
    if not files:
        return None
    return Chosen(tuple((f.name, f.size) for f in files), lambda: save_uploads(files))


def safe_name(name: str) -> str:
    """A file name reduced to safe characters, so it can never point outside its folder (the importers
    still recognise `reviews.csv`, `films.parquet` …)."""
    return re.sub(r"[^\w.-]+", "_", Path(name).name).lstrip(".") or "upload"


def save_uploads(uploaded, root: Path | None = None) -> Upload:
    """Write Streamlit UploadedFiles to a new folder and unpack zips; LoadError when refused.

    Nothing is left on disk when this raises.
    """
    total = sum(item.size for item in uploaded)
    if total > MAX_TOTAL_BYTES:
        raise LoadError.single("the upload", over_total(total))
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=scratch_dir("uploads", root)))

    def save() -> None:
        for item in uploaded:
            with (folder / safe_name(item.name)).open("wb") as out:
                shutil.copyfileobj(item, out, length=1 << 20)

    return upload_in(folder, save)


def upload_in(folder: Path, fill: Callable[[], None] = lambda: None) -> Upload:
    """The Upload owning `folder`, once `fill` has put the files there: its zips unpacked, its files
    ready to load. LoadError when refused; the folder is removed when this raises."""
    try:
        fill()
        # A name starting with a dot is a file still arriving (safe_name never makes one).
        saved = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
        paths = expand_uploads(saved, folder / "unpacked")
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise LoadError.single("the upload", f"cannot be saved for reading ({exc.strerror or exc})") from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    # Several loose files are one load: the importers read a folder of them together.
    if len(paths) > 1 and all(p.parent == folder for p in paths):
        paths = [folder]
    return Upload(folder, paths)


def over_total(total: int) -> str:
    """Why files adding up to `total` bytes are refused."""
    return f"the files add up to {total:,} bytes, above the limit of {MAX_TOTAL_BYTES:,} bytes per load"


def discard(upload: Upload | None) -> None:
    """Delete an upload's folder once it has been loaded or abandoned (None: nothing to do)."""
    if upload is not None:
        upload.discard()


def sweep_unused(root: Path | None = None) -> list[Path]:
    """Remove this process's upload folders unused for UNUSED_TTL_S seconds; returns them."""
    cutoff = time.time() - UNUSED_TTL_S
    removed = []
    for folder in scratch_dir("uploads", root).iterdir():
        try:
            stale = folder.stat().st_mtime < cutoff
        except FileNotFoundError:
            continue
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
