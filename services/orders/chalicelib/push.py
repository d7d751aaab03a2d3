"""Web Push, the sending part (ADR 0036): the stage's VAPID key pair in Secrets Manager, and
the outbox sink that encrypts each "ready" ping for one browser and POSTs it to that
browser's push service."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import urllib3
from barkeep.events import OutboxMessage, isoformat, utcnow
from barkeep.observability import get_logger, metric

from chalicelib import webpush
from chalicelib.domain import PUSH_TTL_SECONDS, Order, PushSubscription, ready_message
from chalicelib.repository import OrdersRepository

if TYPE_CHECKING:
    from barkeep.db import Database

log = get_logger("barkeep.orders.push")

WEBPUSH = "webpush"  # the outbox target
GONE = (404, 410)  # the browser unsubscribed, or the subscription expired: forget it
RETRY = (408, 425, 429)  # and every 5xx: the sweeper sends it again
PARALLEL_SENDS = 8  # a guest has at most 5 browsers; a batch of ready drinks, more


class NoPushKey(LookupError):
    """The secret does not exist yet, or has no value yet."""


class PushKeyStore:
    """The stage's VAPID key pair, `{"private_key": PEM, "public_key", "created_at"}` in one
    secret. As with identity's signing keys, Pulumi creates the secret empty and orders writes
    the first value itself, so no private key is ever in Pulumi's state."""

    def __init__(self, secret_id: str, client: Callable[[], Any]) -> None:
        self.secret_id = secret_id
        self._client = client

    def load(self) -> webpush.VapidKey:
        client = self._client()
        try:
            value = client.get_secret_value(SecretId=self.secret_id)["SecretString"]
        except client.exceptions.ResourceNotFoundException:
            raise NoPushKey(self.secret_id) from None
        return webpush.VapidKey.from_pem(json.loads(value)["private_key"])

    def ensure(self) -> bool:
        """Give the secret its key pair unless it has one; True if this call did (see
        `barkeep.aws.put_first_secret_value`: safe when several processes start at once)."""
        from barkeep.aws import put_first_secret_value

        def first() -> str:
            key = webpush.VapidKey.generate()
            created = isoformat(utcnow())
            return json.dumps(
                {"private_key": key.to_pem(), "public_key": key.public_key, "created_at": created}
            )

        return put_first_secret_value(
            self._client(), self.secret_id, first, "Barkeep Web Push VAPID key pair (P-256)"
        )


class VapidKeys:
    """The key pair, read once per warm process (created on the very first use)."""

    def __init__(self, store: PushKeyStore) -> None:
        self.store = store
        self._key: webpush.VapidKey | None = None
        self._lock = threading.Lock()

    def key(self) -> webpush.VapidKey:
        with self._lock:
            if self._key is None:
                try:
                    self._key = self.store.load()
                except NoPushKey:
                    self.store.ensure()
                    self._key = self.store.load()
            return self._key


def push_payload(order: Order, now: datetime) -> str:
    """An outbox row's payload: the message, whose it is, and until when it is worth sending."""
    return json.dumps(
        {
            "guest": order.user_key,
            "expires_at": isoformat(now + timedelta(seconds=PUSH_TTL_SECONDS)),
            "topic": order.id.replace("-", ""),  # 32 characters, as the Topic header allows
            "message": ready_message(order),
        },
        separators=(",", ":"),
    )


class PushSink:
    """Sends outbox rows of target `webpush`, one per subscription (topic = its id). A
    subscription the push service calls gone is forgotten; one that fails for now stays in
    the outbox for the sweeper; none of them holds up another."""

    def __init__(
        self,
        db: Database,
        repo: OrdersRepository,
        keys: VapidKeys,
        *,
        subject: Callable[[], str],
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.repo = repo
        self.keys = keys
        self.subject = subject
        self.clock = clock
        # made here, not on first use: the sends run on several threads at once
        self._http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=1, read=2), retries=False)

    def send(self, messages: Sequence[OutboxMessage]) -> set[str]:
        ids = sorted({m.topic for m in messages})
        subs = self.db.transaction(lambda c: self.repo.subscriptions(c, ids), name="push-subs")
        delivered = {m.event_id for m in messages if m.topic not in subs}  # unsubscribed since
        sending = [(subs[m.topic], m) for m in messages if m.topic in subs]
        gone: set[str] = set()
        # The bartender's request waits for this (the outbox publishes before it answers), so
        # a guest's phone and laptop, or a batch's guests, are sent to at once, not in turn.
        with ThreadPoolExecutor(max_workers=max(1, min(PARALLEL_SENDS, len(sending)))) as pool:
            outcomes = list(pool.map(lambda pair: self._attempt(*pair), sending))
        for (_, m), outcome in zip(sending, outcomes, strict=True):
            if outcome == "gone":
                gone.add(m.topic)
            if outcome != "retry":
                delivered.add(m.event_id)
        if gone:
            self.db.transaction(
                lambda c: self.repo.forget_subscriptions(c, sorted(gone)), name="push-gone"
            )
            metric("PushSubscriptionsGone", len(gone))
        return delivered

    def _attempt(self, sub: PushSubscription, m: OutboxMessage) -> str:
        try:
            return self._send_one(sub, m)
        except Exception:
            log.warning("push failed; the sweeper will retry", exc_info=True)
            return "retry"

    def _send_one(self, sub: PushSubscription, m: OutboxMessage) -> str:
        """ "sent", "gone", "dropped" (expired, or refused for good) or "retry"."""
        row = json.loads(m.payload)
        if row.get("guest", sub.user_key) != sub.user_key:
            # the phone changed hands while the ping waited for the sweeper: not the next guest's
            log.info("push for a guest no longer subscribed there", extra={"event_id": m.event_id})
            return "dropped"
        left = (datetime.fromisoformat(row["expires_at"]) - self.clock()).total_seconds()
        if left <= 0:
            log.info("push expired unsent", extra={"event_id": m.event_id})
            return "dropped"
        body = webpush.encrypt(
            json.dumps(row["message"], separators=(",", ":")).encode(),
            webpush.unb64url(sub.p256dh),
            webpush.unb64url(sub.auth),
        )
        headers = {
            "Authorization": self.keys.key().authorization(sub.endpoint, self.subject()),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(int(left)),
            "Urgency": "high",
            "Topic": row["topic"],
        }
        response = self._http.request("POST", sub.endpoint, body=body, headers=headers)
        status = int(response.status)
        if 200 <= status < 300:
            return "sent"
        if status in GONE:
            return "gone"
        if status in RETRY or status >= 500:
            log.warning("push service busy", extra={"status": status})
            return "retry"
        # 400, 403 (a key the subscription was not made with), 413: sending again cannot help
        log.error(
            "push refused",
            extra={
                "status": status,
                "answer": bytes(response.data or b"")[:200].decode("utf-8", "replace"),
            },
        )
        return "dropped"
