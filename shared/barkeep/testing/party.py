"""A whole party against a running local stack, everyone at once, and a check of what is left.

Guests join through one invite code in a burst and each listens on its own WebSocket; orders
arrive at random (a Poisson process), some tapped twice with one `Idempotency-Key`, some
cancelled; several bartenders work the same queue and race each other for the same tickets;
kitchen displays follow `/admin/orders`; the admin edits the menu and takes a drink off it
mid-party; the dashboard's stats are read every few seconds.

`run_party(stack, plan)` returns a report: every call (endpoint, status, latency, when),
realtime delivery per guest and per display, what was lost or delivered twice, and the final
state checked against the API and, given `database_url`, the database itself. The same code is
the long run in `make bench` (bench/party_bench.py) and the short one in `make test`
(tests/test_party.py), which fails on anything lost, wrong or 5xx and never on timing.

Loopback only; bounded in count (the plan) and in time (`deadline_seconds`).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse

OPEN = ("pending", "preparing", "ready")
ALL_STATUSES = (*OPEN, "served", "cancelled")
NEXT = {"pending": "preparing", "preparing": "ready", "ready": "served"}
# What a correct stack may answer, by endpoint; anything else is an error.
EXPECTED: dict[str, set[int]] = {
    "POST /register": {201},
    # 200 is the double tap's answer; 404 a drink taken off the menu after the guest loaded it;
    # 409 a guest already at MAX_ACTIVE_ORDERS_PER_GUEST
    "POST /orders": {200, 201, 404, 409},
    "POST /orders/{id}/cancel": {200, 409},  # 409: a bartender started it first
    "PATCH /admin/orders/{id}": {200, 409},  # 409: another bartender moved it first
    "PATCH /admin/drinks/{id}": {200},
}


@dataclass(frozen=True)
class PartyPlan:
    guests: int = 300
    orders: int = 900
    join_seconds: float = 10.0
    order_seconds: float = 180.0
    bartenders: int = 3
    displays: int = 2
    double_tap_share: float = 0.1
    cancel_share: float = 0.05
    stats_every_seconds: float = 3.0
    bartender_pause_seconds: float = 0.05  # between two moves: reading the ticket, pouring
    settle_seconds: float = 25.0  # after the last move: late frames, the sweeper (10 s locally)
    deadline_seconds: float = 600.0
    seed: int = 14


@dataclass
class Call:
    at: float  # seconds since the party started
    endpoint: str
    status: int  # 0: no answer (timeout, connection error)
    ms: float


@dataclass
class Frame:
    event_id: str
    order_id: str
    status: str
    updated_at: str
    at: float  # perf_counter on arrival


def subprotocols(auth: dict[str, str]) -> list[str]:
    """AppSync Events' WebSocket subprotocols, carrying the connection's auth object."""
    header = base64.urlsafe_b64encode(json.dumps(auth).encode()).rstrip(b"=").decode()
    return ["aws-appsync-event-ws", f"header-{header}"]


class Listener:
    """One WebSocket subscription, as a client would hold it: de-duplicates on `event_id`,
    reconnects and resubscribes when the connection drops, and resyncs after it."""

    def __init__(self, party: Party, name: str, channel: str, auth: dict[str, str]) -> None:
        self.party = party
        self.name = name
        self.channel = channel
        self.auth = {"host": party.ws_host, **auth}
        self.frames: list[Frame] = []
        self.seen: set[str] = set()
        self.duplicates = 0
        self.reconnects = 0
        self.subscribed = asyncio.Event()
        # after each reconnect: an async callable returning {order id: (updated_at, status)}
        # as the API has it now; the screen is that snapshot plus the frames that follow it
        self.resync: Any = None
        self.resynced_at: list[float] = []  # when each resync began (perf_counter)
        self.snapshot: dict[str, tuple[str, str]] = {}
        self.snapshot_from = 0.0
        self.snapshot_as_of = ""  # the snapshot's time, as updated_at writes it

    @classmethod
    def for_guest(cls, party: Party, name: str, user_key: str, token: str) -> Listener:
        """The guest's own channel, authorized with the guest's access token."""
        return cls(party, name, f"/orders/{user_key}", {"Authorization": token})

    async def run(self, stop: asyncio.Event) -> None:
        import websockets

        first = True
        while not stop.is_set():
            try:
                async with websockets.connect(
                    self.party.ws_url,
                    subprotocols=subprotocols(self.auth),  # type: ignore[arg-type]
                    open_timeout=20,
                    max_queue=None,
                ) as ws:
                    await ws.send(json.dumps({"type": "connection_init"}))
                    await ws.send(
                        json.dumps(
                            {
                                "type": "subscribe",
                                "id": "sub",
                                "channel": self.channel,
                                "authorization": self.auth,
                            }
                        )
                    )
                    reader = asyncio.ensure_future(self._read(ws, first))
                    stopper = asyncio.ensure_future(stop.wait())
                    await asyncio.wait([reader, stopper], return_when=asyncio.FIRST_COMPLETED)
                    stopper.cancel()
                    if reader.done():
                        reader.result()  # a closed connection ends the reader: reconnect
                    else:
                        reader.cancel()
                        return
            except (TimeoutError, OSError, Exception) as exc:
                if stop.is_set():
                    return
                self.party.note(f"{self.name}: websocket: {type(exc).__name__}")
            first = False
            self.reconnects += 1
            await asyncio.sleep(0.5 + random.random())

    async def _read(self, ws: Any, first: bool) -> None:
        import websockets

        try:
            async for raw in ws:
                message = json.loads(raw)
                kind = message.get("type")
                if kind == "subscribe_success":
                    self.subscribed.set()
                    if not first and self.resync is not None:
                        self.resynced_at.append(time.perf_counter())
                        await self.refresh()
                elif kind == "subscribe_error":
                    raise RuntimeError(f"{self.name}: subscribe refused: {message}")
                elif kind == "data":
                    self._frame(json.loads(message["event"]))
        except websockets.ConnectionClosed:
            return

    def _frame(self, event: dict[str, Any]) -> None:
        if event["event_id"] in self.seen:
            self.duplicates += 1  # delivered again (at least once): counted, then ignored
            return
        self.seen.add(event["event_id"])
        order = event["data"]["order"]
        self.frames.append(
            Frame(
                event["event_id"],
                order["id"],
                order["status"],
                order["updated_at"],
                time.perf_counter(),
            )
        )

    async def refresh(self) -> None:
        began = time.perf_counter()
        as_of = datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
        self.snapshot = await self.resync()
        self.snapshot_from, self.snapshot_as_of = began, as_of

    def screen(self) -> dict[str, tuple[str, str]]:
        """{order id: (updated_at, status)}: what this client shows — the last snapshot, and
        every frame since it began, the newest state of each order winning."""
        seen = dict(self.snapshot)
        for f in self.frames:
            if f.at < self.snapshot_from:
                continue  # superseded by the snapshot
            if f.order_id not in seen and f.updated_at < self.snapshot_as_of:
                continue  # a late copy of a change the snapshot already left behind
            if f.order_id not in seen or f.updated_at >= seen[f.order_id][0]:
                seen[f.order_id] = (f.updated_at, f.status)
        return seen


@dataclass
class Guest:
    name: str
    user_key: str = ""
    token: str = ""
    listener: Listener | None = None
    open_orders: set[str] = field(default_factory=set)


class Party:
    def __init__(
        self,
        stack: Any,
        plan: PartyPlan,
        *,
        database_url: str | None = None,
        faults: Sequence[tuple[float, Callable[[], object]]] = (),
    ) -> None:
        self.faults = faults  # (seconds into the party, what to break), run in a thread
        self.stack = stack
        self.plan = plan
        self.database_url = database_url
        self.rng = random.Random(plan.seed)
        # the stack's own address (a `make party` stack's URLs name it already)
        host = getattr(stack, "host", "127.0.0.1")
        self.ws_url = str(stack.config["realtime"]["ws"]).replace("//localhost:", f"//{host}:")
        self.ws_host = urlparse(self.ws_url).netloc
        self.admin = {"Authorization": f"Bearer {stack.admin_token()}"}
        self.calls: list[Call] = []
        self.unexpected: list[str] = []
        self.notes: Counter[str] = Counter()
        self.guests: list[Guest] = []
        self.joined: list[Guest] = []
        # (order id, status) -> (sent, answered), perf_counter, for every change the API accepted
        self.accepted: dict[tuple[str, str], tuple[float, float]] = {}
        self.owner: dict[str, Guest] = {}  # order id -> guest
        self.lost_samples: list[str] = []  # traces of what _missing found, for the report
        self.double_taps = {"taps": 0, "same_order": 0, "different_orders": 0}
        self.placing_done = asyncio.Event()
        self.started = time.perf_counter()
        self.menu: list[str] = []

    def note(self, text: str) -> None:
        self.notes[text] += 1

    # HTTP ------------------------------------------------------------------------------------
    async def call(
        self, http: Any, endpoint: str, method: str, url: str, **kwargs: Any
    ) -> tuple[Any, float, float]:
        """One request, recorded; returns (response or None, sent, answered) in perf_counter."""
        import httpx

        sent = time.perf_counter()
        response, status, failure = None, 0, ""
        # A reused keep-alive connection the server closed at that very moment: a browser sends
        # a GET again at once, and so does this client (writes carry Idempotency-Keys or are
        # answered 409 when repeated, so they are never retried blindly).
        for attempt in range(2 if method == "GET" else 1):
            try:
                response = await http.request(method, url, **kwargs)
                status = response.status_code
                break
            except httpx.RemoteProtocolError as exc:
                failure = f"{type(exc).__name__}: {exc}"
                self.note(f"{endpoint}: {type(exc).__name__} (attempt {attempt + 1})")
            except Exception as exc:
                failure = f"{type(exc).__name__}: {exc}"
                self.note(f"{endpoint}: {type(exc).__name__}")
                break
        answered = time.perf_counter()
        self.calls.append(Call(sent - self.started, endpoint, status, (answered - sent) * 1000))
        allowed = EXPECTED.get(endpoint, {200})
        if status not in allowed:
            body = response.text[:200] if response is not None else failure
            self.unexpected.append(f"{endpoint} -> {status} {body}")
        return response, sent, answered

    def api(self, service: str) -> str:
        url: str = self.stack.api(service)
        return url

    async def pages(
        self,
        http: Any,
        endpoint: str,
        url: str,
        headers: dict[str, str],
        params: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Every item of a paged list, following `next_cursor` until the list is complete."""
        items: list[dict[str, Any]] = []
        query: dict[str, Any] = dict(params or {})
        for _ in range(1000):
            r, _, _ = await self.call(http, endpoint, "GET", url, headers=headers, params=query)
            if r is None or r.status_code != 200:
                raise RuntimeError(f"{endpoint}: {r.status_code if r else 'no answer'}")
            body = r.json()
            items += body["orders"]
            cursor = body.get("next_cursor")
            if not cursor:
                return items
            query = {**(params or {}), "cursor": cursor}
        raise RuntimeError(f"{endpoint}: more than 1000 pages")

    # The party's people ----------------------------------------------------------------------
    async def join(
        self,
        http: Any,
        guest: Guest,
        code: str,
        delay: float,
        stop: asyncio.Event,
        tasks: list[Any],
    ) -> None:
        await asyncio.sleep(delay)
        r, _, _ = await self.call(
            http,
            "POST /register",
            "POST",
            f"{self.api('identity')}/register",
            headers={"X-Registration-Code": code},
            json={"username": guest.name},
        )
        if r is None or r.status_code != 201:
            return
        body = r.json()
        guest.user_key, guest.token = body["user"]["user_key"], body["access_token"]
        guest.listener = Listener.for_guest(self, guest.name, guest.user_key, guest.token)

        async def resync() -> dict[str, tuple[str, str]]:  # as the web app does on reconnect
            mine = await self.pages(
                http,
                "GET /orders",
                f"{self.api('orders')}/orders",
                {"Authorization": f"Bearer {guest.token}"},
            )
            return {o["id"]: (o["updated_at"], o["status"]) for o in mine}

        guest.listener.resync = resync
        tasks.append(asyncio.ensure_future(guest.listener.run(stop)))
        try:
            await asyncio.wait_for(guest.listener.subscribed.wait(), 30)
        except TimeoutError:
            self.note("guest: not subscribed within 30 s")
            return
        self.joined.append(guest)

    async def place(self, http: Any, guest: Guest) -> None:
        drink = self.rng.choice(self.menu)
        key = str(uuid.uuid4())
        headers = {"Authorization": f"Bearer {guest.token}", "Idempotency-Key": key}
        body = {"drink_id": drink, "quantity": self.rng.choice((1, 1, 1, 2))}
        url = f"{self.api('orders')}/orders"
        taps = 2 if self.rng.random() < self.plan.double_tap_share else 1
        answers = await asyncio.gather(
            *[
                self.call(http, "POST /orders", "POST", url, headers=headers, json=body)
                for _ in range(taps)
            ]
        )
        placed = [(r, s, a) for r, s, a in answers if r is not None and r.status_code in (200, 201)]
        ids = {r.json()["order"]["id"] for r, _, _ in placed}
        if taps == 2:
            self.double_taps["taps"] += 1
            if len(ids) == 1 and len(placed) == 2:
                self.double_taps["same_order"] += 1
            elif len(ids) > 1:
                self.double_taps["different_orders"] += 1
        if not placed:
            return
        created = next((p for p in placed if p[0].status_code == 201), placed[0])
        order_id = created[0].json()["order"]["id"]
        self.accepted[(order_id, "pending")] = (created[1], created[2])
        self.owner[order_id] = guest
        guest.open_orders.add(order_id)
        if self.rng.random() < self.plan.cancel_share:
            await asyncio.sleep(self.rng.uniform(0.1, 2.0))
            r, s, a = await self.call(
                http,
                "POST /orders/{id}/cancel",
                "POST",
                f"{url}/{order_id}/cancel",
                headers={"Authorization": f"Bearer {guest.token}"},
            )
            if r is not None and r.status_code == 200:
                self.accepted[(order_id, "cancelled")] = (s, a)
                guest.open_orders.discard(order_id)

    async def arrivals(self, http: Any) -> None:
        """Orders at random moments: exponential gaps at the plan's mean rate."""
        rate = self.plan.orders / self.plan.order_seconds
        pending: list[Any] = []
        for _ in range(self.plan.orders):
            await asyncio.sleep(self.rng.expovariate(rate))
            free = [g for g in self.joined if len(g.open_orders) < 3] or self.joined
            if free:
                pending.append(asyncio.ensure_future(self.place(http, self.rng.choice(free))))
        await asyncio.gather(*pending)
        self.placing_done.set()

    async def bartender(self, http: Any, n: int, stop: asyncio.Event) -> None:
        url = f"{self.api('orders')}/admin/orders"
        while not stop.is_set():
            queue = await self.pages(http, "GET /admin/orders", url, self.admin)
            if not queue:
                if self.placing_done.is_set():
                    return
                await asyncio.sleep(0.3)
                continue
            # the oldest few tickets: the other bartenders reach for the same ones
            for ticket in self.rng.sample(queue[:4], min(2, len(queue[:4]))):
                target = NEXT[ticket["status"]]
                r, s, a = await self.call(
                    http,
                    "PATCH /admin/orders/{id}",
                    "PATCH",
                    f"{url}/{ticket['id']}",
                    headers=self.admin,
                    json={"status": target},
                )
                if r is not None and r.status_code == 200:
                    self.accepted[(ticket["id"], target)] = (s, a)
                    if target == "served" and ticket["id"] in self.owner:
                        self.owner[ticket["id"]].open_orders.discard(ticket["id"])
                await asyncio.sleep(self.plan.bartender_pause_seconds * (0.5 + self.rng.random()))

    async def display(self, http: Any, n: int, stop: asyncio.Event, tasks: list[Any]) -> Listener:
        listener = Listener(
            self,
            f"display {n}",
            "/admin/orders",
            {"Authorization": self.admin["Authorization"].removeprefix("Bearer ")},
        )

        async def resync() -> dict[str, tuple[str, str]]:  # the queue, as a display loads it
            queue = await self.pages(
                http, "GET /admin/orders", f"{self.api('orders')}/admin/orders", self.admin
            )
            return {o["id"]: (o["updated_at"], o["status"]) for o in queue}

        listener.resync = resync
        tasks.append(asyncio.ensure_future(listener.run(stop)))
        await asyncio.wait_for(listener.subscribed.wait(), 30)
        await listener.refresh()
        return listener

    async def admin_edits(self, http: Any) -> None:
        menu = self.api("menu")
        await asyncio.sleep(self.plan.order_seconds / 3)
        edited = self.menu[0]
        await self.call(
            http,
            "PATCH /admin/drinks/{id}",
            "PATCH",
            f"{menu}/admin/drinks/{edited}",
            headers=self.admin,
            json={"description": "Tonight's special, edited mid-party"},
        )
        await asyncio.sleep(self.plan.order_seconds / 6)
        off_menu = self.menu[-1]
        await self.call(
            http,
            "PATCH /admin/drinks/{id}",
            "PATCH",
            f"{menu}/admin/drinks/{off_menu}",
            headers=self.admin,
            json={"is_active": False},
        )

    async def _fault(self, at: float, act: Callable[[], object]) -> None:
        await asyncio.sleep(at)
        self.note(f"fault at {at:g} s")
        await asyncio.to_thread(act)

    async def dashboard(self, http: Any, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.call(
                http,
                "GET /admin/stats",
                "GET",
                f"{self.api('orders')}/admin/stats",
                headers=self.admin,
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.plan.stats_every_seconds)

    # The night ------------------------------------------------------------------------------
    async def run(self) -> dict[str, Any]:
        import httpx

        plan = self.plan
        limits = httpx.Limits(max_connections=128, max_keepalive_connections=128)
        async with httpx.AsyncClient(timeout=30, limits=limits) as http:
            r = await http.post(
                f"{self.api('identity')}/admin/registration-codes",
                headers=self.admin,
                json={"max_uses": min(500, plan.guests + 5)},
            )
            r.raise_for_status()
            code = r.json()["registration_code"]["code"]
            self.menu = [
                d["id"] for d in (await http.get(f"{self.api('menu')}/drinks")).json()["drinks"]
            ]
            listening = asyncio.Event()  # stops every WebSocket
            working = asyncio.Event()  # stops the bartenders and the dashboard
            tasks: list[Any] = []
            displays = [await self.display(http, n, listening, tasks) for n in range(plan.displays)]
            self.guests = [Guest(f"Guest {i}") for i in range(plan.guests)]
            self.started = time.perf_counter()
            joins = [
                asyncio.ensure_future(
                    self.join(
                        http, g, code, self.rng.uniform(0, plan.join_seconds), listening, tasks
                    )
                )
                for g in self.guests
            ]
            await asyncio.sleep(min(1.0, plan.join_seconds))  # the first guests are in
            placing = asyncio.ensure_future(self.arrivals(http))
            people = [
                asyncio.ensure_future(self.bartender(http, n, working))
                for n in range(plan.bartenders)
            ]
            side = [
                *(asyncio.ensure_future(self._fault(at, act)) for at, act in self.faults),
                asyncio.ensure_future(self.admin_edits(http)),
                asyncio.ensure_future(self.dashboard(http, working)),
            ]
            try:
                await asyncio.wait_for(
                    asyncio.gather(*joins, placing, *people),
                    plan.deadline_seconds,
                )
                timed_out = False
            except TimeoutError:
                timed_out = True
            working.set()
            finished = time.perf_counter()
            await self._settle(displays)
            for t in side:
                t.cancel()
            listening.set()
            await asyncio.gather(*tasks, *side, return_exceptions=True)
            final = await self._final_state(http)
        return self._report(displays, final, finished, timed_out)

    async def _settle(self, displays: list[Listener]) -> None:
        """Wait until every accepted change has reached its guest and every display, or until
        `settle_seconds` passed (what is still missing then is lost)."""
        deadline = time.monotonic() + self.plan.settle_seconds
        while time.monotonic() < deadline:
            if not self._missing(displays):
                return
            await asyncio.sleep(0.25)

    def _missing(self, displays: list[Listener]) -> dict[str, int]:
        """Accepted changes a client never learned of: no frame, and no resync begun after the
        request was sent (such a resync read the change, or came before its commit, and then
        the subscription it followed received the change's frame)."""
        missing: Counter[str] = Counter()
        seen = {
            id(lst): {(f.order_id, f.status) for f in lst.frames}
            for lst in [*displays, *(g.listener for g in self.joined if g.listener is not None)]
        }

        def knows(listener: Listener | None, key: tuple[str, str], sent: float) -> bool:
            if listener is None:
                return False
            return key in seen[id(listener)] or any(t > sent for t in listener.resynced_at)

        self.lost_samples.clear()
        for key, (sent, _) in self.accepted.items():
            guest = self.owner.get(key[0])
            listeners = [
                (guest.listener if guest else None, "guests"),
                *((d, d.name) for d in displays),
            ]
            for listener, who in listeners:
                if not knows(listener, key, sent):
                    missing[who] += 1
                    if listener is not None and len(self.lost_samples) < 5:
                        self.lost_samples.append(self._trace(listener, key, sent))
        return dict(missing)

    def _trace(self, listener: Listener, key: tuple[str, str], sent: float) -> str:
        """What one client saw of one order: for the report when something went missing."""
        t = self.started
        frames = [(f.status, round(f.at - t, 2)) for f in listener.frames if f.order_id == key[0]]
        resyncs = [round(r - t, 2) for r in listener.resynced_at]
        return (
            f"{listener.name}: {key} sent at {sent - t:.2f} s; resyncs {resyncs}; frames {frames}"
        )

    async def _final_state(self, http: Any) -> dict[str, Any]:
        everything = await self.pages(
            http,
            "GET /admin/orders",
            f"{self.api('orders')}/admin/orders",
            self.admin,
            {"status": list(ALL_STATUSES)},
        )
        queue = await self.pages(
            http, "GET /admin/orders", f"{self.api('orders')}/admin/orders", self.admin
        )
        rows: list[tuple[str, str]] | None = None
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url) as conn:
                rows = [
                    (str(i), s)
                    for i, s in conn.execute("SELECT id, status FROM orders.orders").fetchall()
                ]
        return {"everything": everything, "queue": queue, "rows": rows}

    def _report(
        self, displays: list[Listener], final: dict[str, Any], finished: float, timed_out: bool
    ) -> dict[str, Any]:
        plan = self.plan
        duration = finished - self.started
        by_endpoint: dict[str, list[Call]] = {}
        for c in self.calls:
            by_endpoint.setdefault(c.endpoint, []).append(c)
        endpoints = {
            name: {
                **percentiles([c.ms for c in calls if c.status]),
                "statuses": dict(Counter(str(c.status) for c in calls)),
                "per_second": round(len(calls) / duration, 2) if duration else 0.0,
            }
            for name, calls in sorted(by_endpoint.items())
        }
        status_of = {o["id"]: o["status"] for o in final["everything"]}
        listed = Counter(o["id"] for o in final["everything"])
        placed = {order_id for order_id, status in self.accepted if status == "pending"}
        party_guests = {g.user_key for g in self.joined}
        unheard = [
            o["id"]
            for o in final["everything"]
            if o["user_key"] in party_guests and o["id"] not in placed
        ]
        wrong_on_guest = []
        for order_id in placed:
            guest = self.owner[order_id]
            assert guest.listener is not None
            seen = guest.listener.screen().get(order_id)
            if seen is None or seen[1] != status_of.get(order_id):
                wrong_on_guest.append(
                    (order_id, seen[1] if seen else None, status_of.get(order_id))
                )
        queue = {o["id"]: o["status"] for o in final["queue"]}
        boards = {}
        for d in displays:
            board = {i: st for i, (_, st) in d.screen().items() if st in OPEN}
            differences = sorted(set(board.items()) ^ set(queue.items()))
            boards[d.name] = {
                "equals_queue": board == queue,
                "on_board": len(board),
                "differences": len(differences),
                "difference_samples": [
                    self._trace(d, (i, st), self.started) for i, st in differences[:3]
                ],
            }
        database: dict[str, Any] = {"checked": final["rows"] is not None}
        if final["rows"] is not None:
            rows = dict(final["rows"])
            database.update(
                accepted_orders_in_db=sum(1 for o in placed if o in rows),
                statuses_match_api=all(rows.get(i) == st for i, st in status_of.items()),
                rows=len(rows),
            )
        listeners = [g.listener for g in self.joined if g.listener is not None]
        missing = self._missing(displays)
        errors = [c for c in self.calls if c.status not in EXPECTED.get(c.endpoint, {200})]
        return {
            "plan": {k: getattr(plan, k) for k in plan.__dataclass_fields__},
            "duration_s": round(duration, 1),
            "timed_out": timed_out,
            "guests_joined": len(self.joined),
            "orders_accepted": len(placed),
            "moves_accepted": sum(1 for _, st in self.accepted if st != "pending"),
            "endpoints": endpoints,
            "timeline": _timeline(self.calls, window=max(1.0, round(duration / 60))),
            "realtime": {
                "guests": self._latency(
                    [
                        (
                            lst,
                            {
                                k: v
                                for k, v in self.accepted.items()
                                if self.owner[k[0]].listener is lst
                            },
                        )
                        for lst in listeners
                    ]
                ),
                **{d.name: self._latency([(d, self.accepted)]) for d in displays},
            },
            "errors": {
                "count": len(errors),
                "server_errors": sum(1 for c in self.calls if c.status >= 500),
                "no_answer": sum(1 for c in self.calls if c.status == 0),
                "samples": self.unexpected[:10],
            },
            "expected_rejections": dict(
                Counter(
                    f"{c.endpoint} {c.status}"
                    for c in self.calls
                    if c.status in (404, 409) and c.status in EXPECTED.get(c.endpoint, set())
                )
            ),
            "lost_samples": self.lost_samples,
            "lost": {
                "guests": missing.get("guests", 0),
                **{d.name: missing.get(d.name, 0) for d in displays},
            },
            "duplicates_delivered": {
                "guests": sum(lst.duplicates for lst in listeners),
                **{d.name: d.duplicates for d in displays},
                "deduplicated_by_event_id": True,
            },
            "reconnects": sum(lst.reconnects for lst in [*listeners, *displays]),
            "double_taps": self.double_taps,
            "final_state": {
                "accepted_orders_listed_once": all(listed[o] == 1 for o in placed),
                "accepted_orders_missing": sum(1 for o in placed if o not in listed),
                "orders_never_acknowledged": len(unheard),
                "guest_last_state_wrong": len(wrong_on_guest),
                "wrong_samples": wrong_on_guest[:5],
                "displays": boards,
                "database": database,
            },
            "notes": dict(self.notes.most_common(10)),
        }

    def _latency(
        self, pairs: list[tuple[Listener, dict[tuple[str, str], tuple[float, float]]]]
    ) -> dict[str, Any]:
        """Frame arrival minus the API's answer (delivery) and minus the request (end to end)."""
        delivery, end_to_end = [], []
        for listener, expected in pairs:
            arrived = {(f.order_id, f.status): f.at for f in listener.frames}
            for key, (sent, answered) in expected.items():
                if key in arrived:
                    delivery.append((arrived[key] - answered) * 1000)
                    end_to_end.append((arrived[key] - sent) * 1000)
        return {"delivery": percentiles(delivery), "end_to_end": percentiles(end_to_end)}

    def problems(self, report: dict[str, Any]) -> list[str]:
        """What makes a party wrong (never timing): for the short run in `make test`."""
        found = []
        if report["timed_out"]:
            found.append("the party did not finish within its deadline")
        if report["errors"]["count"]:
            found.append(
                f"{report['errors']['count']} unexpected answers: {report['errors']['samples']}"
            )
        for who, n in report["lost"].items():
            if n:
                found.append(f"{n} changes never reached {who}")
        state = report["final_state"]
        if not state["accepted_orders_listed_once"] or state["accepted_orders_missing"]:
            found.append("an accepted order is missing or listed twice")
        if state["orders_never_acknowledged"]:
            found.append(f"{state['orders_never_acknowledged']} orders exist that no answer named")
        if state["guest_last_state_wrong"]:
            found.append(f"guests' screens disagree with the database: {state['wrong_samples']}")
        for name, board in state["displays"].items():
            if not board["equals_queue"]:
                found.append(f"{name}'s board differs from the queue ({board['differences']})")
        db = state["database"]
        if db["checked"] and (
            not db["statuses_match_api"] or db["accepted_orders_in_db"] != report["orders_accepted"]
        ):
            found.append(f"the database disagrees with the API: {db}")
        if report["double_taps"]["different_orders"]:
            found.append("a double tap created two orders")
        return found


