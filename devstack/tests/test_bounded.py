"""Nothing in `make dev`'s moto grows without bound: every queue has a reader or a cap.

moto's SQS never expires a message and slows down with each one a queue holds (every publish
to a rule targeting that queue pays for it), so a queue nobody reads is a slow leak: it was the
tests' catch-all tap, left in the devstack, that took PATCH /admin/orders from ~40 to ~170 ms.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from barkeep.declarations import load_all
from barkeep.settings import resource_name
from barkeep.testing.aws import LocalAws, start_moto
from devstack.config import SERVICES_DIR
from devstack.pump import bound_dead_letters
from devstack.stack import local_aws


@pytest.fixture
def aws() -> Iterator[LocalAws]:
    server, endpoint = start_moto()
    try:
        yield local_aws(endpoint, "admin@barkeep.local", "Barkeep-admin-1")
    finally:
        httpx.post(f"{endpoint}/moto-api/reset")
        server.stop()


def _depth(sqs: object, url: str) -> int:
    attributes = sqs.get_queue_attributes(  # type: ignore[attr-defined]
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"])


def _declared(services: Path = SERVICES_DIR) -> tuple[set[str], set[str]]:
    """(the queues the pump reads, their dead-letter queues), by full name."""
    read, dead = set(), set()
    for needs in load_all(services).values():
        for sub in needs.subscriptions:
            read.add(resource_name(needs.service, sub.queue, stage="local"))
            dead.add(resource_name(needs.service, sub.dead_letters, stage="local"))
    return read, dead


def test_every_queue_of_the_local_stack_is_read_by_the_pump_or_capped(aws: LocalAws) -> None:
    # Given the AWS resources exactly as `make dev` creates them
    sqs, events = aws.client("sqs"), aws.client("events")
    queues = {url.rsplit("/", 1)[1]: url for url in sqs.list_queues().get("QueueUrls", [])}
    read, dead = _declared()
    # Then each queue is one the pump delivers, or that queue's dead letters (which it caps)
    assert set(queues) == read | dead, "a queue nobody reads grows for as long as the stack runs"
    assert aws.tap_queue_url is None

    # When an evening's worth of every kind of Barkeep event is published
    sources = ["menu", "identity", "orders", "ai"]
    for n in range(50):
        entries = [
            {
                "Source": f"barkeep.{source}",
                "DetailType": "SomethingHappened",
                "Detail": json.dumps({"n": n}),
                "EventBusName": aws.bus_name,
            }
            for source in sources
        ]
        events.put_events(Entries=entries)
    # Then nothing lands where no one reads it
    assert {name: _depth(sqs, url) for name, url in queues.items() if name not in read} == {
        name: 0 for name in dead
    }


def test_dead_letters_beyond_the_cap_are_dropped_oldest_first(aws: LocalAws) -> None:
    # Given a dead-letter queue holding more than the cap
    sqs = aws.client("sqs")
    url = sqs.get_queue_url(QueueName=sorted(_declared()[1])[0])["QueueUrl"]
    for start in range(0, 30, 10):
        sqs.send_message_batch(
            QueueUrl=url,
            Entries=[{"Id": str(i), "MessageBody": str(start + i)} for i in range(10)],
        )
    # When the pump bounds it
    dropped = bound_dead_letters(sqs, url, keep=12)
    # Then the newest 12 are left, and a second pass has nothing to do
    assert dropped == 18
    assert _depth(sqs, url) == 12
    assert bound_dead_letters(sqs, url, keep=12) == 0
    left = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert min(int(m["Body"]) for m in left) >= 18
