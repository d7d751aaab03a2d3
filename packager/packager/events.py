"""Lambda events as AWS sends them: API Gateway REST proxy requests, TOKEN authorizer calls,
SQS batches and EventBridge schedules. For running an artifact's handlers outside AWS."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

API_ID = "local0api1"
STAGE = "local"
REGION = "eu-west-1"
ACCOUNT = "000000000000"


def method_arn(method: str, path: str) -> str:
    return f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{API_ID}/{STAGE}/{method}{path}"


def authorizer_event(token: str, method: str, path: str) -> dict[str, Any]:
    """What API Gateway sends a TOKEN authorizer: the identity header and the method ARN."""
    return {
        "type": "TOKEN",
        "authorizationToken": token,
        "methodArn": method_arn(method, urlsplit(path).path),
    }


def api_event(
    method: str,
    path: str,
    *,
    resource: str,
    headers: dict[str, str] | None = None,
    body: Any = None,
    authorizer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A REST API (v1) proxy event for `path` (with its query), matched to route `resource`.

    `authorizer` is what API Gateway passes on from an allowing authorizer: its context plus
    `principalId`.
    """
    parts = urlsplit(path)
    query = {k: v for k, v in parse_qs(parts.query).items()}
    params = _path_parameters(resource, parts.path)
    sent = {"Host": f"{API_ID}.execute-api.{REGION}.amazonaws.com", **(headers or {})}
    raw = None if body is None else (body if isinstance(body, str) else json.dumps(body))
    if raw is not None:
        sent.setdefault("Content-Type", "application/json")
    return {
        "resource": resource,
        "path": parts.path,
        "httpMethod": method,
        "headers": sent,
        "multiValueHeaders": {k: [v] for k, v in sent.items()},
        "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": params or None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource,
            "httpMethod": method,
            "path": f"/{STAGE}{parts.path}",
            "stage": STAGE,
            "requestId": str(uuid.uuid4()),
            "apiId": API_ID,
            "accountId": ACCOUNT,
            "identity": {"sourceIp": "127.0.0.1", "userAgent": "barkeep-packager"},
            "authorizer": authorizer,
        },
        "body": raw,
        "isBase64Encoded": False,
    }


def _path_parameters(resource: str, path: str) -> dict[str, str]:
    names = resource.strip("/").split("/")
    values = path.strip("/").split("/")
    return {n[1:-1]: v for n, v in zip(names, values, strict=False) if n.startswith("{")}


def sqs_event(queue: str, bodies: list[Any]) -> dict[str, Any]:
    """One SQS batch as an event source mapping delivers it."""
    return {
        "Records": [
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": str(uuid.uuid4()),
                "body": body if isinstance(body, str) else json.dumps(body),
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{queue}",
                "awsRegion": REGION,
            }
            for body in bodies
        ]
    }


def schedule_event(rule: str) -> dict[str, Any]:
    """What an EventBridge schedule sends its target."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{rule}"],
        "detail": {},
    }
