"""What the local stack needs from identity: a signing key set, and an invite to share."""

from __future__ import annotations

from datetime import timedelta

from barkeep.events import utcnow

from chalicelib import schemas
from chalicelib.domain import CodeStatus, RegistrationCode
from chalicelib.service import IdentityService
from chalicelib.wiring import key_store, publish_jwks

SEEDED_BY = "make dev"
# The printed invite is reused while it has this long and a few seats left: a restart keeps
# the link guests already have, rather than opening another 50 seats for a day each time.
STILL_GOOD_FOR = timedelta(hours=1)
SEATS_LEFT = 5


def _reusable(identity: IdentityService) -> RegistrationCode | None:
    now = utcnow()
    for code in identity.codes():
        if (
            code.created_by == SEEDED_BY
            and code.status(now) is CodeStatus.ACTIVE
            and code.expires_at - now >= STILL_GOOD_FOR
            and code.max_uses - code.use_count >= SEATS_LEFT
        ):
            return code
    return None


def load_seed(identity: IdentityService) -> dict[str, str]:
    created = key_store().ensure(utcnow())
    publish_jwks()
    identity.publish_revocations()
    code = _reusable(identity) or identity.create_code(
        schemas.CodeCreate(
            max_uses=50, valid_hours=24, notes="Printed by the local stack at start"
        ),
        created_by=SEEDED_BY,
    )
    return {
        "signing_keys": "created" if created else "kept",
        "invite": code.join_url(identity.web_origin),
    }
