"""A service's REST API document, from the manifest's Swagger to what API Gateway imports:
every invoke-ARN placeholder filled, the gateway's own answers in our error envelope, and the
stage cache keyed on every parameter of the routes it caches."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from typing import Any

from barkeep.declarations import Cache
from barkeep.http import GATEWAY_RESPONSES

_PLACEHOLDER = re.compile(r"\{\{invoke_arn:([a-z_]+)\}\}")
CONDITIONAL = "If-None-Match"
# The two gateway answers whose status stays what API Gateway decided (400, 403, 415 …; 502, 504).
_KEEP_STATUS = {"DEFAULT_4XX", "DEFAULT_5XX"}


class UnfilledPlaceholder(KeyError):
    pass


def invoke_arn(region: str, function_arn: str) -> str:
    return (
        f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function_arn}/invocations"
    )


def fill(document: dict[str, Any], arns: Mapping[str, str]) -> dict[str, Any]:
    """Every `{{invoke_arn:<function>}}` replaced by that function's invoke ARN."""
    text = json.dumps(document)
    missing = sorted(set(_PLACEHOLDER.findall(text)) - set(arns))
    if missing:
        raise UnfilledPlaceholder(f"no invoke ARN for {missing}")
    filled: dict[str, Any] = json.loads(_PLACEHOLDER.sub(lambda m: arns[m.group(1)], text))
    return filled


def _template(kind: str, code: str, message: str) -> str:
    """VTL for the body: our envelope; an authorizer's deny brings its own code and message."""
    if kind == "ACCESS_DENIED":
        return (
            '#if("$context.authorizer.error_code" != "")'
            '{"error":{"code":"$context.authorizer.error_code",'
            '"message":"$context.authorizer.error_message","details":{}}}'
            "#else"
            f'{{"error":{{"code":"{code}","message":"{message}","details":{{}}}}}}'
            "#end"
        )
    if kind in _KEEP_STATUS:
        # $context.error.messageString is API Gateway's message, already quoted as JSON
        return (
            f'{{"error":{{"code":"{code}","message":$context.error.messageString,'
            '"details":{"request_id":"$context.requestId"}}}'
        )
    return f'{{"error":{{"code":"{code}","message":"{message}","details":{{}}}}}}'


def gateway_responses() -> dict[str, Any]:
    """`x-amazon-apigateway-gateway-responses` from barkeep.http.GATEWAY_RESPONSES: the same
    table the local gateway answers from."""
    responses: dict[str, Any] = {}
    for kind, (status, code, message) in GATEWAY_RESPONSES.items():
        response: dict[str, Any] = {
            "responseParameters": {
                "gatewayresponse.header.Content-Type": "'application/json'",
                "gatewayresponse.header.Cache-Control": "'no-store'",
            },
            "responseTemplates": {"application/json": _template(kind, code, message)},
        }
        if kind not in _KEEP_STATUS:
            response["statusCode"] = str(status)
        responses[kind] = response
    return responses


def with_cache_keys(
    document: dict[str, Any], cache: Cache | None, routes: list[dict[str, Any]]
) -> dict[str, Any]:
    """Each cached route keyed on its path parameters, its query parameters and If-None-Match
    (otherwise `/drinks/A` would answer `/drinks/B`, `?tag=x` would answer `?tag=y`, and one
    client's 304 would reach a client that has nothing cached)."""
    if cache is None:
        return document
    result = copy.deepcopy(document)
    query = {(r["path"], r["method"]): r.get("query", []) for r in routes}
    for route in cache.routes:
        method, path = route.split(" ", 1)
        operation = result["paths"][path][method.lower()]
        parameters = operation.setdefault("parameters", [])
        for name in query.get((path, method), []):
            parameters.append({"name": name, "in": "query", "required": False, "type": "string"})
        # the service answers a matching If-None-Match with an empty 304: keyed on it, such an
        # answer is only ever replayed to a client that asked the same conditional question
        parameters.append(
            {"name": CONDITIONAL, "in": "header", "required": False, "type": "string"}
        )
        where = {"path": "path", "query": "querystring", "header": "header"}
        keys = [f"method.request.{where[p['in']]}.{p['name']}" for p in parameters]
        operation["x-amazon-apigateway-integration"]["cacheKeyParameters"] = keys
    return result


def document(
    swagger: dict[str, Any],
    *,
    title: str,
    arns: Mapping[str, str],
    cache: Cache | None,
    routes: list[dict[str, Any]],
) -> dict[str, Any]:
    """What the RestApi's `body` is."""
    result = with_cache_keys(fill(swagger, arns), cache, routes)
    result["info"] = {**result.get("info", {}), "title": title}
    result["x-amazon-apigateway-gateway-responses"] = gateway_responses()
    return result


def method_path(route: str) -> str:
    """`POST /orders` → `orders/POST`, how a stage's method settings name a route."""
    method, path = route.split(" ", 1)
    return f"{path.strip('/')}/{method}"
