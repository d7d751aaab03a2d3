"""A failing Bedrock degrades to the offline provider, with a log line, never a 5xx."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from barkeep.local import LocalApi
from botocore.stub import Stubber


@pytest.fixture
def throttled_bedrock(api: LocalApi) -> Any:
    from chalicelib import wiring
    from chalicelib.providers.bedrock import BedrockProvider
    from chalicelib.service import AiService

    client = boto3.client("bedrock-runtime", region_name="eu-west-1")
    stubber = Stubber(client)
    for _ in range(3):
        stubber.add_client_error(
            "converse", service_error_code="ThrottlingException", http_status_code=429
        )
    stubber.activate()
    service = wiring.ai()
    yield AiService(service.db, service.repo, BedrockProvider(lambda: client))
    stubber.deactivate()


def test_recommendations_and_chat_fall_back_to_offline(
    api: LocalApi,
    guest: dict[str, str],
    menu: dict[str, str],
    throttled_bedrock: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import app as ai_app

    monkeypatch.setattr(ai_app, "ai", lambda: throttled_bedrock)
    recs = api.post(
        "/recommendations", token=guest["token"], json_body={"preferences": "sour with lime"}
    )
    chat = api.post("/chat", token=guest["token"], json_body={"message": "something bitter"})
    assert (recs.status, chat.status) == (200, 200)
    assert recs.json()["recommendations"][0]["name"] == "Daiquiri"
    assert chat.json()["suggested_drinks"]
    logged = capsys.readouterr().out
    assert logged.count("provider failed; answering offline") == 2
