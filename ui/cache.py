"""Query results kept in memory, bounded by their size in bytes, least recently used first out.

Streamlit's `st.cache_data` bounds a cache by its number of entries only. One entry can be a few
hundred bytes (a film's five figures) or megabytes (the 60,000 films a filter keeps), so a count
that is safe for one is unbounded memory for the other: 500 filter links on a 60,000-film database
raised the server from 0.3 to 3.4 GB. This cache counts bytes.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import pandas as pd

T = TypeVar("T")


def size_of(value: object) -> int:
    """Bytes a cached value holds: a frame's deep memory use, a list's items, at least 64."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(deep=True, index=True).sum())
    if isinstance(value, (list, tuple)):
        return sys.getsizeof(value) + sum(sys.getsizeof(item) for item in value)
    return max(sys.getsizeof(value), 64)


class ResultCache:
    """A thread-safe map from keys to computed values holding at most `max_bytes` of values."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for `key`, computed (outside the lock) and kept when it is not there yet.

        A value larger than the whole budget is returned but not kept.
        """
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key][0]
        value = compute()
        size = size_of(value) + size_of(key)
        if size > self.max_bytes:
            return value
        with self._lock:
            if key in self._entries:
                self.bytes -= self._entries.pop(key)[1]
            self._entries[key] = (value, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                self.bytes -= self._entries.popitem(last=False)[1][1]
        return value

    def clear(self) -> None:
        """Forget every value (after the data changed)."""
        with self._lock:
            self._entries.clear()
            self.bytes = 0

    def __len__(self) -> int:
        return len(self._entries)
