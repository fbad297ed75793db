"""Reviews: the filtered review rows, paged in SQL, searchable, and downloadable in full."""

import math

import streamlit as st

from ui.db import frame
from ui.downloads import csv_button
from ui.filters import active_filters, show_notes

PAGE_SIZE = 50

filters = active_filters()
st.title("Reviews")
show_notes()

search = st.text_input("Search review text", key="review_search", max_chars=200, placeholder="a word or phrase")
params = {**filters.params(), "search": search.strip() or None}
total = int(frame("review_rows_count", **params).iloc[0].reviews)
pages = max(1, math.ceil(total / PAGE_SIZE))

top = st.columns([3, 1, 1])
top[0].markdown(f"**{total:,}** reviews match.")
page = top[1].number_input("Page", min_value=1, max_value=pages, value=1, step=1, key="review_page")
with top[2]:
    csv_button("Download CSV", "review_export", "reviews.csv", key="reviews_csv", **params)
    st.caption(f"All {total:,} matching rows, full text.")

rows = frame("review_rows", **params, limit=PAGE_SIZE, offset=(int(page) - 1) * PAGE_SIZE)
st.dataframe(
    rows.drop(columns=["rating", "film_id", "review_id"]),
    hide_index=True,
    width="stretch",
    column_config={
        "film": "Film",
        "year": st.column_config.NumberColumn("Year", format="%d"),
        "reviewer": "Reviewer",
        "stars": "Rating",
        "review_date": st.column_config.DateColumn("Date"),
        "likes": st.column_config.NumberColumn("Likes", format="%d"),
        "excerpt": st.column_config.TextColumn("Review", width="large"),
    },
)
st.caption(f"Page {int(page)} of {pages:,}, newest first.")
