"""HTTP for every service: the error envelope and its one status table, body and query parsing
with field-level errors, the 64 KiB body limit, UUID path ids, ETags, and OpenAPI.

`ServiceApp` is a Chalice app whose `route()` wraps each view so that a route stays thin:

    @app.route("/admin/drinks", methods=["POST"], authorizer=admin, body=DrinkInput, status=201)
    def create_drink(body: DrinkInput) -> dict:
        return {"drink": menu().create(body).to_json()}
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from chalice.app import Chalice, Request, Response
from pydantic import BaseModel, ValidationError

from barkeep import errors, settings
from barkeep.auth import refuse_revoked_guest
from barkeep.observability import (
    configure_logging,
    enable_tracing_if_configured,
    get_logger,
    request_context,
)
from barkeep.observability import request_id as current_request_id

log = get_logger("barkeep.http")
M = TypeVar("M", bound=BaseModel)

MAX_BODY_BYTES = 64 * 1024
JSON = "application/json"

STATUS: dict[type[errors.DomainError], int] = {
    errors.ValidationFailed: 400,
    errors.NotAuthenticated: 401,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.PayloadTooLarge: 413,
    errors.RateLimited: 429,
    errors.ServiceUnavailable: 503,
}


# What API Gateway answers before a request reaches a Lambda, in our envelope: infra renders
# these as the REST APIs' gateway responses, and the local gateway (barkeep.local) answers with
# the same bodies. An ACCESS_DENIED from our authorizers carries its own code and message in
# the authorizer context (`error_code`, `error_message`).
GATEWAY_RESPONSES: dict[str, tuple[int, str, str]] = {
    "UNAUTHORIZED": (401, "unauthorized", "Missing or invalid credentials"),
    "ACCESS_DENIED": (403, "forbidden", "You may not do this"),
    "MISSING_AUTHENTICATION_TOKEN": (404, "not_found", "No such resource"),
    "REQUEST_TOO_LARGE": (413, "payload_too_large", "The request body is larger than 64 KiB"),
    "THROTTLED": (429, "rate_limited", "Too many requests; please try again in a moment"),
    "DEFAULT_4XX": (400, "bad_request", "The request could not be handled"),
    "DEFAULT_5XX": (502, "upstream_error", "Something went wrong on our side"),
}


def status_for(error: errors.DomainError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def envelope(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def json_response(
    payload: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    body = "" if payload is None else json.dumps(payload, separators=(",", ":"), default=str)
    return Response(
        body=body, status_code=status, headers={"Content-Type": JSON, **(headers or {})}
    )


def error_response(error: errors.DomainError) -> Response:
    retry_after = getattr(error, "retry_after", None)
    return json_response(
        envelope(error.code, error.message, error.details),
        status_for(error),
        {"Retry-After": str(retry_after)} if retry_after is not None else None,
    )


def internal_error(request_id: str | None) -> Response:
    return json_response(
        envelope(
            "internal_error",
            "Something went wrong on our side",
            {"request_id": request_id} if request_id else {},
        ),
        500,
    )


def _fields(exc: ValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for err in exc.errors(include_url=False, include_input=False):
        loc = ".".join(str(part) for part in err["loc"]) or "body"
        fields.setdefault(loc, err["msg"])
    return fields


def parse_body(request: Request, model: type[M]) -> M:
    raw = request.raw_body or b""  # its size was checked by ServiceApp's middleware
    if not raw.strip():
        raise errors.ValidationFailed({"body": "A JSON object is required"})
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise errors.ValidationFailed({"body": "Malformed JSON"}) from None
    except RecursionError:  # [[[…]]] 1,000 deep is 2 KB: the size limit does not stop it
        raise errors.ValidationFailed({"body": "JSON nested too deeply"}) from None
    if not isinstance(data, dict):
        raise errors.ValidationFailed({"body": "Expected a JSON object"})
    try:
        return model.model_validate_json(raw, strict=True)
    except ValidationError as exc:
        raise errors.ValidationFailed(_fields(exc)) from None


def parse_query(request: Request, model: type[M]) -> M:
    params: Any = request.query_params or {}
    data: dict[str, Any] = {}
    for key in params:
        values = params.getlist(key) if hasattr(params, "getlist") else [params[key]]
        field = model.model_fields.get(key)
        is_list = field is not None and getattr(field.annotation, "__origin__", None) is list
        data[key] = values if is_list else values[-1]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise errors.ValidationFailed(_fields(exc)) from None


# A UUID as PostgreSQL's uuid type reads it too: uuid.UUID forgives "urn:" anywhere, a sign and
# underscores (int(…, 16) does), which the database then refuses with an error, not a row.
_UUID = re.compile(
    r"(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
)
_UUID_HEX = re.compile(r"[0-9a-fA-F]{32}")
# C0 and C1 controls, DEL, and lone surrogates (no UTF-8 driver can send one): nothing a path
# parameter names has them, and PostgreSQL refuses a NUL in text with an error.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def is_uuid(value: str) -> bool:
    """The canonical 8-4-4-4-12 form or 32 hex digits, in either case."""
    return bool(_UUID.fullmatch(value) or _UUID_HEX.fullmatch(value))


def has_control_characters(value: str) -> bool:
    """Whether `value` holds what no name in a path has (then it names nothing: 404)."""
    return _CONTROL.search(value) is not None


@functools.lru_cache(maxsize=32)
def etag_for(body: str) -> str:
    """A strong ETag of the body. Remembered per body: a warm process sends the same few menu
    documents over and over, and hashing one (~30 KB) costs more than finding it again."""
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


def cached_json(request: Request, payload: Any, *, max_age: int = 15) -> Response:
    """A public, cacheable JSON response with an ETag; `If-None-Match` that matches → 304.

    `payload` is a JSON-able value or JSON text that is already serialised.
    """
    body = (
        payload
        if isinstance(payload, str)
        else json.dumps(payload, separators=(",", ":"), default=str)
    )
    tag = etag_for(body)
    headers: dict[str, str | list[str]] = {
        "ETag": tag,
        "Cache-Control": f"public, max-age={max_age}, must-revalidate",
    }
    sent = request.headers.get("if-none-match", "")
    if tag in {t.strip().removeprefix("W/") for t in sent.split(",")}:
        return Response(body="", status_code=304, headers=headers)
    return Response(body=body, status_code=200, headers={"Content-Type": JSON, **headers})


_CHALICE_ERRORS = {405: "method_not_allowed", 415: "unsupported_media_type"}


def _in_envelope(response: Response) -> Response:
    """Chalice answers some requests itself ({"Code", "Message"}); give those our envelope."""
    body = response.body
    if response.status_code >= 400 and isinstance(body, dict) and "Code" in body:
        code = _CHALICE_ERRORS.get(response.status_code, "error")
        headers = {k: str(v) for k, v in response.headers.items() if k.lower() != "content-type"}
        return json_response(
            envelope(code, str(body.get("Message", ""))), response.status_code, headers
        )
    return response


@dataclass(frozen=True)
class Operation:
    path: str
    methods: tuple[str, ...]
    name: str
    summary: str
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    returns: type[BaseModel] | None
    status: int
    auth: str | None


def _first_paragraph(text: str) -> str:
    return " ".join(text.strip().split("\n\n")[0].split())


def _uuid_params(path: str) -> list[str]:
    return [p for p in re.findall(r"{(\w+)}", path) if is_uuid_param(p)]


def is_uuid_param(name: str) -> bool:
    """Path parameters named `id`, `*_id` or `user_key` are UUIDs (400 otherwise)."""
    return name in ("id", "user_key") or name.endswith("_id")


class ServiceApp(Chalice):
    """A Chalice app with Barkeep's HTTP conventions built into `route()`.

    Chalice keeps the request being handled on the app object. Lambda handles one request
    per process, but the local gateway serves many from a thread pool, so here it is kept
    per thread.
    """

    def _thread_state(self) -> threading.local:
        try:
            state: threading.local = self.__dict__["_thread_state_"]
        except KeyError:  # Chalice's __init__ sets current_request before ours runs
            state = self.__dict__.setdefault("_thread_state_", threading.local())
        return state

    @property
    def current_request(self) -> Request | None:
        return getattr(self._thread_state(), "request", None)

    @current_request.setter
    def current_request(self, value: Request | None) -> None:
        self._thread_state().request = value

    @property
    def lambda_context(self) -> Any:
        return getattr(self._thread_state(), "context", None)

    @lambda_context.setter
    def lambda_context(self, value: Any) -> None:
        self._thread_state().context = value

    def __init__(self, service: str, *, title: str | None = None) -> None:
        super().__init__(app_name=f"barkeep-{service}")
        self.service = service
        self.title = title or f"Barkeep {service} API"
        self.operations: list[Operation] = []
        self.register_middleware(self._http_middleware, "http")
        self.route("/openapi.json", methods=["GET"], summary="This OpenAPI document")(
            lambda: json_response(self.openapi())
        )
        self.route("/health", methods=["GET"], summary="Liveness, including the database")(
            self._health
        )

    def route(
        self,
        path: str,
        *,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        returns: type[BaseModel] | None = None,
        status: int = 200,
        summary: str | None = None,
        body_optional: bool = False,
        **kwargs: Any,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        # The body parser decides what is acceptable (a JSON object); whatever Content-Type a
        # client sent, the answer is ours, not Chalice's bare 415.
        kwargs.setdefault("content_types", ["*/*"])
        register = super().route(path, **kwargs)
        authorizer = kwargs.get("authorizer")

        def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
            self.operations.append(
                Operation(
                    path=path,
                    methods=tuple(kwargs.get("methods", ["GET"])),
                    name=fn.__name__,
                    summary=summary or _first_paragraph(fn.__doc__ or fn.__name__),
                    body=body,
                    query=query,
                    returns=returns,
                    status=status,
                    auth=getattr(authorizer, "name", None),
                )
            )
            guest = getattr(authorizer, "name", None) == "guest"
            register(self._guard(fn, path, body, query, status, body_optional, guest))
            return fn

        return decorator

    def _guard(
        self,
        fn: Callable[..., Any],
        path: str,
        body: type[BaseModel] | None,
        query: type[BaseModel] | None,
        status: int,
        body_optional: bool = False,
        guest: bool = False,
    ) -> Callable[..., Any]:
        uuid_params = _uuid_params(path)

        @functools.wraps(fn)
        def view(**params: str) -> Response:
            request = self.current_request
            assert request is not None
            try:
                if guest:
                    refuse_revoked_guest(request.context.get("authorizer") or {})
                bad = {p: "Must be a UUID" for p in uuid_params if not is_uuid(params[p])}
                if bad:
                    raise errors.ValidationFailed(bad)
                if any(has_control_characters(value) for value in params.values()):
                    raise errors.NotFound("No such resource")  # nothing is named that way
                extra: dict[str, Any] = {}
                if body is not None:
                    empty = not (request.raw_body or b"").strip()
                    extra["body"] = body() if body_optional and empty else parse_body(request, body)
                if query is not None:
                    extra["query"] = parse_query(request, query)
                result = fn(**params, **extra)
            except errors.DomainError as exc:
                return error_response(exc)
            except Exception:
                log.exception("unhandled error", extra={"path": path})
                return internal_error(current_request_id.get())
            if isinstance(result, Response):
                return result
            if result is None:
                return Response(body="", status_code=204)
            return json_response(result, status)

        return view

    def _http_middleware(
        self, request: Request, get_response: Callable[[Request], Response]
    ) -> Response:
        platform = settings.platform()
        configure_logging(platform.log_level)
        enable_tracing_if_configured(platform.tracing)
        rid = request.context.get("requestId") or str(uuid.uuid4())
        cid = request.headers.get("x-correlation-id") or rid
        started = time.perf_counter()
        with request_context(rid, cid):
            raw = request.raw_body if request.method in ("POST", "PUT", "PATCH", "DELETE") else b""
            if raw and len(raw) > MAX_BODY_BYTES:
                response = error_response(
                    errors.PayloadTooLarge(f"The body is larger than {MAX_BODY_BYTES // 1024} KiB")
                )
            else:
                response = _in_envelope(get_response(request))
            response.headers["X-Request-Id"] = rid
            response.headers["X-Correlation-Id"] = cid
            log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.context.get("resourcePath"),
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            return response

    def _health(self) -> dict[str, str]:
        from barkeep.db import database

        database(self.service).transaction(
            lambda c: c.execute("SELECT 1").fetchone(), name="health"
        )
        return {"status": "ok"}

    def openapi(self) -> dict[str, Any]:
        from barkeep.openapi import build

        return build(self)
