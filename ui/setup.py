"""First start: build the demo database when there is none, showing progress; clear old scratch."""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

from ingest.demo import build_demo
from ingest.errors import WriteRefused
from ingest.health import written_by_another_duckdb
from ui.progress import progress_bar
from ui.scratch import sweep

_BUILD_LOCK = threading.Lock()
_SWEEP_LOCK = threading.Lock()
_SWEPT = False


def demo_needed(path: Path) -> bool:
    """True when the built-in demo must be built: there is none, or the one there was written by
    another DuckDB version, which this one cannot read (the demo is generated, so it is rebuilt)."""
    return not path.exists() or written_by_another_duckdb(path)


def build_demo_with_progress(path: Path) -> None:
    """Build the demo database at `path` with a progress bar (once, even with several sessions)."""
    with _BUILD_LOCK:
        if not demo_needed(path):
            return
        bar, report = progress_bar("Building the demo database (real film credits, simulated reviews)…",
                                   lambda message: f"Building the demo database: {message}…")
        try:
            build_demo(path, progress=report)
        except WriteRefused as busy:
            bar.empty()
            st.info(f"{busy}. The demo appears when that build is done: reload this page then.")
            st.stop()
        bar.empty()


def sweep_scratch() -> int:
    """Once per server process, before it makes any: remove scratch folders left by processes that
    are gone (and by an earlier process with this one's id). Returns how many it removed.

    Not a cached resource: clearing Streamlit's caches would run it again and delete this
    process's own uploads and private copies.
    """
    global _SWEPT
    with _SWEEP_LOCK:
        if _SWEPT:
            return 0
        _SWEPT = True
        return len(sweep(own=True))
