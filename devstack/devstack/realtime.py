"""The local AWS AppSync Events emulator, served by the gateway at `/event` and `/event/realtime`.

It speaks AWS's protocol so the web app and the services use the same code locally and in AWS:

- `POST /event` publishes `{"channel", "events": [json string, ...]}`. Only the services
  publish, with IAM (SigV4, service `appsync`): a request is accepted only when its signature
  verifies with the local service credentials (`AWS_SECRET_ACCESS_KEY`, moto's `testing`).
- `/event/realtime` is the WebSocket: subprotocols `aws-appsync-event-ws` and
  `header-<base64url(JSON auth object)>`; `connection_init` -> `connection_ack`, `ka`,
  `subscribe`/`unsubscribe`, `data`, and `publish` (which `authorize("PUBLISH", ...)` decides,
  so a browser credential never publishes).

Who may connect and subscribe is not decided here: the emulator calls the one authorization
function, `barkeep.realtime.authorize` (the Lambda authorizer in AWS, which decides
EVENT_CONNECT and EVENT_SUBSCRIBE), in-process and off the event loop. An open subscription
allowed by a token is decided again as its decision lapses (every few seconds, and when the token
expires); once refused it ends with `subscribe_error` {id, UnauthorizedException}, the frame
AWS's Events clients take as the end of that one subscription [SDK], and the client subscribes
again with its current token. The public API key does not lapse.

Delivery is in memory. Each connection has its own send queue drained by its own task, so a slow
or dead client never holds up the others, and bounded in bytes (SEND_BACKLOG_BYTES), so one that
stops reading is dropped before it holds more than that; restarting the emulator drops every
subscription, and clients reconnect, resubscribe and resync over HTTP (the contract in API.md).

AWS pages followed (each message shape below names the one it comes from):
- [WS]     https://docs.aws.amazon.com/appsync/latest/eventapi/event-api-websocket-protocol.html
- [PUB-WS] https://docs.aws.amazon.com/appsync/latest/eventapi/publish-websocket.html
- [PUB-HTTP] https://docs.aws.amazon.com/appsync/latest/eventapi/publish-http.html
- [CONCEPTS] https://docs.aws.amazon.com/appsync/latest/eventapi/event-api-concepts.html
- [NAMESPACES] https://docs.aws.amazon.com/appsync/latest/eventapi/channel-namespaces.html
- [NS-API] https://docs.aws.amazon.com/appsync/latest/APIReference/API_ChannelNamespace.html
- [QUOTAS] https://docs.aws.amazon.com/general/latest/gr/appsync.html
- [SIGV4]  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
- [SDK]    the error types AWS's own Events client recognises: aws-amplify/amplify-android,
           appsync/aws-appsync-events/.../data/EventsError.kt (and WebSocketMessage.kt for the
           optional `id` of `error`/`publish_error` frames and `publish_success`'s lists).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hmac
import json
import os
import re
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from hashlib import sha256
from typing import Any

from barkeep.observability import get_logger
from barkeep.realtime import DENIED, Decision, Operation, authorize
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.websockets import WebSocket

log = get_logger("barkeep.devstack.realtime")

Authorizer = Callable[[Operation, str, Mapping[str, str]], Decision]

SUBPROTOCOL = "aws-appsync-event-ws"  # [WS]
AUTH_SUBPROTOCOL_PREFIX = "header-"  # [WS]: header-<base64url(JSON auth object)>
CONNECTION_TIMEOUT_MS = 300_000  # [WS]: connection_ack's connectionTimeoutMs
KEEP_ALIVE_SECONDS = 60.0  # AWS sends `ka` about once a minute
MAX_EVENTS_PER_PUBLISH = 5  # [PUB-HTTP], [PUB-WS], [QUOTAS]
MAX_EVENT_BYTES = 240 * 1024  # [CONCEPTS], [QUOTAS]: 240 KB per event
MAX_CHANNEL_SEGMENTS = 5  # [NAMESPACES], [QUOTAS]
MAX_SUBSCRIPTIONS_PER_CONNECTION = 200  # [QUOTAS]
MAX_BODY_BYTES = MAX_EVENTS_PER_PUBLISH * MAX_EVENT_BYTES + 64 * 1024
CLOCK_SKEW = timedelta(minutes=5)  # [SIGV4]: a signature is valid for 5 minutes either way
# Bytes of frames one client may leave unread before it is dropped (1008). AWS documents no
# such buffer (only [CONCEPTS]'s 240 KB per event and [PUB-HTTP]'s 5 per publish), so this is the
# largest burst one publish can aim at one subscription: 5 data frames, each event at most
# tripled by escaping it into the frame's JSON (\uXXXX). A client that keeps up is never cut
# off by a publish; one that stops reading holds at most this much of the emulator's memory.
SEND_BACKLOG_BYTES = 4 * 1024 * 1024
CONNECTION_ERROR_GRACE = 10.0  # seconds a refused client has to send connection_init
WILDCARD = "*"

# A channel segment is what a namespace name may be ([NS-API]'s pattern): 1-50 letters, digits
# and hyphens, neither starting nor ending with a hyphen. Channels are case-sensitive.
_SEGMENT = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,48}[A-Za-z0-9])?")
# [WS] only says an id is unique per connection (its examples are UUIDs); the emulator takes
# 1-128 letters, digits, '-' and '_', which every UUID-style client id satisfies.
_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")
_SIGV4_AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<credential>[^,\s]+)\s*,\s*"
    r"SignedHeaders=(?P<signed>[^,\s]+)\s*,\s*Signature=(?P<signature>[0-9a-fA-F]+)\s*"
)
_AMZ_DATE = "%Y%m%dT%H%M%SZ"
# CORS on /event so a browser gets a readable refusal instead of a CORS failure.
_CORS = {"Access-Control-Allow-Origin": "*"}
_CORS_ALLOWED_HEADERS = (
    "authorization, content-type, x-api-key, x-amz-date, x-amz-security-token, "
    "x-amz-content-sha256, x-amz-user-agent"
)


class ErrorType:
    """`errorType` values, as AWS's own Events client knows them [SDK]; SigV4 failures use the
    names AWS's signature check returns."""

    UNAUTHORIZED = "UnauthorizedException"
    BAD_REQUEST = "BadRequestException"
    UNSUPPORTED = "UnsupportedOperation"
    MAX_SUBSCRIPTIONS = "MaxSubscriptionsReachedError"
    INVALID_SIGNATURE = "InvalidSignatureException"
    INCOMPLETE_SIGNATURE = "IncompleteSignatureException"
    UNRECOGNIZED_CLIENT = "UnrecognizedClientException"
    UNAVAILABLE = "ServiceUnavailableException"


