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


def throwaway_database(name: str, migrations: dict[str, Any]) -> str:
    """A fresh, migrated database `name` on the benches' embedded server; its URL."""
    import os
    import tempfile
    from pathlib import Path

    from barkeep.testing.database import apply_migrations, embedded_server, recreate_database

    server_uri = embedded_server(Path(tempfile.gettempdir()) / f"barkeep-bench-{os.getuid()}")
    url = recreate_database(server_uri, name)
    apply_migrations(url, migrations)
    return url
