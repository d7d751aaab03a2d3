"""Each service's artifact runs the way Lambda runs it: unzipped into an empty directory, in a
fresh `python3.13 -I -S` that sees only that directory (and the boto3 Lambda provides), called
through the entry points the manifest names, with API Gateway's events, against the local
stack's database, moto and gateway. Each answer is compared with what `make dev` answers."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from packager.build import Built, unpack
from packager.check import runtime_dir
from packager.python313 import LambdaProcess
from packager.targets import Target

from packager import events


def _function(built: Built, kind: str, name: str | None = None) -> dict[str, Any]:
    matches = [
        f
        for f in built.manifest["functions"]
        if f["kind"] == kind and (name is None or f["name"] == name)
    ]
    assert len(matches) == 1, (kind, name, built.manifest["functions"])
    return matches[0]


class Lambda:
    """One service's artifact in its own Python 3.13 process, called as API Gateway would."""

    def __init__(self, built: Built, process: LambdaProcess) -> None:
        self.built = built
        self.process = process

    def call(self, function: dict[str, Any], event: dict[str, Any]) -> Any:
        reply = self.process.invoke(function["handler"], event)
        assert reply["ok"], reply.get("traceback") or reply
        return reply["result"]

    def http(
        self,
        method: str,
        path: str,
        *,
        resource: str | None = None,
        token: str | None = None,
        authorizer: str | None = None,
        body: Any = None,
    ) -> tuple[int, Any]:
        """Through the route's authorizer function first, as API Gateway does."""
        context = None
        headers = {}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if authorizer is not None:
            assert token is not None
            decision = self.call(
                _function(self.built, "authorizer", authorizer),
                events.authorizer_event(f"Bearer {token}", method, path),
            )
            statement = decision["policyDocument"]["Statement"][0]
            assert statement["Effect"] == "Allow", decision
            context = {**decision["context"], "principalId": decision["principalId"]}
        response = self.call(
            _function(self.built, "api"),
            events.api_event(
                method,
                path,
                resource=resource or path.split("?")[0],
                headers=headers,
                body=body,
                authorizer=context,
            ),
        )
        payload = json.loads(response["body"]) if response.get("body") else None
        return response["statusCode"], payload


@pytest.fixture(scope="module")
def stack(local_stack: Any) -> Any:
    return local_stack


