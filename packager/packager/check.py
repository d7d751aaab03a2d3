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


def smoke(built: Built, target: Target, scratch: Path) -> float:
    """Unzip, start a fresh Python 3.13 and GET /openapi.json through the API handler."""
    task = unpack(built, scratch / "task")
    with LambdaProcess(
        task,
        runtime_dir(built, target),
        environment={**SMOKE_ENVIRONMENT, "BARKEEP_SERVICE": built.service},
        log=scratch / "lambda.log",
    ) as process:
        reply = process.invoke(
            "app.app", events.api_event("GET", "/openapi.json", resource="/openapi.json")
        )
    assert reply["ok"], reply.get("traceback") or reply
    response = reply["result"]
    assert response["statusCode"] == 200, response
    document = json.loads(response["body"])
    assert document["paths"], "the OpenAPI document lists no paths"
    seconds: float = reply["seconds"]
    return seconds
