"""Streamlit's own floor: the smallest page, served and opened exactly as the dashboard's pages are
(`bench.endtoend` subtracts its opening time from theirs)."""

import streamlit as st

st.title("Floor")
st.write("A page that runs no query.")
