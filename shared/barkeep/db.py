"""Database access for every service: a bounded pool of warm connections, renewed before DSQL's
60-minute limit, and one `transaction()` helper that retries OCC conflicts and answers 503
(`ServiceUnavailable`) rather than 500 while the database is down or saturated.

Two targets:
- local PostgreSQL from `DATABASE_URL` (the embedded server in `make dev` and the tests);
- Aurora DSQL: an IAM auth token as password, `sslmode=verify-full` against certifi's bundle
  (psycopg-binary ships its own libpq and does not see the system trust store).

psycopg is imported on first use, never at import time.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from barkeep import settings
from barkeep.errors import Conflict, ServiceUnavailable
from barkeep.observability import get_logger

if TYPE_CHECKING:
    import psycopg

T = TypeVar("T")
log = get_logger("barkeep.db")

SERIALIZATION_FAILURE = "40001"
# DSQL closes connections after 60 minutes; renew well before that.
MAX_CONNECTION_AGE_SECONDS = 50 * 60
DSQL_TOKEN_TTL_SECONDS = 15 * 60
# How long a request waits for a free connection before it is answered 503.
ACQUIRE_TIMEOUT_SECONDS = 5.0
UNAVAILABLE = "The database is not reachable right now; please try again in a moment"
BUSY = "Every database connection is busy; please try again in a moment"


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 10
    base_delay: float = 0.01
    max_delay: float = 0.8

    def delay(self, attempt: int) -> float:
        """Full jitter: a random wait up to an exponentially growing cap."""
        cap = min(self.max_delay, self.base_delay * (2**attempt))
        return random.uniform(0, cap)


class TransactionConflict(Conflict):
    """OCC conflicts persisted beyond the retry budget: a 409 the client may simply retry."""

    code = "concurrent_update"

    def __init__(self, name: str) -> None:
        super().__init__(
            "Someone else changed this at the same moment; please try again",
            details={"operation": name},
        )


def dsql_connect_kwargs(endpoint: str, region: str, user: str) -> dict[str, Any]:
    """Connection keywords for Aurora DSQL with a fresh IAM auth token as password."""
    import boto3
    import certifi

    client = boto3.client("dsql", region_name=region)
    if user == "admin":
        token = client.generate_db_connect_admin_auth_token(
            endpoint, region, DSQL_TOKEN_TTL_SECONDS
        )
    else:
        token = client.generate_db_connect_auth_token(endpoint, region, DSQL_TOKEN_TTL_SECONDS)
    return {
        "host": endpoint,
        "port": 5432,
        "dbname": "postgres",
        "user": user,
        "password": token,
        "sslmode": "verify-full",
        "sslrootcert": certifi.where(),
        "connect_timeout": 5,
    }


def default_connector() -> Callable[[], psycopg.Connection[Any]]:
    """Pick the target from settings: DATABASE_URL wins, otherwise DSQL."""
    cfg = settings.platform()

    def connect() -> psycopg.Connection[Any]:
        import psycopg

        if cfg.database_url:
            return psycopg.connect(cfg.database_url, autocommit=False, connect_timeout=5)
        if not cfg.dsql_endpoint:
            raise RuntimeError("Set DATABASE_URL (local) or DSQL_ENDPOINT (AWS)")
        return psycopg.connect(
            **dsql_connect_kwargs(cfg.dsql_endpoint, cfg.region, cfg.dsql_user), autocommit=False
        )

    return connect


@dataclass
class _Pooled:
    conn: Any
    opened_at: float


class Database:
    """A bounded pool of warm connections and the one way to run a transaction.

    In Lambda there is one thread, so the pool holds the one warm connection DESIGN.md asks
    for; the local stack serves many requests at once from thread pools, and the bound keeps
    every service within its share of the server's connections however many threads ask.
    When the database is down, or every connection stays busy past `acquire_timeout`, a
    request fails fast with `ServiceUnavailable` (503 + Retry-After), never a 500 or a hang;
    broken connections are dropped and the next request connects again, so the service
    recovers by itself once the database is back.
    """

    def __init__(
        self,
        connect: Callable[[], psycopg.Connection[Any]] | None = None,
        *,
        pool_size: int | None = None,
        acquire_timeout: float = ACQUIRE_TIMEOUT_SECONDS,
        retry: RetryPolicy | None = None,
        max_age: float = MAX_CONNECTION_AGE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._connect = connect or default_connector()
        self.pool_size = pool_size or settings.platform().db_pool_size
        self.acquire_timeout = acquire_timeout
        self.retry = retry or RetryPolicy()
        self._max_age = max_age
        self._clock = clock
        self._sleep = sleep
        self._idle: list[_Pooled] = []  # most recently used last: the warmest is reused first
        self._open = 0
        self._closed = False
        self._available = threading.Condition()

    @property
    def open_connections(self) -> int:
        return self._open

    def _usable(self, pooled: _Pooled) -> bool:
        conn = pooled.conn
        fresh = self._clock() - pooled.opened_at <= self._max_age
        return fresh and not conn.closed and not conn.broken

    def _checkout(self) -> _Pooled:
        deadline = time.monotonic() + self.acquire_timeout
        with self._available:
            while True:
                while self._idle:
                    pooled = self._idle.pop()
                    if self._usable(pooled):
                        return pooled
                    self._drop(pooled)
                if self._open < self.pool_size:
                    self._open += 1
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    log.warning("database pool exhausted", extra={"size": self.pool_size})
                    raise ServiceUnavailable(BUSY, retry_after=1)
                self._available.wait(remaining)
        try:
            return _Pooled(self._open_connection(), self._clock())
        except BaseException:
            with self._available:
                self._open -= 1
                self._available.notify()
            raise

    def _open_connection(self) -> psycopg.Connection[Any]:
        import psycopg

        try:
            conn = self._connect()
        except psycopg.OperationalError as exc:
            # down, restarting, or out of connections (53300): the same answer to the client
            log.warning("database unavailable", extra={"error": str(exc).strip()[:200]})
            raise ServiceUnavailable(UNAVAILABLE, retry_after=2) from exc
        # DSQL runs snapshot isolation with optimistic concurrency; REPEATABLE READ gives
        # plain PostgreSQL the same semantics, so local conflicts surface as 40001 too.
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        return conn

    def _checkin(self, pooled: _Pooled) -> None:
        from psycopg.pq import TransactionStatus

        with self._available:
            idle = pooled.conn.info.transaction_status == TransactionStatus.IDLE
            if self._usable(pooled) and idle and not self._closed:
                self._idle.append(pooled)
            else:
                self._drop(pooled)
            self._available.notify()

    def _drop(self, pooled: _Pooled) -> None:
        """Forget a connection (caller holds the lock)."""
        self._open -= 1
        if not pooled.conn.closed:
            try:
                pooled.conn.close()
            except Exception:  # a broken connection may fail to close; it is gone either way
                log.debug("closing a dropped connection failed", exc_info=True)

    def transaction(
        self,
        work: Callable[[psycopg.Connection[Any]], T],
        *,
        name: str = "transaction",
        retry: RetryPolicy | None = None,
    ) -> T:
        """Run `work` in one transaction, retrying OCC conflicts (SQLSTATE 40001).

        `work` may run more than once, so it must be idempotent and free of side effects
        outside the database (publish after commit, never inside).
        """
        import psycopg

        policy = retry or self.retry
        attempt = 0
        while True:
            pooled: _Pooled | None = self._checkout()
            assert pooled is not None
            conn = pooled.conn
            try:
                with conn.transaction():
                    result = work(conn)
                return result
            except psycopg.errors.SerializationFailure as exc:
                attempt += 1
                if attempt >= policy.attempts:
                    log.warning("occ conflict: giving up", extra={"tx": name, "attempts": attempt})
                    raise TransactionConflict(name) from exc
                delay = policy.delay(attempt)
                log.info(
                    "occ conflict: retrying",
                    extra={
                        "tx": name,
                        "attempt": attempt,
                        "delay_ms": round(delay * 1000, 1),
                        "sqlstate": SERIALIZATION_FAILURE,
                    },
                )
                self._checkin(pooled)
                pooled = None
                self._sleep(delay)
            except psycopg.OperationalError as exc:
                # A dropped connection (the server restarted, or closed it): open a new one and
                # try again. Writes are idempotent, so a commit whose outcome we never saw is
                # safe to repeat.
                if not conn.broken and not conn.closed:
                    raise
                # The server went away (a restart, a failover): the idle connections opened
                # before are as dead as this one, so the next attempt connects afresh instead
                # of spending the retry budget on them one by one.
                self._drop_idle()
                attempt += 1
                if attempt >= policy.attempts:
                    raise ServiceUnavailable(UNAVAILABLE, retry_after=2) from exc
                log.warning("connection lost: reconnecting", extra={"tx": name})
            finally:
                if pooled is not None:
                    self._checkin(pooled)

    def _drop_idle(self) -> None:
        with self._available:
            for pooled in self._idle:
                self._drop(pooled)
            self._idle.clear()
            self._available.notify_all()

    def close(self) -> None:
        """Close the idle connections; those in use are closed when they come back."""
        with self._available:
            self._closed = True
        self._drop_idle()


@dataclass(frozen=True)
class Retention:
    """Rows of `table` older than `keep_hours` (by `column`) that nobody needs any more.

    `key` names the primary key's columns ("event_id", or "user_key, idempotency_key").
    """

    table: str
    key: str
    column: str
    keep_hours: float


PRUNE_BATCH = 1000  # DSQL commits at most 3,000 rows per transaction
PRUNE_MAX_BATCHES = 20  # per call: a sweep does bounded work and the next one goes on


def prune(db: Database, retention: Retention, *, batch: int = PRUNE_BATCH) -> int:
    """Delete what `retention` no longer keeps, one batch per transaction; returns the count."""
    sql = (
        f"DELETE FROM {retention.table} WHERE ({retention.key}) IN"
        f" (SELECT {retention.key} FROM {retention.table}"
        f" WHERE {retention.column} < now() - make_interval(secs => %s) LIMIT %s)"
    )
    deleted = 0
    for _ in range(PRUNE_MAX_BATCHES):
        count = db.transaction(
            lambda c: c.execute(sql, (retention.keep_hours * 3600, batch)).rowcount,
            name=f"prune {retention.table}",
        )
        deleted += count
        if count < batch:
            break
    return deleted


_databases: dict[str, Database] = {}
_databases_lock = threading.Lock()


def database(owner: str = "default") -> Database:
    """The Database of `owner` (a service) in this process, created on first use.

    In AWS a process runs one service, so there is one pool; the local stack runs every service
    in one process, and each gets its own pool, as its own Lambda function would: one service
    under load cannot take the connections another needs.
    """
    found = _databases.get(owner)
    if found is None:
        with _databases_lock:
            found = _databases.setdefault(owner, Database())
    return found


def reset_database() -> None:
    """Drop every Database of this process (tests and the local stack switch targets)."""
    with _databases_lock:
        for db in _databases.values():
            db.close()
        _databases.clear()
