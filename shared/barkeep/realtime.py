"""Realtime (AppSync Events): who may use which channel, and how services publish.

Channels (API.md):
    /orders/{user_key}   only that guest's access token
    /admin/orders        an admin's Cognito access token
    /menu/updates        the public API key (or any valid guest or admin token)

`authorize` is the one decision, for opening a connection (`CONNECT`: the public API key or a
valid guest or admin token) and for each subscription. In AWS it runs as the AppSync Events
Lambda authorizer (`lambda_handler`: EVENT_CONNECT, EVENT_SUBSCRIBE); locally the emulator in
devstack calls it in-process. Only the services publish, with IAM (SigV4, service `appsync`):
no browser credential may publish.

A decision allowed by a token lasts until that token stops being accepted (`Decision`): an open
subscription is decided again every AUTHORIZATION_TTL_SECONDS and ends when refused (ADR 0026).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from barkeep import settings
from barkeep.events import OutboxMessage
from barkeep.observability import get_logger

log = get_logger("barkeep.realtime")

Operation = Literal["CONNECT", "SUBSCRIBE", "PUBLISH"]
REALTIME = "realtime"  # the outbox target
MAX_EVENTS_PER_PUBLISH = 5  # AppSync Events' limit
# How long an allow made with a token is trusted before it is decided again (never past the
# token's own expiry): a revocation the decision learns of, such as a deactivated guest,
# reaches open subscriptions within this, with room left inside the 5 s that deactivation
# promises. One decision costs ~0.1 ms (an RS256 verification), so 300 guests cost 100 a second.
AUTHORIZATION_TTL_SECONDS = 3.0
# AppSync may cache the Lambda authorizer's answer (ttlOverride, 0-3600 s). AWS documents for
# how long, not by what key: keyed by token alone, a cached allow of one token's CONNECT or
# /menu/updates would answer its subscribe to someone else's channel. So nothing is cached; in
# AWS every connect and subscribe is decided afresh.
AUTHORIZER_CACHE_SECONDS = 0

ADMIN_ORDERS = "/admin/orders"
MENU_UPDATES = "/menu/updates"


@dataclass(frozen=True)
class Channel:
    """One of API.md's channels, as the reference docs list it (`authorize` decides it)."""

    path: str
    namespace: str
    subscribers: str
    events: tuple[str, ...]


CHANNELS = (
    Channel(
        "/orders/{user_key}",
        "orders",
        "only that guest (their access token)",
        ("ORDER_CREATED", "ORDER_STATUS_CHANGED"),
    ),
    Channel(
        ADMIN_ORDERS,
        "admin",
        "admins (a Cognito access token of group admin)",
        ("ORDER_CREATED", "ORDER_STATUS_CHANGED"),
    ),
    Channel(
        MENU_UPDATES,
        "menu",
        "anyone with the public API key (or a valid guest or admin token)",
        ("MENU_CHANGED",),
    ),
)


@dataclass(frozen=True)
class Decision:
    """`authorize`'s answer. An allow holds until `valid_until` (epoch seconds: when the token
    that allowed it stops being accepted), or for good when None (the public API key).
    Truthy when allowed."""

    allowed: bool
    valid_until: float | None = None

    def __bool__(self) -> bool:
        return self.allowed

    def recheck_in(self, now: float) -> float | None:
        """Seconds until this allow must be decided again; None: never (a refusal is final,
        the API key does not lapse)."""
        if not self.allowed or self.valid_until is None:
            return None
        return max(0.0, min(self.valid_until - now, AUTHORIZATION_TTL_SECONDS))


DENIED = Decision(False)
PUBLIC = Decision(True)


def guest_orders_channel(user_key: str) -> str:
    return f"/orders/{user_key}"


def api_key() -> str:
    return settings.platform().realtime_api_key


def _lowered(auth: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in auth.items()}


def _token(auth: Mapping[str, str]) -> str | None:
    raw = _lowered(auth).get("authorization")
    if not raw:
        return None
    scheme, _, rest = raw.strip().partition(" ")
    return rest.strip() if scheme.lower() == "bearer" and rest.strip() else raw.strip()


def _guest(token: str, user_key: str | None = None) -> Decision:
    """A valid guest access token (of `user_key`, when given)."""
    from barkeep.auth import guest_principal

    guest = guest_principal(token)
    if guest is None or user_key not in (None, guest.user_key):
        return DENIED
    return Decision(True, guest.valid_until)


def _admin(token: str) -> Decision:
    """A valid admin (Cognito, group admin) access token."""
    from barkeep.auth import admin_claims, valid_until

    claims = admin_claims(token)
    return DENIED if claims is None else Decision(True, valid_until(claims))


