"""The transaction helper against the real database: real OCC conflicts, retries, reconnects."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import psycopg
import pytest
from barkeep.db import Database, RetryPolicy, TransactionConflict


@pytest.fixture
def db(clean_database: str) -> Any:
    database = Database(lambda: psycopg.connect(clean_database), sleep=lambda _s: None)
    yield database
    database.close()


@pytest.fixture
def thing(db: Database, clean_database: str) -> str:
    thing_id = str(uuid.uuid4())
    db.transaction(lambda c: c.execute("INSERT INTO svc.things (id) VALUES (%s)", (thing_id,)))
    return thing_id


def _bump_elsewhere(url: str, thing_id: str) -> None:
    with psycopg.connect(url, autocommit=True) as other:
        other.execute("UPDATE svc.things SET counter = counter + 100 WHERE id = %s", (thing_id,))


def test_retries_a_real_serialization_failure(
    db: Database, clean_database: str, thing: str
) -> None:
    attempts: list[int] = []

    def work(conn: Any) -> int:
        attempts.append(1)
        # Given this transaction has read the row (its snapshot is taken) ...
        (counter,) = conn.execute(
            "SELECT counter FROM svc.things WHERE id = %s", (thing,)
        ).fetchone()
        if len(attempts) == 1:
            # ... and another transaction commits a change to it meanwhile
            _bump_elsewhere(clean_database, thing)
        # When this one writes the row, PostgreSQL raises 40001 like a DSQL OCC conflict
        conn.execute("UPDATE svc.things SET counter = %s WHERE id = %s", (counter + 1, thing))
        return int(counter) + 1

    # Then the helper retries on a fresh snapshot and the other change is not lost
    assert db.transaction(work) == 101
    assert len(attempts) == 2
    assert db.transaction(lambda c: c.execute("SELECT counter FROM svc.things").fetchone()) == (
        101,
    )


def test_gives_up_with_a_409_after_the_budget(clean_database: str, thing: str) -> None:
    db = Database(
        lambda: psycopg.connect(clean_database),
        retry=RetryPolicy(attempts=3),
        sleep=lambda _s: None,
    )

    def always_conflicts(conn: Any) -> None:
        conn.execute("SELECT counter FROM svc.things WHERE id = %s", (thing,)).fetchone()
        _bump_elsewhere(clean_database, thing)
        conn.execute("UPDATE svc.things SET counter = 0 WHERE id = %s", (thing,))

    with pytest.raises(TransactionConflict) as raised:
        db.transaction(always_conflicts, name="bump")
    assert raised.value.code == "concurrent_update"
    db.close()


def test_concurrent_increments_are_all_counted(clean_database: str, thing: str) -> None:
    db = Database(lambda: psycopg.connect(clean_database))

    def increment() -> None:
        db.transaction(
            lambda c: c.execute(
                "UPDATE svc.things SET counter = counter + 1 WHERE id = %s", (thing,)
            )
        )

    threads = [threading.Thread(target=increment) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert db.transaction(lambda c: c.execute("SELECT counter FROM svc.things").fetchone()) == (12,)
    db.close()


def test_reuses_one_connection_per_thread(db: Database) -> None:
    first = db.connection()
    db.transaction(lambda c: c.execute("SELECT 1"))
    assert db.connection() is first


def test_renews_a_connection_before_it_gets_too_old(clean_database: str) -> None:
    now = [0.0]
    db = Database(lambda: psycopg.connect(clean_database), max_age=3000, clock=lambda: now[0])
    first = db.connection()
    now[0] = 2999
    assert db.connection() is first
    now[0] = 3001
    renewed = db.connection()
    assert renewed is not first and first.closed
    db.close()


def test_reconnects_after_the_server_dropped_the_connection(
    db: Database, clean_database: str
) -> None:
    pid = db.transaction(lambda c: c.execute("SELECT pg_backend_pid()").fetchone()[0])
    with psycopg.connect(clean_database, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    assert db.transaction(lambda c: c.execute("SELECT 41 + 1").fetchone()[0]) == 42
