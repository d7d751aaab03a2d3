"""Identity benchmarks.

(c) Guest-token verification in-process: what every service's guest authorizer does per
    request (RS256 signature, claims), with the JWKS already cached. Target p50 <= 0.3 ms.
(d) POST /register through the local gateway over HTTP: authorizer (code check), the
    conditional UPDATE + guest + refresh token + outbox in one transaction, token signing.
"""

from __future__ import annotations

import time
from typing import Any

from bench.stats import percentiles


def bench_guest_token_verification(tokens: int = 200, rounds: int = 25) -> dict[str, Any]:
    import json
    import uuid

    import jwt
    from barkeep.auth import GuestVerifier, JwksCache, RevocationList
    from cryptography.hazmat.primitives.asymmetric import rsa

    # The same kind of key identity signs with (RSA 2048, RS256).
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = "bench"
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    jwks = {"keys": [{**public, "kid": kid, "alg": "RS256"}]}
    # As every verifier runs: the JWKS cached, and a copy of the revocation list (20 guests
    # deactivated tonight) read again every 2 s; side by side with the JWKS alone.
    revoked = {"revoked": sorted(str(uuid.uuid4()) for _ in range(20))}
    verifier = GuestVerifier(
        issuer="bench",
        jwks=JwksCache("https://bench/jwks", fetch=lambda _u: jwks),
        revocations=RevocationList("https://bench/revoked", fetch=lambda _u: revoked),
    )
    jwks_only = GuestVerifier(
        issuer="bench", jwks=JwksCache("https://bench/jwks", fetch=lambda _u: jwks)
    )
    now = int(time.time())
    signed = [
        jwt.encode(
            {
                "sub": str(uuid.uuid4()),
                "username": f"Guest {i}",
                "token_type": "access",
                "iss": "bench",
                "aud": "barkeep",
                "iat": now,
                "exp": now + 900,
            },
            private,
            algorithm="RS256",
            headers={"kid": kid},
        )
        for i in range(tokens)
    ]
    for token in signed:  # warm: the JWKS is fetched once, then cached
        verifier.verify(token)
        jwks_only.verify(token)
    samples: list[float] = []
    without: list[float] = []
    for _ in range(rounds):
        for token in signed:
            for who, into in ((verifier, samples), (jwks_only, without)):
                t = time.perf_counter()
                who.verify(token)
                into.append(time.perf_counter() - t)
    result = percentiles(samples)
    alone = percentiles(without)
    return {
        "name": "guest token verification (in-process, JWKS and revocation list cached)",
        **result,
        "without_revocation_list_p50_ms": alone["p50_ms"],
        "ratio_p50": round(result["p50_ms"] / alone["p50_ms"], 3),
        "target": "p50_ms <= 0.3",
    }


def bench_register_over_http(registrations: int = 300) -> dict[str, Any]:
    import requests
    from barkeep.testing.stack import launch_throwaway_stack

    with launch_throwaway_stack() as stack:
        identity = stack.api("identity")
        admin = {"Authorization": f"Bearer {stack.admin_token()}"}
        session = requests.Session()
        samples = []
        code = ""
        for i in range(registrations + 20):
            if i % 400 == 0:  # a code takes at most 500 guests
                code = session.post(
                    f"{identity}/admin/registration-codes",
                    headers=admin,
                    json={"max_uses": 500},
                    timeout=10,
                ).json()["registration_code"]["code"]
            t = time.perf_counter()
            response = session.post(
                f"{identity}/register",
                timeout=10,
                headers={"X-Registration-Code": code},
                json={"username": f"Guest {i}"},
            )
            elapsed = time.perf_counter() - t
            assert response.status_code == 201, response.text
            if i >= 20:  # the first ones warm connections and caches
                samples.append(elapsed)
    return {"name": "POST /register through the local gateway (HTTP)", **percentiles(samples)}
