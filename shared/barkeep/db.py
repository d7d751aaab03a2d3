"""Database access for every service: one connection per thread, reused while warm, renewed
before DSQL's 60-minute limit, and one `transaction()` helper that retries OCC conflicts.

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
from typing import TYPE_CHECKING, Any, TypeVar, cast

from barkeep import settings
from barkeep.errors import Conflict
from barkeep.observability import get_logger

if TYPE_CHECKING:
    import psycopg

T = TypeVar("T")
log = get_logger("barkeep.db")

SERIALIZATION_FAILURE = "40001"
# DSQL closes connections after 60 minutes; renew well before that.
MAX_CONNECTION_AGE_SECONDS = 50 * 60
DSQL_TOKEN_TTL_SECONDS = 15 * 60


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


class _Slot(threading.local):
    conn: Any = None
    opened_at: float = 0.0


class Database:
    """Connections and transactions. One instance per process; one connection per thread.

    In Lambda there is one thread, so this is the one warm connection DESIGN.md asks for;
    the local gateway serves requests from a thread pool and gets one per worker thread.
    """

    def __init__(
        self,
        connect: Callable[[], psycopg.Connection[Any]] | None = None,
        *,
        retry: RetryPolicy | None = None,
        max_age: float = MAX_CONNECTION_AGE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._connect = connect or default_connector()
        self.retry = retry or RetryPolicy()
        self._max_age = max_age
        self._clock = clock
        self._sleep = sleep
        self._slot = _Slot()
        self._all: list[Any] = []
        self._lock = threading.Lock()

    def connection(self) -> psycopg.Connection[Any]:
        conn = self._slot.conn
        too_old = conn is not None and self._clock() - self._slot.opened_at > self._max_age
        if conn is None or conn.closed or conn.broken or too_old:
            if conn is not None and not conn.closed:
                conn.close()
            import psycopg

            conn = self._connect()
            # DSQL runs snapshot isolation with optimistic concurrency; REPEATABLE READ gives
            # plain PostgreSQL the same semantics, so local conflicts surface as 40001 too.
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            self._slot.conn = conn
            self._slot.opened_at = self._clock()
            with self._lock:
                self._all.append(conn)
        return cast("psycopg.Connection[Any]", conn)

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
            conn = self.connection()
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
                self._sleep(delay)
            except psycopg.OperationalError:
                # A dropped connection: open a new one and try once more. Writes are
                # idempotent, so a commit whose outcome we never saw is safe to repeat.
                if not conn.broken and not conn.closed:
                    raise
                attempt += 1
                if attempt >= policy.attempts:
                    raise
                log.warning("connection lost: reconnecting", extra={"tx": name})
                self._slot.conn = None

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                if not conn.closed:
                    conn.close()
            self._all.clear()
        self._slot = _Slot()


_database: Database | None = None
_database_lock = threading.Lock()


def database() -> Database:
    """The process-wide Database, created on first use."""
    global _database
    if _database is None:
        with _database_lock:
            if _database is None:
                _database = Database()
    return _database


def reset_database() -> None:
    """Drop the process-wide Database (tests and the local stack switch targets)."""
    global _database
    with _database_lock:
        if _database is not None:
            _database.close()
        _database = None
