"""A link Streamlit ignored whole, said on the page instead of only in the server's log.

Streamlit drops a query string of more than 1,000 parameters (or 512 Ki characters) before the
script runs, so `st.query_params` is empty and `st.context.url` never has the query: a director
repeated 1,500 times opens the page unfiltered. Only the browser still knows the link it opened. A
small component reads it there, from the page's navigation entry (the address it was loaded with,
which the app's own later writes to the address bar do not change), counts it the way Streamlit
does, and reports back only when the link was over a limit, so a normal link costs no rerun.
"""

from __future__ import annotations

import functools

import streamlit as st

from ui import url_state

# Streamlit's own limits (streamlit.runtime.state.query_params), which are not public API.
MAX_FIELDS = 1_000
MAX_CHARS = 512 * 1024
_NOTED = "long_link_noted"

_JS = """
export default function ({ data, setStateValue }) {
  const entry = performance.getEntriesByType("navigation")[0];
  const query = new URL(entry ? entry.name : window.location.href).search.slice(1);
  if (!query) return;
  const fields = query.split("&").length;
  if (fields > data.max_fields || query.length > data.max_chars) {
    setStateValue("dropped", { fields: fields, chars: query.length });
  }
}
"""


@functools.cache
def _check():
    # Registered once per process: a second registration of the name is logged as a conflict.
    return st.components.v2.component("film_reviews.long_link_check", js=_JS)


def note_dropped_link() -> None:
    """Mount the check; once it reports the link this session opened with was dropped, add a note
    saying so to the link's notes (once per session)."""
    result = _check()(
        key="long_link_check",
        data={"max_fields": MAX_FIELDS, "max_chars": MAX_CHARS},
        on_dropped_change=lambda: None,
        height=0,
    )
    dropped = result.get("dropped")
    # The tab keeps the link it opened with after a reconnect to a restarted server, whose new
    # session gets the address as it is now: a view of the app's own then, with its query.
    if dropped and not url_state.current_query() and not st.session_state.get(_NOTED):
        st.session_state[_NOTED] = True
        url_state.add_note(dropped_note(dropped["fields"], dropped["chars"]))


def dropped_note(fields: int, chars: int) -> str:
    """What the page says about a link Streamlit dropped: which limit it passed, and the result."""
    if fields > MAX_FIELDS:
        over = f"it has {fields:,} parameters, over Streamlit's limit of {MAX_FIELDS:,}"
    else:
        over = f"it is {chars:,} characters long, over Streamlit's limit of {MAX_CHARS:,}"
    return f"{over}, so Streamlit ignored all of it and none of its filters or choices were applied"
