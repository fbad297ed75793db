"""Query results kept in memory, bounded by their size in bytes, least recently used first out.

Streamlit's `st.cache_data` bounds a cache by its number of entries only. One entry can be a few
hundred bytes (a film's five figures) or megabytes (the 60,000 films a filter keeps), so a count
that is safe for one is unbounded memory for the other: 500 filter links on a 60,000-film database
raised the server from 0.3 to 3.4 GB. This cache counts bytes.
"""

from __future__ import annotations

import sys

import pandas as pd

from ingest.lru import BoundedCache


def size_of(value: object) -> int:
    """Bytes a cached value holds: a frame's deep memory use, a list's items, at least 64."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(deep=True, index=True).sum())
    if isinstance(value, (list, tuple)):
        return sys.getsizeof(value) + sum(sys.getsizeof(item) for item in value)
    return max(sys.getsizeof(value), 64)


class ResultCache(BoundedCache[object]):
    """Query results (frames, lists of ids) and their keys, within `max_bytes`."""

    def __init__(self, max_bytes: int):
        super().__init__(max_bytes, lambda key, value: size_of(key) + size_of(value))


