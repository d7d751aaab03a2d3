"""Ours beside the seeds' design (issue 14), in one run, at the same concurrency.

GET /drinks and POST /orders, each through
- ours: the real Chalice apps behind barkeep.local.LocalApi, warm (connections reused, the
  guest JWKS cached), publishing to EventBridge on moto after commit;
- the seeds' pattern (bench/seeds_handler.py): STS AssumeRole + a DSQL token + a new
  connection per request, the same SQL, the same publishing.

Both against one throwaway database on the embedded PostgreSQL and one moto server (its own
process: STS and EventBridge are other hosts in AWS, so their work must not take this process's
GIL). THREADS threads, each one warm execution environment; rounds of a fixed request count
alternate ours/seeds so machine noise hits both alike. Throughput = requests / wall time.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.stats import percentiles, ratio, throwaway_database

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ROOT / "services"
THREADS = 8


class _Delivered:
    """The realtime sink for both sides: accepts everything (no AppSync emulator here)."""

    def send(self, messages: Sequence[Any]) -> set[str]:
        return {m.event_id for m in messages}


@contextmanager
def _moto_process() -> Iterator[str]:
    code = (
        "from moto.server import ThreadedMotoServer; import sys, time;"
        " s = ThreadedMotoServer(ip_address='127.0.0.1', port=0, verbose=False); s.start();"
        " print(s.get_host_and_port()[1], flush=True); sys.stdin.read()"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        yield f"http://127.0.0.1:{int(proc.stdout.readline())}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def _stack() -> Iterator[dict[str, Any]]:
    """Database, moto, guest keys, both services mounted, and the seeds' handler."""
    from barkeep.auth import use_guest_jwks_fetcher
    from barkeep.db import reset_database
    from barkeep.events import Publisher
    from barkeep.realtime import REALTIME
    from barkeep.testing.aws import bootstrap
    from barkeep.testing.database import use_database
    from barkeep.testing.guests import ISSUER, GuestTokens
    from barkeep.testing.process import reset_process_state
    from cryptography.hazmat.primitives.asymmetric import rsa
    from devstack.services import MountedService

    from bench.seeds_handler import SeedsHandler

    migrations = {name: SERVICES / name / "migrations" for name in ("menu", "orders")}
    url = throwaway_database("barkeep_bench_seeds", migrations)
    with _moto_process() as endpoint:
        aws = bootstrap(endpoint)
        tokens = GuestTokens(key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
        saved = dict(os.environ)
        os.environ.update(
            {**aws.environment(), "GUEST_ISSUER": ISSUER, "GUEST_JWKS_URL": "http://id.test/jwks"}
        )
        use_database(url)
        use_guest_jwks_fetcher(tokens.documents)
        menu = MountedService("menu", SERVICES / "menu")
        orders = MountedService("orders", SERVICES / "orders")
        try:
            reset_process_state(*menu.resetters(), *orders.resetters())
            menu.load_seed()
            sink = _Delivered()
            orders.wiring.publisher().sinks[REALTIME] = sink
            ours_orders = orders.wiring.orders()
            sinks = {**orders.wiring.publisher().sinks}

            def seeds_orders(db: Any) -> Any:
                return type(ours_orders)(
                    db,
                    ours_orders.repo,
                    Publisher(db, "orders", sinks),
                    max_active=ours_orders.max_active,
                )

            menu_repo = menu.module("chalicelib.repository")
            seeds = SeedsHandler(
                database_url=url,
                region=aws.region,
                public_key=tokens.key.public_key(),
                menu_repo=menu_repo.MenuRepository(),
                drink_filter=menu.module("chalicelib.domain").DrinkFilter(),
                orders_service=seeds_orders,
            )
            drink = menu.api.get("/drinks").json()["drinks"][0]["id"]
            yield {
                "aws": aws,
                "menu": menu.api,
                "orders": orders.api,
                "seeds": seeds,
                "drink": drink,
                "tokens": tokens,
            }
        finally:
            menu.unload()
            orders.unload()
            use_guest_jwks_fetcher(None)
            os.environ.clear()
            os.environ.update(saved)
            reset_process_state()
            reset_database()  # the next bench must not inherit this database's connections


def _round(
    pool: ThreadPoolExecutor, calls: list[Callable[[], int]]
) -> tuple[float, list[float], int]:
    """Run every call on the pool at once; (wall seconds, latencies, non-2xx count)."""

    def timed(call: Callable[[], int]) -> tuple[float, int]:
        t = time.perf_counter()
        status = call()
        return time.perf_counter() - t, status

    started = time.perf_counter()
    results = list(pool.map(timed, calls))
    wall = time.perf_counter() - started
    return wall, [r[0] for r in results], sum(1 for r in results if not 200 <= r[1] < 300)


def _compare(
    pool: ThreadPoolExecutor,
    ours: Callable[[int], Callable[[], int]],
    seeds: Callable[[int], Callable[[], int]],
    *,
    rounds: int,
    per_round: int,
    before_round: Callable[[], None] = lambda: None,
) -> dict[str, Any]:
    """Alternate rounds of `per_round` requests; call k of a side is built by side(k)."""
    sides = {"ours": ours, "seeds": seeds}
    walls = {s: 0.0 for s in sides}
    samples: dict[str, list[float]] = {s: [] for s in sides}
    errors = {s: 0 for s in sides}
    k = 0
    for r in range(rounds + 1):  # round 0 warms every thread's connection and session
        for side, make in sides.items():
            before_round()
            calls = [make(k + i) for i in range(per_round if r else THREADS * 2)]
            k += len(calls)
            wall, latencies, bad = _round(pool, calls)
            errors[side] += bad
            if r:
                walls[side] += wall
                samples[side] += latencies
    out: dict[str, Any] = {}
    for side in sides:
        out[side] = {
            "requests_per_s": round(len(samples[side]) / walls[side], 1),
            **percentiles(samples[side]),
            "errors": errors[side],
        }
    out["ratio_throughput"] = ratio(out["ours"]["requests_per_s"], out["seeds"]["requests_per_s"])
    out["ratio_p99"] = ratio(out["ours"]["p99_ms"], out["seeds"]["p99_ms"])
    out["ratio_p50"] = ratio(out["ours"]["p50_ms"], out["seeds"]["p50_ms"])
    return out


def bench_seeds(
    rounds: int = 3, drinks_per_round: int = 80, orders_per_round: int = 48
) -> dict[str, Any]:
    with _stack() as s, ThreadPoolExecutor(THREADS, thread_name_prefix="env") as pool:
        menu, orders, seeds, drink = s["menu"], s["orders"], s["seeds"], s["drink"]
        body = json.dumps({"drink_id": drink}).encode()
        # One guest per order (a guest may hold only a few open orders), tokens made up front.
        needed = 2 * (THREADS * 2 + rounds * orders_per_round)
        guests = s["tokens"]
        tokens = [f"Bearer {guests.token(str(uuid.uuid4()), f'Guest {i}')}" for i in range(needed)]

        def ours_drinks(_k: int) -> Callable[[], int]:
            return lambda: menu.get("/drinks").status

        def seeds_drinks(_k: int) -> Callable[[], int]:
            return lambda: int(seeds.get_drinks()["statusCode"])

        def ours_order(k: int) -> Callable[[], int]:
            headers = {"content-type": "application/json", "authorization": tokens[k]}
            return lambda: orders.handle("POST", "/orders", headers, body).status

        def seeds_order(k: int) -> Callable[[], int]:
            return lambda: int(seeds.post_order(tokens[k], body)["statusCode"])

        # Where a seeds request's time goes before its first query, one request at a time.
        setup = [seeds.setup_costs() for _ in range(10)]
        setup_median = {k: round(statistics.median(c[k] for c in setup), 2) for k in setup[0]}
        started = time.perf_counter()
        get = _compare(pool, ours_drinks, seeds_drinks, rounds=rounds, per_round=drinks_per_round)

        def empty_tap() -> None:
            # Every side starts a round with the same empty bus tap (moto's PutEvents slows
            # down as the tap queue grows, and nobody reads it here).
            s["aws"].drain_tap()

        post = _compare(
            pool,
            ours_order,
            seeds_order,
            rounds=rounds,
            per_round=orders_per_round,
            before_round=empty_tap,
        )
        return {
            "name": "ours vs the seeds' pattern (connection + STS per request), same SQL",
            "threads": THREADS,
            "rounds": rounds,
            "get_drinks": get,
            "post_orders": post,
            "seeds_setup_per_request_median_ms": setup_median,
            "seconds": round(time.perf_counter() - started, 1),
        }
