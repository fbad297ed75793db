"""Uploaded files on disk, ready for the importers: saved under a fresh folder, zips unpacked."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from ingest.uploads import expand_uploads

UPLOAD_ROOT = Path(tempfile.gettempdir()) / "film-review-uploads"


def save_uploads(uploaded) -> tuple[Path, list[Path]]:
    """Write Streamlit UploadedFiles to a new folder; returns the folder and the paths to load.

    File names are kept (the importers recognise `reviews.csv`, `films.parquet` …) but reduced to
    safe characters, so a name can never point outside the folder.
    """
    UPLOAD_ROOT.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=UPLOAD_ROOT))
    saved = []
    for item in uploaded:
        name = re.sub(r"[^\w.-]+", "_", Path(item.name).name).lstrip(".") or "upload"
        target = folder / name
        with target.open("wb") as out:
            shutil.copyfileobj(item, out, length=1 << 20)
        saved.append(target)
    try:
        paths = expand_uploads(saved, folder / "unpacked")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    # Several loose files are one load: the importers read a folder of them together.
    if len(paths) > 1 and all(p.parent == folder for p in paths):
        return folder, [folder]
    return folder, paths


def remove(folder: Path | None) -> None:
    """Delete an upload folder once it has been loaded or abandoned."""
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
