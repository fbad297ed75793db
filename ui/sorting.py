"""Sorting and paging a table in SQL: clicking a column header sorts every matching row by it, not
only the rows of the page on screen, and a page past the last is brought back to the last.

The grid's own header sort would reorder just the page it was sent, so it is replaced: with column
selection on, a click selects the column instead (Streamlit then turns the grid's sort off), and that
choice becomes the query's sort. Clicking the sorted column again reverses it. The sorted column
stays selected and its header carries an arrow.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from typing import NamedTuple

import pandas as pd
import streamlit as st

from ui import url_state
from ui.db import frame


def header_sort(
    table: str,
    columns: Mapping[str, str],
    sort_key: str,
    desc_key: str,
    on_change: Callable[[], None] | None = None,
    rows: str | None = None,
    on_rows: Callable[[list[int]], None] | None = None,
    first_ascending: Collection[str] = (),
) -> dict:
    """Keyword arguments for `st.dataframe` that make a header click choose the sort.

    `columns` maps each sortable column of the frame to the sort value it stands for; the sort and
    its direction live in `st.session_state[sort_key]` and `[desc_key]`. `on_change` runs after a
    new sort is chosen (to go back to the first page). `rows` ("single-row" or "multi-row") keeps
    row selection on as well; the caller reads the selected rows from the grid's return value, or
    gives `on_rows`, called with them before the next run (the table then starts unselected).
    A new sort starts highest first, or A to Z for the sorts in `first_ascending` (names, titles).
    """
    sort, descending = st.session_state[sort_key], bool(st.session_state[desc_key])
    retry = f"{table}_sort_retry"
    # A new widget for each sort, so its selection starts as the sorted column.
    key = f"{table}_{sort}_{int(descending)}_{st.session_state.get(retry, 0)}"
    current = next((column for column, value in columns.items() if value == sort), None)
    selected = [current] if current else []

    def picked() -> None:
        selection = st.session_state[key].selection
        chosen = list(selection.columns)
        if chosen == selected:
            # A row was picked: the sort stays.
            if on_rows is not None and selection.rows:
                st.session_state[retry] = st.session_state.get(retry, 0) + 1
                on_rows(list(selection.rows))
            return
        if not chosen:
            st.session_state[desc_key] = not descending  # the sorted column clicked again
        elif chosen[0] in columns:
            st.session_state[sort_key] = columns[chosen[0]]
            st.session_state[desc_key] = columns[chosen[0]] not in first_ascending
        else:
            # Not a sortable column: redraw with the sorted column selected again.
            st.session_state[retry] = st.session_state.get(retry, 0) + 1
            return
        if on_change is not None:
            on_change()

    return {
        "key": key,
        "on_select": picked,
        "selection_mode": [rows, "single-column"] if rows else "single-column",
        "selection_default": {"selection": {"rows": [], "columns": selected}},
    }


def arrow(label: str, column: str, columns: Mapping[str, str], sort: str, descending: bool) -> str:
    """A column's header: with an arrow when the table is sorted by it."""
    return f"{label} {'↓' if descending else '↑'}" if columns.get(column) == sort else label


class Page(NamedTuple):
    """One page of a paged query's rows, which page it is, of how many, and how many rows match in all."""

    rows: pd.DataFrame
    number: int
    pages: int
    matches: int


def page_of(name: str, query: Mapping[str, object], page: url_state.Param, size: int) -> Page:
    """The page of query `name` (its rows carrying `matches`, the count of all) that the bound
    parameter `page` chooses, `size` rows a page; the last page when there are fewer pages now (the
    search, the filters or an old link), said when the number came from the link."""
    number = int(st.session_state[page.key])
    rows = frame(name, **query, limit=size, offset=(number - 1) * size)
    if rows.empty and number > 1:
        last = max(1, math.ceil(_matches(frame(name, **query, limit=size, offset=0)) / size))
        number = url_state.clamp(page, 1, last)
        rows = frame(name, **query, limit=size, offset=(number - 1) * size)
    matches = _matches(rows)
    return Page(rows, number, max(1, math.ceil(matches / size)), matches)


def _matches(rows: pd.DataFrame) -> int:
    return 0 if rows.empty else int(rows.matches.iloc[0])
