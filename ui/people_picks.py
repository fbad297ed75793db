"""The People page's chosen people: keys `role:person_id`, their labels, and the `compare` URL state.

A compared person is a person in one role, so someone who both directs and acts can be compared
with themself. The link carries `?compare=director:ID&compare=actor:ID`; a bare `compare=ID` takes
the role the person is credited in (director when both). Values from the link are checked against
the credits before use and the page is told which were dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ui import url_state
from ui.filters import person_choices, person_labels

ROLES = ("director", "actor")
MAX_PEOPLE = 6
URL_KEY = "compare"
SAVED = "people_saved"
NOTES = "people_notes"


def key_of(role: str, person_id: str) -> str:
    """The key of a person in a role, as used in the URL and bound to the comparison queries."""
    return f"{role}:{person_id}"


def choice_labels(search: str | None, chosen: Sequence[str]) -> tuple[dict[str, str], int]:
    """The compare picker's options as key → label, e.g. 'Jo Twin (2010–2010, Duo Film) (actor)': the
    `chosen` keys and, in each role, the most credited people whose name contains `search`; and how
    many people match the search in both roles."""
    out: dict[str, str] = {}
    matches = 0
    for role in ROLES:
        mine = [pid for r, _, pid in (key.partition(":") for key in chosen) if r == role]
        options, found = person_choices(role, search, mine)
        matches += found
        out.update({key_of(role, pid): f"{label} ({role})" for pid, label in options.items()})
    return out, matches


def known_labels(values: Sequence[str]) -> dict[str, str]:
    """Key → label of the people that `values` (keys `role:id`, or bare ids in any role) name and
    that are credited in that role: what a link's or a session's choices are checked against."""
    ids: dict[str, list[str]] = {role: [] for role in ROLES}
    for value in values:
        role, sep, person_id = value.partition(":")
        for wanted in ([role] if sep and role in ROLES else ROLES):
            ids[wanted].append(person_id if sep and role in ROLES else value)
    return {
        key_of(role, person_id): f"{label} ({role})"
        for role in ROLES
        for person_id, label in person_labels(role, ids[role]).items()
    }


def parse_compare(values: list[str], known: dict[str, str]) -> tuple[list[str], list[str]]:
    """Keys for the `compare` values of a link, and notes on what was ignored.

    `known` maps every valid key to its label. Unknown values, repeats and more than
    `MAX_PEOPLE` people are dropped, each with a note.
    """
    keys: list[str] = []
    notes: list[str] = []
    for value in values:
        key = _resolve(value, known, notes)
        if key is None or key in keys:
            continue
        if len(keys) == MAX_PEOPLE:
            notes.append(
                f"only {MAX_PEOPLE} people can be compared; {url_state.shown(value)} and later ones were left out"
            )
            break
        keys.append(key)
    return keys, notes


def _resolve(value: str, known: dict[str, str], notes: list[str]) -> str | None:
    if value in known:
        return value
    roles = [role for role in ROLES if key_of(role, value) in known]
    if not roles:
        notes.append(f"unknown person {url_state.shown(value)} was ignored")
        return None
    if len(roles) > 1:
        notes.append(
            f"{url_state.shown(value)} both directs and acts; compared as director "
            f"(the link can say actor:{value[:40]})"
        )
    return key_of(roles[0], value)


def chosen_keys() -> tuple[list[str], dict[str, str]]:
    """The people chosen for comparison, from the link when it came from outside (first run, Back,
    Forward), else this session's; with their labels."""
    if url_state.navigated() or SAVED not in st.session_state:
        values = st.query_params.get_all(URL_KEY)
        keys, notes = parse_compare(values, known_labels(values))
        st.session_state[SAVED] = keys
        st.session_state[NOTES] = notes
    known = known_labels(st.session_state[SAVED])
    return [k for k in st.session_state[SAVED] if k in known], known


def save_keys(keys: list[str]) -> None:
    """Remember the chosen people (the URL follows on the next `write_url`)."""
    st.session_state[SAVED] = list(keys)[:MAX_PEOPLE]
    st.session_state[NOTES] = []


def add_keys(keys: list[str]) -> None:
    """Add people to the comparison (callback of the leaderboard's compare button)."""
    merged = list(dict.fromkeys([*st.session_state.get(SAVED, []), *keys]))[:MAX_PEOPLE]
    save_keys(merged)
    st.session_state.pop("people_compare", None)
    st.session_state.people_tab = "Compare"


def write_url(keys: list[str]) -> None:
    """Put the chosen people in the link (written with the rest of the view), so the comparison can
    be shared."""
    url_state.put(URL_KEY, keys)


def show_notes() -> None:
    """Warn about values of the link that were not used."""
    url_state.warn(st.session_state.get(NOTES, []))
