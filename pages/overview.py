"""Overview: headline figures, the overall half-star distribution and reviews per month."""

import streamlit as st

from ui import charts
from ui.db import frame
from ui.filters import active_filters, bounds, show_notes
from ui.text import average_rating

filters = active_filters()
params = filters.params()

st.title("Overview")
label = bounds().demo_label
if label:
    st.info(f"Demo data: {label}. Load your own on the Data page.", icon=":material/info:")
show_notes()

m = frame("overview_metrics", **params).iloc[0]
cols = st.columns(5)
cols[0].metric("Films", f"{int(m.films):,}")
cols[1].metric("Reviewers", f"{int(m.reviewers):,}")
cols[2].metric("Reviews", f"{int(m.reviews):,}")
cols[3].metric("Ratings", f"{int(m.ratings):,}", help="Each reviewer's latest rating of a film counts once.")
cols[4].metric("Average rating", average_rating(m.ratings, m.average_rating))

left, right = st.columns(2)
with left:
    st.subheader("Rating distribution")
    hist = frame("rating_histogram", **params)
    if m.ratings == 0:
        st.caption("No ratings match the filters.")
    st.altair_chart(charts.rating_histogram(hist), width="stretch")
with right:
    st.subheader("Reviews per month")
    months = frame("reviews_per_month", **params)
    if months.empty:
        st.caption("No reviews match the filters.")
    else:
        st.altair_chart(charts.monthly_reviews(months, title=""), width="stretch")
