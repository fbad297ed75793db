"""The view's state in the address bar: every choice a user makes is a query parameter, so a link
reproduces the view, and Back and Forward walk through the views they saw.

A page declares its parameters (`Param`: the query name, the widget's session key, its default and
how to read and write it) and calls `bind` before drawing those widgets. On the first run of a
session, and whenever the address changed without the app writing it (Back, Forward, an edited
link), the widgets take their values from the address, each checked (a bad value is ignored, and of
a parameter given more than once only the last is read, each with a note). Otherwise the widgets are
the truth, and at the end of every run `write` puts each bound value that differs from its default
into the query string. Streamlit adds a browser history entry for each change of the address, so
every view a user saw is one step of Back.

The reading and writing of values (`Param.read`, `Param.show`, `query_for`) is plain Python; only
`begin`, `bind` and `write` touch Streamlit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import streamlit as st

MAX_TEXT = 200
EXAMPLES = 3  # values a note names before "and N more"
_LAST = "url_last_written"  # (page, query) as the app last wrote it
_NAVIGATED = "url_navigated"
_BOUND = "url_bound"
_EXTRA = "url_extra"
NOTES = "url_notes"


@dataclass(frozen=True)
class Param:
    """One piece of view state: query parameter `name` ⇄ `st.session_state[key]`."""

    name: str
    key: str
    default: object
    # The value of the parameter's values (one that takes a single value reads the last); ValueError
    # says why there is none.
    read: Callable[[list[str]], object]
    show: Callable[[object], list[str]]  # the parameter's values for a value
    many: bool = False  # takes several values (the parameter repeated)

    def value_of(self, values: list[str]) -> tuple[object, str | None]:
        """The value for `values` from a link, and a note when any of them was not used."""
        if not values:
            return self.default, None
        notes = [] if self.many or len(values) == 1 else [_repeated(self.name, values)]
        try:
            value = self.read(values)
        except ValueError as reason:
            value = self.default
            notes.append(f"{self.name} {shown(values[-1])} {reason}; it was ignored")
        return value, "; ".join(notes) or None

    def values_of(self, value: object) -> list[str]:
        """The query values for `value`; none for the default."""
        return [] if value == self.default or value is None else self.show(value)


def text(name: str, key: str, max_chars: int | None = MAX_TEXT) -> Param:
    """Free text (a search), empty by default; `max_chars` None leaves the length to the page (an id
    it looks up and reports as unknown)."""

    def read(values: list[str]) -> str:
        if max_chars is not None and len(values[-1]) > max_chars:
            raise ValueError(f"is longer than {max_chars} characters")
        return values[-1]

    return Param(name, key, "", read, lambda v: [str(v)])


def whole(name: str, key: str, default: int, low: int, high: int) -> Param:
    """A whole number from `low` to `high` (as `parse_whole` reads it)."""

    def read(values: list[str]) -> int:
        value = parse_whole(values[-1])
        if not low <= value <= high:
            raise ValueError(f"is outside {low:,} to {high:,}")
        return value

    return Param(name, key, default, read, lambda v: [str(int(v))])


def choice(name: str, key: str, options: Sequence[str], default: str | None) -> Param:
    """One of `options`."""

    def read(values: list[str]) -> str:
        if values[-1] not in options:
            raise ValueError(f"is not one of {', '.join(options)}")
        return values[-1]

    return Param(name, key, default, read, lambda v: [str(v)])


def flag(name: str, key: str, default: bool) -> Param:
    """On or off, written `1` or `0`."""

    def read(values: list[str]) -> bool:
        if values[-1] not in ("0", "1"):
            raise ValueError("is not 0 or 1")
        return values[-1] == "1"

    return Param(name, key, default, read, lambda v: ["1" if v else "0"])


def listed(name: str, key: str, max_items: int) -> Param:
    """Several values, the parameter repeated (`?compare=a&compare=b`), in order, repeats dropped; at
    most `max_items`. Which values exist is for the page to check."""

    def read(values: list[str]) -> list[str]:
        kept = list(dict.fromkeys(v for v in values if v))
        if len(kept) > max_items:
            raise ValueError(f"and {len(kept) - 1:,} more are over {max_items}")
        return kept

    return Param(name, key, [], read, lambda v: [str(x) for x in v], many=True)


def day(name: str, key: str) -> Param:
    """A date, YYYY-MM-DD (as `parse_day` reads it); none by default."""
    return Param(name, key, None, lambda values: parse_day(values[-1]), lambda v: [v.isoformat()])


# Numbers and dates in ASCII digits only: Python's int() also reads other scripts' digits ("２０１０")
# and fromisoformat() other forms ("20200101", "2020-W01-1"); a link the app writes has neither, and
# one rule for every number and date keeps what is accepted the same everywhere.
_WHOLE = re.compile(r"-?[0-9]+")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_whole(raw: str) -> int:
    """A whole number from a link: an optional minus and ASCII digits, at most 12 characters, spaces
    around allowed; ValueError otherwise."""
    raw = raw.strip()
    if not _WHOLE.fullmatch(raw) or len(raw) > 12:
        raise ValueError("is not a whole number (digits 0-9)")
    return int(raw)


def parse_day(raw: str) -> dt.date:
    """A date from a link, YYYY-MM-DD in ASCII digits; ValueError otherwise."""
    try:
        if not _DAY.fullmatch(raw):
            raise ValueError
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValueError("is not a date (YYYY-MM-DD)") from None


def query_for(params: Sequence[Param], state: Mapping[str, object]) -> dict[str, list[str]]:
    """The query string (name → values) for the values of `params` in `state`, defaults left out."""
    out: dict[str, list[str]] = {}
    for param in params:
        values = param.values_of(state.get(param.key, param.default))
        if values:
            out[param.name] = values
    return out


def shown(value: str) -> str:
    """A value from a link as it is quoted in a note: in quotes, escaped, at most 43 characters."""
    # Cut after escaping: an escape is up to 10 characters, so 40 unprintable ones would be 400.
    quoted = repr(value)
    return quoted if len(quoted) <= 42 else quoted[:41] + "…" + quoted[-1]


def examples(values: Sequence[str]) -> str:
    """Values from a link as a note lists them: the first few, quoted, and how many more."""
    head = ", ".join(shown(v) for v in values[:EXAMPLES])
    return f"{head} and {len(values) - EXAMPLES:,} more" if len(values) > EXAMPLES else head


def ignored(what: str, values: Sequence[str]) -> str:
    """A note on values of a link that were not used (`what`: "unknown director"): one is named; of
    several, the count and the first few."""
    if len(values) == 1:
        return f"{what} {shown(values[0])} was ignored"
    return f"{len(values):,} {what}s were ignored: {examples(values)}"


def _repeated(name: str, values: Sequence[str]) -> str:
    """A note on a parameter that takes one value given several times: the last is used, as
    `st.query_params[name]` reads it (so a link keeps the view it showed before)."""
    return f"{name} was given {len(values):,} times; only the last, {shown(values[-1])}, was used"


def single(name: str, values: Sequence[str], notes: list[str]) -> str:
    """The value of a parameter that takes one ("" for none): the last, with a note in `notes` when
    there were several."""
    if len(values) > 1:
        notes.append(_repeated(name, values))
    return values[-1] if values else ""


# Streamlit -----------------------------------------------------------------------------------


def current_query() -> dict[str, list[str]]:
    """The query string of this run, name → values.

    Streamlit drops a whole query string of more than 1,000 parameters (or 512 Ki characters) before
    the script runs, and says so only in the server's log: `st.query_params` is then empty, and
    `st.context.url` never has the query, so no public API tells such a link from a bare one and the
    app cannot warn about it. What does arrive is bounded instead: a parameter given more than once,
    unknown values and people past a page's limit each get one short note.
    """
    return {name: st.query_params.get_all(name) for name in st.query_params}


def begin(page: str) -> None:
    """Start of a run (app.py, before any widget): tell whether the address was changed from outside.

    A page switch from the navigation drops the query string; that is not a change from outside,
    and the session's choices carry on.
    """
    query = current_query()
    last = st.session_state.get(_LAST)
    outside = last is None or (query != last[1] and not (page != last[0] and not query))
    st.session_state[_NAVIGATED] = outside
    st.session_state[_BOUND] = {}
    st.session_state[_EXTRA] = {}
    if outside:
        st.session_state[NOTES] = []


def navigated() -> bool:
    """True when this run's address came from outside the app: first run, Back, Forward, a link."""
    return st.session_state.get(_NAVIGATED, True)


