"""The sidebar filters in a link's query string: read from it, checked, and written back.

Values from a link are checked before use (numbers and dates as `ui.url_state` reads every number and
date): unknown people, people past `MAX_PEOPLE`, unreadable numbers or dates and all but the last of a
repeated one are dropped; values outside the data are brought within it and reversed ranges swapped;
a note says so for each. Nothing from the link reaches SQL except as a bound parameter of a query.

Plain Python: the sidebar (`ui.filters`) passes in the query and the data's ranges and people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from queries.filters import Filters
from ui import url_state

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


def from_query(
    query: Mapping[str, Sequence[str]], b: Bounds, directors: Collection[str], actors: Collection[str]
) -> tuple[Filters, list[str]]:
    """The filter a link's query (name → values) selects within the data's ranges `b` and known people,
    and a note for each value that was ignored or corrected."""
    notes: list[str] = []
    chosen_directors = _known(query.get("director", []), directors, "director", notes)
    chosen_actors = _known(query.get("actor", []), actors, "actor", notes)
    years = _range(url_state.parse_whole, "year", (b.first_year, b.last_year), ("release years", "release-year"), query, notes)
    dates = _range(url_state.parse_day, "date", (b.first_date, b.last_date), ("review dates", "review-date"), query, notes)
    min_ratings = _read(url_state.parse_whole, "min_ratings", query, notes)
    if min_ratings is not None and min_ratings < 0:
        notes.append("min_ratings in the link was negative; it has been ignored")
        min_ratings = None
    if min_ratings is not None and min_ratings > MAX_MIN_RATINGS:
        notes.append(f"min_ratings {min_ratings:,} is over {MAX_MIN_RATINGS:,}; {MAX_MIN_RATINGS:,} was used")
        min_ratings = MAX_MIN_RATINGS
    return selected(b, chosen_directors, chosen_actors, years, dates, min_ratings or 0), notes


def selected(
    b: Bounds, directors: Sequence[str], actors: Sequence[str], years: Sequence[int], dates: Sequence[dt.date],
    min_ratings: int,
) -> Filters:
    """The filter of these choices (as the sidebar's widgets hold them): a range's end at the edge of
    the data (`b`) is no filter there."""
    return Filters(
        directors=tuple(directors),
        actors=tuple(actors),
        year_from=years[0] if years[0] > b.first_year else None,
        year_to=years[1] if years[1] < b.last_year else None,
        date_from=dates[0] if dates[0] > b.first_date else None,
        date_to=dates[1] if dates[1] < b.last_date else None,
        min_ratings=int(min_ratings),
    )


def ranges(filters: Filters, b: Bounds) -> tuple[tuple[int, int], tuple[dt.date, dt.date]]:
    """The release years and review dates a filter keeps, ends filled in from the data's ranges `b`
    (the inverse of `selected`)."""
    years = (_or(filters.year_from, b.first_year), _or(filters.year_to, b.last_year))
    dates = (_or(filters.date_from, b.first_date), _or(filters.date_to, b.last_date))
    return years, dates


def url_params(filters: Filters) -> dict[str, list[str]]:
    """The query-string form of a filter, name → values (only what differs from no filter)."""
    out: dict[str, list[str]] = {}
    if filters.directors:
        out["director"] = list(filters.directors)
    if filters.actors:
        out["actor"] = list(filters.actors)
    for key in ("year_from", "year_to", "date_from", "date_to"):
        value = getattr(filters, key)
        if value is not None:
            out[key] = [str(value)]
    if filters.min_ratings:
        out["min_ratings"] = [str(filters.min_ratings)]
    return out


def link(page: str, filters: Filters, **extra: str | list[str]) -> str:
    """A relative link to `page` carrying the filter and extra parameters (for shareable links)."""
    params = {**url_params(filters), **extra}
    return f"{page}?{urlencode(params, doseq=True)}" if params else page


def _known(values: Sequence[str], options: Collection[str], what: str, notes: list[str]) -> list[str]:
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


def _read(parse: Callable[[str], object], key: str, query: Mapping[str, Sequence[str]], notes: list[str]):
    """The value of the link's `key` as `parse` reads it, None for none or an unreadable one (noted)."""
    raw = url_state.single(key, query.get(key, []), notes)
    if raw == "":
        return None
    try:
        return parse(raw)
    except ValueError as reason:
        notes.append(f"{key} {url_state.shown(raw)} {reason}; it was ignored")
        return None


def _range(parse: Callable[[str], object], key: str, bounds: tuple, names: tuple[str, str],
           query: Mapping[str, Sequence[str]], notes: list[str]) -> list:
    """`<key>_from` and `<key>_to` read from the query, each clamped to `bounds` (open ends filled
    in with them), swapped when given the wrong way round. `names`: the values' and the range's
    names in notes ("release years", "release-year")."""
    low, high = bounds
    values, range_name = names
    start = _clamp(_read(parse, f"{key}_from", query, notes), low, high, low, f"{key}_from", values, notes)
    end = _clamp(_read(parse, f"{key}_to", query, notes), low, high, high, f"{key}_to", values, notes)
    if start > end:
        notes.append(f"the {range_name} range in the link was reversed; it has been swapped")
        return [end, start]
    return [start, end]


def _or(value, default):
    return default if value is None else value


def _clamp(value, low, high, default, key: str, what: str, notes: list[str]):
    """`value` within `low` to `high` (`default` for None), with a note when it was moved."""
    if value is None:
        return default
    kept = min(max(value, low), high)
    if kept != value:
        notes.append(f"{key} {value} is outside the data's {what} ({low} to {high}); {kept} was used")
    return kept