def _signed_in(token: str) -> Decision:
    return _guest(token) or _admin(token)


def _connect(auth: Mapping[str, str]) -> Decision:
    """A connection needs the public API key or a valid token; its subscriptions are decided
    one by one. A wrong key is refused even beside a token."""
    key = _lowered(auth).get("x-api-key")
    if key is not None:
        return PUBLIC if key == api_key() else DENIED
    token = _token(auth)
    return DENIED if token is None else _signed_in(token)


def authorize(operation: Operation, channel: str, auth: Mapping[str, str]) -> Decision:
    """May the holder of `auth` connect, or subscribe (or publish) to `channel`, and until when?"""
    if operation == "CONNECT":
        return _connect(auth)
    if operation != "SUBSCRIBE":
        return DENIED  # publishing is IAM, for the services only
    token = _token(auth)
    if channel == MENU_UPDATES:
        key = _lowered(auth).get("x-api-key")
        if key is not None and key == api_key():
            return PUBLIC
        return DENIED if token is None else _signed_in(token)
    if token is None:
        return DENIED
    if channel == ADMIN_ORDERS:
        return _admin(token)
    segments = channel.strip("/").split("/")
    if len(segments) == 2 and segments[0] == "orders":
        return _guest(token, segments[1])
    return DENIED


_OPERATIONS: dict[str, Operation] = {"EVENT_CONNECT": "CONNECT", "EVENT_SUBSCRIBE": "SUBSCRIBE"}


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The AppSync Events Lambda authorizer: the same decision, in AWS."""
    request = event.get("requestContext") or {}
    operation = _OPERATIONS.get(str(request.get("operation", "")))
    channel = str(request.get("channel", ""))
    auth = {"Authorization": str(event.get("authorizationToken", ""))}
    allowed = operation is not None and authorize(operation, channel, auth).allowed
    return {"isAuthorized": allowed, "ttlOverride": AUTHORIZER_CACHE_SECONDS}


def realtime_event(event_type: str, event_id: str, occurred_at: str, data: dict[str, Any]) -> str:
    """The `event` string of a data frame (API.md)."""
    return json.dumps(
        {
            "type": event_type,
            "version": 1,
            "event_id": event_id,
            "occurred_at": occurred_at,
            "data": data,
        },
        separators=(",", ":"),
        default=str,
    )


class AppSyncSink:
    """Publishes outbox messages to AppSync Events over HTTP, SigV4-signed (service appsync)
    with the function's own credentials. Locally the same code talks to the emulator."""

    def __init__(self, url: str, region: str) -> None:
        self.url = url
        self.region = region
        self._http: Any = None
        self._credentials: Any = None

    def _pool(self) -> Any:
        if self._http is None:
            import urllib3

            self._http = urllib3.PoolManager(
                timeout=urllib3.Timeout(connect=2, read=5), retries=False
            )
        return self._http

    def _signed(self, body: bytes) -> dict[str, str]:
        import boto3
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest

        if self._credentials is None:  # resolved once; refreshable credentials renew themselves
            self._credentials = boto3.session.Session().get_credentials()
        credentials = self._credentials
        if credentials is None:
            raise RuntimeError("no AWS credentials to sign the realtime publish with")
        request = AWSRequest(
            method="POST", url=self.url, data=body, headers={"Content-Type": "application/json"}
        )
        SigV4Auth(credentials.get_frozen_credentials(), "appsync", self.region).add_auth(request)
        return dict(request.headers.items())

    def send(self, messages: Sequence[OutboxMessage]) -> set[str]:
        delivered: set[str] = set()
        by_channel: dict[str, list[OutboxMessage]] = {}
        for m in messages:
            by_channel.setdefault(m.topic, []).append(m)
        for channel, batch in by_channel.items():
            for start in range(0, len(batch), MAX_EVENTS_PER_PUBLISH):
                chunk = batch[start : start + MAX_EVENTS_PER_PUBLISH]
                body = json.dumps(
                    {"channel": channel, "events": [m.payload for m in chunk]}
                ).encode()
                response = self._pool().request(
                    "POST", self.url, body=body, headers=self._signed(body)
                )
                if response.status != 200:
                    log.warning(
                        "realtime publish refused",
                        extra={"channel": channel, "status": response.status},
                    )
                    continue
                result = json.loads(response.data or b"{}")
                ok = {int(s.get("index", -1)) for s in result.get("successful", [])}
                delivered |= {m.event_id for i, m in enumerate(chunk) if i in ok}
        return delivered
