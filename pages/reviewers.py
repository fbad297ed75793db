"""Reviewers: the leaderboard and the rhythm of activity; open one (`?reviewer=<id>`) to see their history."""

import streamlit as st

from ui import url_state
from ui.filters import active_filters, show_notes
from ui.reviewer_activity import PARAMS as ACTIVITY
from ui.reviewer_activity import draw_activity
from ui.reviewer_board import CHOSEN, REVIEWER, draw_leaderboard
from ui.reviewer_board import PARAMS as BOARD
from ui.reviewer_compare import PARAMS as COMPARE
from ui.reviewer_compare import draw_comparison
from ui.reviewer_view import show_reviewer

SECTIONS = {"leaderboard": "Leaderboard", "activity": "Activity", "compare": "Compare"}
SECTION = url_state.choice("section", "reviewers_section", list(SECTIONS), "leaderboard")

filters = active_filters()
# All of them on every run, so the board's choices are kept while a reviewer is open.
url_state.bind([REVIEWER, SECTION, *BOARD, *ACTIVITY, CHOSEN, *COMPARE])
show_notes()

chosen = st.session_state[REVIEWER.key]
if not (chosen and show_reviewer(chosen, filters)):
    st.title("Reviewers")
    section = st.segmented_control("Show", list(SECTIONS), format_func=SECTIONS.get, key="reviewers_section",
                                   label_visibility="collapsed") or "leaderboard"
    if section == "activity":
        draw_activity(filters)
    elif section == "compare":
        draw_comparison(filters)
    else:
        draw_leaderboard(filters)
