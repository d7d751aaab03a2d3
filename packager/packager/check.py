"""Running an artifact as Lambda would, outside AWS: a smoke check for `make package`."""

from __future__ import annotations

import json
from pathlib import Path

from packager import events
from packager.build import DIST, Built, lambda_runtime, unpack
from packager.python313 import LambdaProcess
from packager.targets import Target

# Enough for the app to import and answer a request that needs no database or AWS.
SMOKE_ENVIRONMENT = {"BARKEEP_STAGE": "local", "AWS_REGION": "eu-west-1", "LOG_LEVEL": "WARNING"}


def runtime_dir(built: Built, target: Target) -> Path:
    """Where the Lambda runtime's own packages are installed for running artifacts here."""
    return lambda_runtime(built.service, target, DIST / ".lambda-runtime" / target.architecture)


def _first_answer(built: Built) -> tuple[str, dict[str, object], str]:
    """One invocation that needs no database or AWS: (handler, event, what it proves)."""
    kinds = {f["kind"]: f for f in built.manifest["functions"]}
    if "api" in kinds:
        event = events.api_event("GET", "/openapi.json", resource="/openapi.json")
        return kinds["api"]["handler"], event, "GET /openapi.json answered 200"
    authorizer = kinds["appsync_authorizer"]
    event = {"requestContext": {"operation": "EVENT_SUBSCRIBE", "channel": "/admin/orders"}}
    return authorizer["handler"], event, "a subscribe without a token was refused"


def smoke(built: Built, target: Target, scratch: Path) -> tuple[float, str]:
    """Unzip, start a fresh Python 3.13, and make one call that proves the entry point runs."""
    task = unpack(built, scratch / "task")
    handler, event, proves = _first_answer(built)
    with LambdaProcess(
        task,
        runtime_dir(built, target),
        environment={**SMOKE_ENVIRONMENT, "BARKEEP_SERVICE": built.service},
        log=scratch / "lambda.log",
    ) as process:
        reply = process.invoke(handler, event)
    assert reply["ok"], reply.get("traceback") or reply
    result = reply["result"]
    if "statusCode" in result:
        assert result["statusCode"] == 200, result
        assert json.loads(result["body"])["paths"], "the OpenAPI document lists no paths"
    else:
        assert result == {"isAuthorized": False, "ttlOverride": 0}, result
    seconds: float = reply["seconds"]
    return seconds, proves
