"""Events: the envelope of API.md, the transactional outbox, and publishing after commit.

A state change and the events it causes are written in one transaction (`Outbox.add`). Right
after commit the request publishes them (`Publisher.publish_pending`); whatever fails is left
in the outbox for the sweeper, so a failing EventBridge never loses an event and never fails
the request. Consumers de-duplicate on `metadata.event_id`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from barkeep.observability import current_correlation_id, get_logger, metric

if TYPE_CHECKING:
    import psycopg

    from barkeep.db import Database, Retention, RetryPolicy

log = get_logger("barkeep.events")
T = TypeVar("T")

EVENTBRIDGE = "eventbridge"
EVENTBRIDGE_BATCH = 10  # PutEvents takes at most 10 entries
# Published outbox rows are kept a day (for a person investigating a night), then pruned.
OUTBOX_RETENTION_HOURS = 24
# A consumer's processed-event ids outlive any redelivery: SQS keeps a message 14 days at most.
PROCESSED_EVENTS_RETENTION_HOURS = 15 * 24


def utcnow() -> datetime:
    return datetime.now(UTC)


def isoformat(moment: datetime) -> str:
    """ISO-8601 in UTC with microseconds and 'Z' (always the same width, so it sorts)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Event:
    """One domain event: `Source` barkeep.<service>, `DetailType` the event name."""

    source: str
    event_type: str
    data: dict[str, Any]
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: datetime = field(default_factory=utcnow)
    correlation_id: str = field(default_factory=current_correlation_id)
    version: int = 1

    def detail(self) -> dict[str, Any]:
        return {
            "metadata": {
                "event_id": self.event_id,
                "event_type": self.event_type,
                "version": self.version,
                "occurred_at": isoformat(self.occurred_at),
                "correlation_id": self.correlation_id,
            },
            "data": self.data,
        }


@dataclass(frozen=True)
class OutboxMessage:
    event_id: str
    target: str
    topic: str
    payload: str


class Outbox:
    """Writes messages into `<schema>.outbox` inside the caller's transaction."""

    def __init__(self, schema: str) -> None:
        self.schema = schema

    def add(self, conn: psycopg.Connection[Any], event: Event) -> OutboxMessage:
        message = OutboxMessage(
            event_id=event.event_id,
            target=EVENTBRIDGE,
            topic=f"{event.source}|{event.event_type}",
            payload=json.dumps(event.detail(), separators=(",", ":"), default=str),
        )
        self._insert(conn, message)
        return message

    def add_realtime(
        self,
        conn: psycopg.Connection[Any],
        channel: str,
        event_type: str,
        event: Event,
        data: dict[str, Any],
    ) -> OutboxMessage:
        from barkeep.realtime import REALTIME, realtime_event

        message = OutboxMessage(
            # one row per (event, channel); the payload keeps the event's own id
            event_id=str(uuid.uuid5(uuid.UUID(event.event_id), channel)),
            target=REALTIME,
            topic=channel,
            payload=realtime_event(event_type, event.event_id, isoformat(event.occurred_at), data),
        )
        self._insert(conn, message)
        return message

    def add_direct(
        self, conn: psycopg.Connection[Any], target: str, topic: str, event: Event, payload: str
    ) -> OutboxMessage:
        """A message for a service's own sink (`target`), e.g. orders' Web Push: one row per
        (event, target, topic)."""
        message = OutboxMessage(
            event_id=str(uuid.uuid5(uuid.UUID(event.event_id), f"{target}:{topic}")),
            target=target,
            topic=topic,
            payload=payload,
        )
        self._insert(conn, message)
        return message

    def _insert(self, conn: psycopg.Connection[Any], message: OutboxMessage) -> None:
        conn.execute(
            f"INSERT INTO {self.schema}.outbox (event_id, target, topic, payload)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (event_id) DO NOTHING",
            (message.event_id, message.target, message.topic, message.payload),
        )


class Sink(Protocol):
    """Delivers messages for one target; returns the ids it delivered."""

    def send(self, messages: Sequence[OutboxMessage]) -> set[str]: ...