NOT_AUTHORIZED = "You are not authorized to make this call."
LAPSED = (
    "The subscription's authorization has lapsed (its token expired or was revoked): "
    "subscribe again with a current token."
)


def error_list(error_type: str, message: str) -> list[dict[str, str]]:
    """[WS]/[SDK]: every error frame and error body carries `errors: [{errorType, message}]`."""
    return [{"errorType": error_type, "message": message}]


class RealtimeError(Exception):
    """A request the emulator refuses, with the AWS error type it answers with."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message

    def errors(self) -> list[dict[str, str]]:
        return error_list(self.error_type, self.message)


# --- channels and events ----------------------------------------------------------------------


@dataclass(frozen=True)
class Channel:
    """A channel path; a subscription may end in `/*` ([WS]'s wildcard subscriptions)."""

    segments: tuple[str, ...]
    wildcard: bool = False

    @property
    def path(self) -> str:
        parts = (*self.segments, WILDCARD) if self.wildcard else self.segments
        return "/" + "/".join(parts)

    def matches(self, published: Channel) -> bool:
        """Does a subscription to this channel receive events published to `published`?
        `/orders/*` receives `/orders/abc` (and deeper channels under it), never `/orders`."""
        if not self.wildcard:
            return self.segments == published.segments
        depth = len(self.segments)
        return len(published.segments) > depth and published.segments[:depth] == self.segments


def parse_channel(raw: object, *, subscribe: bool) -> Channel:
    """Validate a channel path. The leading slash is optional, as in AWS's own examples
    ([PUB-HTTP] publishes to `default/channel`, [WS] subscribes to `/default/*`)."""
    if not isinstance(raw, str) or not raw:
        raise RealtimeError(ErrorType.BAD_REQUEST, "channel must be a non-empty string")
    parts = (raw[1:] if raw.startswith("/") else raw).split("/")
    if len(parts) > MAX_CHANNEL_SEGMENTS:
        raise RealtimeError(
            ErrorType.BAD_REQUEST,
            f"Invalid channel {raw!r}: {len(parts)} segments, at most "
            f"{MAX_CHANNEL_SEGMENTS} are allowed",
        )
    wildcard = parts[-1] == WILDCARD
    if wildcard:
        if not subscribe:
            raise RealtimeError(
                ErrorType.BAD_REQUEST,
                f"Invalid channel {raw!r}: wildcards are only allowed when subscribing; "
                "publish to a concrete channel",
            )
        parts = parts[:-1]
        if not parts:
            raise RealtimeError(
                ErrorType.BAD_REQUEST,
                f"Invalid channel {raw!r}: a wildcard needs a namespace before it (/orders/*)",
            )
    for part in parts:
        if WILDCARD in part:
            raise RealtimeError(
                ErrorType.BAD_REQUEST,
                f"Invalid channel {raw!r}: '*' may only be the whole last segment (/orders/*)",
            )
        if not _SEGMENT.fullmatch(part):
            raise RealtimeError(
                ErrorType.BAD_REQUEST,
                f"Invalid channel {raw!r}: segment {part!r} must be 1-50 letters, digits or "
                "hyphens, neither starting nor ending with a hyphen",
            )
    return Channel(tuple(parts), wildcard)


def validate_events(raw: object) -> list[str]:
    """[PUB-HTTP]/[PUB-WS]: 1-5 events, each "a stringified valid JSON value" of at most
    240 KB ([CONCEPTS])."""
    if not isinstance(raw, list) or not raw:
        raise RealtimeError(
            ErrorType.BAD_REQUEST, "events must be a non-empty list of JSON strings"
        )
    if len(raw) > MAX_EVENTS_PER_PUBLISH:
        raise RealtimeError(
            ErrorType.BAD_REQUEST,
            f"Too many events: {len(raw)}; at most {MAX_EVENTS_PER_PUBLISH} per publish",
        )
    events: list[str] = []
    for index, event in enumerate(raw):
        if not isinstance(event, str):
            raise RealtimeError(
                ErrorType.BAD_REQUEST,
                f"events[{index}] must be a string holding JSON (JSON.stringify the event)",
            )
        size = len(event.encode("utf-8", "surrogatepass"))
        if size > MAX_EVENT_BYTES:
            raise RealtimeError(
                ErrorType.BAD_REQUEST,
                f"events[{index}] is {size} bytes; an event may be at most 240 KB "
                f"({MAX_EVENT_BYTES} bytes)",
            )
        try:
            json.loads(event)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than its stack
            raise RealtimeError(
                ErrorType.BAD_REQUEST, f"events[{index}] is not valid JSON"
            ) from None
        events.append(event)
    return events


def publish_result(count: int) -> dict[str, Any]:
    """[PUB-HTTP]'s response body and [PUB-WS]'s `publish_success`: one `{identifier, index}`
    per accepted event; `failed` holds `{identifier, index, code, message}` ([SDK]), which only
    an onPublish handler produces in AWS, so it is always empty here."""
    return {
        "failed": [],
        "successful": [{"identifier": str(uuid.uuid4()), "index": i} for i in range(count)],
    }


# --- credentials -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceCredentials:
    """The credential the services sign publishes with (the Lambda role's, in AWS)."""

    access_key_id: str | None  # None accepts any key id (the secret still has to match)
    secret_access_key: str | None

    @classmethod
    def from_env(cls) -> ServiceCredentials:
        """The devstack exports moto's `testing` credentials for every service."""
        return cls(
            os.environ.get("AWS_ACCESS_KEY_ID") or None,
            os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
        )


@dataclass(frozen=True)
class Refusal:
    status: int
    error_type: str
    message: str


def verify_sigv4(
    *,
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes,
    credentials: ServiceCredentials,
    service: str = "appsync",
    now: datetime | None = None,
) -> Refusal | None:
    """None when the request's SigV4 signature ([SIGV4]) verifies with `credentials`.

    `headers` has lower-case names. The signature is recomputed with botocore's SigV4Auth over
    the same method, URL, signed headers and body, at the request's own X-Amz-Date (which must
    be within 5 minutes of now), and compared in constant time.
    """
    match = _SIGV4_AUTHORIZATION.fullmatch(headers.get("authorization", "").strip())
    if match is None:
        return Refusal(
            403,
            ErrorType.INCOMPLETE_SIGNATURE,
            "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' "
            "parameters (AWS4-HMAC-SHA256).",
        )
    scope = match["credential"].split("/")
    if len(scope) != 5:
        return Refusal(
            403,
            ErrorType.INCOMPLETE_SIGNATURE,
            "Credential must be <access key id>/<YYYYMMDD>/<region>/<service>/aws4_request.",
        )
    key_id, scope_date, region, scope_service, terminator = scope
    if scope_service != service or terminator != "aws4_request":
        return Refusal(
            403,
            ErrorType.INVALID_SIGNATURE,
            f"Credential should be scoped to correct service: '{service}'.",
        )
    amz_date = headers.get("x-amz-date", "")
    try:
        signed_at = datetime.strptime(amz_date, _AMZ_DATE).replace(tzinfo=UTC)
    except ValueError:
        return Refusal(
            403,
            ErrorType.INCOMPLETE_SIGNATURE,
            "X-Amz-Date (YYYYMMDDTHHMMSSZ) is required and must be signed.",
        )
    now = now or datetime.now(UTC)
    if signed_at < now - CLOCK_SKEW:
        return Refusal(
            403,
            ErrorType.INVALID_SIGNATURE,
            f"Signature expired: {amz_date} is now earlier than "
            f"{(now - CLOCK_SKEW).strftime(_AMZ_DATE)} ({now.strftime(_AMZ_DATE)} - 5 min.)",
        )
    if signed_at > now + CLOCK_SKEW:
        return Refusal(
            403,
            ErrorType.INVALID_SIGNATURE,
            f"Signature not yet current: {amz_date} is still later than "
            f"{(now + CLOCK_SKEW).strftime(_AMZ_DATE)} ({now.strftime(_AMZ_DATE)} + 5 min.)",
        )
    if scope_date != amz_date[:8]:
        return Refusal(
            403,
            ErrorType.INVALID_SIGNATURE,
            f"Date in Credential scope does not match YYYYMMDD from X-Amz-Date: "
            f"'{scope_date}' != '{amz_date[:8]}'",
        )
    if credentials.secret_access_key is None:
        return Refusal(
            403,
            ErrorType.UNRECOGNIZED_CLIENT,
            "The realtime emulator has no service credential to verify signatures with "
            "(AWS_SECRET_ACCESS_KEY is not set).",
        )
    if credentials.access_key_id is not None and key_id != credentials.access_key_id:
        return Refusal(
            403,
            ErrorType.UNRECOGNIZED_CLIENT,
            "The security token included in the request is invalid.",
        )
    signed = match["signed"].lower().split(";")
    if "host" not in signed or "x-amz-date" not in signed:
        return Refusal(
            403, ErrorType.INVALID_SIGNATURE, "SignedHeaders must include host and x-amz-date."
        )
    missing = [name for name in signed if name not in headers]
    if missing:
        return Refusal(
            403,
            ErrorType.INVALID_SIGNATURE,
            f"Signed header(s) {', '.join(missing)} are not in the request.",
        )
    declared_hash = headers.get("x-amz-content-sha256")
    if declared_hash is not None and declared_hash != sha256(body).hexdigest():
        return Refusal(
            403,
            ErrorType.INVALID_SIGNATURE,
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        )
    expected = _sigv4_signature(
        method=method,
        url=url,
        signed_headers={name: headers[name] for name in signed},
        body=body,
        key_id=key_id,
        secret=credentials.secret_access_key,
        region=region,
        service=service,
        amz_date=amz_date,
    )
    if not hmac.compare_digest(expected, match["signature"].lower()):
        return Refusal(
            403,
            ErrorType.INVALID_SIGNATURE,
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method.",
        )
    return None


def _sigv4_signature(
    *,
    method: str,
    url: str,
    signed_headers: Mapping[str, str],
    body: bytes,
    key_id: str,
    secret: str,
    region: str,
    service: str,
    amz_date: str,
) -> str:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method=method, url=url, headers=dict(signed_headers), data=body)
    # Sign at the request's own timestamp (`add_auth` would stamp the current time).
    request.context["timestamp"] = amz_date
    signer = SigV4Auth(Credentials(key_id, secret), service, region)
    canonical = signer.canonical_request(request)
    signature: str = signer.signature(signer.string_to_sign(request, canonical), request)
    return signature


