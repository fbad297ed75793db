"""CSV downloads written by DuckDB straight to a file, never through a pandas frame."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import streamlit as st

import queries
from ui.db import database
from ui.scratch import scratch_dir


def export_to_file(name: str, **params) -> Path:
    """Run query `name` with `params` and write the whole result as CSV; returns the file.

    A failed export (a full disk) leaves no partial file behind.
    """
    with tempfile.NamedTemporaryFile(dir=scratch_dir("exports"), suffix=".csv", delete=False) as handle:
        target = Path(handle.name)
    try:
        with database().cursor() as cur:
            queries.export_csv(cur, name, target, **params)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def csv_button(label: str, name: str, file_name: str, key: str | None = None, **params) -> None:
    """A download button that produces the CSV only when clicked."""

    def produce():
        path = export_to_file(name, **params)
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
