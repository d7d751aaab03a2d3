"""Guest access tokens: RS256 JWTs with `kid`, signed by identity, verified everywhere."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from barkeep.auth import GUEST_AUDIENCE

from chalicelib.domain import Guest
from chalicelib.keys import SigningKeys


class AccessTokens:
    def __init__(self, keys: SigningKeys, *, issuer: str, ttl_seconds: int) -> None:
        self.keys = keys
        self.issuer = issuer
        self.ttl_seconds = ttl_seconds

    def issue(self, guest: Guest, now: datetime) -> str:
        import jwt

        kid, key = self.keys.signing_key()
        issued = int(now.timestamp())
        claims: dict[str, Any] = {
            "sub": guest.user_key,
            "username": guest.username,
            "token_type": "access",
            "iss": self.issuer,
            "aud": GUEST_AUDIENCE,
            "iat": issued,
            "exp": issued + self.ttl_seconds,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})
