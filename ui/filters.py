"""The global sidebar filters, kept in the URL query string so a filtered view can be shared
(written with the rest of the view's state by `ui.url_state.write`).

Values from the URL are checked before use (numbers and dates as `ui.url_state` reads every number and
date): unknown people, people past `MAX_PEOPLE`, unreadable numbers or dates and all but the last of a
repeated one are dropped; values outside the data are brought within it and reversed ranges swapped;
the page says so for each. Nothing from the URL reaches SQL except as a bound parameter of a query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from queries.filters import Filters
from ui import url_state
from ui.credits import how_to_add
from ui.db import frame

MAX_PEOPLE = 50  # per role: a filter of more is no longer a view anyone reads (one pill each)
MAX_MIN_RATINGS = 10**9


@dataclass(frozen=True)
class Bounds:
    """The ranges the data covers, for the widgets' limits."""

    first_year: int
    last_year: int
    first_date: dt.date
    last_date: dt.date
    demo_label: str | None


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


def person_labels(role: str) -> dict[str, str]:
    """person_id → display label for everyone credited in `role`, most credited first."""
    people = frame("person_options")
    people = people[people.role == role]
    return dict(zip(people.person_id, people.label, strict=True))


def sidebar_filters() -> Filters:
    """Draw the sidebar filters (first run: from the URL) and return the filter they select."""
    b = bounds()
    directors = person_labels("director")
    actors = person_labels("actor")
    if url_state.navigated():
        # First run, Back, Forward or an edited link: the address is the state.
        _init_from_url(b, directors, actors)
    _follow_new_bounds(b)

    side = st.sidebar
    side.header("Filters")
    side.multiselect("Directors", list(directors), key="f_directors", format_func=lambda pid: directors.get(pid, pid),
                     placeholder="Any director", help="Films directed by any of these.", max_selections=MAX_PEOPLE)
    side.multiselect("Actors", list(actors), key="f_actors", format_func=lambda pid: actors.get(pid, pid),
                     placeholder="Any actor", help="Films with any of these in the cast.", max_selections=MAX_PEOPLE)
    if not directors and not actors:
        side.caption(f"No directors or cast in this data, so there is no one to choose. {how_to_add()}")
    if b.first_year < b.last_year:
        side.slider("Release year", b.first_year, b.last_year, key="f_years")
    if b.first_date < b.last_date:
        side.date_input("Review dates", min_value=b.first_date, max_value=b.last_date, key="f_dates",
                        format="YYYY-MM-DD")
    side.number_input("Minimum ratings per film", min_value=0, step=1, key="f_min_ratings",
                      help="Leave out films with fewer counted ratings in the chosen dates.")
    # A callback: it runs before the widgets are drawn, the only time their state may be set.
    side.button("Clear filters", width="stretch", on_click=_reset, args=(b,), key="f_clear")

    return _current(b)


def _init_from_url(b: Bounds, directors: dict[str, str], actors: dict[str, str]) -> None:
    params = st.query_params
    notes: list[str] = []
    st.session_state.f_directors = _known(params.get_all("director"), directors, "director", notes)
    st.session_state.f_actors = _known(params.get_all("actor"), actors, "actor", notes)
    y0 = _read(url_state.parse_whole, "year_from", notes)
    y1 = _read(url_state.parse_whole, "year_to", notes)
    years = [
        _clamp(y0, b.first_year, b.last_year, b.first_year, "year_from", "release years", notes),
        _clamp(y1, b.first_year, b.last_year, b.last_year, "year_to", "release years", notes),
    ]
    if years[0] > years[1]:
        notes.append("the release-year range in the link was reversed; it has been swapped")
        years.reverse()
    st.session_state.f_years = tuple(years)
    d0 = _read(url_state.parse_day, "date_from", notes)
    d1 = _read(url_state.parse_day, "date_to", notes)
    dates = [
        _clamp(d0, b.first_date, b.last_date, b.first_date, "date_from", "review dates", notes),
        _clamp(d1, b.first_date, b.last_date, b.last_date, "date_to", "review dates", notes),
    ]
    if dates[0] > dates[1]:
        notes.append("the review-date range in the link was reversed; it has been swapped")
        dates.reverse()
    st.session_state.f_dates = tuple(dates)
    min_ratings = _read(url_state.parse_whole, "min_ratings", notes)
    if min_ratings is not None and min_ratings < 0:
        notes.append("min_ratings in the link was negative; it has been ignored")
        min_ratings = None
    if min_ratings is not None and min_ratings > MAX_MIN_RATINGS:
        notes.append(f"min_ratings {min_ratings:,} is over {MAX_MIN_RATINGS:,}; {MAX_MIN_RATINGS:,} was used")
        min_ratings = MAX_MIN_RATINGS
    st.session_state.f_min_ratings = min_ratings or 0
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


def _reset(b: Bounds) -> None:
    st.session_state.f_directors = []
    st.session_state.f_actors = []
    st.session_state.f_years = (b.first_year, b.last_year)
    st.session_state.f_dates = (b.first_date, b.last_date)
    st.session_state.f_min_ratings = 0


