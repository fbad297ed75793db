"""The performance targets (2 cores, 10,000,000 reviews) and the check that names every miss."""

from __future__ import annotations

from dataclasses import dataclass

GIB = 1024**3

WARM_MEDIAN_MS = 300
COLD_MEDIAN_MS = 1000
FILTERED_WARM_MEDIAN_MS = 150
# The filtered variants a page is timed under (when measured), as the checks name them.
FILTERS = {
    "director": "one director filter",
    "actor": "one actor filter",
    "years": "a release-year filter keeping half the films",
    "dates": "the last three years of reviews and at least 50 ratings a film",
}
TWINS_WARM_MEDIAN_MS = 300
# A page's first opening in Chromium, end to end, minus a page that runs no query (bench.endtoend).
OVER_FLOOR_MS = 300
# The unmeasured view that warms the served app up before the pages are opened in Chromium.
WARM_UP_YEAR = 1900
EXPORT_SECONDS = 3.0
EXPORT_PEAK_BYTES = GIB
PANDAS_RATIO = 10.0
APP_PEAK_BYTES = GIB
# Building the demo: seconds by size (up to 10M, then up to 100M reviews), and peak memory at any size.
BUILD_SECONDS = {10_000_000: 60.0, 100_000_000: 300.0}
BUILD_PEAK_BYTES = 4 * GIB
# A one-review load into the large database: its cost follows what it adds (a rebuild of every
# summary took 73.5 s and wrote 1 GB at 10M). Written bytes exclude the copy of the file that every
# write makes beside the open one (`ingest.versions`), which follows the database's size.
SMALL_LOAD_SECONDS = 10.0
SMALL_LOAD_WRITTEN_BYTES = 64 * 1024**2
TARGET_REVIEWS = 10_000_000
# Opening a source that is not a local DuckDB file (a Parquet folder, object storage, a DuckLake).
OPEN_SECONDS = 10.0
OPEN_PEAK_BYTES = 2 * GIB


@dataclass(frozen=True)
class Check:
    """One target against its measurement."""

    what: str
    measured: float | None
    limit: float
    unit: str
    higher_is_better: bool = False

    @property
    def met(self) -> bool:
        """True when measured; a target not measured counts as missed."""
        if self.measured is None:
            return False
        return self.measured >= self.limit if self.higher_is_better else self.measured <= self.limit

    def line(self) -> str:
        """One Markdown list line: the target, the figure, met or missed."""
        sign = "≥" if self.higher_is_better else "≤"
        shown = "not measured" if self.measured is None else f"{self.measured:,.{_digits(self.unit)}f} {self.unit}"
        return f"- {'met' if self.met else '**MISSED**'}: {self.what} {sign} {self.limit:,.{_digits(self.unit)}f} {self.unit} (measured {shown})"


def _digits(unit: str) -> int:
    return 0 if unit in ("ms", "MiB") else 1


def page_checks(pages: dict[str, dict[str, dict]], ratios: dict[str, float | None]) -> list[Check]:
    """Checks of every page's query set: warm and cold medians, filtered warm medians, pandas ratio.

    `pages` maps page title → variant ("none", "director", "actor") → {"warm": Summary, "cold": Summary}.
    """
    checks = []
    for title, variants in pages.items():
        plain = variants.get("none")
        if plain:
            checks.append(Check(f"{title}: first-open queries, warm median", plain["warm"].median_ms, WARM_MEDIAN_MS, "ms"))
            if "cold" in plain:
                checks.append(Check(f"{title}: first-open queries, cold median", plain["cold"].median_ms, COLD_MEDIAN_MS, "ms"))
        for variant, what in FILTERS.items():
            if variant in variants:
                checks.append(
                    Check(f"{title}: with {what}, warm median", variants[variant]["warm"].median_ms,
                          FILTERED_WARM_MEDIAN_MS, "ms")
                )
        if ratios.get(title) is not None:
            checks.append(Check(f"{title}: pandas baseline ÷ DuckDB warm", ratios[title], PANDAS_RATIO, "×", True))
    return checks


def build_seconds(reviews: int) -> float | None:
    """The build-time target for a demo of `reviews` reviews (None below the benchmark's size)."""
    if reviews < TARGET_REVIEWS:
        return None
    return next((limit for size, limit in BUILD_SECONDS.items() if reviews <= size), None)
