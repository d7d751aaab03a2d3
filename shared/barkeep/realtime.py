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


def _signed_in(token: str) -> bool:
    """A valid guest or admin access token."""
    from barkeep.auth import admin_claims, guest_principal

    return guest_principal(token) is not None or admin_claims(token) is not None


def _connect(auth: Mapping[str, str]) -> bool:
    """A connection needs the public API key or a valid token; its subscriptions are decided
    one by one. A wrong key is refused even beside a token."""
    key = _lowered(auth).get("x-api-key")
    if key is not None:
        return key == api_key()
    token = _token(auth)
    return token is not None and _signed_in(token)


def authorize(operation: Operation, channel: str, auth: Mapping[str, str]) -> bool:
    """May the holder of `auth` connect, or subscribe (or publish) to `channel`?"""
    from barkeep.auth import admin_claims, guest_principal

    if operation == "CONNECT":
        return _connect(auth)
    if operation != "SUBSCRIBE":
        return False  # publishing is IAM, for the services only
    segments = channel.strip("/").split("/")
    token = _token(auth)
    if channel == MENU_UPDATES:
        key = _lowered(auth).get("x-api-key")
        if key is not None and key == api_key():
            return True
        return token is not None and _signed_in(token)
    if token is None:
        return False
    if channel == ADMIN_ORDERS:
        return admin_claims(token) is not None
    if len(segments) == 2 and segments[0] == "orders":
        guest = guest_principal(token)
        return guest is not None and guest.user_key == segments[1]
    return False


_OPERATIONS: dict[str, Operation] = {"EVENT_CONNECT": "CONNECT", "EVENT_SUBSCRIBE": "SUBSCRIBE"}


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The AppSync Events Lambda authorizer: the same decision, in AWS."""
    request = event.get("requestContext") or {}
    operation = _OPERATIONS.get(str(request.get("operation", "")))
    channel = str(request.get("channel", ""))
    auth = {"Authorization": str(event.get("authorizationToken", ""))}
    allowed = operation is not None and authorize(operation, channel, auth)
    return {"isAuthorized": allowed, "ttlOverride": 0}


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
