"""Small statistics for timings: median and 95th percentile, and a summary of repeated runs."""

from __future__ import annotations

import math
from dataclasses import dataclass


def percentile(samples: list[float], q: float) -> float:
    """The `q`-th percentile (0–100) with linear interpolation between ranks (numpy's default)."""
    if not samples:
        raise ValueError("no samples")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is outside 0–100")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Summary:
    """Median and 95th percentile of repeated timings, in milliseconds."""

    median_ms: float
    p95_ms: float
    runs: int

    @classmethod
    def of(cls, seconds: list[float]) -> Summary:
        """Summarise timings given in seconds."""
        ms = [s * 1000 for s in seconds]
        return cls(median_ms=percentile(ms, 50), p95_ms=percentile(ms, 95), runs=len(ms))
