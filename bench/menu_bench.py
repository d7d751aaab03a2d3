"""Menu benchmarks.

(a) GET /drinks through the in-process handler (Chalice's local API Gateway, routing, query
    parsing, SQL, mapping, JSON and ETag) against the menu's SQL run raw with psycopg: the
    plain column select (the headline ratio, as it has always been measured) and the document
    query the handler runs (what is left is the framework's share).
(b) Cold import of services/menu/app.py against an eager import of chalice + boto3 + psycopg +
    PyJWT + aws-xray-sdk, each in a fresh interpreter.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.stats import percentiles, ratio, throwaway_database

ROOT = Path(__file__).resolve().parents[1]
MENU = ROOT / "services" / "menu"
EAGER = "import chalice.app, boto3, psycopg, jwt, aws_xray_sdk.core"


def _menu_stack() -> tuple[Any, Any, Any]:
    """A migrated, seeded database on the embedded server, moto for events, the menu app."""
    from barkeep.testing import reset_process_state
    from barkeep.testing.aws import bootstrap, start_moto
    from barkeep.testing.database import use_database

    url = throwaway_database("barkeep_bench", {"menu": MENU / "migrations"})
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


def bench_handler_vs_raw(rounds: int = 40, per_round: int = 50) -> dict[str, Any]:
    app, url, moto = _menu_stack()
    import psycopg
    from barkeep.local import LocalApi
    from chalicelib.domain import DrinkFilter
    from chalicelib.repository import DRINK_DOCUMENT, drinks_query

    try:
        api = LocalApi(app)
        sql, params = drinks_query(DrinkFilter())
        # the handler's own query, to tell the framework's share from the SQL's
        document_sql, _ = drinks_query(DrinkFilter(), select=DRINK_DOCUMENT)
        raw = psycopg.connect(url)
        drinks = len(api.get("/drinks").json()["drinks"])

        def handler() -> None:
            assert api.get("/drinks").status == 200

        def raw_sql() -> None:
            with raw.transaction():
                raw.execute(sql, params).fetchall()

        def raw_document_sql() -> None:
            with raw.transaction():
                raw.execute(document_sql, params).fetchall()

        paths = {"handler": handler, "raw_sql": raw_sql, "raw_document_sql": raw_document_sql}
        for _ in range(100):  # warm every path
            for call in paths.values():
                call()
        samples: dict[str, list[float]] = {name: [] for name in paths}
        # Interleave request by request, rotating who goes first, so machine noise (other
        # engineers' tests on two cores) hits every path alike.
        order = list(paths)
        for _ in range(rounds * per_round):
            order = order[1:] + order[:1]
            for name in order:
                t = time.perf_counter()
                paths[name]()
                samples[name].append(time.perf_counter() - t)
        raw.close()
    finally:
        moto.stop()
    handler_p, raw_p, doc_p = (percentiles(samples[name]) for name in paths)
    return {
        "name": "GET /drinks: in-process handler vs raw psycopg",
        "drinks_on_menu": drinks,
        "handler": handler_p,
        "raw_sql": raw_p,
        "raw_document_sql": doc_p,
        "ratio_p50": ratio(handler_p["p50_ms"], raw_p["p50_ms"]),
        "ratio_p99": ratio(handler_p["p99_ms"], raw_p["p99_ms"]),
        "ratio_p50_vs_document_sql": ratio(handler_p["p50_ms"], doc_p["p50_ms"]),
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
