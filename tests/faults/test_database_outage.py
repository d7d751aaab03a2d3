"""The embedded PostgreSQL is killed mid-party and started again: requests during the outage get
a clean 503 in our envelope (no 500, no hang), the services recover without a restart, and no
order that was answered 2xx is lost."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import httpx
from barkeep.testing.database import crash_embedded_server, restart_embedded_server

from .conftest import FaultStack

GUESTS = 6
REQUEST_TIMEOUT_S = 10.0  # "no hang": every answer comes well within the client's patience
RECOVERY_S = 20.0  # from the server's restart to the first order accepted again


def test_a_database_crash_is_503_then_recovers_and_loses_nothing(fault_stack: FaultStack) -> None:
    with httpx.Client(timeout=REQUEST_TIMEOUT_S) as http:
        code = fault_stack.invite(http)
        guests = [fault_stack.register(http, code, f"Outage {i}") for i in range(GUESTS)]
        drink = fault_stack.drink(http)
    orders_url = f"{fault_stack.api('orders')}/orders"
    answers: list[tuple[float, int, dict[str, str], Any]] = []  # (sent at, status, headers, body)
    accepted: dict[str, str] = {}  # order id -> guest
    stop = threading.Event()
    lock = threading.Lock()

    def guest_orders(guest: dict[str, Any]) -> None:
        auth = {"Authorization": f"Bearer {guest['access_token']}"}
        with httpx.Client(timeout=REQUEST_TIMEOUT_S) as http:
            while not stop.is_set():
                key = str(uuid.uuid4())
                sent = time.monotonic()
                r = http.post(
                    orders_url, json={"drink_id": drink}, headers={**auth, "Idempotency-Key": key}
                )
                with lock:
                    answers.append(
                        (
                            sent,
                            r.status_code,
                            dict(r.headers),
                            r.json() if r.content else None,
                        )
                    )
                    if r.status_code in (200, 201):
                        accepted[r.json()["order"]["id"]] = guest["user"]["user_key"]
                if r.status_code in (200, 201):
                    # served at once, so the guest never hits the active-order limit
                    oid = r.json()["order"]["id"]
                    for status in ("preparing", "ready", "served"):
                        http.patch(
                            f"{fault_stack.api('orders')}/admin/orders/{oid}",
                            headers=fault_stack.admin,
                            json={"status": status},
                        )
                time.sleep(0.05)

    workers = [threading.Thread(target=guest_orders, args=(g,)) for g in guests]
    for w in workers:
        w.start()
    try:
        time.sleep(1.5)
        crashed_at = time.monotonic()
        crash_embedded_server(fault_stack.data_dir / "pgdata")
        time.sleep(3)
        # the server takes connections before pg_ctl's wait returns: the outage ends here
        restarting_at = time.monotonic()
        restart_embedded_server(fault_stack.data_dir / "pgdata")
        restarted_at = time.monotonic()
        # the services come back by themselves: wait for the first order accepted again
        recovered_at = restarted_at + RECOVERY_S
        while time.monotonic() < restarted_at + RECOVERY_S:
            with lock:
                back = [t for t, s, _, _ in answers if t > restarted_at and s in (200, 201)]
            if back:
                recovered_at = back[0]
                break
            time.sleep(0.1)
        time.sleep(3)
    finally:
        stop.set()
        for w in workers:
            w.join(timeout=30)
    statuses = [status for _, status, _, _ in answers]
    during = [a for a in answers if crashed_at + 0.5 < a[0] < restarting_at]
    after = [a for a in answers if a[0] > recovered_at + 0.5]
    assert not [s for s in statuses if s >= 500 and s != 503], statuses
    assert during and all(s == 503 for _, s, _, _ in during), [
        (round(t - crashed_at, 2), s, b) for t, s, _, b in during if s != 503
    ]
    for _, status, headers, body in answers:
        if status == 503:
            assert int(headers["retry-after"]) >= 1
            assert body["error"]["code"] == "service_unavailable"
            assert "Traceback" not in str(body) and "psycopg" not in str(body)
    # the services came back by themselves, and stayed back
    assert recovered_at - restarted_at < RECOVERY_S
    assert after and all(s in (200, 201) for _, s, _, _ in after), (
        [(round(t - restarted_at, 2), s) for t, s, _, _ in answers if t > restarted_at][:40],
        (fault_stack.data_dir / "stack.log").read_text()[-3000:],
    )
    # every order answered 2xx is there, exactly once
    with httpx.Client(timeout=REQUEST_TIMEOUT_S) as http:
        found: dict[str, int] = {}
        for guest in guests:
            listed = http.get(
                orders_url,
                headers={"Authorization": f"Bearer {guest['access_token']}"},
                params={"limit": 500},
            )
            assert listed.status_code == 200
            for order in listed.json()["orders"]:
                found[order["id"]] = found.get(order["id"], 0) + 1
    missing = set(accepted) - set(found)
    assert not missing, f"{len(missing)} of {len(accepted)} accepted orders were lost"
    assert all(n == 1 for n in found.values())