class EventBridgeSink:
    """PutEvents to the custom bus (the client is barkeep.aws's, made on first use)."""

    def __init__(self, bus_name: str) -> None:
        self.bus_name = bus_name

    def _events(self) -> Any:
        from barkeep.aws import client

        return client("events")

    def send(self, messages: Sequence[OutboxMessage]) -> set[str]:
        delivered: set[str] = set()
        for start in range(0, len(messages), EVENTBRIDGE_BATCH):
            batch = messages[start : start + EVENTBRIDGE_BATCH]
            entries = []
            for m in batch:
                source, detail_type = m.topic.split("|", 1)
                entries.append(
                    {
                        "Source": source,
                        "DetailType": detail_type,
                        "Detail": m.payload,
                        "EventBusName": self.bus_name,
                    }
                )
            response = self._events().put_events(Entries=entries)
            for message, result in zip(batch, response.get("Entries", []), strict=False):
                if result.get("EventId") and not result.get("ErrorCode"):
                    delivered.add(message.event_id)
                else:
                    log.warning(
                        "event rejected",
                        extra={"event_id": message.event_id, "error": result.get("ErrorCode")},
                    )
        return delivered


class Publisher:
    """Publishes outbox rows and marks them published. Never raises to the caller.

    Targets go out one after another in `first` order, realtime before EventBridge: the guest
    waiting at the bar sees "ready" without waiting on the bus's round trip.
    """

    def __init__(
        self,
        db: Database,
        schema: str,
        sinks: dict[str, Sink],
        *,
        retained: Sequence[Retention] = (),
        first: Sequence[str] | None = None,
    ) -> None:
        from barkeep.db import Retention
        from barkeep.realtime import REALTIME

        self.db = db
        self.schema = schema
        self.sinks = sinks
        self.first = tuple(first if first is not None else (REALTIME,))
        outbox = Retention(f"{schema}.outbox", "event_id", "published_at", OUTBOX_RETENTION_HOURS)
        self.retained = (outbox, *retained)

    def _in_order(self, messages: Iterable[OutboxMessage]) -> dict[str, list[OutboxMessage]]:
        by_target: dict[str, list[OutboxMessage]] = {t: [] for t in self.first}
        for m in messages:
            by_target.setdefault(m.target, []).append(m)
        return {t: batch for t, batch in by_target.items() if batch}

    def publish(self, messages: Iterable[OutboxMessage]) -> int:
        by_target = self._in_order(messages)
        delivered: set[str] = set()
        for target, batch in by_target.items():
            sink = self.sinks.get(target)
            if sink is None:
                log.error("no sink for outbox target", extra={"target": target})
                continue
            sent: set[str] = set()
            try:
                sent = sink.send(batch)
            except Exception:
                log.warning(
                    "publish failed; the sweeper will retry",
                    exc_info=True,
                    extra={"target": target, "count": len(batch)},
                )
            delivered |= sent
            metric("Published", len(sent), Target=target)
            if len(sent) < len(batch):
                metric("PublishFailed", len(batch) - len(sent), Target=target)
        failed = [
            m.event_id for ms in by_target.values() for m in ms if m.event_id not in delivered
        ]
        try:
            self.db.transaction(lambda c: self._mark(c, sorted(delivered), failed), name="outbox")
        except Exception:
            # Delivered but not marked: the sweeper sends it again; consumers de-duplicate.
            log.warning("could not mark outbox rows", exc_info=True)
        return len(delivered)

    def _mark(self, conn: psycopg.Connection[Any], delivered: list[str], failed: list[str]) -> None:
        if delivered:
            conn.execute(
                f"UPDATE {self.schema}.outbox SET published_at = now(), attempts = attempts + 1"
                " WHERE event_id = ANY(%s::uuid[])",
                (delivered,),
            )
        if failed:
            conn.execute(
                f"UPDATE {self.schema}.outbox SET attempts = attempts + 1"
                " WHERE event_id = ANY(%s::uuid[])",
                (failed,),
            )

    def prune(self) -> int:
        """Delete what no one needs any more: published outbox rows past their retention, and
        the service's own `retained` tables (idempotency keys, processed-event ids)."""
        from barkeep.db import prune

        deleted = 0
        for retention in self.retained:
            try:
                deleted += prune(self.db, retention)
            except Exception:
                log.warning("pruning failed", exc_info=True, extra={"table": retention.table})
        if deleted:
            log.info("pruned", extra={"schema": self.schema, "rows": deleted})
        return deleted

    def sweep(self, *, older_than_seconds: float = 5.0, limit: int = 100) -> int:
        """Republish what is still pending, then prune (scheduled every minute in AWS)."""
        sent = self._republish(older_than_seconds, limit)
        self.prune()
        return sent

    def _republish(self, older_than_seconds: float, limit: int) -> int:

        def pending(conn: psycopg.Connection[Any]) -> list[OutboxMessage]:
            rows = conn.execute(
                f"SELECT event_id, target, topic, payload FROM {self.schema}.outbox"
                " WHERE published_at IS NULL"
                " AND created_at < now() - make_interval(secs => %s)"
                # what failed least first: a push service down for an hour (whose rows retry
                # until they expire) must not hold back newer rows for the bus or realtime
                " ORDER BY attempts, created_at LIMIT %s",
                (older_than_seconds, limit),
            ).fetchall()
            return [OutboxMessage(str(r[0]), r[1], r[2], r[3]) for r in rows]

        messages = self.db.transaction(pending, name="outbox-sweep")
        # the backlog the dashboard shows: what publish-after-commit left for the sweeper
        metric("OutboxPending", len(messages))
        if not messages:
            return 0
        sent = self.publish(messages)
        log.info(
            "outbox swept", extra={"schema": self.schema, "pending": len(messages), "sent": sent}
        )
        return sent


