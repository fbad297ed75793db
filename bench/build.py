"""Build the demo database at a given size with the project's own command, timed, with its peak memory."""

from __future__ import annotations

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


# `python -m ingest ARGS`, then this process's peak resident memory (VmHWM) as the last line: the
# kernel's figure for a finished child (wait4, getrusage) keeps its parent's peak from before exec.
MEASURED = """
import sys
from bench.export import peak_rss_bytes
from ingest.__main__ import main
code = main(sys.argv[1:])
print(peak_rss_bytes(), flush=True)
sys.exit(code)
"""


def build(path: Path, reviews: int, reuse: bool = False, films: int | None = None) -> Build:
    """Run `python -m ingest demo --db path --reviews N [--films F]` (skipped when `reuse` and the
    file exists)."""
    if reuse and path.exists():
        return Build(reviews, path, None, database_bytes(path))
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, "demo", "--db", str(path), "--reviews", str(reviews),
         *(["--films", str(films)] if films else [])],
        cwd=ROOT, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    peak = int(done.stdout.strip().splitlines()[-1])
    return Build(reviews, path, time.perf_counter() - started, database_bytes(path), peak)
