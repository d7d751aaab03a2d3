"""What a service's Chalice app asks of AWS, read from the app itself.

Run inside the service's own folder (each service has its own `chalicelib`), in a process of its
own: `python -m packager.describe <output.json>`. Importing `app` is all it takes; nothing
runs, and nothing heavy is imported (ADR 0012).

The manifest's Swagger 2.0 document comes from Chalice's own generator (API Gateway imports
OpenAPI 2.0 and 3.0 only; the services' own documents are 3.1) with a placeholder where each
function's invoke ARN belongs; infra fills them in.
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

from chalice.app import (
    Chalice,
    ChaliceAuthorizer,
    Rate,
    ScheduledEventConfig,
    SQSEventConfig,
)
from chalice.deploy.swagger import SwaggerGenerator

API_FUNCTION = "api"
API_HANDLER = "app.app"
# API Gateway caches an authorizer's answer for 300 s unless the authorizer says otherwise.
DEFAULT_AUTHORIZER_TTL = 300


class DescribeError(RuntimeError):
    pass


def placeholder(function: str) -> str:
    """Stands for that function's invoke ARN in the Swagger document (no `${…}`: API Gateway
    reads those as stage variables)."""
    return f"{{{{invoke_arn:{function}}}}}"


class PlaceholderSwagger(SwaggerGenerator):
    def __init__(self) -> None:
        super().__init__(region="", deployed_resources={})

    def _uri(self, lambda_arn: str | None = None) -> Any:
        return placeholder(API_FUNCTION)

    def _auth_uri(self, authorizer: ChaliceAuthorizer) -> Any:
        return placeholder(authorizer.name)


def _schedule(expression: Any) -> str:
    if isinstance(expression, Rate):
        return str(expression.to_string())
    if isinstance(expression, str):
        return expression
    return str(expression.to_string())


def functions(app: Chalice) -> list[dict[str, Any]]:
    """One entry per Lambda function the app needs."""
    found: list[dict[str, Any]] = [{"name": API_FUNCTION, "kind": "api", "handler": API_HANDLER}]
    for auth in app.builtin_auth_handlers:
        found.append(
            {
                "name": auth.name,
                "kind": "authorizer",
                "handler": auth.handler_string,
                "identity_header": auth.header,
                "ttl_seconds": DEFAULT_AUTHORIZER_TTL
                if auth.ttl_seconds is None
                else auth.ttl_seconds,
            }
        )
    for source in app.event_sources:
        if isinstance(source, SQSEventConfig):
            if not source.queue:
                raise DescribeError(f"{source.name}: name the queue (queue_arn is infra's)")
            found.append(
                {
                    "name": source.name,
                    "kind": "sqs",
                    "handler": source.handler_string,
                    "queue": source.queue,
                    "batch_size": source.batch_size,
                    "maximum_batching_window_seconds": source.maximum_batching_window_in_seconds,
                }
            )
        elif isinstance(source, ScheduledEventConfig):
            found.append(
                {
                    "name": source.name,
                    "kind": "schedule",
                    "handler": source.handler_string,
                    "schedule": _schedule(source.schedule_expression),
                }
            )
        else:
            raise DescribeError(f"{source.name}: {type(source).__name__} is not packaged yet")
    if app.pure_lambda_functions or app.websocket_handlers:
        raise DescribeError("pure Lambda functions and websocket handlers are not packaged yet")
    names = [f["name"] for f in found]
    if len(set(names)) != len(names):
        raise DescribeError(f"two functions share a name: {sorted(names)}")
    return found


def _check_handlers(module: Any, entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        module_name, _, attribute = entry["handler"].partition(".")
        if module_name != "app" or not callable(getattr(module, attribute, None)):
            raise DescribeError(
                f"{entry['name']}: Lambda would call {entry['handler']}, which app.py does not "
                "define at module level (name the variable after the authorizer or handler)"
            )


def _query_names(app: Chalice) -> dict[tuple[str, str], list[str]]:
    """Query parameters per route, where the app declares them (barkeep's ServiceApp): what
    a stage cache must key on."""
    found: dict[tuple[str, str], list[str]] = {}
    for operation in getattr(app, "operations", []):
        if operation.query is not None:
            for method in operation.methods:
                found[(operation.path, method)] = sorted(operation.query.model_fields)
    return found


def routes(app: Chalice) -> list[dict[str, Any]]:
    query = _query_names(app)
    return [
        {
            "path": path,
            "method": method,
            "authorizer": view.authorizer.name if view.authorizer else None,
            "query": query.get((path, method), []),
        }
        for path, methods in sorted(app.routes.items())
        for method, view in sorted(methods.items())
    ]


def describe(app_module: Any, settings_module: Any) -> dict[str, Any]:
    from barkeep.settings import Env

    app = app_module.app
    if not isinstance(app, Chalice):
        raise DescribeError("app.py must define `app`, a Chalice app")
    service = getattr(app, "service", app.app_name)
    entries = functions(app)
    _check_handlers(app_module, entries)
    own = getattr(settings_module, "ENVIRONMENT", None)
    if own is None:
        raise DescribeError("chalicelib/settings.py must list ENVIRONMENT (may be empty)")
    swagger = PlaceholderSwagger().generate_swagger(app)
    return {
        "service": service,
        "functions": entries,
        "routes": routes(app),
        "environment": sorted({*Env.PLATFORM, *own}),
        "swagger": swagger,
        "placeholders": {placeholder(e["name"]): e["name"] for e in entries if _in_api(e)},
    }


def _in_api(entry: dict[str, Any]) -> bool:
    return entry["kind"] in ("api", "authorizer")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m packager.describe <output.json>", file=sys.stderr)
        return 2
    sys.path.insert(0, ".")
    app_module = importlib.import_module("app")
    settings_module = importlib.import_module("chalicelib.settings")
    with open(argv[0], "w", encoding="utf-8") as out:
        json.dump(describe(app_module, settings_module), out, indent=2, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
