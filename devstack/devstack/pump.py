"""The event pump: delivers SQS queues to the services' `@app.on_sqs_message` handlers, the
way Lambda's event source mapping does in AWS (batches, partial batch failures), and keeps each
queue's dead-letter queue bounded: nothing reads those here, and moto keeps every message it
is sent (it never expires them), so a handler failing all evening would grow one forever."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from barkeep.declarations import Subscription as Declared
from barkeep.observability import get_logger
from barkeep.settings import resource_name

from .services import MountedService

log = get_logger("barkeep.devstack.pump")

# Dead letters kept per queue (the newest), for a developer to read or redrive; checked this often.
DEAD_LETTERS_KEPT = 1000
DEAD_LETTER_CHECK_SECONDS = 30.0


@dataclass(frozen=True)
class Subscription:
    service: str
    queue: str
    batch_size: int
    handler: Callable[[dict[str, Any], Any], Any]
    dead_letters: str = ""


def subscriptions(services: list[MountedService]) -> list[Subscription]:
    found = []
    for service in services:
        app = service.api.app
        for source in getattr(app, "event_sources", []):
            queue = getattr(source, "queue", None)
            if not queue:
                continue
            handler = getattr(service.module("app"), source.handler_string.split(".")[-1])
            # the app names its queue within the service; AWS and moto know it by its full name
            name = resource_name(service.name, queue)
            dead = resource_name(service.name, Declared(queue, ()).dead_letters)
            found.append(
                Subscription(service.name, name, min(10, source.batch_size), handler, dead)
            )
    return found


def deliver_once(
    sqs: Any, subscription: Subscription, queue_url: str, *, wait_seconds: int = 1
) -> int:
    """Receive one batch and hand it to the handler; delete what succeeded."""
    messages = sqs.receive_message(
        QueueUrl=queue_url,
        WaitTimeSeconds=wait_seconds,
        MaxNumberOfMessages=subscription.batch_size,
        AttributeNames=["All"],
    ).get("Messages", [])
    if not messages:
        return 0
    arn = f"arn:aws:sqs:local:000000000000:{subscription.queue}"
    event = {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {},
                "md5OfBody": m.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": arn,
                "awsRegion": "local",
            }
            for m in messages
        ]
    }
    try:
        result = subscription.handler(event, None) or {}
        failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
    except Exception:
        log.exception(
            "event handler failed; the batch will be retried",
            extra={"service": subscription.service, "queue": subscription.queue},
        )
        return 0
    done = [m for m in messages if m["MessageId"] not in failed]
    for m in done:
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])
    return len(done)


def bound_dead_letters(sqs: Any, queue_url: str, keep: int = DEAD_LETTERS_KEPT) -> int:
    """Drop the oldest dead letters beyond `keep` (moto hands out the oldest first)."""
    attributes = sqs.get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    excess = int(attributes["ApproximateNumberOfMessages"]) - keep
    dropped = 0
    while dropped < excess:
        batch = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=min(10, excess - dropped)
        ).get("Messages", [])
        if not batch:
            break
        sqs.delete_message_batch(
            QueueUrl=queue_url,
            Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(batch)
            ],
        )
        dropped += len(batch)
    if dropped:
        log.warning(
            "dropped the oldest dead letters: a handler keeps failing (see its errors above)",
            extra={"queue": queue_url.rsplit("/", 1)[-1], "dropped": dropped, "kept": keep},
        )
    return dropped


def pump_in_background(
    sqs_factory: Callable[[], Any], subs: list[Subscription], stop: threading.Event
) -> list[threading.Thread]:
    threads = []
    for sub in subs:

        def run(sub: Subscription = sub) -> None:
            sqs = sqs_factory()
            url = sqs.get_queue_url(QueueName=sub.queue)["QueueUrl"]
            dead_url = _queue_url(sqs, sub.dead_letters)
            next_check = 0.0
            while not stop.is_set():
                try:
                    deliver_once(sqs, sub, url)
                    if dead_url and time.monotonic() >= next_check:
                        next_check = time.monotonic() + DEAD_LETTER_CHECK_SECONDS
                        bound_dead_letters(sqs, dead_url)
                except Exception:
                    log.exception("event pump error", extra={"queue": sub.queue})
                    stop.wait(1)

        thread = threading.Thread(target=run, name=f"pump-{sub.queue}", daemon=True)
        thread.start()
        threads.append(thread)
    return threads


def _queue_url(sqs: Any, name: str) -> str | None:
    try:
        url: str = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        return None
    return url
