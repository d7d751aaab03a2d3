"""Orders and their status machine. Pure: no SQL, no boto3, no Chalice."""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from barkeep.events import isoformat
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url


class Status(StrEnum):
    PENDING = "pending"
    PREPARING = "preparing"
    READY = "ready"
    SERVED = "served"
    CANCELLED = "cancelled"


# pending -> preparing -> ready -> served; pending -> cancelled (guest or admin);
# preparing -> cancelled (admin only). Two recalls take a step back (ADR 0029): ready ->
# preparing ("not ready") at any time, served -> ready ("undo serve") within the recall window.
ADMIN_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.PENDING: frozenset({Status.PREPARING, Status.CANCELLED}),
    Status.PREPARING: frozenset({Status.READY, Status.CANCELLED}),
    Status.READY: frozenset({Status.SERVED, Status.PREPARING}),
    Status.SERVED: frozenset({Status.READY}),
    Status.CANCELLED: frozenset(),
}
RECALLS: dict[Status, Status] = {Status.READY: Status.PREPARING, Status.SERVED: Status.READY}
GUEST_TRANSITIONS: dict[Status, frozenset[Status]] = {Status.PENDING: frozenset({Status.CANCELLED})}
OPEN = (Status.PENDING, Status.PREPARING, Status.READY)
CLOSED = (Status.SERVED, Status.CANCELLED)


def transition_problem(current: Status, target: Status, *, by_admin: bool) -> str | None:
    """Why `current -> target` is not allowed (None when it is)."""
    allowed = (ADMIN_TRANSITIONS if by_admin else GUEST_TRANSITIONS).get(current, frozenset())
    if target in allowed:
        return None
    if current in CLOSED or current == target:
        return f"Order is already {current.value}"
    if not by_admin and target is Status.CANCELLED:
        return "Only a pending order can be cancelled; ask the bartender"
    return f"An order cannot go from {current.value} to {target.value}"


def recall_problem(order: Order, target: Status, now: datetime, window: timedelta) -> str | None:
    """Why taking `order` back to `target` is too late (None when it is not a late recall).
    Only "undo serve" has a window: the drink may already be in the guest's hand. An order the
    close-out ended was never served by a bartender, so there is nothing to undo."""
    if order.status is not Status.SERVED or target is not Status.READY:
        return None
    if order.closed_out:
        return "The night's close-out ended this order; it cannot be recalled"
    if order.completed_at is None or now - order.completed_at > window:
        seconds = int(window.total_seconds())
        return f"An order can be recalled only within {seconds} seconds of being served"
    return None


@dataclass(frozen=True)
class Order:
    id: str
    user_key: str
    username: str
    drink_id: str
    drink_name: str
    quantity: int
    notes: str
    status: Status
    created_at: datetime
    updated_at: datetime
    ready_at: datetime | None = None
    completed_at: datetime | None = None
    closed_out: bool = False  # closed by the end-of-night close-out, not by a bartender
    number: int | None = None  # the short number called at the bar (None: placed before them)
    started_at: datetime | None = None  # when it last went to preparing

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def moved_to(self, target: Status, now: datetime) -> Order:
        """This order after a move. A recall takes back the stamp of the step it undoes: "not
        ready" clears ready_at, "undo serve" clears completed_at and keeps when it was ready."""
        recall = RECALLS.get(self.status) is target
        if target is Status.READY:
            ready_at = self.ready_at if recall and self.ready_at else now
        elif recall:  # ready -> preparing
            ready_at = None
        else:
            ready_at = self.ready_at
        return replace(
            self,
            status=target,
            updated_at=now,
            ready_at=ready_at,
            completed_at=now if target in CLOSED else None if recall else self.completed_at,
            started_at=now if target is Status.PREPARING else self.started_at,
        )

    def closed_out_at(self, now: datetime) -> Order:
        """This open order, closed out: what the bar did with it is the honest terminal state."""
        return replace(self.moved_to(CLOSE_OUT[self.status], now), closed_out=True)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user_key": self.user_key,
            "username": self.username,
            "drink_id": self.drink_id,
            "drink_name": self.drink_name,
            "quantity": self.quantity,
            "notes": self.notes,
            "status": self.status.value,
            "created_at": isoformat(self.created_at),
            "updated_at": isoformat(self.updated_at),
            "ready_at": isoformat(self.ready_at) if self.ready_at else None,
            "completed_at": isoformat(self.completed_at) if self.completed_at else None,
            "closed_out": self.closed_out,
            "number": self.number,
            "started_at": isoformat(self.started_at) if self.started_at else None,
        }


