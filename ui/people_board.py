"""The People page's leaderboard: thresholds, search and sort as bound parameters, paged in SQL."""

from __future__ import annotations

import math

import streamlit as st

from ingest.wording import count
from ui import url_state
from ui.downloads import csv_button
from ui.filters import person_labels
from ui.people_picks import MAX_PEOPLE, add_keys, key_of
from ui.sorting import arrow, header_sort, page_of
from ui.text import MISSING

PAGE_SIZE = 50
# The download: the whole board in the order shown, without the columns that only drive paging.
EXPORT_COLUMNS = {
    c: c
    for c in ("person_id", "name", "films", "ratings", "average", "shrunk_average", "best_film", "worst_film", "likes")
} | {"position": "rank"}
SORTS = {
    "shrunk_average": "Shrunk average",
    "average": "Average",
    "ratings": "Ratings",
    "films": "Films",
    "likes": "Likes",
    "name": "Name",
}
ROLE_NAMES = {"director": "Directors", "actor": "Actors"}
# The board's state in the link.
PARAMS = (
    url_state.choice("role", "people_role", list(ROLE_NAMES), "director"),
    url_state.whole("min_films", "people_min_films", 2, 0, 10_000),
    url_state.whole("min_person_ratings", "people_min_ratings", 100, 0, 10**9),
    url_state.text("search", "people_search", max_chars=100),
    url_state.choice("sort", "people_sort", list(SORTS), "shrunk_average"),
    url_state.flag("desc", "people_descending", True),
    url_state.whole("page", "people_page", 1, 1, 10**9),
)
PAGE = PARAMS[-1]
# The table's columns that stand for a sort.
SORT_COLUMNS = {c: c for c in SORTS}


def shrunk_help(prior_ratings: int, prior_average: float | None) -> str:
    """How the shrunk average is computed, with the prior in force."""
    mean = "the average of every counted rating that matches the filters"
    if prior_average is not None and not math.isnan(prior_average):
        mean += f" (now {prior_average:.3f})"
    return (
        f"Bayesian shrunk average = (C·m + sum of ratings) / (C + n), with prior weight C = {prior_ratings} "
        f"ratings and prior mean m = {mean}; n = the person's ratings. "
        "Few ratings pull a person towards the overall average; many leave their own average."
    )


def _first_page() -> None:
    st.session_state.people_page = 1


def _no_thresholds() -> None:
    st.session_state.people_min_films = 0
    st.session_state.people_min_ratings = 0
    _first_page()


def draw_leaderboard(params: dict, prior_ratings: int) -> None:
    """The leaderboard of directors or actors for the filtered data, with its CSV download."""
    top = st.columns([1.4, 1, 1, 1.6])
    role = top[0].radio("Leaderboard of", list(ROLE_NAMES), format_func=ROLE_NAMES.get, horizontal=True,
                        key="people_role", on_change=_first_page)
    min_films = top[1].number_input("Min films", min_value=0, max_value=10_000, step=1, key="people_min_films",
                                    on_change=_first_page, help="Films credited in this role that match the filters.")
    min_ratings = top[2].number_input("Min ratings", min_value=0, max_value=10**9, step=10,
                                      key="people_min_ratings", on_change=_first_page,
                                      help="Counted ratings of those films (each reviewer's latest rating once).")
    search = top[3].text_input("Search names", key="people_search", max_chars=100, on_change=_first_page,
                               placeholder="part of a name")
    sort_cols = st.columns([1.4, 1, 2.6])
    sort = sort_cols[0].selectbox("Sort by", list(SORTS), format_func=SORTS.get, key="people_sort",
                                  on_change=_first_page)
    descending = sort_cols[1].toggle("Highest first", key="people_descending", on_change=_first_page)

    query = {
        **params,
        "role": role,
        "min_films": int(min_films),
        "min_person_ratings": int(min_ratings),
        "search": search.strip() or None,
        "sort": sort,
        "descending": bool(descending),
        "prior_ratings": prior_ratings,
    }
    board, page, pages, matches = page_of("people_leaderboard", query, PAGE, PAGE_SIZE)
    prior_average = None if board.empty else float(board.prior_average.iloc[0])

    if matches == 0 and (min_films or min_ratings) and not query["search"]:
        st.info(f"The thresholds leave out every {role}: none has {int(min_films):,} films and {int(min_ratings):,} "
                "ratings in these data. Lower them to see the others.", icon=":material/filter_alt:")
        st.button("Show everyone (no thresholds)", on_click=_no_thresholds, key="people_no_thresholds")
    with sort_cols[2]:
        csv_button(f"Download all {matches:,} as CSV", "people_leaderboard", f"{role}s-leaderboard.csv",
                   key="people_board_csv", columns=EXPORT_COLUMNS, **query, limit=None, offset=0)
    labels = person_labels(role, board.person_id)
    shown = board.assign(name=board.person_id.map(lambda pid: labels.get(pid, pid)))
    def title(column: str, label: str) -> str:
        return arrow(label, column, SORT_COLUMNS, sort, descending)

    picked = st.dataframe(
        shown[["position", "name", "films", "ratings", "average", "shrunk_average", "best_film", "worst_film", "likes"]],
        placeholder=MISSING,
        hide_index=True,
        width="stretch",
        **header_sort(f"people_board_{role}_{page}", SORT_COLUMNS, "people_sort", "people_descending",
                      on_change=_first_page, rows="multi-row"),
        column_config={
            "position": st.column_config.NumberColumn("#", format="%d", width="small"),
            "name": st.column_config.TextColumn(title("name", role.capitalize()), width="medium"),
            "films": st.column_config.NumberColumn(title("films", "Films"), format="%d", help="Films credited in this role that match the filters."),
            "ratings": st.column_config.NumberColumn(title("ratings", "Ratings"), format="localized",
                                                     help="Counted ratings of their films: each reviewer's latest rating once."),
            "average": st.column_config.NumberColumn(title("average", "Average"), format="%.2f", help="Mean of those ratings."),
            "shrunk_average": st.column_config.NumberColumn(title("shrunk_average", "Shrunk avg"), format="%.2f",
                                                            help=shrunk_help(prior_ratings, prior_average)),
            "best_film": st.column_config.TextColumn("Best film", help="Their film with the highest average (ties: more ratings)."),
            "worst_film": st.column_config.TextColumn("Worst film", help="Their film with the lowest average (ties: more ratings)."),
            "likes": st.column_config.NumberColumn(title("likes", "Likes"), format="localized",
                                                   help="Likes on all logged reviews of their films."),
        },
    )
    rows = picked.selection.rows if picked is not None else []
    chosen = [key_of(role, board.person_id.iloc[i]) for i in rows if i < len(board)]

    bottom = st.columns([1, 1.2, 2.8])
    bottom[0].number_input("Page", min_value=1, max_value=pages, step=1, key="people_page")
    bottom[1].button(
        f"Compare selected ({len(chosen)})" if chosen else "Compare selected",
        disabled=not chosen,
        on_click=add_keys,
        args=(chosen,),
        help=f"Tick rows in the table, then add them to the comparison (up to {MAX_PEOPLE} people).",
        key="people_add",
    )
    limits = [count(int(n), word) for n, word in ((min_films, "film"), (min_ratings, "rating")) if n]
    who = count(matches, role)
    bottom[2].caption(
        (f"{who} with at least {' and '.join(limits)}" if limits else who)
        + f"; page {page} of {pages:,}. {shrunk_help(prior_ratings, prior_average)}"
    )
