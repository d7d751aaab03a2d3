"""The stage cache is flushed before guests hear MENU_CHANGED (and a failed flush holds the
notification back for the sweeper, so nobody re-reads a stale cached menu on cue)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from barkeep.local import LocalApi
from barkeep.realtime import MENU_UPDATES, REALTIME
from barkeep.testing.realtime import RealtimeCapture
from botocore.stub import Stubber

from tests.conftest import drink_body

FLUSH = {"restApiId": "menuapi1", "stageName": "dev"}


class Recorded:
    """The apigateway client, with each call written into the shared timeline."""

    def __init__(self, timeline: list[str]) -> None:
        self.client = boto3.client(
            "apigateway", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
        )
        self.stub = Stubber(self.client)
        self.stub.activate()
        self.timeline = timeline

    def flush_stage_cache(self, **kwargs: Any) -> Any:
        self.timeline.append("flush")
        return self.client.flush_stage_cache(**kwargs)


class Notified(RealtimeCapture):
    def __init__(self, timeline: list[str]) -> None:
        super().__init__()
        self.timeline = timeline

    def send(self, messages: Any) -> set[str]:
        self.timeline.append("notify")
        return super().send(messages)


@pytest.fixture
def timeline() -> list[str]:
    return []


@pytest.fixture
def cached_api(api: LocalApi, timeline: list[str]) -> tuple[LocalApi, Recorded, Notified]:
    from chalicelib.stage_cache import FlushStageCacheFirst
    from chalicelib.wiring import publisher

    apigateway = Recorded(timeline)
    notified = Notified(timeline)
    publisher().sinks[REALTIME] = FlushStageCacheFirst(notified, "menuapi1/dev", lambda: apigateway)
    return api, apigateway, notified


def test_the_cache_is_flushed_before_guests_are_told(
    cached_api: tuple[LocalApi, Recorded, Notified],
    timeline: list[str],
    admin_token: str,
    section: dict[str, Any],
) -> None:
    api, apigateway, notified = cached_api
    apigateway.stub.add_response("flush_stage_cache", {}, FLUSH)
    created = api.post("/admin/drinks", token=admin_token, json_body=drink_body(section["id"]))
    assert created.status == 201
    assert timeline == ["flush", "notify"]
    assert [e["type"] for e in notified.on(MENU_UPDATES)] == ["MENU_CHANGED"]
    apigateway.stub.assert_no_pending_responses()


def test_a_failed_flush_holds_the_notification_for_the_sweeper(
    cached_api: tuple[LocalApi, Recorded, Notified],
    timeline: list[str],
    admin_token: str,
    section: dict[str, Any],
) -> None:
    from chalicelib.wiring import publisher

    api, apigateway, notified = cached_api
    # Given API Gateway refuses the flush (throttled)
    apigateway.stub.add_client_error(
        "flush_stage_cache", "TooManyRequestsException", http_status_code=429
    )
    created = api.post("/admin/drinks", token=admin_token, json_body=drink_body(section["id"]))
    # Then the write still succeeds, but nobody is told yet
    assert created.status == 201
    assert notified.on(MENU_UPDATES) == []
    # When the sweeper runs after API Gateway recovers
    apigateway.stub.add_response("flush_stage_cache", {}, FLUSH)
    publisher().sweep(older_than_seconds=0)
    # Then the cache is flushed and only then the guests are told, once
    assert timeline == ["flush", "flush", "notify"]
    assert len(notified.on(MENU_UPDATES)) == 1


def test_wired_only_where_infra_sets_the_stage(
    monkeypatch: pytest.MonkeyPatch, api: LocalApi
) -> None:
    from barkeep.testing import reset_process_state
    from chalicelib import wiring
    from chalicelib.stage_cache import FlushStageCacheFirst

    monkeypatch.setenv("REALTIME_HTTP_URL", "http://127.0.0.1:9/event")
    monkeypatch.delenv("BARKEEP_API_CACHE", raising=False)
    reset_process_state(wiring.reset)
    assert not isinstance(wiring.publisher().sinks[REALTIME], FlushStageCacheFirst)
    monkeypatch.setenv("BARKEEP_API_CACHE", "menuapi1/dev")
    reset_process_state(wiring.reset)
    assert isinstance(wiring.publisher().sinks[REALTIME], FlushStageCacheFirst)
    reset_process_state(wiring.reset)