def bind(params: Sequence[Param]) -> None:
    """Put the parameters' values in session state before their widgets are drawn: from the address
    when it came from outside (or the value is not known yet), else the session's own; either way
    assigned, so a value is kept while its widget is not drawn (a closed tab, an open film)."""
    notes = st.session_state.setdefault(NOTES, [])
    for param in params:
        if navigated() or param.key not in st.session_state:
            value, note = param.value_of(st.query_params.get_all(param.name))
            if note:
                notes.append(note)
        else:
            value = st.session_state[param.key]
        st.session_state[param.key] = value
        st.session_state[_BOUND][param.name] = param


def put(name: str, values: list[str]) -> None:
    """Write parameter `name` at the end of this run, for state kept with a codec of its own (the
    compared people); nothing is written for no values."""
    if values:
        st.session_state[_EXTRA][name] = list(values)


def notes() -> list[str]:
    """What was ignored or corrected from the link in this view."""
    return list(st.session_state.get(NOTES, []))


def add_note(message: str) -> None:
    """Say something about the link in this view, beside what `bind` noted."""
    st.session_state.setdefault(NOTES, []).append(message)


def warn(link_notes: Iterable[str]) -> None:
    """A warning on the page for each note about the link (a value ignored or corrected)."""
    for message in link_notes:
        st.warning(f"From the link: {message}.", icon="⚠️")


def write(page: str, extra: Mapping[str, str | list[str]]) -> None:
    """End of a run: make the address the view's state (the sidebar's filters in `extra`, and every
    parameter bound in this run), in one change that is one browser history entry, and remember it
    as written. Parameters not bound in this run (another page's, unknown ones) leave the address."""
    bound = st.session_state.get(_BOUND, {})
    wanted = {name: values if isinstance(values, list) else [values] for name, values in extra.items()}
    wanted |= st.session_state.get(_EXTRA, {})
    wanted |= query_for(list(bound.values()), st.session_state)
    if current_query() != wanted:
        # All at once: one message to the browser, so one history entry per view.
        st.query_params.from_dict(wanted)
    st.session_state[_LAST] = (page, current_query())


def clamp(param: Param, low: int, high: int) -> int:
    """Keep a bound whole number within what the data allows now (a page past the last one in an old
    link); says so when the value came from the link."""
    value = st.session_state[param.key]
    kept = min(max(int(value), low), high)
    if kept != value:
        st.session_state[param.key] = kept
        if navigated():
            warn([f"{param.name} {value:,} is outside 1 to {high:,}; showing {kept:,}"])
    return kept
