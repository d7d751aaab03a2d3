"""Run a Chalice app the way API Gateway would, outside AWS.

`LocalApi` wraps Chalice's own local gateway (the engine behind `chalice local` and
`chalice.test.Client`, so authorizers really run) and answers its gateway-level rejections in
Barkeep's error envelope — the same bodies infra configures as API Gateway "gateway responses".
Both the tests and the `make dev` gateway call services through this one class.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from typing import Any

from chalice.app import Chalice
from chalice.config import Config
from chalice.local import (
    ForbiddenError,
    LocalGateway,
    LocalGatewayAuthorizer,
    LocalGatewayException,
    NotAuthorizedError,
)

from barkeep.auth import Unauthorized
from barkeep.http import GATEWAY_RESPONSES, envelope
from barkeep.observability import get_logger

log = get_logger("barkeep.local")


@dataclass
class LocalResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    _json: Any = field(default=None, repr=False)

    def json(self) -> Any:
        if self._json is None:
            self._json = json.loads(self.body) if self.body else None
        return self._json


_denied = threading.local()


class _ApiGatewayAuthorizer(LocalGatewayAuthorizer):
    """Two things API Gateway does that Chalice's local authorizer does not: read the token from
    the header the authorizer names (`X-Registration-Code`, say), and keep a Deny's context for
    the ACCESS_DENIED gateway response."""

    def _prepare_authorizer_event(self, arn: str, lambda_event: Any, lambda_context: Any) -> Any:
        route = self._route_for_event(lambda_event)
        config = getattr(getattr(route, "authorizer", None), "config", None)
        header = str(getattr(config, "header", "Authorization")).lower()
        if header != "authorization":
            headers = {k.lower(): v for k, v in (lambda_event.get("headers") or {}).items()}
            headers.pop("authorization", None)
            if header in headers:
                headers["authorization"] = headers[header]
            lambda_event = {**lambda_event, "headers": headers}
        return super()._prepare_authorizer_event(arn, lambda_event, lambda_context)

    def _check_can_invoke_view_function(self, arn: str, auth_result: Any) -> bool:
        allowed = super()._check_can_invoke_view_function(arn, auth_result)
        _denied.context = None if allowed else (auth_result.get("context") or {})
        return allowed


def _gateway_response(
    kind: str, extra_headers: dict[str, str] | None = None, context: dict[str, Any] | None = None
) -> LocalResponse:
    status, code, message = GATEWAY_RESPONSES[kind]
    if context:  # $context.authorizer.error_code / error_message in AWS's template
        code = str(context.get("error_code") or code)
        message = str(context.get("error_message") or message)
    body = json.dumps(envelope(code, message)).encode()
    return LocalResponse(
        status, {"Content-Type": "application/json", **(extra_headers or {})}, body
    )


class LocalApi:
    def __init__(self, app: Chalice, stage: str = "local") -> None:
        self.app = app
        self._gateway = LocalGateway(app, Config(chalice_stage=stage))
        self._gateway._authorizer = _ApiGatewayAuthorizer(app)

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> LocalResponse:
        lowered = {k.lower(): v for k, v in headers.items()}
        try:
            raw = self._gateway.handle_request(
                method=method.upper(), path=path, headers=lowered, body=body
            )
        except Unauthorized:
            return _gateway_response("UNAUTHORIZED")
        except NotAuthorizedError:
            return _gateway_response("UNAUTHORIZED")
        except ForbiddenError as exc:
            if b"Missing Authentication Token" in (exc.body or b"") or b"Credential" in (
                exc.body or b""
            ):
                return _gateway_response("MISSING_AUTHENTICATION_TOKEN")
            return _gateway_response("ACCESS_DENIED", context=getattr(_denied, "context", None))
        except LocalGatewayException as exc:
            return LocalResponse(exc.CODE, dict(exc.headers), exc.body or b"")
        out_headers = {k: v for k, v in (raw.get("headers") or {}).items()}
        for k, values in (raw.get("multiValueHeaders") or {}).items():
            out_headers[k] = ", ".join(values)
        payload = raw.get("body") or b""
        if raw.get("isBase64Encoded"):
            payload = base64.b64decode(payload)
        elif isinstance(payload, str):
            payload = payload.encode()
        return LocalResponse(int(raw["statusCode"]), out_headers, payload)

    # Convenience for tests.
    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        token: str | None = None,
    ) -> LocalResponse:
        hdrs = {"content-type": "application/json", **(headers or {})}
        if token is not None:
            hdrs["authorization"] = f"Bearer {token}"
        if json_body is not None:
            body = json.dumps(json_body).encode()
        return self.handle(method, path, hdrs, body or b"")

    def get(self, path: str, **kw: Any) -> LocalResponse:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> LocalResponse:
        return self.request("POST", path, **kw)

    def patch(self, path: str, **kw: Any) -> LocalResponse:
        return self.request("PATCH", path, **kw)

    def delete(self, path: str, **kw: Any) -> LocalResponse:
        return self.request("DELETE", path, **kw)
