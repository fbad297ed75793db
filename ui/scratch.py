"""Scratch folders for uploads and downloads, one per server process, never left behind.

Each running app writes under `<temp>/film-review-<kind>/<pid>/`. A process that ends without
cleaning up (killed, crashed) leaves its folder; the next app to start removes every folder whose
process is gone, so leftovers never outlive a restart.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

KINDS = ("uploads", "exports", "sessions", "spill")
# Room kept free on the disk after an upload or an export, so neither fills it for the database.
DISK_MARGIN_BYTES = 256 * 1024**2


def scratch_dir(kind: str, root: Path | None = None) -> Path:
    """This process's folder for `kind` ("uploads", "exports", "sessions": private copies of the
    data, or "spill": DuckDB's work beyond its memory limit), created on first use."""
    folder = _kind_root(kind, root) / str(os.getpid())
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sweep(root: Path | None = None, own: bool = False) -> list[Path]:
    """Remove the scratch folders of processes that are no longer running; returns them.

    With `own`, also this process's: at its start, such folders are an earlier process's that had
    the same id (in a container the app is always process 1, and its temp folder outlives a restart).
    """
    removed = []
    for kind in KINDS:
        base = _kind_root(kind, root)
        if not base.is_dir():
            continue
        for folder in base.iterdir():
            if not folder.name.isdigit():
                continue
            pid = int(folder.name)
            if (own and pid == os.getpid()) or not _running(pid):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def nearly_full(folder: Path, coming: int = 0) -> bool:
    """Whether writing `coming` more bytes in `folder` would leave less than DISK_MARGIN_BYTES free."""
    return shutil.disk_usage(folder).free < coming + DISK_MARGIN_BYTES


def touch(folder: Path) -> bool:
    """Mark a scratch folder as in use now (sweeps go by its age); False when it is gone."""
    try:
        os.utime(folder)
    except FileNotFoundError:
        return False
    return True


def _kind_root(kind: str, root: Path | None) -> Path:
    if kind not in KINDS:
        raise ValueError(f"unknown scratch kind: {kind!r}")
    return (root or Path(tempfile.gettempdir())) / f"film-review-{kind}"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
