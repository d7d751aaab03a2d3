"""The one HTTP front door: `/config.json`, `/api/<service>/...` into each service's Chalice app,
`/event` and `/event/realtime` (the AppSync Events emulator, realtime.py), and the web app (or,
until it is built, a page that says so).

In front of all of it, `RequestLimits` refuses what CloudFront, API Gateway and AppSync refuse
before any code of ours runs (ADR 0025): a URL longer than 8 KiB (414), and a body larger than
its route takes (413), counted as it arrives so that nothing past the limit is ever read.
"""

from __future__ import annotations

import asyncio
import functools
import html
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from barkeep.http import GATEWAY_RESPONSES, MAX_BODY_BYTES, envelope, has_control_characters
from barkeep.observability import get_logger
from barkeep.realtime import api_key as realtime_api_key
from barkeep.web_security import WebHosts, security_headers
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .config import ALL_SERVICES
from .realtime import MAX_BODY_BYTES as MAX_PUBLISH_BYTES
from .realtime import ErrorType, RealtimeEmulator, error_list
from .services import MountedService

log = get_logger("barkeep.devstack")

API_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
MAX_URL_BYTES = 8192  # CloudFront's limit on a request's URL: it answers 414 beyond
AWS_PREFIX = "/aws"
# What a browser may ask moto through the party's gateway: signing in, and reading photos.
# Nothing else of moto (it checks no credentials) is reachable from the network.
COGNITO_TARGET = "AWSCognitoIdentityProviderService."
COGNITO_BROWSER_ACTIONS = frozenset({"InitiateAuth"})  # web/src/auth/admin.ts: password, refresh
COGNITO_CONTENT_TYPE = "application/x-amz-json-1.1"  # moto reads a form body's Action= instead
# One segment of a photo's key (`drinks/<id>/<hex>.jpg`, `.well-known/guest-jwks.json`):
# nothing a decoder or a URL library would read as more than a name (no `%`, `?`, `\`, `..`).
_KEY_SEGMENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*|\.[A-Za-z0-9_-][A-Za-z0-9._-]*")
_PASSED_HEADERS = ("content-type", "x-amz-target", "range", "if-none-match")
_RETURNED_HEADERS = (
    "content-type",
    "etag",
    "last-modified",
    "cache-control",
    "content-range",
    "accept-ranges",
)
_HOP_BY_HOP = {"content-length", "transfer-encoding", "connection", "keep-alive"}


@dataclass(frozen=True)
class Site:
    """What the gateway serves; everything here is safe to show a browser."""

    port: int
    services: Mapping[str, MountedService]
    region: str
    user_pool_id: str
    client_id: str
    cognito_endpoint: str
    web_dist: Path
    admin_email: str
    admin_password: str
    # where photos are read and uploaded (moto's bucket locally; the CSP must allow it)
    images_base_url: str = ""
    # the address browsers use: localhost for `make dev`, the LAN address for `make party`
    host: str = "localhost"
    https: bool = False

    @property
    def party(self) -> bool:
        """`make party`: phones cannot reach moto on 127.0.0.1, so the gateway passes the
        browser's few calls to it through `/aws/` (sign-in, photos; see aws_passthrough)."""
        return self.host != "localhost"

    @property
    def public_images_url(self) -> str:
        """Where browsers read photos: moto's bucket, or under `make party` the same bucket
        through this gateway."""
        if not (self.party and self.images_base_url):
            return self.images_base_url
        return f"{self.base_url}{AWS_PREFIX}/{self.images_base_url.rstrip('/').rsplit('/', 1)[1]}"

    @property
    def public_cognito_endpoint(self) -> str:
        return f"{self.base_url}{AWS_PREFIX}/" if self.party else self.cognito_endpoint

    @staticmethod
    def public_url(host: str, port: int, *, https: bool) -> str:
        return f"{'https' if https else 'http'}://{host}:{port}"

    @property
    def base_url(self) -> str:
        return self.public_url(self.host, self.port, https=self.https)

    @property
    def realtime_ws_url(self) -> str:
        return f"{'wss' if self.https else 'ws'}://{self.host}:{self.port}/event/realtime"

    def api_url(self, service: str) -> str:
        return f"{self.base_url}/api/{service}"

    def service_names(self) -> list[str]:
        return list(dict.fromkeys([*ALL_SERVICES, *sorted(self.services)]))

    def security_headers(self) -> dict[str, str]:
        """barkeep.web_security's headers, for this stack's hosts (as CloudFront sends them)."""
        images = [self.public_images_url] if self.images_base_url else []
        uploads = [self.images_base_url] if self.images_base_url else []  # presigned: to moto
        return security_headers(
            WebHosts(
                realtime=[self.realtime_ws_url],
                auth=[self.public_cognito_endpoint],
                images=images,
                uploads=uploads,
            ),
            https=self.https,
        )

    def discovery(self) -> dict[str, Any]:
        """API.md's `config.json`."""
        return {
            "stage": "local",
            "api": {name: self.api_url(name) for name in self.service_names()},
            "realtime": {
                "http": f"{self.base_url}/event",
                "ws": self.realtime_ws_url,
                # The public key the emulator accepts (barkeep.realtime decides what it is).
                "api_key": realtime_api_key(),
            },
            "auth": {
                "mode": "local",
                "region": self.region,
                "user_pool_id": self.user_pool_id,
                "client_id": self.client_id,
                "cognito_endpoint": self.public_cognito_endpoint.rstrip("/") + "/",
                "hosted_ui_domain": None,
            },
            # where drink photos live (the web stack serves them at <origin>/images in AWS)
            "images": self.public_images_url or None,
            # `make party` over HTTPS: the plain page a phone opens once to trust the party's
            # CA (front.py), which the printed invite names beside its QR code (ADR 0035)
            **(
                {"party": {"certificate_page": f"http://{self.host}:{self.port}/"}}
                if self.https
                else {}
            ),
        }


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(envelope(code, message), status_code=status)


