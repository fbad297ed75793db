"""A progress bar moved by a long load or build through its `progress(message, fraction)` callback."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ui.text import sentence


def progress_bar(start: str, line: Callable[[str], str] = sentence):
    """A progress bar showing `start`, and the callback that moves it: each message written by `line`,
    each fraction kept within 0 to 1. Returns (bar, callback); the caller empties the bar when done."""
    bar = st.progress(0.0, text=start)

    def report(message: str, fraction: float) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=line(message))

    return bar, report
