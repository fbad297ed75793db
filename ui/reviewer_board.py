"""The Reviewers page's leaderboard: search, sort and paging as bound parameters, paged in SQL."""

from __future__ import annotations

import streamlit as st

from queries.filters import Filters
from ui import url_state
from ui.downloads import csv_button
from ui.filter_codec import link
from ui.sorting import arrow, header_sort, page_of
from ui.text import MISSING

# Long ids are left to the view, which says there is no such reviewer.
REVIEWER = url_state.text("reviewer", "reviewers_open", max_chars=None)
# The reviewers compared side by side (ui/reviewer_compare.py).
MAX_REVIEWERS = 6
CHOSEN = url_state.listed("compare", "reviewers_compare", MAX_REVIEWERS)


def compare_with(reviewers: list[str]) -> None:
    """Open the comparison with these reviewers (a button callback: the leaderboard, a reviewer's twins)."""
    st.session_state[CHOSEN.key] = list(dict.fromkeys(reviewers))[:MAX_REVIEWERS]
    st.session_state[REVIEWER.key] = ""
    st.session_state.reviewers_section = "compare"


def open_reviewer(reviewer_id: str) -> None:
    """Open one reviewer's page (a button callback)."""
    st.session_state[REVIEWER.key] = reviewer_id

PAGE_SIZE = 50
# The download: the whole board in the order shown, without the paging count.
EXPORT_COLUMNS = {
    c: c
    for c in ("reviewer_id", "display_name", "reviews", "ratings", "reviews_with_text", "first_review", "last_review",
              "active_months", "average_rating", "generosity", "compared_films", "likes_received")
}
# The sort columns the leaderboard query knows (reviewer_leaderboard.sql); nothing else is passed.
SORTS = {
    "reviews": "Reviews",
    "ratings": "Ratings",
    "reviews_with_text": "Reviews with text",
    "first_review": "First review",
    "last_review": "Last review",
    "active_months": "Active months",
    "average_rating": "Average rating",
    "generosity": "Generosity",
    "likes_received": "Likes received",
    "reviewer": "Name",
}
GENEROSITY_HELP = (
    "Their rating minus the average rating of the same film by everyone else, averaged over the films they "
    "rated that at least one other reviewer also rated (films nobody else rated are left out). Counted ratings "
    "of the filtered data: each reviewer's latest rating of a film, once. Positive: kinder than the crowd; "
    "negative: harsher. Empty when none of their rated films has another rater."
)
# The board's state in the link; bound on every run of the page, so it is kept while a reviewer is open.
SEARCH = url_state.text("search", "reviewers_search", max_chars=100)
SORT = url_state.choice("sort", "reviewers_sort", list(SORTS), "reviews")
DESCENDING = url_state.flag("desc", "reviewers_descending", True)
PAGE = url_state.whole("page", "reviewers_page", 1, 1, 10**9)
MIN_RATINGS = url_state.whole("min_reviewer_ratings", "reviewers_min_ratings", 0, 0, 10**9)
PARAMS = (SEARCH, SORT, DESCENDING, PAGE, MIN_RATINGS)
# The sorts a reviewer with one rating would top; the threshold applies to them.
RATING_SORTS = ("average_rating", "generosity")
# The table's columns that stand for a sort.
SORT_COLUMNS = {c: c for c in SORTS if c != "reviewer"} | {"display_name": "reviewer"}


def _first_page() -> None:
    st.session_state.reviewers_page = 1


