"""The transaction helper against the real database: real OCC conflicts, retries, reconnects."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import psycopg
import pytest
from barkeep.db import Database, RetryPolicy, TransactionConflict
from barkeep.errors import ServiceUnavailable


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


def _backend(db: Database) -> int:
    pid: int = db.transaction(lambda c: c.execute("SELECT pg_backend_pid()").fetchone()[0])
    return pid


def test_reuses_the_warm_connection(db: Database) -> None:
    first = _backend(db)
    assert _backend(db) == first
    assert db.open_connections == 1


def test_renews_a_connection_before_it_gets_too_old(clean_database: str) -> None:
    now = [0.0]
    db = Database(lambda: psycopg.connect(clean_database), max_age=3000, clock=lambda: now[0])
    first = _backend(db)
    now[0] = 2999
    assert _backend(db) == first
    now[0] = 3001
    assert _backend(db) != first
    assert db.open_connections == 1
    db.close()


def test_never_opens_more_connections_than_its_size(clean_database: str) -> None:
    name = f"pool-{uuid.uuid4().hex[:8]}"
    db = Database(lambda: psycopg.connect(clean_database, application_name=name), pool_size=3)
    seen: list[int] = []

    def hold(conn: Any) -> None:
        # what the server itself counts, not what the pool believes
        (count,) = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (name,)
        ).fetchone()
        seen.append(count)
        conn.execute("SELECT pg_sleep(0.05)")

    threads = [threading.Thread(target=db.transaction, args=(hold,)) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 12
    assert max(seen) == 3  # all three were used at once, and never a fourth
    db.close()


def test_a_saturated_pool_answers_503_after_its_timeout(clean_database: str) -> None:
    db = Database(lambda: psycopg.connect(clean_database), pool_size=1, acquire_timeout=0.2)
    holding = threading.Event()
    release = threading.Event()

    def hold(_conn: Any) -> None:
        holding.set()
        release.wait(5)

    holder = threading.Thread(target=db.transaction, args=(hold,))
    holder.start()
    holding.wait(5)
    try:
        with pytest.raises(ServiceUnavailable) as raised:
            db.transaction(lambda c: c.execute("SELECT 1"))
        assert raised.value.retry_after >= 1 and raised.value.code == "service_unavailable"
    finally:
        release.set()
        holder.join()
    # and the connection it waited for serves the next request
    assert db.transaction(lambda c: c.execute("SELECT 7").fetchone()[0]) == 7
    db.close()


def test_an_unreachable_database_is_a_503_and_the_pool_recovers(clean_database: str) -> None:
    down = [True]

    def connect() -> Any:
        if down[0]:
            return psycopg.connect("host=/nonexistent-barkeep-socket dbname=x", connect_timeout=1)
        return psycopg.connect(clean_database)

    db = Database(connect, pool_size=2)
    for _ in range(3):  # every failed attempt gives its slot back
        with pytest.raises(ServiceUnavailable):
            db.transaction(lambda c: c.execute("SELECT 1"))
    assert db.open_connections == 0
    down[0] = False
    assert db.transaction(lambda c: c.execute("SELECT 3").fetchone()[0]) == 3
    db.close()


def test_a_server_restart_is_survived_by_the_idle_connections(
    db: Database, clean_database: str
) -> None:
    pids = {_backend(db) for _ in range(2)}
    with psycopg.connect(clean_database, autocommit=True) as admin:
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    # the dead connection is noticed, dropped, and replaced within the same request
    assert _backend(db) not in pids
    assert db.open_connections == 1


def test_reconnects_after_the_server_dropped_the_connection(
    db: Database, clean_database: str
) -> None:
    pid = db.transaction(lambda c: c.execute("SELECT pg_backend_pid()").fetchone()[0])
    with psycopg.connect(clean_database, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    assert db.transaction(lambda c: c.execute("SELECT 41 + 1").fetchone()[0]) == 42


def test_after_a_server_restart_one_request_does_not_wade_through_every_dead_connection(
    clean_database: str,
) -> None:
    db = Database(lambda: psycopg.connect(clean_database), pool_size=12, sleep=lambda _s: None)
    together = threading.Barrier(12)
    pids: list[int] = []

    def hold(conn: Any) -> None:
        pids.append(conn.execute("SELECT pg_backend_pid()").fetchone()[0])
        together.wait(5)

    threads = [threading.Thread(target=db.transaction, args=(hold,)) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert db.open_connections == 12  # all idle now, and about to die together
    with psycopg.connect(clean_database, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", (pids,))
    # more dead connections than the retry budget (10): the first loss drops them all
    assert db.transaction(lambda c: c.execute("SELECT 5").fetchone()[0]) == 5
    assert db.open_connections == 1
    db.close()
