from __future__ import annotations

import statistics
from typing import Any


def percentiles(samples_s: list[float]) -> dict[str, Any]:
    """p50/p90/p99 in milliseconds (nearest-rank)."""
    ordered = sorted(samples_s)

    def rank(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] * 1000

    return {
        "n": len(ordered),
        "p50_ms": round(rank(50), 3),
        "p90_ms": round(rank(90), 3),
        "p99_ms": round(rank(99), 3),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 3),
    }


def ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else float("inf")