# --- the emulator -----------------------------------------------------------------------------


def _lower_keys(auth: Mapping[str, str]) -> dict[str, str]:
    return {key.lower(): value for key, value in auth.items()}


def decode_auth_subprotocol(subprotocols: Sequence[str]) -> dict[str, str] | None:
    """[WS]: the auth object travels as `header-<base64url(JSON)>` (padding stripped)."""
    for protocol in subprotocols:
        if not protocol.startswith(AUTH_SUBPROTOCOL_PREFIX):
            continue
        encoded = protocol[len(AUTH_SUBPROTOCOL_PREFIX) :]
        try:
            raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            decoded = json.loads(raw)
        except (binascii.Error, ValueError, RecursionError):
            return None
        if not isinstance(decoded, dict):
            return None
        return {str(k): str(v) for k, v in decoded.items() if isinstance(v, str | int | float)}
    return None


@dataclass
class _Subscription:
    """A subscription, the auth object it was allowed with, and the task that decides it again
    as that decision lapses (None: it does not, e.g. the public API key)."""

    channel: Channel
    auth: Mapping[str, str]
    watch: asyncio.Task[None] | None = None


class _Connection:
    """One WebSocket: its auth object, its subscriptions, and its own send queue, bounded in
    bytes (`backlog`: queued or being written, not yet taken by the socket)."""

    def __init__(self, websocket: WebSocket, auth: dict[str, str], backlog_limit: int) -> None:
        self.websocket = websocket
        self.auth = auth
        self.subscriptions: dict[str, _Subscription] = {}
        self.open = True
        self.backlog = 0
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._backlog_limit = backlog_limit
        self._tasks: set[asyncio.Task[None]] = set()
        self._keep_alive: asyncio.Task[None] | None = None
        self._writer = self.spawn(self._drain())

    def spawn(self, coroutine: Any) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def send(self, frame: Mapping[str, Any]) -> None:
        """Queue a frame; never waits on the client. A client whose backlog would pass the
        limit has stopped reading: it is dropped (1008), and what it left unread freed."""
        if not self.open:
            return
        text = json.dumps(frame, separators=(",", ":"))  # ASCII: one character, one byte
        if self.backlog + len(text) > self._backlog_limit:
            log.warning(
                "realtime: a client stopped reading; closing its connection",
                extra={"backlog_bytes": self.backlog, "limit_bytes": self._backlog_limit},
            )
            self.close(1008)
            return
        self.backlog += len(text)
        self._queue.put_nowait(text)

    def start_keep_alive(self, interval: float) -> None:
        if self._keep_alive is None:
            self._keep_alive = self.spawn(self._beat(interval))

    def close(self, code: int) -> None:
        """Drop the connection now (queued frames are discarded)."""
        if not self.open:
            return
        self.open = False
        self._writer.cancel()
        self._queue = asyncio.Queue()
        self.backlog = 0
        self.spawn(self._close_socket(code))

    def stop(self) -> None:
        self.open = False
        for task in list(self._tasks):
            task.cancel()

    async def _drain(self) -> None:
        try:
            while True:
                frame = await self._queue.get()
                await self.websocket.send_text(frame)
                self.backlog -= len(frame)
        except Exception:
            log.debug("realtime: a send failed; the client is gone", exc_info=True)
            self.open = False

    async def _beat(self, interval: float) -> None:
        while self.open:
            self.send({"type": "ka"})  # [WS]
            await asyncio.sleep(interval)

    async def _close_socket(self, code: int) -> None:
        with contextlib.suppress(Exception):
            await self.websocket.close(code)


