"""Reviews: the filtered review rows, sorted and paged in SQL, searchable, and downloadable in full."""

import math

import streamlit as st

from ui import url_state
from ui.db import frame
from ui.downloads import csv_button
from ui.filters import active_filters, show_notes
from ui.sorting import arrow, header_sort
from ui.text import MISSING, NO_RATING

PAGE_SIZE = 50
# The sorts review_rows.sql knows, and the table column that stands for each.
SORTS = {"date": "Date", "likes": "Likes", "rating": "Rating", "film": "Film", "reviewer": "Reviewer"}
ORDER_WORDS = {
    "date": ("newest first", "oldest first"),
    "likes": ("most liked first", "least liked first"),
    "rating": ("highest rated first", "lowest rated first"),
    "film": ("by film from Z to A", "by film from A to Z"),
    "reviewer": ("by reviewer from Z to A", "by reviewer from A to Z"),
}
SORT_COLUMNS = {"review_date": "date", "likes": "likes", "stars": "rating", "film": "film", "reviewer": "reviewer"}
SEARCH = url_state.text("search", "review_search")
SORT = url_state.choice("sort", "review_sort", list(SORTS), "date")
DESCENDING = url_state.flag("desc", "review_desc", True)
PAGE = url_state.whole("page", "review_page", 1, 1, 10**9)


def first_page() -> None:
    """Back to page 1 (a callback of the controls that change what the pages hold)."""
    st.session_state.review_page = 1


filters = active_filters()
url_state.bind([SEARCH, SORT, DESCENDING, PAGE])
st.title("Reviews")

search = st.text_input("Search review text", key="review_search", max_chars=200, placeholder="a word or phrase",
                       on_change=first_page)
controls = st.columns([1.2, 1, 1, 1.3], vertical_alignment="bottom")
sort = controls[0].selectbox("Sort by", list(SORTS), format_func=SORTS.get, key="review_sort", on_change=first_page)
descending = controls[1].toggle("Highest first", key="review_desc", on_change=first_page,
                                help="Newest, most liked, best rated first; off: the other way round (A to Z for "
                                     "names). A click on a column header sorts by it too.")
params = {**filters.params(), "search": search.strip() or None, "sort": sort, "descending": bool(descending)}
total = int(frame("review_rows_count", **params).iloc[0].reviews)
pages = max(1, math.ceil(total / PAGE_SIZE))
page = url_state.clamp(PAGE, 1, pages)
show_notes()

controls[2].number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, step=1, key="review_page")
with controls[3]:
    csv_button("Download CSV", "review_export", "reviews.csv", key="reviews_csv", **params)

st.markdown(f"**{total:,}** reviews match.")
rows = frame("review_rows", **params, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
labels = {"film": "Film", "reviewer": "Reviewer", "stars": "Rating", "review_date": "Date", "likes": "Likes"}
title = {c: arrow(label, c, SORT_COLUMNS, sort, descending) for c, label in labels.items()}
st.dataframe(
    rows.drop(columns=["rating", "film_id", "review_id"]).assign(stars=rows.stars.fillna(NO_RATING)),
    placeholder=MISSING,
    hide_index=True,
    width="stretch",
    column_config={
        "film": title["film"],
        "year": st.column_config.NumberColumn("Year", format="%d"),
        "reviewer": title["reviewer"],
        "stars": title["stars"],
        "review_date": st.column_config.DateColumn(title["review_date"]),
        "likes": st.column_config.NumberColumn(title["likes"], format="%d"),
        "excerpt": st.column_config.TextColumn("Review", width="large"),
    },
    **header_sort("reviews_table", SORT_COLUMNS, "review_sort", "review_desc", on_change=first_page),
)
st.caption(f"Sorted {ORDER_WORDS[sort][not descending]}, over all {total:,} (not only this page); page {page:,} "
           f"of {pages:,}. The download holds every row, full text, in this order.")
