"""Menu benchmarks.

(a) GET /drinks through the in-process handler (Chalice's local API Gateway, routing, query
    parsing, SQL, mapping, JSON and ETag) against the same SQL run raw with psycopg.
(b) Cold import of services/menu/app.py against an eager import of chalice + boto3 + psycopg +
    PyJWT + aws-xray-sdk, each in a fresh interpreter.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.stats import percentiles, ratio

ROOT = Path(__file__).resolve().parents[1]
MENU = ROOT / "services" / "menu"
EAGER = "import chalice.app, boto3, psycopg, jwt, aws_xray_sdk.core"


def _menu_stack() -> tuple[Any, Any, Any]:
    """A migrated, seeded database on the embedded server, moto for events, the menu app."""
    from barkeep.testing import reset_process_state
    from barkeep.testing.aws import bootstrap, start_moto
    from barkeep.testing.database import (
        apply_migrations,
        embedded_server,
        recreate_database,
        use_database,
    )

    server_uri = embedded_server(Path(tempfile.gettempdir()) / f"barkeep-bench-{os.getuid()}")
    url = recreate_database(server_uri, "barkeep_bench")
    apply_migrations(url, {"menu": MENU / "migrations"})
    use_database(url)
    moto, endpoint = start_moto()
    os.environ.update(bootstrap(endpoint).environment())
    sys.path.insert(0, str(MENU))
    from chalicelib import wiring
    from chalicelib.seed import load_seed

    reset_process_state(wiring.reset)
    load_seed(wiring.menu())
    from app import app

    return app, url, moto


def bench_handler_vs_raw(rounds: int = 30, per_round: int = 50) -> dict[str, Any]:
    app, url, moto = _menu_stack()
    import psycopg
    from barkeep.local import LocalApi
    from chalicelib.domain import DrinkFilter
    from chalicelib.repository import drinks_query

    try:
        api = LocalApi(app)
        sql, params = drinks_query(DrinkFilter())
        raw = psycopg.connect(url)
        drinks = len(api.get("/drinks").json()["drinks"])
        for _ in range(100):  # warm both paths
            api.get("/drinks")
            raw.execute(sql, params).fetchall()
        handler_s: list[float] = []
        raw_s: list[float] = []
        # Interleave the two in short blocks so machine noise hits both alike.
        for _ in range(rounds):
            for _ in range(per_round):
                t = time.perf_counter()
                response = api.get("/drinks")
                handler_s.append(time.perf_counter() - t)
                assert response.status == 200
            for _ in range(per_round):
                t = time.perf_counter()
                with raw.transaction():
                    raw.execute(sql, params).fetchall()
                raw_s.append(time.perf_counter() - t)
        raw.close()
    finally:
        moto.stop()
    handler, rawp = percentiles(handler_s), percentiles(raw_s)
    return {
        "name": "GET /drinks: in-process handler vs raw psycopg",
        "drinks_on_menu": drinks,
        "handler": handler,
        "raw_sql": rawp,
        "ratio_p50": ratio(handler["p50_ms"], rawp["p50_ms"]),
        "ratio_p99": ratio(handler["p99_ms"], rawp["p99_ms"]),
        "target": "ratio_p50 <= 2.0",
    }


def _time_import(code: str, cwd: Path) -> float:
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "0"},
    )
    return time.perf_counter() - t


def bench_cold_import(runs: int = 15) -> dict[str, Any]:
    app_s: list[float] = []
    eager_s: list[float] = []
    bare_s: list[float] = []
    for code, cwd in (("import app", MENU), (EAGER, ROOT), ("pass", ROOT)):
        _time_import(code, cwd)  # compile bytecode once, like a deployed package
    for _ in range(runs):  # alternate so both see the same machine
        app_s.append(_time_import("import app", MENU))
        eager_s.append(_time_import(EAGER, ROOT))
        bare_s.append(_time_import("pass", ROOT))
    app_ms = statistics.median(app_s) * 1000
    eager_ms = statistics.median(eager_s) * 1000
    bare_ms = statistics.median(bare_s) * 1000
    return {
        "name": "cold import: services/menu/app.py vs eager heavy imports",
        "runs": runs,
        "app_import_median_ms": round(app_ms, 1),
        "eager_import_median_ms": round(eager_ms, 1),
        "bare_interpreter_median_ms": round(bare_ms, 1),
        "ratio": ratio(app_ms, eager_ms),
        "ratio_net_of_interpreter": ratio(app_ms - bare_ms, eager_ms - bare_ms),
        "target": "ratio <= 0.4",
    }
