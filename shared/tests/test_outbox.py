"""The outbox on the real database: realtime goes out before EventBridge, and sweeps prune what
nobody needs any more, in batches DSQL accepts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import psycopg
import pytest
from barkeep.db import Database, Retention, prune
from barkeep.events import EVENTBRIDGE, OutboxMessage, Publisher
from barkeep.realtime import REALTIME


@pytest.fixture
def db(clean_database: str) -> Any:
    database = Database(lambda: psycopg.connect(clean_database))
    yield database
    database.close()


class Recording:
    def __init__(self, name: str, calls: list[str], *, fail: bool = False) -> None:
        self.name, self.calls, self.fail = name, calls, fail

    def send(self, messages: Sequence[OutboxMessage]) -> set[str]:
        self.calls.append(self.name)
        if self.fail:
            raise ConnectionError("the bus is down")
        return {m.event_id for m in messages}


def _message(target: str) -> OutboxMessage:
    return OutboxMessage(str(uuid.uuid4()), target, "barkeep.orders|OrderCreated", "{}")


def _insert(db: Database, messages: list[OutboxMessage], age_hours: float = 0) -> None:
    db.transaction(
        lambda c: c.cursor().executemany(
            "INSERT INTO svc.outbox (event_id, target, topic, payload, created_at, published_at)"
            " VALUES (%s, %s, %s, %s, now() - make_interval(secs => %s),"
            " now() - make_interval(secs => %s))",
            [
                (m.event_id, m.target, m.topic, m.payload, age_hours * 3600, age_hours * 3600)
                for m in messages
            ],
        )
    )


def test_realtime_goes_out_before_eventbridge_whatever_the_order_written(db: Database) -> None:
    calls: list[str] = []
    sinks = {EVENTBRIDGE: Recording(EVENTBRIDGE, calls), REALTIME: Recording(REALTIME, calls)}
    # the domain event is written first, its notifications after (as UnitOfWork does)
    messages = [_message(EVENTBRIDGE), _message(REALTIME), _message(REALTIME)]
    assert Publisher(db, "svc", sinks).publish(messages) == 3
    assert calls == [REALTIME, EVENTBRIDGE]


def test_a_failing_bus_does_not_hold_back_the_guests_notification(db: Database) -> None:
    calls: list[str] = []
    sinks = {
        EVENTBRIDGE: Recording(EVENTBRIDGE, calls, fail=True),
        REALTIME: Recording(REALTIME, calls),
    }
    messages = [_message(EVENTBRIDGE), _message(REALTIME)]
    db.transaction(
        lambda c: c.cursor().executemany(
            "INSERT INTO svc.outbox (event_id, target, topic, payload) VALUES (%s, %s, %s, %s)",
            [(m.event_id, m.target, m.topic, m.payload) for m in messages],
        )
    )
    assert Publisher(db, "svc", sinks).publish(messages) == 1
    pending = db.transaction(
        lambda c: c.execute("SELECT target FROM svc.outbox WHERE published_at IS NULL").fetchall()
    )
    assert pending == [(EVENTBRIDGE,)]  # left for the sweeper


def test_rows_that_keep_failing_do_not_hold_back_newer_ones_in_a_sweep(db: Database) -> None:
    calls: list[str] = []
    stuck = [_message("webpush") for _ in range(3)]  # a push service down all night
    fresh = _message(EVENTBRIDGE)
    rows = [*((m, 600, 9) for m in stuck), (fresh, 60, 1)]
    db.transaction(
        lambda c: c.cursor().executemany(
            "INSERT INTO svc.outbox (event_id, target, topic, payload, created_at, attempts)"
            " VALUES (%s, %s, %s, %s, now() - make_interval(secs => %s), %s)",
            [(m.event_id, m.target, m.topic, m.payload, age, n) for m, age, n in rows],
        )
    )
    sinks = {EVENTBRIDGE: Recording(EVENTBRIDGE, calls), "webpush": Recording("webpush", calls)}
    # a sweep with room for two takes the row that failed least, though it is the newest
    assert Publisher(db, "svc", sinks).sweep(older_than_seconds=5, limit=2) == 2
    assert EVENTBRIDGE in calls
    published = db.transaction(
        lambda c: c.execute(
            "SELECT event_id::text FROM svc.outbox WHERE published_at IS NOT NULL"
        ).fetchall()
    )
    assert fresh.event_id in {r[0] for r in published}


def test_a_sweep_prunes_published_rows_past_their_retention_in_batches(db: Database) -> None:
    old = [_message(EVENTBRIDGE) for _ in range(2500)]
    _insert(db, old, age_hours=25)
    recent = [_message(REALTIME) for _ in range(5)]
    _insert(db, recent, age_hours=1)
    # an old row never published is still owed to someone: it stays
    unpublished = _message(EVENTBRIDGE)
    db.transaction(
        lambda c: c.execute(
            "INSERT INTO svc.outbox (event_id, target, topic, payload, created_at)"
            " VALUES (%s, %s, %s, %s, now() - interval '30 hours')",
            (unpublished.event_id, unpublished.target, unpublished.topic, unpublished.payload),
        )
    )
    publisher = Publisher(db, "svc", {})
    assert publisher.prune() == 2500
    left = db.transaction(lambda c: c.execute("SELECT count(*) FROM svc.outbox").fetchone()[0])
    assert left == 6
    assert publisher.prune() == 0


def test_prune_deletes_at_most_one_batch_per_transaction(db: Database) -> None:
    _insert(db, [_message(EVENTBRIDGE) for _ in range(25)], age_hours=48)
    rows_per_commit: list[int] = []
    original = db.transaction

    def counting(work: Any, **kwargs: Any) -> Any:
        result = original(work, **kwargs)
        rows_per_commit.append(result)
        return result

    db.transaction = counting  # type: ignore[method-assign]
    retention = Retention("svc.outbox", "event_id", "published_at", 24)
    assert prune(db, retention, batch=10) == 25
    assert rows_per_commit == [10, 10, 5]
