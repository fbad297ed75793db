"""CSV downloads written by DuckDB straight to a file, never through a pandas frame."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import streamlit as st

import queries
from ui.db import Database, database
from ui.scratch import scratch_dir


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


def csv_button(label: str, name: str, file_name: str, key: str | None = None, **params) -> None:
    """A download button that produces the CSV only when clicked."""

    # Taken now: the file is produced when clicked, outside this script run, where the session
    # (and so its private copy of the data, if any) is not known.
    source = database()

    def produce():
        path = export_to_file(name, source=source, **params)
        # Streamlit reads the whole file when serving it; the temporary copy is removed at once.
        try:
            return path.read_bytes()
        finally:
            path.unlink(missing_ok=True)

    st.download_button(
        label,
        data=produce,
        file_name=_safe_file_name(file_name),
        mime="text/csv",
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def _safe_file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "export.csv"
