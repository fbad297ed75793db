"""The global sidebar filters: their widgets, "Clear filters", the filters in force shown as pills, and
the filter handed from app.py to the page it runs.

The filters are kept in the URL query string so a filtered view can be shared (written with the rest of
the view's state by `ui.url_state.write`); `ui.filter_codec` reads them from a link and writes them back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import pandas as pd
import streamlit as st

from ingest.wording import count
from queries.filters import Filters
from ui import filter_codec, pages_folder, url_state
from ui.credits import how_to_add
from ui.db import frame
from ui.filter_codec import Bounds

# A role with more people than this gets a search box, and its picker lists the most credited matches.
PICKER_LIMIT = 1000
# Each role's picker: the role, its title, its widget's key, its placeholder and its help.
PICKERS = (
    ("director", "Directors", "f_directors", "Any director", "Films directed by any of these."),
    ("actor", "Actors", "f_actors", "Any actor", "Films with any of these in the cast."),
)


def bounds() -> Bounds:
    """Release-year and review-date ranges of the data, and the demo label if it is the demo."""
    row = frame("data_bounds").iloc[0]
    today = dt.date.today()
    return Bounds(
        first_year=1900 if pd.isna(row.first_year) else int(row.first_year),
        last_year=today.year if pd.isna(row.last_year) else int(row.last_year),
        first_date=today if pd.isna(row.first_date) else pd.Timestamp(row.first_date).date(),
        last_date=today if pd.isna(row.last_date) else pd.Timestamp(row.last_date).date(),
        demo_label=None if pd.isna(row.demo_label) else str(row.demo_label),
    )


def person_labels(role: str, ids: Iterable[str]) -> dict[str, str]:
    """person_id → display label of the given people credited in `role` (others left out)."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    rows = frame("person_labels", role=role, ids=ids)
    return dict(zip(rows.person_id, rows.label, strict=True))


def person_choices(role: str, search: str | None, chosen: Sequence[str]) -> tuple[dict[str, str], int]:
    """A picker's options in `role` (person_id → label): the `chosen` people and the `PICKER_LIMIT`
    most credited whose name contains `search`; and how many people match the search."""
    rows = frame("person_choices", role=role, search=search or None, chosen=list(chosen), limit=PICKER_LIMIT)
    return dict(zip(rows.person_id, rows.label, strict=True)), int(rows.matches.iloc[0]) if len(rows) else 0


def sidebar_filters() -> Filters:
    """Draw the sidebar filters (first run: from the URL) and return the filter they select."""
    b = bounds()
    if url_state.navigated():
        # First run, Back, Forward or an edited link: the address is the state.
        _init_from_url(b)
    _follow_new_bounds(b)

    side = st.sidebar
    side.header("Filters")
    credited = [_person_picker(side, *picker) for picker in PICKERS]
    if not any(credited):
        side.caption(f"No directors or cast in this data, so there is no one to choose. {how_to_add()}")
    if b.first_year < b.last_year:
        side.slider("Release year", b.first_year, b.last_year, key="f_years")
    if b.first_date < b.last_date:
        side.date_input("Review dates", min_value=b.first_date, max_value=b.last_date, key="f_dates",
                        format="YYYY-MM-DD")
    side.number_input("Minimum ratings per film", min_value=0, step=1, key="f_min_ratings",
                      help="Leave out films with fewer counted ratings in the chosen dates.")
    # A callback: it runs before the widgets are drawn, the only time their state may be set.
    side.button("Clear filters", width="stretch", on_click=_set_widgets, args=(Filters(), b), key="f_clear")

    return _current(b)


def _person_picker(side, role: str, title: str, key: str, placeholder: str, help_text: str) -> int:
    """One role's picker; returns how many people are credited in the role. A role with more people
    than `PICKER_LIMIT` gets a search box: sending every name to the browser on every run would cost
    more than the page (75,000 actors in a large catalogue)."""
    chosen = st.session_state[key]
    options, everyone = person_choices(role, None, chosen)
    if everyone > PICKER_LIMIT:
        search = side.text_input(f"Find {role}s", key=f"{key}_find", max_chars=100, placeholder="part of a name",
                                 help=f"{everyone:,} {role}s: the list below shows the {PICKER_LIMIT:,} with the "
                                      "most films among those whose name contains this.")
        if search.strip():
            options, found = person_choices(role, search.strip(), chosen)
            side.caption(matches_caption(found, role, f"{role}s"))
        placeholder = f"{placeholder} (find others above)"
    side.multiselect(title, list(options), key=key, format_func=lambda pid: options.get(pid, pid),
                     placeholder=placeholder, help=help_text, max_selections=filter_codec.MAX_PEOPLE)
    return everyone


def matches_caption(found: int, one: str, many: str, listed: str = "") -> str:
    """What a name search found, e.g. '1,465 actors match; the 1,000 with the most films are listed.'"""
    if found == 0:
        return f"No {one} matches."
    said = f"1 {one} matches" if found == 1 else f"{found:,} {many} match"
    listed = listed or f"the {PICKER_LIMIT:,} with the most films are listed"
    return f"{said}; {listed}." if found > PICKER_LIMIT else f"{said}."


