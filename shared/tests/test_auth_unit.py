from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from barkeep.auth import GuestVerifier, InvalidToken, JwksCache, bearer, verify_rs256
from barkeep.testing.hostile import nested_json
from cryptography.hazmat.primitives.asymmetric import rsa


def _jwk(kid: str) -> tuple[Any, dict[str, Any]]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return key, {**public, "kid": kid, "alg": "RS256", "use": "sig"}


def test_unknown_kid_triggers_one_refetch_then_is_rate_limited() -> None:
    _, jwk1 = _jwk("k1")
    _, jwk2 = _jwk("k2")
    served = {"keys": [jwk1]}
    fetches: list[str] = []
    now = [0.0]

    def fetch(url: str) -> dict[str, Any]:
        fetches.append(url)
        return served

    cache = JwksCache("https://x/jwks", fetch=fetch, clock=lambda: now[0], min_refetch=10)
    assert cache.key("k1") is not None and len(fetches) == 1
    assert cache.key("k1") is not None and len(fetches) == 1  # cached
    served = {"keys": [jwk1, jwk2]}
    with pytest.raises(InvalidToken):
        cache.key("k2")  # too soon to refetch: an attacker cannot make us hammer the JWKS
    now[0] = 11
    assert cache.key("k2") is not None and len(fetches) == 2  # rotated key picked up


def test_a_failed_refresh_keeps_the_keys_it_had() -> None:
    _, jwk1 = _jwk("k1")
    up = [True]
    fetches: list[float] = []
    now = [0.0]

    def fetch(url: str) -> dict[str, Any]:
        fetches.append(now[0])
        if not up[0]:
            raise OSError("CloudFront blip")
        return {"keys": [jwk1]}

    cache = JwksCache("https://x/jwks", fetch=fetch, clock=lambda: now[0], ttl=60, min_refetch=10)
    assert cache.key("k1") is not None
    # Given the JWKS host fails just as the keys go stale
    up[0] = False
    now[0] = 61
    # Then tokens signed with a key we know still verify, and we do not hammer the host
    assert cache.key("k1") is not None
    assert cache.key("k1") is not None
    assert fetches == [0.0, 61]
    # but a key we never saw cannot be trusted without the JWKS
    now[0] = 80
    with pytest.raises(InvalidToken, match="JWKS unavailable"):
        cache.key("k9")
    # and once the host is back, the next refresh goes through
    up[0] = True
    now[0] = 95
    assert cache.key("k1") is not None and fetches[-1] == 95


def test_verify_accepts_rs256_and_refuses_other_algorithms() -> None:
    key, jwk = _jwk("k1")
    cache = JwksCache("https://x/jwks", fetch=lambda _u: {"keys": [jwk]})
    claims = {"sub": "u", "iss": "me", "iat": 1, "exp": 4_000_000_000}
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
    assert verify_rs256(token, cache, issuer="me")["sub"] == "u"
    with pytest.raises(InvalidToken):
        verify_rs256(token, cache, issuer="someone-else")
    hs = jwt.encode(claims, "secret", algorithm="HS256", headers={"kid": "k1"})
    with pytest.raises(InvalidToken, match="algorithm"):
        verify_rs256(hs, cache)
    no_kid = jwt.encode(claims, key, algorithm="RS256")
    with pytest.raises(InvalidToken, match="kid"):
        verify_rs256(no_kid, cache)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: "not-a-token",
        lambda t: "!!!!" + t[t.index(".") :],  # header outside the base64url alphabet
        lambda t: _b64(b"[1, 2]") + t[t.index(".") :],  # a header that is not an object
        lambda t: _b64(b"\xff\xfe") + t[t.index(".") :],  # not UTF-8
        lambda t: _b64(nested_json(1000, None)) + t[t.index(".") :],  # deeper than json.loads
        lambda t: t[:-4] + "AAAA",  # a signature that does not verify
        lambda t: t + "=",  # PyJWT's strict checks still run on the whole token
    ],
)
def test_verify_refuses_malformed_tokens(mangle: Callable[[str], str]) -> None:
    key, jwk = _jwk("k1")
    cache = JwksCache("https://x/jwks", fetch=lambda _u: {"keys": [jwk]})
    claims = {"sub": "u", "iss": "me", "iat": 1, "exp": 4_000_000_000}
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
    with pytest.raises(InvalidToken):
        verify_rs256(mangle(token), cache, issuer="me")


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer  ", "Basic abc", "token"])
def test_bearer_header_must_be_well_formed(header: str | None) -> None:
    with pytest.raises(InvalidToken):
        bearer(header)


def test_bearer_extracts_the_token() -> None:
    assert bearer("bearer abc.def.ghi ") == "abc.def.ghi"


def _guest_verifier() -> tuple[Any, GuestVerifier]:
    key, jwk = _jwk("g1")
    return key, GuestVerifier(
        issuer="me", jwks=JwksCache("https://x/jwks", fetch=lambda _u: {"keys": [jwk]})
    )


def _guest_token(key: Any, **claims: Any) -> str:
    body = {
        "sub": "7d3c1f0e-0000-4000-8000-000000000000",
        "username": "Ada",
        "token_type": "access",
        "iss": "me",
        "aud": "barkeep",
        "iat": 1,
        "exp": 4_000_000_000,
        **claims,
    }
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": "g1"})


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "not-a-uuid"},
        {"sub": ""},
        {"sub": 42},
        {"sub": "7d3c1f0e-0000-4000-8000-00000000000\x00"},
        {"sub": "+d3c1f0e-0000-4000-8000-000000000000"},  # uuid.UUID would take it
        {"sub": "7d3c1f0e00004000800000000000000a"},  # a UUID, but not as identity writes one
        {"sub": None},
        {"username": ""},
        {"username": 7},
        {"username": None},
        {"username": ["Ada"]},
    ],
    ids=repr,
)
def test_a_signed_guest_token_with_claims_we_cannot_use_is_invalid(claims: dict[str, Any]) -> None:
    # Given a token identity's key really signed, whose subject or name is unusable
    key, verifier = _guest_verifier()
    # When / Then the verifier refuses it (the authorizer answers 401, not a 500 later)
    with pytest.raises(InvalidToken):
        verifier.verify(_guest_token(key, **claims))


def test_a_guest_token_as_identity_issues_it_verifies() -> None:
    key, verifier = _guest_verifier()
    principal = verifier.verify(_guest_token(key))
    assert (principal.user_key, principal.username) == (
        "7d3c1f0e-0000-4000-8000-000000000000",
        "Ada",
    )
