"""What the local stack needs from identity: a signing key set, and an invite to share."""

from __future__ import annotations

from barkeep.events import utcnow

from chalicelib import schemas
from chalicelib.service import IdentityService
from chalicelib.wiring import key_store, publish_jwks


def load_seed(identity: IdentityService) -> dict[str, str]:
    created = key_store().ensure(utcnow())
    publish_jwks()
    identity.publish_revocations()
    code = identity.create_code(
        schemas.CodeCreate(max_uses=50, valid_hours=24, notes="Created by make dev"),
        created_by="make dev",
    )
    return {
        "signing_keys": "created" if created else "kept",
        "invite": code.join_url(identity.web_origin),
    }