@dataclass
class UnitOfWork:
    """One attempt at a write: its connection and the events it emitted (reset on retry)."""

    conn: Any
    source: str
    outbox: Outbox
    messages: list[OutboxMessage] = field(default_factory=list)

    def emit(self, event_type: str, data: dict[str, Any]) -> Event:
        event = Event(self.source, event_type, data)
        self.messages.append(self.outbox.add(self.conn, event))
        return event

    def notify(
        self,
        channels: Sequence[str],
        event_type: str,
        data: dict[str, Any],
        *,
        cause: Event | None = None,
    ) -> None:
        """Queue a realtime event for each channel; with `cause`, it shares the domain
        event's id and time, so a client that gets it twice can tell."""
        event = cause or Event(self.source, event_type, data)
        for channel in channels:
            self.messages.append(
                self.outbox.add_realtime(self.conn, channel, event_type, event, data)
            )

    def deliver(self, target: str, topic: str, payload: str, *, cause: Event) -> None:
        """Queue a message for the service's own sink `target` (its Publisher must have one),
        under the id of the event that caused it."""
        self.messages.append(self.outbox.add_direct(self.conn, target, topic, cause, payload))


class Writer:
    """Runs a write and its events in one transaction, then publishes them after commit."""

    def __init__(self, db: Database, schema: str, source: str, publisher: Publisher) -> None:
        self.db = db
        self.source = source
        self.outbox = Outbox(schema)
        self.publisher = publisher

    def __call__(
        self, work: Callable[[UnitOfWork], T], *, name: str, retry: RetryPolicy | None = None
    ) -> T:
        committed: list[UnitOfWork] = []

        def attempt(conn: Any) -> T:
            unit = UnitOfWork(conn, self.source, self.outbox)
            result = work(unit)
            committed[:] = [unit]
            return result

        result = self.db.transaction(attempt, name=name, retry=retry)
        if committed and committed[0].messages:
            self.publisher.publish(committed[0].messages)
        return result


def publisher_for(
    schema: str, *, retained: Sequence[Retention] = (), sinks: dict[str, Sink] | None = None
) -> Publisher:
    """The publisher every service uses: EventBridge, realtime where it is configured, and the
    service's own `sinks`; its sweeps also prune `retained` (see `Publisher.prune`)."""
    from barkeep import settings
    from barkeep.db import database
    from barkeep.realtime import REALTIME, AppSyncSink

    cfg = settings.platform()
    every: dict[str, Sink] = {EVENTBRIDGE: EventBridgeSink(cfg.event_bus_name)}
    if cfg.realtime_http_url:
        every[REALTIME] = AppSyncSink(cfg.realtime_http_url, cfg.region)
    every.update(sinks or {})
    return Publisher(database(schema), schema, every, retained=retained)


def processed_events(schema: str) -> Retention:
    """The retention of a consumer's `<schema>.processed_events` (its de-duplication ids)."""
    from barkeep.db import Retention

    return Retention(
        f"{schema}.processed_events", "event_id", "processed_at", PROCESSED_EVENTS_RETENTION_HOURS
    )


def consume(records: Iterable[Any], handle: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """Handle each SQS record (JSON body) on its own; report failures per item
    (ReportBatchItemFailures), so one bad message never blocks or repeats the others."""
    failures = []
    for record in records:
        message_id = record.to_dict()["messageId"]
        try:
            handle(json.loads(record.body))
        except Exception:
            log.exception("message failed; it will be retried", extra={"message_id": message_id})
            failures.append({"itemIdentifier": message_id})
    return {"batchItemFailures": failures}
