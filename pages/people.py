"""Directors & actors: a leaderboard with user thresholds, and 2–6 people side by side."""

import streamlit as st

from ui.credits import explain_missing
from ui.filters import active_filters, show_notes
from ui.people_board import draw_leaderboard
from ui.people_compare import draw_comparison
from ui.people_picks import MAX_PEOPLE, choice_labels, chosen_keys, save_keys, write_url
from ui.people_picks import show_notes as show_link_notes

# Weight of the prior in the shrunk average, in ratings (stated in the help texts).
PRIOR_RATINGS = 50
# Widgets of a closed tab are not drawn; keep their values for when the tab is opened again.
KEPT = ("people_role", "people_min_films", "people_min_ratings", "people_search", "people_sort",
        "people_descending", "people_page", "people_test_a", "people_test_b")

filters = active_filters()
params = filters.params()
for key in KEPT:
    if key in st.session_state:
        st.session_state[key] = st.session_state[key]
for key, value in {"people_min_films": 2, "people_min_ratings": 100, "people_sort": "shrunk_average",
                   "people_descending": True}.items():
    st.session_state.setdefault(key, value)

st.title("Directors & actors")
show_notes()
if explain_missing(params):
    st.stop()
labels = choice_labels()
keys = chosen_keys(labels)
show_link_notes()
st.session_state.setdefault("people_tab", "Compare" if keys else "Leaderboard")

board_tab, compare_tab = st.tabs(["Leaderboard", "Compare"], key="people_tab", on_change="rerun")
if board_tab.open:
    with board_tab:
        draw_leaderboard(params, PRIOR_RATINGS)
if compare_tab.open:
    with compare_tab:
        if "people_compare" not in st.session_state:
            st.session_state.people_compare = keys
        keys = st.multiselect(
            f"People to compare (2 to {MAX_PEOPLE})", list(labels), key="people_compare", format_func=labels.get,
            max_selections=MAX_PEOPLE, placeholder="Type a name: directors and actors",
            on_change=lambda: save_keys(st.session_state.people_compare),
            help="A person who both directs and acts is listed once per role. The choice is kept in the link.",
        )
        if len(keys) < 2:
            st.info("Choose at least two people, here or by ticking rows of the leaderboard.", icon=":material/info:")
        else:
            draw_comparison(keys, labels, params, PRIOR_RATINGS)
write_url(keys)
