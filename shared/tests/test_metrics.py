from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest
from barkeep import settings
from barkeep.events import OutboxMessage, Publisher
from barkeep.observability import metric


@pytest.fixture
def in_lambda(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "barkeep-dev-orders-api")
    monkeypatch.setenv("BARKEEP_STAGE", "dev")
    monkeypatch.setenv("BARKEEP_SERVICE", "orders")
    settings.reload()
    yield
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME")
    settings.reload()


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith('{"_aws"')]


def test_a_metric_is_an_embedded_metric_format_line_in_lambda(
    in_lambda: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    metric("OrdersPlaced", 1)
    [line] = _lines(capsys.readouterr().out)
    [spec] = line["_aws"]["CloudWatchMetrics"]
    assert spec == {
        "Namespace": "Barkeep",
        "Dimensions": [["Service", "Stage"]],
        "Metrics": [{"Name": "OrdersPlaced", "Unit": "Count"}],
    }
    assert (line["OrdersPlaced"], line["Stage"], line["Service"]) == (1, "dev", "orders")


def test_outside_lambda_nothing_is_written(capsys: pytest.CaptureFixture[str]) -> None:
    settings.reload()
    metric("OrdersPlaced", 1)
    assert _lines(capsys.readouterr().out) == []


class Half:
    """Delivers the first message of each batch only."""

    def send(self, messages: Sequence[OutboxMessage]) -> set[str]:
        return {messages[0].event_id}


class NoMarks:
    def transaction(self, work: Any, **kwargs: Any) -> Any:
        raise ConnectionError("database blip")


def test_each_publish_counts_what_went_out_and_what_is_left_for_the_sweeper(
    in_lambda: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    publisher = Publisher(NoMarks(), "orders", {"realtime": Half()})  # type: ignore[arg-type]
    messages = [OutboxMessage(f"e{i}", "realtime", "/admin/orders", "{}") for i in range(3)]
    assert publisher.publish(messages) == 1
    found = {
        (line["_aws"]["CloudWatchMetrics"][0]["Metrics"][0]["Name"], line["Target"]): line
        for line in _lines(capsys.readouterr().out)
    }
    assert found[("Published", "realtime")]["Published"] == 1
    assert found[("PublishFailed", "realtime")]["PublishFailed"] == 2