# What a close-out makes of an open order, through the baseline state machine only (ADR 0021):
# a drink still pending or being made was never handed over, so it is cancelled; a ready drink
# was made and left on the bar, so it is served. Every client already knows both.
CLOSE_OUT: dict[Status, Status] = {
    Status.PENDING: Status.CANCELLED,
    Status.PREPARING: Status.CANCELLED,
    Status.READY: Status.SERVED,
}


# Order numbers count 1 to 999 and then start at 1 again: short enough to call across a bar,
# and no bar has 999 drinks open at once.
MAX_NUMBER = 999


# Lists ------------------------------------------------------------------------------------
class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the last order's (created_at, id), the list's sort key. Clients get
    it as an opaque string and hand it back for the next page."""

    created_at: datetime
    id: str

    @classmethod
    def after(cls, order: Order) -> Cursor:
        return cls(order.created_at, order.id)

    def encode(self) -> str:
        raw = f"{isoformat(self.created_at)}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            moment, _, order_id = raw.partition("|")
            created_at = datetime.fromisoformat(moment)
            parsed = uuid.UUID(order_id)
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise BadCursor("Not a cursor this API gave out") from None
        if created_at.tzinfo is None:
            raise BadCursor("Not a cursor this API gave out")
        return cls(created_at, str(parsed))


@dataclass(frozen=True)
class PageRequest:
    limit: int
    after: Cursor | None = None


@dataclass(frozen=True)
class Page:
    """One page of a list; `next` is None when it is the last one (the list is complete)."""

    orders: list[Order]
    next: Cursor | None

    @classmethod
    def of(cls, rows: list[Order], limit: int) -> Page:
        """`rows` as read with one row beyond the limit: that row tells whether more follow."""
        shown = rows[:limit]
        return cls(shown, Cursor.after(shown[-1]) if len(rows) > limit and shown else None)

    def to_json(self) -> dict[str, Any]:
        return {
            "orders": [o.to_json() for o in self.orders],
            "next_cursor": self.next.encode() if self.next else None,
        }


# The bar's settings --------------------------------------------------------------------------
class Ordering(StrEnum):
    OPEN = "open"
    LAST_CALL = "last_call"  # still taking orders; guests see a "Last call" banner
    PAUSED = "paused"


@dataclass(frozen=True)
class BarSettings:
    """One row for the whole bar, so every display agrees on what guests may do and on the
    wait colours (ADR 0029)."""

    ordering: Ordering = Ordering.OPEN
    message: str = ""
    reopens_at: datetime | None = None
    wait_warn_seconds: int = 300
    wait_late_seconds: int = 600
    updated_at: datetime | None = None

    def changed(self, changes: dict[str, Any], now: datetime) -> BarSettings:
        """These settings with `changes` (only the fields sent). Opening again clears when it
        reopens: it has."""
        after = replace(self, **changes, updated_at=now)
        if after.ordering is Ordering.OPEN:
            after = replace(after, reopens_at=None)
        return after

    def wait_problem(self) -> dict[str, str]:
        """The fields whose wait colours do not make sense together."""
        if self.wait_late_seconds <= self.wait_warn_seconds:
            return {"wait_late_seconds": "must be more than wait_warn_seconds"}
        return {}

    def refusal(self) -> str | None:
        """Why an order is refused now (None: the bar takes it)."""
        if self.ordering is not Ordering.PAUSED:
            return None
        text = "The bar has paused ordering"
        if self.message:
            text += f": {self.message}"
        if self.reopens_at is not None:
            text = text.rstrip(".!") + f". It reopens at {isoformat(self.reopens_at)}"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "ordering": self.ordering.value,
            "message": self.message,
            "reopens_at": isoformat(self.reopens_at) if self.reopens_at else None,
            "wait_warn_seconds": self.wait_warn_seconds,
            "wait_late_seconds": self.wait_late_seconds,
            "updated_at": isoformat(self.updated_at) if self.updated_at else None,
        }


# Web Push (ADR 0036) --------------------------------------------------------------------------
# Where a subscription may point: the push services of the browsers people carry (Chrome and
# Android's FCM, Firefox's autopush, Safari's and iOS's, Edge's WNS). Anything else is refused,
# so a guest cannot make the service POST to an address of their choosing. Google's hosts are
# named exactly (other *.googleapis.com and *.google.com hosts serve anyone's content); the
# others are their operators' own subdomains (updates.push.services.mozilla.com,
# web.push.apple.com, wns2-*.notify.windows.com).
PUSH_HOSTS = ("fcm.googleapis.com", "android.googleapis.com")
PUSH_DOMAINS = ("push.services.mozilla.com", "push.apple.com", "notify.windows.com")
MAX_ENDPOINT = 2000
# A guest's phones and browsers; beyond this the oldest subscription is forgotten.
MAX_SUBSCRIPTIONS_PER_GUEST = 5
PUSH_TTL_SECONDS = 3600  # a "ready" still matters an hour later; after that, nobody waits
# What RFC 3986 lets a URL hold: no space, control, backslash or non-ASCII character, on which
# URL parsers disagree (urlsplit keeps `a\.fcm.googleapis.com` as one host, urllib3, which
# sends, ends the host at the backslash).
_URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def endpoint_problem(endpoint: str, extra_hosts: tuple[str, ...] = ()) -> str | None:
    """Why a push endpoint is refused, or None. `extra_hosts` (tests, a local push service)
    may also be plain http, on any port."""
    if len(endpoint) > MAX_ENDPOINT:
        return f"at most {MAX_ENDPOINT} characters"
    if not _URL_CHARACTERS.fullmatch(endpoint):
        return "not a URL"
    try:
        parts = urlsplit(endpoint)
        sent_to = parse_url(endpoint)  # how urllib3 will read it when the ping is sent
        host, port = (parts.hostname or "").lower(), parts.port
    except (ValueError, LocationParseError):
        return "not a URL"
    if parts.username or parts.password or not host or (sent_to.host or "").lower() != host:
        return "not a push service URL"
    if host in extra_hosts and parts.scheme in ("http", "https"):
        return None
    if parts.scheme != "https" or port not in (None, 443):
        return "must be an https URL"
    if host not in PUSH_HOSTS and not any(host.endswith(f".{d}") for d in PUSH_DOMAINS):
        return "not a known push service"
    return None


def subscription_id(endpoint: str) -> str:
    """One row per endpoint, whoever subscribed it last: its id is derived from it."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, endpoint))


@dataclass(frozen=True)
class PushSubscription:
    """A browser's push subscription, as `PushSubscription.toJSON()` gives it: the endpoint
    and the keys (base64url) messages are encrypted for."""

    user_key: str
    endpoint: str
    p256dh: str
    auth: str

    @property
    def id(self) -> str:
        return subscription_id(self.endpoint)


def pings_guest(before: Order, after: Order) -> bool:
    """A move that pings the guest's phones: into "ready", as the app's own alert does."""
    return after.status is Status.READY and before.status is not Status.READY


def ready_message(order: Order) -> dict[str, Any]:
    """What a push carries: the order, not words. The service worker writes the notification
    in the phone's language, with the tag and link of the app's own (web/sw/sw.js)."""
    return {
        "type": "ORDER_READY",
        "order": {
            "id": order.id,
            "number": order.number,
            "drink_name": order.drink_name,
            "quantity": order.quantity,
        },
    }
