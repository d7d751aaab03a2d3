from __future__ import annotations

import json
from typing import Any

from barkeep.local import LocalApi

from tests.conftest import drink_event


def test_a_new_drink_gets_a_studio_photo_prompt(
    api: LocalApi, admin_token: str, menu: dict[str, str]
) -> None:
    response = api.get(f"/admin/drinks/{menu['Piña Colada']}/image-prompt", token=admin_token)
    assert response.status == 200
    body = response.json()
    assert body["model_id"] == "amazon.nova-canvas-v1:0"
    assert "Piña Colada" in body["prompt"] and len(body["prompt"]) <= 1000
    assert body["negative_prompt"] and body["generated_at"]


def test_404_until_generated_and_the_consumer_is_idempotent(
    api: LocalApi, admin_token: str
) -> None:
    from app import handle_work

    event = drink_event("Paloma", ["citrus"], ["Tequila", "Grapefruit soda"], active=False)
    handle_work(event)
    drink_id = event["detail"]["data"]["id"]
    assert api.get(f"/admin/drinks/{drink_id}/image-prompt", token=admin_token).status == 404
    handle_work(event)  # the same event again changes nothing
    from chalicelib.wiring import ai

    rows = ai().db.transaction(
        lambda c: c.execute("SELECT count(*) FROM ai.processed_events").fetchone()[0]
    )
    assert rows == 1


def test_late_events_do_not_overwrite_newer_state(
    api: LocalApi, guest: dict[str, str], menu: dict[str, str]
) -> None:
    from app import handle_work

    old = drink_event(
        "Negroni",
        ["bitter"],
        ["Gin"],
        kind="DrinkUpdated",
        drink_id=menu["Negroni"],
        active=False,
        updated_at="2000-01-01T00:00:00+00:00",
    )
    handle_work(old)
    names = {
        r["name"]
        for r in api.post(
            "/recommendations", token=guest["token"], json_body={"preferences": "bitter gin"}
        ).json()["recommendations"]
    }
    assert "Negroni" in names


def test_regenerate_is_queued(
    api: LocalApi, admin_token: str, menu: dict[str, str], local_aws: Any
) -> None:
    drink_id = menu["Daiquiri"]
    response = api.post(f"/admin/drinks/{drink_id}/image-prompt", token=admin_token)
    assert response.status == 202
    sqs = local_aws.client("sqs")
    url = sqs.get_queue_url(QueueName="barkeep-local-ai-work")["QueueUrl"]
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    from app import on_work

    event = {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": {},
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:x:1:barkeep-local-ai-work",
                "awsRegion": "eu-west-1",
                "md5OfBody": "",
            }
            for m in messages
        ]
    }
    result = on_work(event, None)
    assert result == {"batchItemFailures": []}


def test_a_bad_message_fails_alone(api: LocalApi, menu: dict[str, str]) -> None:
    from app import on_work

    good = json.dumps({"task": "image_prompt", "drink_id": menu["Negroni"]})
    records = [
        {
            "messageId": mid,
            "receiptHandle": "r",
            "body": body,
            "attributes": {},
            "messageAttributes": {},
            "eventSource": "aws:sqs",
            "awsRegion": "eu-west-1",
            "eventSourceARN": "arn:aws:sqs:x:1:barkeep-local-ai-work",
            "md5OfBody": "",
        }
        for mid, body in (
            ("a", good),
            ("b", "{not json"),
            ("c", '{"task": "image_prompt", "drink_id": "nope"}'),
        )
    ]
    assert on_work({"Records": records}, None) == {
        "batchItemFailures": [{"itemIdentifier": "b"}, {"itemIdentifier": "c"}]
    }


def test_admin_only(api: LocalApi, guest: dict[str, str], menu: dict[str, str]) -> None:
    path = f"/admin/drinks/{menu['Negroni']}/image-prompt"
    assert api.get(path).status == 401
    assert api.get(path, token=guest["token"]).status == 403
    assert api.get("/admin/drinks/nope/image-prompt", token=guest["token"]).status in (400, 403)