def percentiles(samples_ms: list[float]) -> dict[str, Any]:
    """n, p50/p95/p99 and max in milliseconds (nearest rank)."""
    ordered = sorted(samples_ms)
    if not ordered:
        return {"n": 0}

    def rank(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))], 2)

    return {
        "n": len(ordered),
        "p50_ms": rank(50),
        "p95_ms": rank(95),
        "p99_ms": rank(99),
        "max_ms": round(ordered[-1], 2),
    }


def _timeline(calls: list[Call], *, window: float) -> list[dict[str, Any]]:
    """Per window of `window` seconds: requests per second, per endpoint, and the p95/p99."""
    buckets: dict[int, list[Call]] = {}
    for c in calls:
        buckets.setdefault(int(c.at // window), []).append(c)
    rows = []
    for index in sorted(buckets):
        group = buckets[index]
        stats = percentiles([c.ms for c in group if c.status])
        rows.append(
            {
                "t": round(index * window, 1),
                "requests_per_s": round(len(group) / window, 2),
                "by_endpoint": dict(Counter(c.endpoint for c in group)),
                "p95_ms": stats.get("p95_ms"),
                "p99_ms": stats.get("p99_ms"),
                "errors": sum(1 for c in group if c.status not in EXPECTED.get(c.endpoint, {200})),
            }
        )
    return rows


def run_party(stack: Any, plan: PartyPlan, *, database_url: str | None = None) -> dict[str, Any]:
    """Run the party against `stack` (a barkeep.testing.stack.RunningStack) and report."""
    return asyncio.run(Party(stack, plan, database_url=database_url).run())
