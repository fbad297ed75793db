"""A thread-safe map from keys to computed values, bounded by the values' size in bytes, least
recently used first out. The dashboard keeps query results in one; the page reader its parses."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class BoundedCache(Generic[T]):
    """Values computed on demand and kept while they fit in `max_bytes` (as `size_of` counts them)."""

    def __init__(self, max_bytes: int, size_of: Callable[[Hashable, T], int]):
        self.max_bytes = max_bytes
        self.bytes = 0
        self._size_of = size_of
        self._entries: OrderedDict[Hashable, tuple[T, int]] = OrderedDict()
        self._lock = threading.Lock()
        # Counts clear() calls: a value computed across one (from data since replaced) is not kept.
        self._epoch = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for `key`, computed (outside the lock) and kept when it is not there yet.

        A value larger than the whole budget is returned but not kept, and so is one whose
        computation began before the cache was last cleared.
        """
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key][0]
            epoch = self._epoch
        value = compute()
        size = self._size_of(key, value)
        if size > self.max_bytes:
            return value
        with self._lock:
            if epoch != self._epoch:
                return value
            if key in self._entries:
                self.bytes -= self._entries.pop(key)[1]
            self._entries[key] = (value, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                self.bytes -= self._entries.popitem(last=False)[1][1]
        return value

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._entries.clear()
            self.bytes = 0
            self._epoch += 1

    def __len__(self) -> int:
        return len(self._entries)
