from __future__ import annotations

from pathlib import Path

import pytest
from barkeep.declarations import (
    DeclarationError,
    EventPattern,
    ServiceNeeds,
    Subscription,
    load,
    parse,
    unrouted,
)

AI = {
    "events": {"emits": ["ImageGenerated"], "data": {"ImageGenerated": "{drink_id}"}},
    "subscriptions": [
        {
            "queue": "work",
            "send": True,
            "events": [{"source": "barkeep.menu", "detail_types": ["DrinkCreated"]}],
        }
    ],
    "bedrock": {"models": ["amazon.nova-pro-v1:0"]},
    "api": {
        "throttle": {"rate": 100, "burst": 200},
        "routes": {"POST /chat": {"rate": 20, "burst": 40}},
    },
}


def test_a_declaration_reads_into_what_infra_and_the_local_stack_build() -> None:
    needs = parse("ai", AI)
    assert needs.source == "barkeep.ai"
    assert needs.queues == ("work",)
    [work] = needs.subscriptions
    assert work.send and work.dead_letters == "work-dlq"
    assert Subscription.rule("work", work.events[0]) == "work-from-menu"
    assert work.events[0].to_eventbridge() == {
        "source": ["barkeep.menu"],
        "detail-type": ["DrinkCreated"],
    }
    assert needs.route_throttles["POST /chat"].burst == 40


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"evnts": {}}, "unknown sections"),
        ({"events": {"emit": ["X"]}}, "unknown keys"),
        ({"realtime": {"publishes": ["everyone"]}}, "realtime namespaces"),
        ({"secrets": {"manages": ["db-password"]}}, "platform's secrets"),
        ({"api": {"routes": {"POST orders": {"rate": 1, "burst": 1}}}}, "is not 'METHOD /path'"),
        ({"api": {"throttle": {"rate": 0, "burst": 1}}}, "a throttle is"),
        ({"api": {"cache": {"ttl_seconds": 60, "routes": ["POST /x"]}}}, "only GET"),
        ({"subscriptions": [{"queue": "Work", "events": []}]}, "lower-case name"),
        ({"environment": {"AI_PROVIDR": "bedrock"}}, "not in barkeep.settings.Env"),
        ({"environment": {"AI_PROVIDER": 1}}, "strings"),
        (
            {
                "subscriptions": [
                    {
                        "queue": "work",
                        "events": [
                            {"source": "barkeep.menu", "detail_types": ["A"]},
                            {"source": "barkeep.menu", "detail_types": ["B"]},
                        ],
                    }
                ]
            },
            "one entry per source",
        ),
    ],
)
def test_a_typo_is_an_error_that_names_the_file(change: dict[str, object], message: str) -> None:
    with pytest.raises(DeclarationError, match=message) as caught:
        parse("ai", {**AI, **change})
    assert "services/ai/platform.toml" in str(caught.value)


def test_a_service_without_a_declaration_needs_nothing(tmp_path: Path) -> None:
    assert load(tmp_path) == ServiceNeeds(service=tmp_path.name)


def test_finds_subscriptions_no_service_emits() -> None:
    menu = ServiceNeeds(service="menu", emits=("DrinkCreated",))
    ai = ServiceNeeds(
        service="ai",
        subscriptions=(
            Subscription("work", (EventPattern("barkeep.menu", ("DrinkCreated", "DrinkRenamed")),)),
        ),
    )
    assert unrouted([menu, ai]) == ["ai/work: nobody emits barkeep.menu DrinkRenamed"]
