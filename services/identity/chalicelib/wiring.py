"""Builds the IdentityService on first use and keeps it for the life of the warm process."""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import Any

from barkeep.aws import client
from barkeep.db import database
from barkeep.events import Publisher, publisher_for
from barkeep.settings import GUEST_JWKS_KEY, GUEST_REVOCATIONS_KEY, platform

from chalicelib.keys import DocumentPublisher, SecretsManagerKeyStore, SigningKeys, rotate
from chalicelib.repository import IdentityRepository
from chalicelib.service import IdentityService
from chalicelib.settings import identity_settings
from chalicelib.tokens import AccessTokens


@cache
def publisher() -> Publisher:
    return publisher_for("identity")


@cache
def key_store() -> SecretsManagerKeyStore:
    return SecretsManagerKeyStore(
        identity_settings().signing_keys_secret, lambda: client("secretsmanager")
    )


@cache
def signing_keys() -> SigningKeys:
    cfg = identity_settings()
    keep_for = timedelta(seconds=cfg.access_token_ttl_seconds + cfg.key_cache_seconds + 60)
    return SigningKeys(
        key_store(),
        keep_for=keep_for,
        cache_seconds=cfg.key_cache_seconds,
        on_created=publish_jwks,
    )


def _document_publisher(key: str) -> DocumentPublisher | None:
    bucket = platform().images_bucket
    return DocumentPublisher(bucket, key, lambda: client("s3")) if bucket else None


@cache
def jwks_publisher() -> DocumentPublisher | None:
    return _document_publisher(GUEST_JWKS_KEY)


@cache
def revocations_publisher() -> DocumentPublisher | None:
    return _document_publisher(GUEST_REVOCATIONS_KEY)


def publish_jwks() -> bool:
    """Put the current JWKS where every verifier reads it; False when nothing changed."""
    publisher = jwks_publisher()
    return publisher.publish(signing_keys().jwks()) if publisher else False


def publish_revocations(document: dict[str, Any]) -> bool:
    """Put the revocation list where every verifier reads it; False when nothing changed."""
    publisher = revocations_publisher()
    return publisher.publish(document) if publisher else False


@cache
def identity() -> IdentityService:
    cfg = identity_settings()
    tokens = AccessTokens(
        signing_keys(), issuer=cfg.issuer, ttl_seconds=cfg.access_token_ttl_seconds
    )
    return IdentityService(
        database("identity"),
        IdentityRepository(),
        publisher(),
        tokens,
        web_origin=cfg.web_origin,
        publish_revocations=publish_revocations,
    )


def rotate_keys() -> str:
    """Add a new signing key (it signs from now on); the old stays while tokens need it. The
    JWKS with both is published first thing, so verifiers know the new key before any token."""
    kid = rotate(key_store(), signing_keys().keep_for)
    signing_keys().forget()
    publish_jwks()
    return kid


def reset() -> None:
    """Forget the wiring (tests and the local stack change settings between runs)."""
    for cached in (
        identity,
        signing_keys,
        jwks_publisher,
        revocations_publisher,
        key_store,
        publisher,
        identity_settings,
    ):
        cached.cache_clear()
