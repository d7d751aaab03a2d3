"""Orders and realtime under a party's load, against the running local stack.

(e) POST /orders through the gateway, one order per guest (200 guests).
(f) Realtime delivery: 200 guests each subscribed over WebSocket to their own channel; the
    bartender moves every order to `preparing`; latency = the guest's `data` frame arrival
    minus the moment the bartender's PATCH response arrived. Orders publish right after commit,
    before the response is sent, so small negative values are real. Lost = expected frames
    that never came.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from barkeep.testing.party import subprotocols

from bench.stats import percentiles

GUESTS = 200


async def _listen(
    ws_url: str,
    host: str,
    guest: dict[str, Any],
    arrivals: dict[str, float],
    ready: asyncio.Event,
    subscribed: list[int],
) -> None:
    import websockets

    auth = {"host": host, "Authorization": guest["access_token"]}
    async with websockets.connect(
        ws_url,
        subprotocols=subprotocols(auth),  # type: ignore[arg-type]
        open_timeout=20,
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init"}))
        await ws.send(
            json.dumps(
                {
                    "type": "subscribe",
                    "id": "mine",
                    "authorization": auth,
                    "channel": f"/orders/{guest['user']['user_key']}",
                }
            )
        )
        async for raw in ws:
            message = json.loads(raw)
            if message["type"] == "subscribe_success":
                subscribed.append(1)
                if len(subscribed) == GUESTS:
                    ready.set()
            elif message["type"] == "data":
                event = json.loads(message["event"])
                if event["type"] == "ORDER_STATUS_CHANGED":
                    arrivals[event["data"]["order"]["id"]] = time.perf_counter()


async def _party(stack: Any) -> dict[str, Any]:
    import httpx

    identity, orders = stack.api("identity"), stack.api("orders")
    ws_url = str(stack.config["realtime"]["ws"]).replace("localhost", "127.0.0.1")
    host = ws_url.split("/")[2]
    admin = {"Authorization": f"Bearer {stack.admin_token()}"}
    async with httpx.AsyncClient(timeout=20) as http:
        code = (
            await http.post(
                f"{identity}/admin/registration-codes", headers=admin, json={"max_uses": 500}
            )
        ).json()["registration_code"]["code"]
        drink = (await http.get(f"{stack.api('menu')}/drinks")).json()["drinks"][0]["id"]
        guests = []
        for i in range(GUESTS):
            r = await http.post(
                f"{identity}/register",
                headers={"X-Registration-Code": code},
                json={"username": f"Guest {i}"},
            )
            guests.append(r.json())
        arrivals: dict[str, float] = {}
        ready, subscribed = asyncio.Event(), []
        listeners = [
            asyncio.create_task(_listen(ws_url, host, g, arrivals, ready, subscribed))
            for g in guests
        ]
        waiting = asyncio.create_task(ready.wait())
        await asyncio.wait([waiting, *listeners], timeout=60, return_when=asyncio.FIRST_COMPLETED)
        failed = [t.exception() for t in listeners if t.done() and t.exception()]
        if failed or not ready.is_set():
            raise RuntimeError(f"{len(subscribed)}/{GUESTS} subscribed; first error: {failed[:1]}")
        place_s, order_ids = [], []
        for g in guests:
            t = time.perf_counter()
            r = await http.post(
                f"{orders}/orders",
                json={"drink_id": drink},
                headers={"Authorization": f"Bearer {g['access_token']}"},
            )
            place_s.append(time.perf_counter() - t)
            assert r.status_code == 201, r.text
            order_ids.append(r.json()["order"]["id"])
        responded: dict[str, float] = {}
        sent: dict[str, float] = {}
        for order_id in order_ids:
            sent[order_id] = time.perf_counter()
            r = await http.patch(
                f"{orders}/admin/orders/{order_id}", headers=admin, json={"status": "preparing"}
            )
            responded[order_id] = time.perf_counter()
            assert r.status_code == 200, r.text
        deadline = time.monotonic() + 10
        while len(arrivals) < len(order_ids) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        for task in listeners:
            task.cancel()
        await asyncio.gather(*listeners, return_exceptions=True)
    delivery = [arrivals[o] - responded[o] for o in order_ids if o in arrivals]
    end_to_end = [arrivals[o] - sent[o] for o in order_ids if o in arrivals]
    return {
        "orders_post": {"name": "POST /orders through the gateway", **percentiles(place_s)},
        "realtime_delivery": {
            "name": f"PATCH response -> guest data frame, {GUESTS} guests subscribed",
            **percentiles(delivery),
            "lost": len(order_ids) - len(delivery),
            "target": "p99_ms <= 100, lost == 0",
        },
        "realtime_end_to_end": {
            "name": "bartender's PATCH sent -> guest data frame (what a person sees)",
            **percentiles(end_to_end),
        },
    }


def bench_party() -> dict[str, Any]:
    from barkeep.testing.stack import launch_throwaway_stack

    with launch_throwaway_stack() as stack:
        return asyncio.run(_party(stack))
