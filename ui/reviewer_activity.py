"""The Reviewers page's activity charts: when everyone filtered reviews, and how much each reviews."""

from __future__ import annotations

import streamlit as st

from queries.filters import Filters
from ui import charts, url_state
from ui.db import frame

PERIODS = {"week": "Week", "month": "Month"}
PERIOD = url_state.choice("period", "reviewers_period", list(PERIODS), "month")
LOG = url_state.flag("log", "reviewers_buckets_log", True)
PARAMS = (PERIOD, LOG)


def draw_activity(filters: Filters) -> None:
    """Reviews per week or month, by weekday, new versus returning reviewers, and review-count buckets.

    Bind `PARAMS` first.
    """
    params = filters.params()
    head = st.columns([3, 1], vertical_alignment="bottom")
    head[0].subheader("Reviews over time", help="Every logged review that matches the filters, rated or not.")
    period = head[1].segmented_control("Per", list(PERIODS), format_func=PERIODS.get, key="reviewers_period",
                                       label_visibility="collapsed") or "month"
    periods = frame("activity_by_period", **params, period=period)
    if periods.empty:
        st.caption("No dated reviews match the filters.")
        return
    left, right = st.columns([3, 1])
    with left:
        st.altair_chart(charts.period_reviews(periods, period=period), width="stretch")
    with right:
        st.altair_chart(charts.weekday_reviews(frame("activity_by_weekday", **params), title="By day of the week"),
                        width="stretch")

    left, right = st.columns([3, 2])
    with left:
        st.subheader(
            "New and returning reviewers",
            help="Reviewers active each month. New: their first review of the filtered films (at any date) was "
                 "that month. Returning: they had reviewed those films in an earlier month. The review-date filter "
                 "chooses the months shown, not who counts as new.",
        )
        st.altair_chart(charts.new_vs_returning(frame("activity_new_vs_returning", **params)), width="stretch")
    with right:
        st.subheader("How much people review", help="Reviewers by the number of filtered reviews they wrote. "
                                                    "Hover a bar for the share of all reviews the group wrote.")
        buckets = frame("reviewer_activity_buckets", **params)
        log = st.toggle("Log scale", key="reviewers_buckets_log",
                        help="A few reviewers write most reviews: the log scale keeps the small groups visible.")
        st.altair_chart(charts.activity_buckets(buckets, log=log), width="stretch")
        busiest = buckets.iloc[-1]
        st.caption(f"{int(busiest.reviewers):,} reviewers ({busiest.reviewer_share:.1%}) wrote more than 100 reviews "
                   f"each: {busiest.review_share:.1%} of all reviews.")
