"""Directors & actors: a leaderboard with user thresholds, and 2–6 people side by side."""

import streamlit as st

from ui import url_state
from ui.credits import explain_missing
from ui.filters import PICKER_LIMIT, active_filters, matches_caption, show_notes
from ui.people_board import PARAMS as BOARD
from ui.people_board import draw_leaderboard
from ui.people_compare import draw_comparison
from ui.people_picks import MAX_PEOPLE, choice_labels, chosen_keys, save_keys, write_url
from ui.people_picks import show_notes as show_link_notes

# Weight of the prior in the shrunk average, in ratings (stated in the help texts).
PRIOR_RATINGS = 50
TABS = ("Leaderboard", "Compare")

filters = active_filters()
params = filters.params()
# The board's choices are bound on every run, so they are kept while the Compare tab is open.
url_state.bind(BOARD)

st.title("Directors & actors")
show_notes()
if explain_missing(params):
    st.stop()
keys, _ = chosen_keys()
show_link_notes()
# A link with people to compare opens on the comparison.
url_state.bind([url_state.choice("tab", "people_tab", list(TABS), "Compare" if keys else "Leaderboard")])

board_tab, compare_tab = st.tabs(list(TABS), key="people_tab", on_change="rerun")
if board_tab.open:
    with board_tab:
        draw_leaderboard(params, PRIOR_RATINGS)
if compare_tab.open:
    with compare_tab:
        if "people_compare" not in st.session_state:
            st.session_state.people_compare = keys
        labels, everyone = choice_labels(None, st.session_state.people_compare)
        if everyone > PICKER_LIMIT:
            search = st.text_input("Find people", key="people_find", max_chars=100, placeholder="part of a name",
                                   help=f"{everyone:,} directors and actors: the list below shows, in each role, "
                                        f"the {PICKER_LIMIT:,} with the most films among those whose name contains this.")
            if search.strip():
                labels, found = choice_labels(search.strip(), st.session_state.people_compare)
                st.caption(matches_caption(found, "director or actor", "directors and actors",
                                           f"in each role, the {PICKER_LIMIT:,} with the most films are listed"))
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