def _current(b: Bounds) -> Filters:
    years = st.session_state.get("f_years", (b.first_year, b.last_year))
    dates = st.session_state.get("f_dates", (b.first_date, b.last_date))
    # A date range picker holds one date while the user is choosing the second.
    dates = tuple(dates) if isinstance(dates, (list, tuple)) else (dates,)
    date_from = dates[0] if dates else b.first_date
    date_to = dates[1] if len(dates) > 1 else b.last_date
    return Filters(
        directors=tuple(st.session_state.f_directors),
        actors=tuple(st.session_state.f_actors),
        year_from=years[0] if years[0] > b.first_year else None,
        year_to=years[1] if years[1] < b.last_year else None,
        date_from=date_from if date_from > b.first_date else None,
        date_to=date_to if date_to < b.last_date else None,
        min_ratings=int(st.session_state.f_min_ratings or 0),
    )


ROUTED = "routed_by_app"


def mark_routed(filters: Filters) -> None:
    """Called by app.py before it runs the page: the filters of this script run."""
    st.session_state.filters = filters
    st.session_state[ROUTED] = True


def clear_filters() -> None:
    """Set every sidebar filter back to "no filter" (for a button's `on_click`, before widgets draw)."""
    _reset(bounds())


def active_filters() -> Filters:
    """The filter chosen in the sidebar for this script run (set by app.py).

    With a `pages/` folder beside app.py, Streamlit runs a page file directly (without app.py)
    on the first script run of a fresh server process, and on every rerun under AppTest. Then
    the router and its sidebar have not run: switch off that legacy folder mode and run again.
    """
    if not st.session_state.pop(ROUTED, False):
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()
    return st.session_state.get("filters", Filters())


def url_params(filters: Filters) -> dict[str, str | list[str]]:
    """The query-string form of a filter (only what differs from no filter)."""
    out: dict[str, str | list[str]] = {}
    if filters.directors:
        out["director"] = list(filters.directors)
    if filters.actors:
        out["actor"] = list(filters.actors)
    for key in ("year_from", "year_to", "date_from", "date_to"):
        value = getattr(filters, key)
        if value is not None:
            out[key] = str(value)
    if filters.min_ratings:
        out["min_ratings"] = str(filters.min_ratings)
    return out


def link(page: str, filters: Filters, **extra: str | list[str]) -> str:
    """A relative link to `page` carrying the filter and extra parameters (for shareable links)."""
    params = {**url_params(filters), **extra}
    return f"{page}?{urlencode(params, doseq=True)}" if params else page


def show_notes() -> None:
    """The filters in force, each removable with a click (the sidebar is hidden on a phone), and
    which values from the link were ignored or corrected."""
    _show_active(st.session_state.get("filters", Filters()))
    for note in [*st.session_state.get("filter_notes", []), *url_state.notes()]:
        st.warning(f"From the link: {note}.", icon="⚠️")


def active_labels(filters: Filters, b: Bounds, directors: dict[str, str], actors: dict[str, str]) -> dict[str, str]:
    """Each filter in force as `kind:value` → a short label ("Director: Jane Campion")."""
    out = {f"director:{pid}": f"Director: {directors.get(pid, pid)}" for pid in filters.directors}
    out |= {f"actor:{pid}": f"Actor: {actors.get(pid, pid)}" for pid in filters.actors}
    if filters.year_from is not None or filters.year_to is not None:
        out["years:"] = f"Released {filters.year_from or b.first_year}–{filters.year_to or b.last_year}"
    if filters.date_from is not None or filters.date_to is not None:
        out["dates:"] = f"Reviewed {filters.date_from or b.first_date} to {filters.date_to or b.last_date}"
    if filters.min_ratings:
        out["min_ratings:"] = f"At least {filters.min_ratings:,} rating{'s' if filters.min_ratings != 1 else ''} per film"
    return out


def _show_active(filters: Filters) -> None:
    if filters == Filters():
        return
    labels = active_labels(filters, bounds(), person_labels("director"), person_labels("actor"))
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


def _known(values: list[str], options: dict[str, str], what: str, notes: list[str]) -> list[str]:
    """The known people of a link's `values`, repeats dropped, at most `MAX_PEOPLE`; one note for all
    the unknown ones and one for those past the limit, so a long link gives two short notes, not one
    per value."""
    kept = list(dict.fromkeys(v for v in values if v in options))
    unknown = list(dict.fromkeys(v for v in values if v not in options))
    if unknown:
        notes.append(url_state.ignored(f"unknown {what}", unknown))
    if len(kept) > MAX_PEOPLE:
        more = len(kept) - MAX_PEOPLE
        left_out = f"{more:,} more {'was' if more == 1 else 'were'} left out"
        notes.append(f"only {MAX_PEOPLE} {what}s can be chosen; {left_out}")
    return kept[:MAX_PEOPLE]


def _read(parse, key: str, notes: list[str]):
    """The value of the link's `key` as `parse` reads it, None for none or an unreadable one (noted)."""
    raw = url_state.single(key, st.query_params.get_all(key), notes)
    if raw == "":
        return None
    try:
        return parse(raw)
    except ValueError as reason:
        notes.append(f"{key} {url_state.shown(raw)} {reason}; it was ignored")
        return None


def _clamp(value, low, high, default, key: str, what: str, notes: list[str]):
    """`value` within `low` to `high` (`default` for None), with a note when it was moved."""
    if value is None:
        return default
    kept = min(max(value, low), high)
    if kept != value:
        notes.append(f"{key} {value} is outside the data's {what} ({low} to {high}); {kept} was used")
    return kept