def draw_leaderboard(filters: Filters) -> None:
    """The leaderboard of reviewers for the filtered data, one page at a time, with its CSV download.

    Bind `PARAMS` first, before any of the page's widgets.
    """
    controls = st.columns([2, 1.3, 1], vertical_alignment="bottom")
    search = controls[0].text_input("Search reviewers", key="reviewers_search", max_chars=100,
                                    on_change=_first_page, placeholder="part of a name or id")
    sort = controls[1].selectbox("Sort by", list(SORTS), format_func=SORTS.get, key="reviewers_sort",
                                 on_change=_first_page)
    descending = controls[2].toggle("Highest first", key="reviewers_descending", on_change=_first_page,
                                    help="Off: lowest first (A to Z for names).")

    if sort in RATING_SORTS:
        st.number_input("At least ratings", min_value=0, step=1, key=MIN_RATINGS.key, on_change=_first_page,
                        help="Only reviewers with at least this many counted ratings (under the filters) are ranked by "
                             "average or generosity: with one or two ratings either says little.")
    query = {**filters.params(), "search": search.strip() or None, "sort": sort, "descending": bool(descending),
             "min_reviewer_ratings": int(st.session_state[MIN_RATINGS.key])}
    board, page, pages, matches = page_of("reviewer_leaderboard", query, PAGE, PAGE_SIZE)

    if board.empty:
        st.info("No reviewers match the search and filters.", icon=":material/person_off:")
    shown = board.assign(
        position=range((page - 1) * PAGE_SIZE + 1, (page - 1) * PAGE_SIZE + len(board) + 1),
        open=[link("reviewers", filters, reviewer=rid) for rid in board.reviewer_id],
    )
    def title(column: str, label: str) -> str:
        return arrow(label, column, SORT_COLUMNS, sort, descending)

    picked = st.dataframe(
        shown,
        placeholder=MISSING,
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * max(len(shown), 1), 560),
        **header_sort(f"reviewers_board_{page}", SORT_COLUMNS, "reviewers_sort", "reviewers_descending",
                      on_change=_first_page, rows="multi-row"),
        column_order=["position", "display_name", "open", "reviews", "ratings", "reviews_with_text",
                      "first_review", "last_review", "active_months", "average_rating", "generosity", "likes_received"],
        column_config={
            "position": st.column_config.NumberColumn("#", format="%d", width=44),
            "display_name": st.column_config.TextColumn(title("display_name", "Name"), width=130),
            # The link shows the reviewer's id (the link's last parameter) and opens their page in a new tab.
            "open": st.column_config.LinkColumn("Id", display_text=r"reviewer=([^&]*)$", width=125,
                                                help="The reviewer's id: a shareable link to their page (new tab)."),
            "reviews": st.column_config.NumberColumn(title("reviews", "Reviews"), format="localized", width="small",
                                                     help="Every logged review, rated or not, rewatches included."),
            "ratings": st.column_config.NumberColumn(title("ratings", "Ratings"), format="localized", width="small",
                                                     help="Counted ratings: their latest rating of each film, once."),
            "reviews_with_text": st.column_config.NumberColumn(title("reviews_with_text", "With text"), format="localized", width="small",
                                                               help="Reviews with written text."),
            "first_review": st.column_config.DateColumn(title("first_review", "First review"), width="small"),
            "last_review": st.column_config.DateColumn(title("last_review", "Last review"), width="small"),
            "active_months": st.column_config.NumberColumn(title("active_months", "Months"), format="%d", width="small",
                                                           help="Calendar months with at least one review."),
            "average_rating": st.column_config.NumberColumn(title("average_rating", "Average"), format="%.2f ★", width="small",
                                                            help="Mean of their counted ratings."),
            "generosity": st.column_config.NumberColumn(title("generosity", "Generosity"), format="%+.2f", width="small", help=GENEROSITY_HELP),
            "likes_received": st.column_config.NumberColumn(title("likes_received", "Likes"), format="localized", width="small",
                                                            help="Likes on their reviews."),
        },
    )
    rows = picked.selection.rows if picked is not None else []
    ticked = [board.reviewer_id.iloc[i] for i in rows if i < len(board)]

    bottom = st.columns([1, 0.8, 1.2, 1.4, 2.2], vertical_alignment="bottom")
    bottom[0].number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, step=1, key="reviewers_page")
    bottom[1].button("Open", disabled=len(ticked) != 1, on_click=open_reviewer, args=(ticked[0] if ticked else "",),
                     key="reviewers_open_ticked", help="Tick one row, then open that reviewer's page.")
    bottom[2].button(f"Compare selected ({len(ticked)})" if ticked else "Compare selected",
                     disabled=not 2 <= len(ticked) <= MAX_REVIEWERS, on_click=compare_with, args=(ticked,),
                     key="reviewers_compare_ticked",
                     help=f"Tick 2 to {MAX_REVIEWERS} rows, then see who rates like whom.")
    with bottom[3]:
        csv_button(f"Download all {matches:,} as CSV", "reviewer_leaderboard", "reviewers.csv",
                   key="reviewers_board_csv", columns=EXPORT_COLUMNS, **query, limit=None, offset=0)
    bottom[4].caption(f"{matches:,} reviewers; page {page} of {pages:,}, by {SORTS[sort].lower()}. Tick rows to open "
                      "one or compare several. Generosity: their rating minus everyone else's average for the same "
                      "film, averaged over the films someone else also rated (hover the column for details).")