def _init_from_url(b: Bounds) -> None:
    query = url_state.current_query()
    # Only the people the link names are looked up: whether they exist is all the codec asks.
    directors = person_labels("director", query.get("director", []))
    actors = person_labels("actor", query.get("actor", []))
    filters, notes = filter_codec.from_query(query, b, directors, actors)
    _set_widgets(filters, b)
    st.session_state.filter_notes = notes


def _follow_new_bounds(b: Bounds) -> None:
    """After a load widens the data, a range left at its old full extent widens with it."""
    old = st.session_state.get("f_bounds", b)
    st.session_state.f_bounds = b
    if old == b:
        return
    years = list(st.session_state.f_years)
    dates = list(st.session_state.f_dates)
    years[0] = b.first_year if years[0] <= old.first_year else max(years[0], b.first_year)
    years[1] = b.last_year if years[1] >= old.last_year else min(years[1], b.last_year)
    if len(dates) == 2:
        dates[0] = b.first_date if dates[0] <= old.first_date else max(dates[0], b.first_date)
        dates[1] = b.last_date if dates[1] >= old.last_date else min(dates[1], b.last_date)
    st.session_state.f_years = tuple(years)
    st.session_state.f_dates = tuple(dates)


def _set_widgets(filters: Filters, b: Bounds) -> None:
    """Set the widgets to `filters` (before they are drawn)."""
    years, dates = filter_codec.ranges(filters, b)
    st.session_state.f_directors = list(filters.directors)
    st.session_state.f_actors = list(filters.actors)
    st.session_state.f_years = years
    st.session_state.f_dates = dates
    st.session_state.f_min_ratings = filters.min_ratings


def _current(b: Bounds) -> Filters:
    years = st.session_state.get("f_years", (b.first_year, b.last_year))
    dates = st.session_state.get("f_dates", (b.first_date, b.last_date))
    # A date range picker holds one date while the user is choosing the second.
    dates = tuple(dates) if isinstance(dates, (list, tuple)) else (dates,)
    dates = (dates[0] if dates else b.first_date, dates[1] if len(dates) > 1 else b.last_date)
    return filter_codec.selected(b, st.session_state.f_directors, st.session_state.f_actors, years, dates,
                                 st.session_state.f_min_ratings or 0)


def mark_routed(filters: Filters) -> None:
    """Called by app.py before it runs the page: the filters of this script run."""
    st.session_state.filters = filters
    pages_folder.mark_routed()


def clear_filters() -> None:
    """Set every sidebar filter back to "no filter" (for a button's `on_click`, before widgets draw)."""
    _set_widgets(Filters(), bounds())


def active_filters() -> Filters:
    """The filter chosen in the sidebar for this script run (set by app.py); first, when Streamlit ran
    the page without app.py, run again through it (`ui.pages_folder`)."""
    pages_folder.run_through_app()
    return st.session_state.get("filters", Filters())


def show_notes() -> None:
    """The filters in force, each removable with a click (the sidebar is hidden on a phone), and
    which values from the link were ignored or corrected."""
    _show_active(st.session_state.get("filters", Filters()))
    url_state.warn([*st.session_state.get("filter_notes", []), *url_state.notes()])


def active_labels(filters: Filters, b: Bounds, directors: dict[str, str], actors: dict[str, str]) -> dict[str, str]:
    """Each filter in force as `kind:value` → a short label ("Director: Jane Campion")."""
    out = {f"director:{pid}": f"Director: {directors.get(pid, pid)}" for pid in filters.directors}
    out |= {f"actor:{pid}": f"Actor: {actors.get(pid, pid)}" for pid in filters.actors}
    years, dates = filter_codec.ranges(filters, b)
    if filters.year_from is not None or filters.year_to is not None:
        out["years:"] = f"Released {years[0]}–{years[1]}"
    if filters.date_from is not None or filters.date_to is not None:
        out["dates:"] = f"Reviewed {dates[0]} to {dates[1]}"
    if filters.min_ratings:
        out["min_ratings:"] = f"At least {count(filters.min_ratings, 'rating')} per film"
    return out


def _show_active(filters: Filters) -> None:
    if filters == Filters():
        return
    labels = active_labels(filters, bounds(), person_labels("director", filters.directors),
                           person_labels("actor", filters.actors))
    st.pills("Filters in force (click one to remove it)", list(labels), format_func=lambda k: f"{labels[k]}  ✕",
             key="f_remove", on_change=_remove_one, label_visibility="collapsed")


def _remove_one() -> None:
    """Drop the filter whose pill was clicked (a callback, so before the sidebar's widgets are drawn)."""
    chosen = st.session_state.get("f_remove") or ""
    st.session_state.f_remove = None
    kind, _, value = chosen.partition(":")
    b = bounds()
    if kind == "director":
        st.session_state.f_directors = [p for p in st.session_state.f_directors if p != value]
    elif kind == "actor":
        st.session_state.f_actors = [p for p in st.session_state.f_actors if p != value]
    elif kind == "years":
        st.session_state.f_years = (b.first_year, b.last_year)
    elif kind == "dates":
        st.session_state.f_dates = (b.first_date, b.last_date)
    elif kind == "min_ratings":
        st.session_state.f_min_ratings = 0
