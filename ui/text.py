"""Text the pages show, written the same way everywhere: missing values, and user text kept literal."""

from __future__ import annotations

import re

# A missing number in a table (Streamlit would write "None"); a missing rating reads "no rating".
MISSING = "–"
NO_RATING = "no rating"
# Characters Streamlit's Markdown would read as formatting, links, LaTeX or directives.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape(text: str) -> str:
    """`text` shown as written: Markdown, LaTeX and Streamlit directives are not interpreted."""
    return _MARKDOWN.sub(r"\\\1", text)


def quoted_id(value: str, limit: int = 60) -> str:
    """An id from a link, quoted for a message: cut to `limit` characters, shown as written."""
    return escape(repr(value if len(value) <= limit else value[:limit] + "…"))
