"""Film-review analytics: the router. Page config, navigation and the shared sidebar filters."""

from pathlib import Path

import streamlit as st

from ui import url_state
from ui.db import DEFAULT_DB, DatabaseProblem, database, database_location
from ui.filter_codec import url_params
from ui.filters import bounds, mark_routed, sidebar_filters
from ui.loading import begin_run, draw_data_notes
from ui.long_links import note_dropped_link
from ui.setup import build_demo_with_progress, demo_needed, sweep_scratch

HERE = Path(__file__).parent

st.set_page_config(page_title="Film reviews", page_icon="🎞️", layout="wide")

pages = [
    st.Page(HERE / "pages" / "overview.py", title="Overview", icon=":material/insights:", default=True),
    st.Page(HERE / "pages" / "films.py", title="Films", icon=":material/movie:"),
    st.Page(HERE / "pages" / "reviewers.py", title="Reviewers", icon=":material/group:"),
    st.Page(HERE / "pages" / "people.py", title="Directors & actors", icon=":material/compare:"),
    st.Page(HERE / "pages" / "reviews.py", title="Reviews", icon=":material/rate_review:"),
    st.Page(HERE / "pages" / "data.py", title="Data", icon=":material/upload_file:"),
]
page = st.navigation(pages)
url_state.begin(page.title)
note_dropped_link()
sweep_scratch()

# After the navigation, so the sidebar lists the app's pages (not module names) while the demo builds.
if database_location() == DEFAULT_DB and demo_needed(DEFAULT_DB):
    build_demo_with_progress(DEFAULT_DB)

try:
    begin_run()
    # A load beside the app publishes a new version of the file: reopen it, once per run.
    database().refresh()
except DatabaseProblem as problem:
    st.error(str(problem))
    st.stop()

filters = sidebar_filters()
label = bounds().demo_label
if label:
    st.sidebar.caption(f"Demo data: {label}.")
draw_data_notes()

mark_routed(filters)
try:
    page.run()
finally:
    # Also after st.stop() or st.rerun() in the page: the address always shows the view.
    url_state.write(page.title, url_params(filters))