class _BodyTooLarge(Exception):
    pass


@dataclass(frozen=True)
class BodyLimit:
    max_bytes: int
    refusal: Callable[[], Response]


def body_limit(path: str) -> BodyLimit:
    """A publish may carry 5 events of 240 KB (AppSync Events); anything else 64 KiB."""
    if path == "/event":
        message = f"The request body exceeds {MAX_PUBLISH_BYTES} bytes"
        return BodyLimit(
            MAX_PUBLISH_BYTES,
            lambda: JSONResponse(
                {"errors": error_list(ErrorType.BAD_REQUEST, message)},
                status_code=413,
                headers={"Connection": "close"},
            ),
        )
    status, code, text = GATEWAY_RESPONSES["REQUEST_TOO_LARGE"]
    return BodyLimit(
        MAX_BODY_BYTES,
        lambda: JSONResponse(
            envelope(code, text), status_code=status, headers={"Connection": "close"}
        ),
    )


# A body over the limit but under this is read to its end (and dropped) before the 413: closing
# a connection with bytes unread resets it, and a client that sends the whole body before it
# reads (fetch, requests, the party's TLS front door) would lose the answer with it. Beyond
# this, the connection is closed at once: a 100 MB upload costs what 4 MiB does.
DRAIN_BYTES = 4 * 1024 * 1024


async def _drain(receive: Receive, budget: int) -> None:
    while budget > 0:
        message = await receive()
        if message["type"] != "http.request":
            return
        budget -= len(message.get("body", b""))
        if not message.get("more_body", False):
            return


