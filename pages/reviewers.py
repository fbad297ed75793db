"""Reviewers: the leaderboard and the rhythm of activity; open one (`?reviewer=<id>`) to see their history."""

import streamlit as st

from ui.filters import active_filters, show_notes
from ui.reviewer_activity import draw_activity
from ui.reviewer_board import draw_leaderboard, keep_state
from ui.reviewer_view import show_reviewer

SECTIONS = {"leaderboard": "Leaderboard", "activity": "Activity"}

filters = active_filters()
show_notes()
keep_state()

chosen = st.query_params.get("reviewer")
if not (chosen and show_reviewer(chosen, filters)):
    st.title("Reviewers")
    section = st.segmented_control("Show", list(SECTIONS), format_func=SECTIONS.get, key="reviewers_section",
                                   label_visibility="collapsed") or "leaderboard"
    if section == "activity":
        draw_activity(filters)
    else:
        draw_leaderboard(filters)