@pytest.fixture(scope="module")
def http(stack: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"http://127.0.0.1:{stack.port}", timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def admin_token(stack: Any) -> str:
    token: str = stack.aws.sign_in(stack.aws.admin_email, stack.aws.admin_password)
    return token


@pytest.fixture(scope="module")
def guest_token(http: httpx.Client, admin_token: str) -> str:
    code = http.post(
        "/api/identity/admin/registration-codes",
        json={"max_uses": 5},
        headers={"Authorization": f"Bearer {admin_token}"},
    ).json()["registration_code"]["code"]
    registered = http.post(
        "/api/identity/register", json={"username": "Lambda"}, headers={"X-Registration-Code": code}
    )
    assert registered.status_code == 201, registered.text
    token: str = registered.json()["access_token"]
    return token


def _environment(stack: Any, service: str) -> dict[str, str]:
    """What infra sets for the function, pointed at the local stack instead of AWS."""
    from devstack.stack import platform_environment

    return {
        **stack.aws.environment(),
        **platform_environment(stack.port, stack.aws),
        "DATABASE_URL": stack.database_url,
        "BARKEEP_STAGE": "local",
        "BARKEEP_SERVICE": service,
        "LOG_LEVEL": "WARNING",
        "AWS_LAMBDA_FUNCTION_NAME": f"barkeep-local-{service}-api",
    }


@pytest.fixture
def running(
    host_artifacts: dict[str, Built],
    host_target: Target,
    python313: str,
    stack: Any,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> Iterator[Lambda]:
    service = request.param
    built = host_artifacts[service]
    task = unpack(built, tmp_path / "var" / "task")  # nothing else in there
    assert sorted(p.name for p in task.iterdir())[:1], "the artifact unpacked to nothing"
    with LambdaProcess(
        task,
        runtime_dir(built, host_target),
        environment=_environment(stack, service),
        python=python313,
        log=tmp_path / "lambda.log",
    ) as process:
        yield Lambda(built, process)


def _same_openapi_and_health(fn: Lambda, http: httpx.Client) -> None:
    status, document = fn.http("GET", "/openapi.json")
    assert status == 200
    assert document == http.get(f"/api/{fn.built.service}/openapi.json").json()
    assert fn.http("GET", "/health") == (200, {"status": "ok"})


def _sweep(fn: Lambda) -> None:
    schedule = _function(fn.built, "schedule", "sweep_outbox")
    assert fn.call(schedule, events.schedule_event("sweep")) is None


@pytest.mark.parametrize("running", ["menu"], indirect=True)
def test_menu(running: Lambda, http: httpx.Client, admin_token: str) -> None:
    _same_openapi_and_health(running, http)
    # an admin route, through the admin authorizer, answers as the local stack does
    status, body = running.http("GET", "/admin/drinks", token=admin_token, authorizer="admin")
    assert status == 200
    served = http.get("/api/menu/admin/drinks", headers={"Authorization": f"Bearer {admin_token}"})
    assert {d["id"] for d in body["drinks"]} == {d["id"] for d in served.json()["drinks"]}
    # ai's ImageGenerated, as the SQS consumer receives it, sets the drink's photo
    drink = body["drinks"][0]
    image_url = f"https://images.example/{uuid.uuid4()}.png"
    consumer = _function(running.built, "sqs")
    message = {
        "detail-type": "ImageGenerated",
        "source": "barkeep.ai",
        "detail": {
            "metadata": {"event_id": str(uuid.uuid4()), "event_type": "ImageGenerated"},
            "data": {"drink_id": drink["id"], "image_url": image_url, "placeholder": False},
        },
    }
    result = running.call(consumer, events.sqs_event(consumer["queue"], [message]))
    assert result == {"batchItemFailures": []}
    assert http.get(f"/api/menu/drinks/{drink['id']}").json()["drink"]["image_url"] == image_url
    _sweep(running)


@pytest.mark.parametrize("running", ["identity"], indirect=True)
def test_identity(running: Lambda, http: httpx.Client, guest_token: str) -> None:
    _same_openapi_and_health(running, http)
    status, body = running.http("GET", "/me", token=guest_token, authorizer="guest")
    assert status == 200
    served = http.get("/api/identity/me", headers={"Authorization": f"Bearer {guest_token}"})
    assert body == served.json()
    # the JWKS every verifier reads is signed with the same keys the stack signs with
    assert (
        running.http("GET", "/.well-known/jwks.json")[1]
        == http.get("/api/identity/.well-known/jwks.json").json()
    )
    _sweep(running)


@pytest.mark.parametrize("running", ["orders"], indirect=True)
def test_orders(running: Lambda, http: httpx.Client, guest_token: str, admin_token: str) -> None:
    _same_openapi_and_health(running, http)
    drink_id = http.get("/api/menu/drinks").json()["drinks"][0]["id"]
    status, placed = running.http(
        "POST", "/orders", token=guest_token, authorizer="guest", body={"drink_id": drink_id}
    )
    assert status == 201, placed
    status, mine = running.http("GET", "/orders", token=guest_token, authorizer="guest")
    assert status == 200
    served = http.get("/api/orders/orders", headers={"Authorization": f"Bearer {guest_token}"})
    assert mine == served.json()
    assert placed["order"]["id"] in {o["id"] for o in mine["orders"]}
    status, queue = running.http("GET", "/admin/orders", token=admin_token, authorizer="admin")
    assert status == 200 and placed["order"]["id"] in {o["id"] for o in queue["orders"]}
    _sweep(running)


@pytest.mark.parametrize("running", ["ai"], indirect=True)
def test_ai(running: Lambda, http: httpx.Client, guest_token: str, admin_token: str) -> None:
    _same_openapi_and_health(running, http)
    status, body = running.http(
        "POST",
        "/recommendations",
        token=guest_token,
        authorizer="guest",
        body={"preferences": "something bitter and orange"},
    )
    assert status == 200
    menu_ids = {d["id"] for d in http.get("/api/menu/drinks").json()["drinks"]}
    assert body["recommendations"] and {r["drink_id"] for r in body["recommendations"]} <= menu_ids
    # a queued task, as the SQS consumer receives it, writes the drink's photo prompt
    drink_id = body["recommendations"][0]["drink_id"]
    admin = {"Authorization": f"Bearer {admin_token}"}
    before = _prompt_generated_at(http, drink_id, admin)
    consumer = _function(running.built, "sqs")
    task = {"task": "image_prompt", "drink_id": drink_id}
    result = running.call(consumer, events.sqs_event(consumer["queue"], [task]))
    assert result == {"batchItemFailures": []}
    after = _prompt_generated_at(http, drink_id, admin)
    assert after is not None and (before is None or after > before)
    _sweep(running)


def _prompt_generated_at(http: httpx.Client, drink_id: str, headers: dict[str, str]) -> Any:
    response = http.get(f"/api/ai/admin/drinks/{drink_id}/image-prompt", headers=headers)
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.text
    time.sleep(0.01)  # generated_at has millisecond resolution at best
    return response.json()["generated_at"]


def test_the_platforms_channel_authorizer(
    realtime_artifact: Built,
    host_target: Target,
    python313: str,
    stack: Any,
    guest_token: str,
    admin_token: str,
    tmp_path: Path,
) -> None:
    import jwt

    own = jwt.decode(guest_token, options={"verify_signature": False})["sub"]
    task = unpack(realtime_artifact, tmp_path / "task")
    [entry] = realtime_artifact.manifest["functions"]

    def subscribe(channel: str, token: str | None) -> Any:
        event = {
            "authorizationToken": f"Bearer {token}" if token else "",
            "requestContext": {"operation": "EVENT_SUBSCRIBE", "channel": channel},
        }
        reply = process.invoke(entry["handler"], event)
        assert reply["ok"], reply.get("traceback") or reply
        return reply["result"]["isAuthorized"]

    with LambdaProcess(
        task,
        runtime_dir(realtime_artifact, host_target),
        environment=_environment(stack, "realtime"),
        python=python313,
        log=tmp_path / "lambda.log",
    ) as process:
        # API.md's rules, decided by the artifact AppSync will call
        assert subscribe(f"/orders/{own}", guest_token) is True
        assert subscribe(f"/orders/{uuid.uuid4()}", guest_token) is False
        assert subscribe("/admin/orders", guest_token) is False
        assert subscribe("/admin/orders", admin_token) is True
        assert subscribe("/admin/orders", None) is False
