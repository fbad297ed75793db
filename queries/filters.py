"""The global filter set, as plain data with no UI: what every query is restricted by."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Filters:
    """Director and actor ids, release-year range, review-date range and minimum ratings per film.

    Empty or None means no filter. Frozen and made of tuples so it can key a result cache.
    """

    directors: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    min_ratings: int = 0

    def params(self) -> dict:
        """The filter as bound parameters for the filter macros."""
        return {
            "directors": list(self.directors),
            "actors": list(self.actors),
            "year_from": self.year_from,
            "year_to": self.year_to,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "min_ratings": self.min_ratings,
        }

