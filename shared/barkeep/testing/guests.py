"""Guest access tokens for any service's tests, without running identity: signed with a
throwaway RSA key whose JWKS the guest verifier is pointed at (no HTTP)."""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from barkeep.settings import GUEST_REVOCATIONS_KEY

ISSUER = "barkeep-test-identity"


@dataclass
class GuestTokens:
    key: Any = field(repr=False)
    kid: str = "test-key"
    revoked: set[str] = field(default_factory=set)

    def revoke(self, user_key: str) -> None:
        """Put a guest on the revocation list, as identity's deactivation does, and have the
        verifiers read it now rather than within their usual couple of seconds."""
        from barkeep.auth import reset_verifiers

        self.revoked.add(user_key)
        reset_verifiers()

    def documents(self, url: str) -> dict[str, Any]:
        """What identity publishes, by URL: the revocation list, else the JWKS."""
        if url.endswith(GUEST_REVOCATIONS_KEY.rsplit("/", 1)[1]):
            return {"revoked": sorted(self.revoked)}
        return self.jwks()

    def jwks(self) -> dict[str, Any]:
        import jwt

        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def token(self, user_key: str | None = None, username: str = "Guest", **claims: Any) -> str:
        import jwt

        now = int(time.time())
        body = {
            "sub": user_key or str(uuid.uuid4()),
            "username": username,
            "token_type": "access",
            "iss": ISSUER,
            "aud": "barkeep",
            "iat": now,
            "exp": now + 900,
            **claims,
        }
        return jwt.encode(body, self.key, algorithm="RS256", headers={"kid": self.kid})


@pytest.fixture(scope="session")
def guest_tokens() -> Iterator[GuestTokens]:
    from cryptography.hazmat.primitives.asymmetric import rsa

    from barkeep import settings
    from barkeep.auth import use_guest_jwks_fetcher

    tokens = GuestTokens(key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    saved = {k: os.environ.get(k) for k in ("GUEST_ISSUER", "GUEST_JWKS_URL")}
    os.environ.update({"GUEST_ISSUER": ISSUER, "GUEST_JWKS_URL": "http://identity.test/jwks"})
    settings.reload()
    use_guest_jwks_fetcher(tokens.documents)
    yield tokens
    use_guest_jwks_fetcher(None)
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
