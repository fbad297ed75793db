"""What the app says where credits are missing: one line, and how to add them.

A Letterboxd export carries no directors or cast, so for many users every view built on credits
would otherwise look empty, as if a threshold had hidden everything.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from ingest.credits import add_imdb_credits
from ingest.errors import LoadError, WriteRefused
from ui import loading
from ui.db import Database, frame
from ui.progress import progress_bar
from ui.text import bullets

HOW_TO_ADD = (
    "Add them from IMDb's free datasets (`python -m ingest credits IMDB_FOLDER --db FILE`), a `people.csv` and "
    "`credits.csv`, or saved Letterboxd film pages: see the Data page."
)


def how_to_add() -> str:
    """How credits can be added here (the Data page's button when the server has IMDb's files)."""
    if imdb_folder() is not None:
        return "Add them from IMDb's datasets with the Data page's “Add credits from IMDb” button, or see the Data page."
    return HOW_TO_ADD


def coverage(params: dict) -> pd.Series:
    """For the films passing the film-level filters: `films`, `credited`, `with_directors`, `with_actors`."""
    return frame("credit_coverage", **params).iloc[0]


def explain_missing(params: dict) -> bool:
    """Say in one line when the filtered films lack credits; True when none has any (nothing to show)."""
    cov = coverage(params)
    films, credited = int(cov.films), int(cov.credited)
    if films and not credited:
        st.info(
            f"This data has no directors or cast for these {films:,} films (a Letterboxd export carries none), so "
            f"there is nobody to rank or compare yet. {how_to_add()}",
            icon=":material/person_off:",
        )
        return True
    if credited < films:
        st.caption(f"Credits are known for {credited:,} of {films:,} films; the others cannot appear here. {how_to_add()}")
    return False


def imdb_folder() -> Path | None:
    """The folder of IMDb's dataset files on the server (`IMDB_DATASETS`), when set."""
    value = os.environ.get("IMDB_DATASETS")
    return Path(value) if value else None


def draw_imdb_enrichment(db: Database, mode: str) -> None:
    """The Data page's “Add credits from IMDb” button (unless uploads are `mode` off), its progress
    and its result."""
    folder = imdb_folder()
    if folder is None or not db.writable or mode == "off":
        return
    st.subheader("Credits from IMDb")
    st.caption(
        f"IMDb's datasets are on this server (`{folder}`). Each film is matched to an IMDb title by its IMDb id, "
        "else by title and release year (a film, never a series, episode or short); ambiguous films are left alone. "
        "Directors and cast are added to films that have none; credits already here are kept. Data from IMDb's "
        "datasets is IMDb's (non-commercial use)."
    )
    if st.button("Add credits from IMDb", key="data_imdb", icon=":material/person_add:"):
        bar, report = progress_bar("Reading IMDb's files…")
        try:
            result = loading.write(lambda con: add_imdb_credits(con, folder, progress=report))
        except LoadError as refused:
            st.session_state.data_imdb_result = (False, ["Nothing was changed.", *map(str, refused.problems)])
        except WriteRefused as refused:
            st.session_state.data_imdb_result = (False, [f"Nothing was changed: {refused}."])
        else:
            st.session_state.data_imdb_result = (True, result.lines())
        bar.empty()
    outcome = st.session_state.get("data_imdb_result")
    if outcome is not None:
        ok, lines = outcome
        (st.success if ok else st.error)(bullets(lines))
