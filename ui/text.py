"""Text the pages show, written the same way everywhere: missing values, figures, dates, lists, and
user text kept literal."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

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


def average_rating(ratings: int, average: float) -> str:
    """An average of `ratings` ratings as a headline figure: "3.25 ★", or `MISSING` for no ratings."""
    return MISSING if ratings == 0 else f"{average:.2f} ★"


def interval(low: float | None, high: float | None) -> str:
    """A confidence interval as a table cell: "2.91 – 3.40", or `MISSING` when there is none."""
    return MISSING if pd.isna(low) else f"{low:.2f} – {high:.2f}"


def day(value) -> str:
    """A date as the pages write it: "14 Feb 2019"."""
    return pd.Timestamp(value).strftime("%-d %b %Y")


def sentence(message: str) -> str:
    """`message` with a capital first letter and the rest as written (names such as IMDb kept)."""
    return message[:1].upper() + message[1:]


def bullets(lines: Iterable[str]) -> str:
    """Lines as a Markdown list, one item a line."""
    return "\n".join(f"- {line}" for line in lines)
