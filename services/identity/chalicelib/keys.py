"""The guest-token signing keys: an RSA key set kept as one JSON secret in Secrets Manager.

    {"keys": [{"kid", "private_key_pem", "created_at", "retired_at"}]}

The newest key without `retired_at` signs. Rotation adds a key and retires the previous one;
a retired key stays in the JWKS until every token it may have signed has expired: the access
token lifetime, plus the time another warm instance may keep signing with its cached copy of
the old set, plus a minute of clock leeway. Keys are cached in memory after first use.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from barkeep.events import isoformat, utcnow

RSA_BITS = 2048


@dataclass(frozen=True)
class KeyRecord:
    kid: str
    private_key_pem: str
    created_at: datetime
    retired_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kid": self.kid,
            "private_key_pem": self.private_key_pem,
            "created_at": isoformat(self.created_at),
            "retired_at": isoformat(self.retired_at) if self.retired_at else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KeyRecord:
        retired = data.get("retired_at")
        return cls(
            kid=data["kid"],
            private_key_pem=data["private_key_pem"],
            created_at=datetime.fromisoformat(data["created_at"]),
            retired_at=datetime.fromisoformat(retired) if retired else None,
        )


def generate_key(now: datetime) -> KeyRecord:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return KeyRecord(
        kid=f"{now:%Y%m%d}-{uuid.uuid4().hex[:8]}", private_key_pem=pem, created_at=now
    )


@dataclass(frozen=True)
class KeySet:
    keys: tuple[KeyRecord, ...]

    def active(self) -> KeyRecord:
        live = [k for k in self.keys if k.retired_at is None]
        if not live:
            raise RuntimeError("the signing key set has no active key")
        return max(live, key=lambda k: k.created_at)

    def verifying(self, now: datetime, keep_for: timedelta) -> list[KeyRecord]:
        """Keys that may still verify a live token."""
        return [k for k in self.keys if k.retired_at is None or k.retired_at + keep_for > now]

    def rotated(self, now: datetime, keep_for: timedelta) -> KeySet:
        """A new active key; the old one retired; keys no token can need any more dropped."""
        retired = tuple(
            k if k.retired_at else KeyRecord(k.kid, k.private_key_pem, k.created_at, now)
            for k in self.keys
        )
        kept = KeySet(retired).verifying(now, keep_for)
        return KeySet((*kept, generate_key(now)))

    def to_json(self) -> str:
        return json.dumps({"keys": [k.to_json() for k in self.keys]})

    @classmethod
    def from_json(cls, text: str) -> KeySet:
        return cls(tuple(KeyRecord.from_json(k) for k in json.loads(text)["keys"]))


class NoKeySet(LookupError):
    """The secret does not exist yet, or has no value yet."""


class SecretsManagerKeyStore:
    def __init__(self, secret_id: str, client: Callable[[], Any]) -> None:
        self.secret_id = secret_id
        self._client = client

    def load(self) -> KeySet:
        client = self._client()
        try:
            value = client.get_secret_value(SecretId=self.secret_id)["SecretString"]
        except client.exceptions.ResourceNotFoundException:
            raise NoKeySet(self.secret_id) from None
        return KeySet.from_json(value)

    def save(self, key_set: KeySet) -> None:
        self._client().put_secret_value(SecretId=self.secret_id, SecretString=key_set.to_json())

    def ensure(self, now: datetime) -> bool:
        """Give the secret its first key set unless it has one; True if this call did (see
        `barkeep.aws.put_first_secret_value`: safe when several processes start at once)."""
        from barkeep.aws import put_first_secret_value

        return put_first_secret_value(
            self._client(),
            self.secret_id,
            lambda: KeySet((generate_key(now),)).to_json(),
            "Barkeep guest-token signing keys (RS256)",
        )


class DocumentPublisher:
    """Puts a document every verifier reads (the public JWKS, ADR 0019; the revocation list,
    ADR 0028) in the images bucket, under the images CDN with caching off for `.well-known/`.
    Skips a document it already put."""

    def __init__(self, bucket: str, key: str, client: Callable[[], Any]) -> None:
        self.bucket = bucket
        self.key = key
        self._client = client
        self._last: str | None = None
        self._lock = threading.Lock()

    def publish(self, document: dict[str, Any]) -> bool:
        body = json.dumps(document, sort_keys=True, separators=(",", ":"))
        with self._lock:
            if body == self._last:
                return False
            self._client().put_object(
                Bucket=self.bucket,
                Key=self.key,
                Body=body.encode(),
                ContentType="application/json",
                CacheControl="no-cache",
            )
            self._last = body
            return True


class SigningKeys:
    """The key set as this process sees it: loaded on first use, re-read every `cache_seconds`.

    The first process to find no key set creates it (and calls `on_created`, which publishes
    the JWKS before any token signed with it leaves).
    """

    def __init__(
        self,
        store: SecretsManagerKeyStore,
        *,
        keep_for: timedelta,
        cache_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        on_created: Callable[[], object] | None = None,
    ) -> None:
        self.store = store
        self._on_created = on_created
        self.keep_for = keep_for
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._loaded: tuple[float, KeySet, dict[str, Any]] | None = None

    def _current(self) -> tuple[KeySet, dict[str, Any]]:
        created = False
        with self._lock:
            if self._loaded is None or self._clock() - self._loaded[0] > self._cache_seconds:
                from cryptography.hazmat.primitives import serialization

                try:
                    key_set = self.store.load()
                except NoKeySet:
                    created = self.store.ensure(utcnow())
                    key_set = self.store.load()
                private = {
                    k.kid: serialization.load_pem_private_key(
                        k.private_key_pem.encode(), password=None
                    )
                    for k in key_set.keys
                }
                self._loaded = (self._clock(), key_set, private)
            loaded = self._loaded
        if created and self._on_created is not None:
            self._on_created()
        return loaded[1], loaded[2]

    def signing_key(self) -> tuple[str, Any]:
        key_set, private = self._current()
        active = key_set.active()
        return active.kid, private[active.kid]

    def jwks(self, now: datetime | None = None) -> dict[str, Any]:
        import jwt

        key_set, private = self._current()
        keys = []
        for record in key_set.verifying(now or utcnow(), self.keep_for):
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private[record.kid].public_key()))
            keys.append({**jwk, "kid": record.kid, "alg": "RS256", "use": "sig"})
        return {"keys": keys}

    def forget(self) -> None:
        with self._lock:
            self._loaded = None


def rotate(store: SecretsManagerKeyStore, keep_for: timedelta, now: datetime | None = None) -> str:
    """Add a new signing key (it signs from now on) and retire the old; returns the new kid."""
    moment = now or datetime.now(UTC)
    try:
        current = store.load()
    except NoKeySet:  # a stage nobody has signed in yet: its first set, then the rotation
        store.ensure(moment)
        current = store.load()
    key_set = current.rotated(moment, keep_for)
    store.save(key_set)
    return key_set.active().kid
