"""The seeds' request pattern, as a handler: what their finished system does per request.

From the seeds (the posts the product was made from, /work/shared/seeds): every Lambda imports
its whole stack at the top; every request assumes the database IAM role with STS, builds a DSQL
client with those credentials to generate an auth token, opens a new psycopg connection with
it, runs its SQL and closes it. Their authorizer verifies the guest JWT with PyJWT against a
public key cached in a global.

The SQL is ours, run through our repositories and services on the per-request connection, so
the two sides run the same statements against the same database: the public menu document,
and an order with its outbox rows, published after commit to the same sinks. What differs is
only the pattern: connection and credentials per request, and no framework.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

# The seeds' eager imports: the whole stack at module load, used or not.
import boto3
import jwt
import psycopg

ROLE_ARN = "arn:aws:iam::123456789012:role/drink-assistant-data-reader-role"
DSQL_HOST = "seeds.dsql.eu-west-1.on.aws"


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


class _OneConnection:
    """`barkeep.db.Database`'s `transaction()` over the request's one connection: no reuse,
    no retry (the seeds have neither)."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def transaction(self, work: Callable[[Any], Any], *, name: str = "", retry: Any = None) -> Any:
        with self.conn.transaction():
            return work(self.conn)


@dataclass
class SeedsHandler:
    database_url: str
    region: str
    public_key: Any  # the guest tokens' public key, cached in a global as the seeds do
    menu_repo: Any  # menu's MenuRepository
    drink_filter: Any  # menu's DrinkFilter() (the unfiltered public menu)
    orders_service: Callable[[Any], Any]  # builds our OrdersService over a Database-like object

    def __post_init__(self) -> None:
        self._local = threading.local()

    def _session(self) -> Any:
        # One warm execution environment per thread (Lambda runs one request per
        # environment); boto3's default session must not be shared across threads.
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = boto3.session.Session(region_name=self.region)
        return session

    def _auth_token(self, steps: dict[str, float]) -> str:
        """The seeds' get_auth_token: STS AssumeRole, then a DSQL client to sign a token."""
        session = self._session()
        t = time.perf_counter()
        sts = session.client("sts")
        steps["sts_client_ms"] = _ms_since(t)
        t = time.perf_counter()
        creds = sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="dsql-session")["Credentials"]
        steps["assume_role_ms"] = _ms_since(t)
        t = time.perf_counter()
        dsql = session.client(
            "dsql",
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )
        token: str = dsql.generate_db_connect_auth_token(Hostname=DSQL_HOST, Region=self.region)
        steps["dsql_client_and_token_ms"] = _ms_since(t)
        return token

    @contextmanager
    def _connection(
        self, steps: dict[str, float] | None = None
    ) -> Iterator[psycopg.Connection[Any]]:
        """The seeds' get_connection(): new credentials, a new connection, closed after.
        `steps` (if given) receives how long each part took."""
        steps = {} if steps is None else steps
        password = self._auth_token(steps)
        # The local server trusts loopback, so the token is sent and ignored, as DSQL would
        # check it; the isolation is DSQL's (snapshot), as ours.
        t = time.perf_counter()
        conn = psycopg.connect(self.database_url, password=password, connect_timeout=5)
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        steps["connect_ms"] = _ms_since(t)
        try:
            yield conn
        finally:
            conn.close()

    def setup_costs(self) -> dict[str, float]:
        """What one request pays before its first query, step by step."""
        steps: dict[str, float] = {}
        with self._connection(steps):
            pass
        return steps

    def get_drinks(self) -> dict[str, Any]:
        with self._connection() as conn, conn.transaction():
            body = self.menu_repo.drinks_document(conn, self.drink_filter)
        return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": body}

    def post_order(self, authorization: str, body: bytes) -> dict[str, Any]:
        try:
            claims = jwt.decode(
                authorization.removeprefix("Bearer "),
                self.public_key,
                algorithms=["RS256"],
                audience="barkeep",
                options={"verify_signature": True, "verify_exp": True},
            )
        except jwt.PyJWTError:
            return {"statusCode": 401, "body": '{"error": "Unauthorized"}'}
        if claims.get("token_type") != "access":
            return {"statusCode": 403, "body": '{"error": "Forbidden"}'}
        drink_id = json.loads(body)["drink_id"]
        with self._connection() as conn:
            placed = self.orders_service(_OneConnection(conn)).place(
                user_key=claims["sub"],
                username=claims["username"],
                drink_id=drink_id,
                quantity=1,
                notes="",
                idempotency_key=None,
            )
        return {"statusCode": 201, "body": json.dumps({"order": placed.order.to_json()})}