class RequestLimits:
    """ASGI middleware: a URL over MAX_URL_BYTES is a 414; a body over its route's limit is a
    413 as soon as its Content-Length says so, or as soon as that many bytes have arrived when it
    has none (chunked). The rest is read only up to DRAIN_BYTES (and the connection is closed),
    so an absurd upload costs what 4 MiB does."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], BodyLimit] = body_limit) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        url_bytes = len(scope.get("raw_path") or scope["path"].encode()) + len(
            scope.get("query_string") or b""
        )
        if url_bytes > MAX_URL_BYTES:
            refusal = _error(414, "uri_too_long", f"The URL is longer than {MAX_URL_BYTES} bytes")
            await refusal(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit.max_bytes:
            if int(declared) <= DRAIN_BYTES:
                await _drain(receive, int(declared))
            await limit.refusal()(scope, receive, send)
            return
        received = 0
        started = False
        body_left = True

        async def counted() -> Message:
            nonlocal received, body_left
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                body_left = message.get("more_body", False)
                if received > limit.max_bytes:
                    raise _BodyTooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _BodyTooLarge:
            if started:
                raise
            if body_left:
                await _drain(receive, DRAIN_BYTES - received)
            await limit.refusal()(scope, receive, send)


def _request_headers(request: Request) -> dict[str, str]:
    headers: dict[str, str] = {}
    for key, value in request.headers.items():
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def build_app(site: Site, *, realtime: RealtimeEmulator | None = None) -> Starlette:
    """The gateway; `app.state.realtime` is its AppSync Events emulator (one per app, so a
    restarted stack starts with no connections or subscriptions, as a restarted AWS would)."""
    emulator = realtime or RealtimeEmulator()

    async def config_json(request: Request) -> Response:
        return JSONResponse(
            site.discovery(), headers={"Cache-Control": "no-store", **site.security_headers()}
        )

    async def api(request: Request) -> Response:
        name = request.path_params["service"]
        service = site.services.get(name)
        if service is None:
            known = name in site.service_names()
            message = (
                f"The {name} service is not built yet"
                if known
                else f"There is no service called {name!r}"
            )
            return _error(404, "not_found", message)
        path = "/" + request.path_params.get("path", "")
        if request.url.query:
            path += "?" + request.url.query
        body = await request.body()
        try:
            answer = await asyncio.get_running_loop().run_in_executor(
                service.executor,
                functools.partial(
                    service.handle, request.method, path, _request_headers(request), body
                ),
            )
        except Exception:
            log.exception("gateway: the service failed", extra={"service": name, "path": path})
            return _error(500, "internal_error", "Something went wrong on our side")
        headers = {k: v for k, v in answer.headers.items() if k.lower() not in _HOP_BY_HOP}
        return Response(answer.body, status_code=answer.status, headers=headers)

    async def realtime_elsewhere(request: Request) -> Response:
        if request.path_params.get("path") == "realtime":
            return _error(
                400, "bad_request", "Connect to /event/realtime with a WebSocket (AppSync Events)"
            )
        return _error(404, "not_found", "AppSync Events serves POST /event and /event/realtime")

    async def aws_passthrough(request: Request) -> Response:
        return await _to_moto(site, request)

    async def web(request: Request) -> Response:
        return _web_response(site, request.path_params.get("path", ""))

    async def starlette_error(request: Request, exc: Exception) -> Response:
        # Starlette's own refusals (a method a route does not take: 405), in our envelope
        assert isinstance(exc, HTTPException)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "bad_request")
        return JSONResponse(
            envelope(code, exc.detail), status_code=exc.status_code, headers=exc.headers
        )

    app = Starlette(
        middleware=[Middleware(RequestLimits)],
        exception_handlers={HTTPException: starlette_error},
        routes=[
            Route("/config.json", config_json, methods=["GET", "HEAD"]),
            Route("/api/{service}", api, methods=API_METHODS),
            Route("/api/{service}/{path:path}", api, methods=API_METHODS),
            Route("/event", emulator.http_endpoint, methods=API_METHODS),
            WebSocketRoute("/event/realtime", emulator.websocket_endpoint),
            Route("/event/{path:path}", realtime_elsewhere, methods=API_METHODS),
            *(
                [Route(AWS_PREFIX + "/{path:path}", aws_passthrough, methods=API_METHODS)]
                if site.party
                else []
            ),
            Route("/{path:path}", web, methods=["GET", "HEAD"]),
        ],
    )
    app.state.realtime = emulator
    return app


def moto_allows(
    site: Site, method: str, path: str, target: str, query: str, content_type: str = ""
) -> bool:
    """Whether the party's gateway passes this request to moto: the Cognito call the web
    app's sign-in makes (as JSON), or reading one object of the images bucket. Never a
    listing, a write, or any other service."""
    if method == "POST" and path == "/":
        service, _, action = target.partition(".")
        return (
            f"{service}." == COGNITO_TARGET
            and action in COGNITO_BROWSER_ACTIONS
            and content_type.split(";")[0].strip().lower() == COGNITO_CONTENT_TYPE
        )
    bucket = site.images_base_url.rstrip("/").rsplit("/", 1)[-1]
    key = path.removeprefix(f"/{bucket}/") if path.startswith(f"/{bucket}/") else ""
    # The path arrives percent-decoded, and the client sending it on would fold `..` segments
    # away: `/<bucket>/%2e%2e/moto-api/data.json` is moto's dump of every secret. So a key is
    # plain names only, and what is checked is exactly what is sent.
    plain = bool(key) and all(_KEY_SEGMENT.fullmatch(part) for part in key.split("/"))
    return method in ("GET", "HEAD") and plain and not query and not target


async def _to_moto(site: Site, request: Request) -> Response:
    import httpx

    path = "/" + request.path_params.get("path", "")
    target = request.headers.get("x-amz-target", "")
    content_type = request.headers.get("content-type", "")
    if not moto_allows(site, request.method, path, target, request.url.query, content_type):
        return _error(403, "forbidden", "Only signing in and reading photos pass through /aws/")
    headers = {k: v for k in _PASSED_HEADERS if (v := request.headers.get(k))}
    body = await request.body()
    if request.method == "POST":  # a Cognito call: moto reads any "&Action=" in it first
        cleaned = _only_json(body)
        if cleaned is None:
            return _error(400, "bad_request", "A Cognito call's body is a JSON object")
        body = cleaned
    try:
        async with httpx.AsyncClient(base_url=site.cognito_endpoint, timeout=15) as client:
            answer = await client.request(request.method, path, content=body, headers=headers)
    except httpx.HTTPError:
        log.warning("gateway: moto did not answer", exc_info=True)
        return _error(502, "bad_gateway", "The local AWS (moto) did not answer")
    if answer.status_code >= 500:
        # moto fails on input real AWS refuses with a 400 (what it has not implemented, a
        # malformed parameter): the client gets our envelope, not moto's page of HTML
        log.warning("gateway: moto failed", extra={"status": answer.status_code, "path": path})
        return _error(400, "bad_request", "The local AWS (moto) could not take this request")
    kept = {k: v for k in _RETURNED_HEADERS if (v := answer.headers.get(k))}
    return Response(answer.content, status_code=answer.status_code, headers=kept)


def _only_json(body: bytes) -> bytes | None:
    """The JSON object `body` holds, written again with no `&` (moto parses every body as a
    form as well, and takes an `Action=` there over the target header: `{"x":
    "&Action=AdminCreateUser&"}` would run that), or None when it is no JSON object. Inside
    JSON an `&` can only be in a string, where `\\u0026` says the same."""
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(parsed, dict):
        return None
    return json.dumps(parsed).replace("&", "\\u0026").encode()


def _web_response(site: Site, path: str) -> Response:
    not_found = _error(404, "not_found", "No such file")
    if has_control_characters(path):  # no file is named so (and a NUL stops the filesystem)
        return not_found
    dist = site.web_dist.resolve()
    index = dist / "index.html"
    if not index.is_file():
        return HTMLResponse(not_built_page(site), headers={"Cache-Control": "no-store"})
    candidate = (dist / path).resolve()
    try:
        found = bool(path) and candidate.is_relative_to(dist) and candidate.is_file()
    except OSError:  # a name or a path longer than the filesystem takes: no such file
        return not_found
    if found:
        # Vite names built assets by content hash, so they never change under the same URL.
        immutable = "public, max-age=31536000, immutable"
        cache = immutable if path.startswith("assets/") else "no-cache"
        return FileResponse(candidate, headers={"Cache-Control": cache, **site.security_headers()})
    if Path(path).suffix and not path.endswith(".html"):
        # A missing asset is a 404, not the app shell (which would hide the broken link).
        return not_found
    # Client-side routes (/admin, /admin/orders, ...) all load the app shell.
    return FileResponse(index, headers={"Cache-Control": "no-cache", **site.security_headers()})


def not_built_page(site: Site) -> str:
    e = html.escape
    rows = "".join(
        f"<li><code>{e(name)}</code>: <a href='{e(site.api_url(name))}/openapi.json'>"
        f"{e(site.api_url(name))}</a>"
        + ("" if name in site.services else " <em>(not built yet)</em>")
        + "</li>"
        for name in site.service_names()
    )
    config = e(json.dumps(site.discovery(), indent=2))
    # `make party` serves the whole network: its password is the bartender's own, never shown
    password = (
        "<em>the one set in BARKEEP_ADMIN_PASSWORD</em>"
        if site.host != "localhost"
        else f"<code>{e(site.admin_password)}</code>"
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Barkeep (local)</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}}
code,pre{{background:#f3f3f3;padding:.1rem .3rem}}pre{{padding:.8rem;overflow:auto}}</style>
</head><body>
<h1>Barkeep — local stack</h1>
<p>The web app is not built yet (there is no <code>web/dist/</code>), so this page stands in for
the guest app, the bartender's admin (<code>/admin</code>) and the kitchen display
(<code>/admin/orders</code>). The APIs below are running.</p>
<h2>APIs</h2><ul>{rows}</ul>
<p>Discovery document: <a href="/config.json">/config.json</a></p>
<h2>Admin sign-in</h2>
<p>Email <code>{e(site.admin_email)}</code>, password {password}
(set <code>BARKEEP_ADMIN_EMAIL</code> / <code>BARKEEP_ADMIN_PASSWORD</code> to change them).
Sign in with Cognito <code>InitiateAuth</code> (<code>USER_PASSWORD_AUTH</code>) against
<code>{e(site.cognito_endpoint)}</code>, app client <code>{e(site.client_id)}</code>.</p>
<h2>config.json</h2><pre>{config}</pre>
</body></html>
"""
