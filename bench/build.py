"""Build the demo database at a given size with the project's own command, timed, with its peak memory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parent.parent


@dataclass(frozen=True)
class Build:
    """One demo database: its size in reviews, build seconds and peak resident bytes (None if
    reused) and bytes on disk."""

    reviews: int
    path: Path
    seconds: float | None
    size_bytes: int
    peak_rss_bytes: int | None = None


def database_bytes(path: Path) -> int:
    """Bytes on disk of a DuckDB file and its write-ahead log, if any."""
    wal = Path(str(path) + ".wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def build(path: Path, reviews: int, reuse: bool = False, films: int | None = None) -> Build:
    """Run `python -m ingest demo --db path --reviews N [--films F]` (skipped when `reuse` and the
    file exists)."""
    if reuse and path.exists():
        return Build(reviews, path, None, database_bytes(path))
    started = time.perf_counter()
    command = [sys.executable, "-m", "ingest", "demo", "--db", str(path), "--reviews", str(reviews),
               *(["--films", str(films)] if films else [])]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # wait4 reports this child's own peak (getrusage's RUSAGE_CHILDREN is the largest of all children).
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, command)
    return Build(reviews, path, time.perf_counter() - started, database_bytes(path), usage.ru_maxrss * 1024)
