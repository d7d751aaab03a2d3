"""The event pump: delivers SQS queues to the services' `@app.on_sqs_message` handlers, the
way Lambda's event source mapping does in AWS (batches, partial batch failures)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from barkeep.observability import get_logger
from barkeep.settings import resource_name

from .services import MountedService

log = get_logger("barkeep.devstack.pump")


@dataclass(frozen=True)
class Subscription:
    service: str
    queue: str
    batch_size: int
    handler: Callable[[dict[str, Any], Any], Any]


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
            found.append(Subscription(service.name, name, min(10, source.batch_size), handler))
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


def pump_in_background(
    sqs_factory: Callable[[], Any], subs: list[Subscription], stop: threading.Event
) -> list[threading.Thread]:
    threads = []
    for sub in subs:

        def run(sub: Subscription = sub) -> None:
            sqs = sqs_factory()
            url = sqs.get_queue_url(QueueName=sub.queue)["QueueUrl"]
            while not stop.is_set():
                try:
                    deliver_once(sqs, sub, url)
                except Exception:
                    log.exception("event pump error", extra={"queue": sub.queue})
                    stop.wait(1)

        thread = threading.Thread(target=run, name=f"pump-{sub.queue}", daemon=True)
        thread.start()
        threads.append(thread)
    return threads