class RealtimeEmulator:
    """AppSync Events for one gateway. `http_endpoint` serves `POST /event`,
    `websocket_endpoint` serves `/event/realtime`; `publish` is the same fan-out in-process."""

    def __init__(
        self,
        *,
        authorizer: Authorizer = authorize,
        service_credentials: Callable[[], ServiceCredentials] | None = None,
        keep_alive_seconds: float = KEEP_ALIVE_SECONDS,
        connection_timeout_ms: int = CONNECTION_TIMEOUT_MS,
        send_backlog_bytes: int = SEND_BACKLOG_BYTES,
    ) -> None:
        self._authorizer = authorizer
        self._service_credentials = service_credentials or ServiceCredentials.from_env
        self._keep_alive_seconds = keep_alive_seconds
        self._connection_timeout_ms = connection_timeout_ms
        self._send_backlog_bytes = send_backlog_bytes
        self._connections: set[_Connection] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._down_until = 0.0  # monotonic; see restart()
        # Its own workers for channel authorization (like AWS's separate authorizer Lambda):
        # a check may fetch identity's JWKS from this very gateway, whose handlers must never
        # wait for a worker that is itself waiting on that fetch.
        self._auth_pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="realtime-auth")

    @property
    def connection_count(self) -> int:
        return sum(1 for c in self._connections if c.open)

    @property
    def backlog_bytes(self) -> int:
        """Bytes of frames every client has yet to take, together."""
        return sum(c.backlog for c in self._connections)

    @property
    def subscription_count(self) -> int:
        return sum(len(c.subscriptions) for c in self._connections if c.open)

    # -- in-process API ------------------------------------------------------------------------

    def publish(self, channel: str, events: Sequence[str]) -> dict[str, Any]:
        """Publish without HTTP (tests, tools): the same validation and fan-out as `POST /event`,
        callable from any thread. Raises `RealtimeError` for an invalid channel or events."""
        target = parse_channel(channel, subscribe=False)
        checked = validate_events(list(events))
        result = publish_result(len(checked))
        self._on_loop(self._fan_out, target, checked)
        return result

    def disconnect_all(self, code: int = 1012) -> None:
        """Drop every connection and subscription, as a restart of the emulator does
        (1012: service restart). Callable from any thread."""
        self._on_loop(self._close_all, code)

    def restart(self, down_for: float) -> None:
        """Go down for `down_for` seconds as a restarting service would, then come back empty:
        every connection is dropped (1012), new ones are refused and publishes answered 503
        until then, and no subscription survives. Callable from any thread."""
        self._down_until = time.monotonic() + down_for
        self.disconnect_all(1012)

    @property
    def down(self) -> bool:
        return time.monotonic() < self._down_until

    def _on_loop(self, callback: Callable[..., object], *args: Any) -> None:
        loop = self._loop
        if loop is None:
            return  # no client ever connected, so nobody to deliver to
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            callback(*args)
            return
        with contextlib.suppress(RuntimeError):  # the server (and its loop) already stopped
            loop.call_soon_threadsafe(callback, *args)

    def _close_all(self, code: int) -> None:
        for connection in list(self._connections):
            connection.subscriptions.clear()
            connection.close(code)

    def _fan_out(self, channel: Channel, events: Sequence[str]) -> None:
        """Each event, in publish order, to every subscription whose channel matches, as a
        [WS] `data` frame whose `event` is the JSON string as published."""
        for event in events:
            for connection in list(self._connections):
                for sub_id, subscription in list(connection.subscriptions.items()):
                    if subscription.channel.matches(channel):
                        connection.send({"type": "data", "id": sub_id, "event": event})

    # -- HTTP: POST /event ---------------------------------------------------------------------

    async def http_endpoint(self, request: Request) -> Response:
        """[PUB-HTTP]: publishing is the only action; CORS so a browser sees a clean refusal."""
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        if request.method == "OPTIONS":
            return self._preflight(request)
        if self.down:
            return self._http_error(503, ErrorType.UNAVAILABLE, "The service is restarting")
        if request.method != "POST":
            return self._http_error(
                405, ErrorType.UNSUPPORTED, "Publishing (POST) is the only action on /event"
            )
        body = await request.body()
        refusal = self._authenticate(request, body)
        if refusal is not None:
            if refusal.status != 401:
                log.info(
                    "realtime: publish refused",
                    extra={"error_type": refusal.error_type, "reason": refusal.message},
                )
            return self._http_error(refusal.status, refusal.error_type, refusal.message)
        if len(body) > MAX_BODY_BYTES:
            return self._http_error(
                413, ErrorType.BAD_REQUEST, f"The request body exceeds {MAX_BODY_BYTES} bytes"
            )
        try:
            payload = json.loads(body)
            if not isinstance(payload, dict):
                raise RealtimeError(ErrorType.BAD_REQUEST, 'The body must be {"channel", "events"}')
            channel = parse_channel(payload.get("channel"), subscribe=False)
            events = validate_events(payload.get("events"))
        except (ValueError, RecursionError):
            return self._http_error(400, ErrorType.BAD_REQUEST, "The body is not valid JSON")
        except RealtimeError as error:
            return self._http_error(400, error.error_type, error.message)
        self._fan_out(channel, events)
        return JSONResponse(publish_result(len(events)), headers=_CORS)

    def _authenticate(self, request: Request, body: bytes) -> Refusal | None:
        headers = {k.lower(): v for k, v in request.headers.items()}
        authorization = headers.get("authorization", "").strip()
        if not authorization.startswith("AWS4-HMAC-SHA256"):
            if authorization or headers.get("x-api-key"):
                return Refusal(
                    401,
                    ErrorType.UNAUTHORIZED,
                    f"{NOT_AUTHORIZED} Only the services publish, with IAM (SigV4, service "
                    "appsync); an API key or a user token cannot.",
                )
            return Refusal(401, ErrorType.UNAUTHORIZED, "Valid authorization header not provided.")
        raw_path: bytes = request.scope.get("raw_path") or request.url.path.encode()
        host = headers.get("host", "localhost")
        url = f"{request.url.scheme}://{host}{raw_path.decode('latin-1')}"
        if request.url.query:
            url += "?" + request.url.query
        return verify_sigv4(
            method=request.method,
            url=url,
            headers=headers,
            body=body,
            credentials=self._service_credentials(),
        )

    @staticmethod
    def _http_error(status: int, error_type: str, message: str) -> JSONResponse:
        """The error body AWS's Events clients parse: `{"errors": [{errorType, message}]}`."""
        return JSONResponse(
            {"errors": error_list(error_type, message)}, status_code=status, headers=_CORS
        )

    @staticmethod
    def _preflight(request: Request) -> Response:
        requested = request.headers.get("access-control-request-headers")
        return Response(
            status_code=204,
            headers={
                **_CORS,
                "Access-Control-Allow-Methods": "POST, OPTIONS",
                "Access-Control-Allow-Headers": requested or _CORS_ALLOWED_HEADERS,
                "Access-Control-Max-Age": "600",
            },
        )

    # -- WebSocket: /event/realtime ------------------------------------------------------------

    async def websocket_endpoint(self, websocket: WebSocket) -> None:
        self._loop = asyncio.get_running_loop()
        offered = [str(p) for p in websocket.scope.get("subprotocols") or []]
        if SUBPROTOCOL not in offered:
            # Not an AppSync Events client: refuse the handshake (HTTP 403).
            log.info("realtime: refused a WebSocket without the aws-appsync-event-ws protocol")
            await websocket.close(code=1002)
            return
        if self.down:  # restarting: the handshake fails, and the client tries again later
            await websocket.close(code=1013)
            return
        await websocket.accept(subprotocol=SUBPROTOCOL)
        auth = decode_auth_subprotocol(offered)
        refusal = await self._connection_refusal(auth)
        if refusal is not None or auth is None:
            # [WS]/[SDK]: the answer to connection_init is connection_error {errors} instead of
            # connection_ack; then the socket is closed with a normal close code.
            with contextlib.suppress(Exception):
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(websocket.receive(), timeout=CONNECTION_ERROR_GRACE)
                frame = {"type": "connection_error", "errors": refusal or []}
                await websocket.send_text(json.dumps(frame))
                await websocket.close(code=1000)
            return
        connection = _Connection(websocket, auth, self._send_backlog_bytes)
        self._connections.add(connection)
        try:
            await self._read(connection)
        finally:
            self._connections.discard(connection)
            connection.stop()

    async def _connection_refusal(self, auth: dict[str, str] | None) -> list[dict[str, str]] | None:
        """The connection's own authorization ([WS]: the `header-` subprotocol), decided as AWS
        decides EVENT_CONNECT: the public API key or a valid token. Channels are decided one by
        one, at subscribe time."""
        if auth is None:
            return error_list(
                ErrorType.UNAUTHORIZED,
                "Missing or malformed authorization: send the subprotocol "
                "header-<base64url(JSON auth object)> next to aws-appsync-event-ws",
            )
        lowered = _lower_keys(auth)
        if "x-api-key" not in lowered and not lowered.get("authorization"):
            return error_list(
                ErrorType.UNAUTHORIZED,
                "The auth object needs x-api-key or Authorization",
            )
        if not (await self._authorize("CONNECT", "", auth)).allowed:
            return error_list(ErrorType.UNAUTHORIZED, NOT_AUTHORIZED)
        return None

    async def _read(self, connection: _Connection) -> None:
        while True:
            message = await connection.websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None:
                connection.send(
                    _error_frame(None, ErrorType.BAD_REQUEST, "Send JSON text frames, not binary")
                )
                continue
            await self._handle(connection, text)

    async def _handle(self, connection: _Connection, text: str) -> None:
        """One client message; a connection's messages are handled one after another, so the
        answers come back in the order the client sent the requests."""
        try:
            message = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than its stack
            connection.send(_error_frame(None, ErrorType.BAD_REQUEST, "Message is not valid JSON"))
            return
        if not isinstance(message, dict):
            connection.send(
                _error_frame(None, ErrorType.BAD_REQUEST, "Message must be a JSON object")
            )
            return
        kind = message.get("type")
        if kind == "connection_init":
            # [WS]: connection_init -> connection_ack {connectionTimeoutMs}; then a `ka` at once
            # and every keep_alive_seconds. connection_init is optional: a client that skips
            # it may still subscribe, but gets no keep-alives.
            connection.send(
                {"type": "connection_ack", "connectionTimeoutMs": self._connection_timeout_ms}
            )
            connection.start_keep_alive(self._keep_alive_seconds)
        elif kind == "subscribe":
            await self._subscribe(connection, message)
        elif kind == "unsubscribe":
            self._unsubscribe(connection, message)
        elif kind == "publish":
            await self._publish(connection, message)
        else:
            connection.send(
                _error_frame(
                    message.get("id"),
                    ErrorType.UNSUPPORTED,
                    f"Operation {kind!r} is not supported through the realtime channel",
                )
            )

    async def _subscribe(self, connection: _Connection, message: dict[str, Any]) -> None:
        """[WS]: subscribe {id, channel, authorization?} -> subscribe_success {id} or
        subscribe_error {id, errors}."""
        sub_id = message.get("id")
        if not isinstance(sub_id, str):
            connection.send(_error_frame(None, ErrorType.BAD_REQUEST, "subscribe needs an id"))
            return

        def refuse(error_type: str, text: str) -> None:
            connection.send(
                {"type": "subscribe_error", "id": sub_id, "errors": error_list(error_type, text)}
            )

        if not _ID.fullmatch(sub_id):
            refuse(ErrorType.BAD_REQUEST, "The id must be 1-128 letters, digits, '-' or '_'")
            return
        if sub_id in connection.subscriptions:
            refuse(
                ErrorType.BAD_REQUEST,
                f"Subscription id {sub_id!r} is already in use on this connection",
            )
            return
        if len(connection.subscriptions) >= MAX_SUBSCRIPTIONS_PER_CONNECTION:
            refuse(
                ErrorType.MAX_SUBSCRIPTIONS,
                f"At most {MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection",
            )
            return
        try:
            channel = parse_channel(message.get("channel"), subscribe=True)
            auth = _operation_auth(connection, message)
        except RealtimeError as error:
            refuse(error.error_type, error.message)
            return
        decision = await self._authorize("SUBSCRIBE", channel.path, auth)
        if not decision.allowed:
            refuse(ErrorType.UNAUTHORIZED, NOT_AUTHORIZED)
            return
        if not connection.open or sub_id in connection.subscriptions:
            return
        # Registered before the ack is queued: whatever is published after the client sees
        # subscribe_success reaches it.
        subscription = connection.subscriptions[sub_id] = _Subscription(channel, auth)
        connection.send({"type": "subscribe_success", "id": sub_id})
        recheck = decision.recheck_in(time.time())
        if recheck is not None:
            subscription.watch = connection.spawn(
                self._keep_authorized(connection, sub_id, subscription, recheck)
            )

    async def _keep_authorized(
        self, connection: _Connection, sub_id: str, subscription: _Subscription, delay: float
    ) -> None:
        """Decide the subscription again each time its decision lapses; delivery goes on
        meanwhile. Refused (the token expired, or was revoked): the subscription ends."""
        while True:
            await asyncio.sleep(delay)
            path = subscription.channel.path
            decision = await self._authorize("SUBSCRIBE", path, subscription.auth)
            if connection.subscriptions.get(sub_id) is not subscription:
                return  # unsubscribed meanwhile
            if not decision.allowed:
                del connection.subscriptions[sub_id]
                connection.send(
                    {
                        "type": "subscribe_error",
                        "id": sub_id,
                        "errors": error_list(ErrorType.UNAUTHORIZED, LAPSED),
                    }
                )
                return
            recheck = decision.recheck_in(time.time())
            if recheck is None:
                return
            delay = recheck

    @staticmethod
    def _unsubscribe(connection: _Connection, message: dict[str, Any]) -> None:
        """[WS]: unsubscribe {id} -> unsubscribe_success {id} or unsubscribe_error {id, errors}."""
        sub_id = message.get("id")
        if not isinstance(sub_id, str) or sub_id not in connection.subscriptions:
            frame: dict[str, Any] = {"type": "unsubscribe_error"}
            if isinstance(sub_id, str):
                frame["id"] = sub_id
            frame["errors"] = error_list(
                ErrorType.BAD_REQUEST, f"There is no subscription {sub_id!r} on this connection"
            )
            connection.send(frame)
            return
        watch = connection.subscriptions.pop(sub_id).watch
        if watch is not None:
            watch.cancel()
        connection.send({"type": "unsubscribe_success", "id": sub_id})

    async def _publish(self, connection: _Connection, message: dict[str, Any]) -> None:
        """[PUB-WS]: publish {id, channel, events, authorization} -> publish_success
        {id, successful, failed} or publish_error {id, errors}."""
        pub_id = message.get("id")

        def refuse(error_type: str, text: str) -> None:
            frame: dict[str, Any] = {"type": "publish_error"}
            if isinstance(pub_id, str):
                frame["id"] = pub_id
            frame["errors"] = error_list(error_type, text)
            connection.send(frame)

        if not isinstance(pub_id, str) or not _ID.fullmatch(pub_id):
            refuse(ErrorType.BAD_REQUEST, "publish needs an id of 1-128 letters, digits, - or _")
            return
        try:
            channel = parse_channel(message.get("channel"), subscribe=False)
            events = validate_events(message.get("events"))
            auth = _operation_auth(connection, message)
        except RealtimeError as error:
            refuse(error.error_type, error.message)
            return
        if not (await self._authorize("PUBLISH", channel.path, auth)).allowed:
            refuse(ErrorType.UNAUTHORIZED, NOT_AUTHORIZED)
            return
        self._fan_out(channel, events)
        connection.send({"type": "publish_success", "id": pub_id, **publish_result(len(events))})

    async def _authorize(
        self, operation: Operation, channel: str, auth: Mapping[str, str]
    ) -> Decision:
        # In a worker thread: checking a token may fetch a JWKS over HTTP, possibly from this
        # very gateway, which must keep serving meanwhile.
        try:
            return await asyncio.get_running_loop().run_in_executor(
                self._auth_pool, self._authorizer, operation, channel, auth
            )
        except Exception:
            log.exception("realtime: the channel authorizer failed", extra={"channel": channel})
            return DENIED


def _operation_auth(connection: _Connection, message: Mapping[str, Any]) -> dict[str, str]:
    """[WS]/[PUB-WS]: a subscribe or publish may carry its own `authorization`; otherwise the
    connection's auth object applies."""
    raw = message.get("authorization")
    if raw is None:
        return connection.auth
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise RealtimeError(
            ErrorType.BAD_REQUEST, "authorization must be an object of header names to strings"
        )
    return dict(raw)


def _error_frame(frame_id: object, error_type: str, message: str) -> dict[str, Any]:
    """[SDK]: `{"type": "error", "id"?, "errors"}` for a message that has no answer of its own."""
    frame: dict[str, Any] = {"type": "error"}
    if isinstance(frame_id, str):
        frame["id"] = frame_id
    frame["errors"] = error_list(error_type, message)
    return frame
