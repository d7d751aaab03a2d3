"""Token verification and Chalice built-in authorizers.

Admins are Cognito users in group `admin`: their access token is verified against the user
pool's JWKS (fetched once, cached, refetched on an unknown `kid`), RS256 only, with `exp`,
`iss`, `client_id` and `token_use` checked. The JWKS URL is configurable because moto serves
it on localhost while the issuer names AWS.

Outcomes, the same in AWS and locally: no or bad token → the authorizer raises `Unauthorized`
(API Gateway answers 401 to an authorizer that fails with exactly "Unauthorized"); a valid
token without the right group → an explicit Deny policy (403).
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalice.app import AuthRequest, Chalice, ChaliceAuthorizer

from barkeep import errors, settings
from barkeep.observability import get_logger

log = get_logger("barkeep.auth")

ADMIN_GROUP = "admin"
LEEWAY_SECONDS = 5  # clock skew a token's exp is granted
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
GUEST_AUDIENCE = "barkeep"


class Unauthorized(Exception):
    """Raised by an authorizer; the message must be exactly this for API Gateway's 401."""

    def __init__(self, reason: str = "") -> None:
        super().__init__("Unauthorized")
        self.reason = reason


class InvalidToken(Exception):
    pass


class NotPublished(Exception):
    """The document is not there (yet): HTTP 404, or 403 from a bucket that hides what it lacks."""


def _fetch_json(url: str, timeout: float = 3.0) -> dict[str, Any]:
    import urllib.error
    import urllib.request  # ~40 ms of imports: only when a document is actually fetched

    if not url.startswith(("https://", "http://")):
        raise InvalidToken("JWKS URL must be http(s)")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - scheme checked
            data: dict[str, Any] = json.loads(response.read())
            return data
    except urllib.error.HTTPError as exc:
        if exc.code in (403, 404):
            raise NotPublished(url) from exc
        raise


_guest_jwks_fetch: Callable[[str], dict[str, Any]] | None = None


def use_guest_jwks_fetcher(fetch: Callable[[str], dict[str, Any]] | None) -> None:
    """Fetch identity's documents (the JWKS and the revocation list, by URL) with `fetch`
    instead of HTTP (tests serve them in-process)."""
    global _guest_jwks_fetch
    _guest_jwks_fetch = fetch
    reset_verifiers()


class JwksCache:
    """Public keys by `kid`. An unknown `kid` triggers at most one refetch per `min_refetch`."""

    def __init__(
        self,
        url: str,
        *,
        fetch: Callable[[str], dict[str, Any]] | None = None,
        ttl: float = 3600.0,
        min_refetch: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self._fetch = fetch or _fetch_json
        self._ttl = ttl
        self._min_refetch = min_refetch
        self._clock = clock
        self._keys: dict[str, Any] = {}
        self._fetched_at: float | None = None
        self._tried_at: float | None = None
        self._lock = threading.Lock()

    def _refresh(self) -> None:
        import jwt

        jwks = self._fetch(self.url)
        keys = {}
        for jwk in jwks.get("keys", []):
            if jwk.get("kty") == "RSA" and jwk.get("kid"):
                keys[jwk["kid"]] = jwt.PyJWK.from_dict(jwk, algorithm="RS256").key
        self._keys = keys
        self._fetched_at = self._clock()

    def warm(self) -> None:
        """Fetch the keys now (a process about to take a burst of requests)."""
        with self._lock:
            self._refresh()

    def key(self, kid: str) -> Any:
        with self._lock:
            now = self._clock()
            stale = self._fetched_at is None or now - self._fetched_at > self._ttl
            may_refetch = self._tried_at is None or now - self._tried_at > self._min_refetch
            if (stale or kid not in self._keys) and may_refetch:
                self._tried_at = now
                try:
                    self._refresh()
                except InvalidToken:
                    raise
                except Exception as exc:
                    # A blip of the JWKS host must not sign everyone out: keys fetched before
                    # still verify what they verified (and the next try waits min_refetch).
                    if kid not in self._keys:
                        raise InvalidToken(f"JWKS unavailable: {exc}") from exc
                    log.warning("JWKS refresh failed; using the keys fetched before", exc_info=True)
            if kid not in self._keys:
                raise InvalidToken("unknown kid")
            return self._keys[kid]


def _unverified_header(token: str) -> dict[str, Any]:
    """The JOSE header, read only to choose the key: jwt.decode then checks the whole token,
    header included. (jwt.get_unverified_header would decode and check the payload and the
    signature too, character by character, and jwt.decode does all that again.)"""
    head, dot, _ = token.partition(".")
    if not dot or not _BASE64URL.fullmatch(head):
        raise InvalidToken("malformed token")
    try:
        header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, RecursionError) as exc:  # bad base64, bad UTF-8, bad or too deep JSON
        raise InvalidToken("malformed token") from exc
    if not isinstance(header, dict):
        raise InvalidToken("malformed token")
    return header


def verify_rs256(token: str, jwks: JwksCache, **decode_kwargs: Any) -> dict[str, Any]:
    """Decode and verify an RS256 JWT against a JWKS; any problem → InvalidToken."""
    import jwt

    header = _unverified_header(token)
    if header.get("alg") != "RS256":
        raise InvalidToken("algorithm not allowed")
    kid = header.get("kid")
    if not isinstance(kid, str):
        raise InvalidToken("no kid")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            jwks.key(kid),
            algorithms=["RS256"],
            options={"require": ["exp", "iat", "iss"]},
            leeway=LEEWAY_SECONDS,
            **decode_kwargs,
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    return claims


# How old the revocation list a verifier acts on may be: with identity's put, a deactivated
# guest is out everywhere within a few seconds (ADR 0028).
REVOCATIONS_MAX_AGE = 2.0


class RevocationList:
    """The guests identity has deactivated whose access tokens may not have expired yet
    (ADR 0028), read from where identity publishes them beside the JWKS.

    Verification stays offline per call: the list is read again at most once per `max_age`, by
    one caller while the others go on with the list they have. A list that cannot be read
    keeps the last one (and an unreadable first read is an empty list): an outage of the
    bucket must not sign every guest out, and a token still expires in at most 15 minutes.
    """

    def __init__(
        self,
        url: str,
        *,
        fetch: Callable[[str], dict[str, Any]] | None = None,
        max_age: float = REVOCATIONS_MAX_AGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self._fetch = fetch or (lambda u: _fetch_json(u, timeout=1.0))
        self._max_age = max_age
        self._clock = clock
        self._revoked: frozenset[str] = frozenset()
        self._read_at: float | None = None
        self._lock = threading.Lock()

    def revoked(self, user_key: str) -> bool:
        due = self._read_at is None or self._clock() - self._read_at >= self._max_age
        # The first read is waited for; later ones are made by whoever gets there first.
        if due and self._lock.acquire(blocking=self._read_at is None):
            try:
                if self._read_at is None or self._clock() - self._read_at >= self._max_age:
                    self._revoked = self._read()
                    self._read_at = self._clock()
            finally:
                self._lock.release()
        return user_key in self._revoked

    def _read(self) -> frozenset[str]:
        try:
            document = self._fetch(self.url)
        except NotPublished:
            return frozenset()
        except Exception:
            log.warning("revocation list unreadable; using the last one", exc_info=True)
            return self._revoked
        revoked = document.get("revoked") if isinstance(document, dict) else None
        if not isinstance(revoked, list):
            log.warning("revocation list malformed; using the last one")
            return self._revoked
        return frozenset(str(key) for key in revoked)


def valid_until(claims: dict[str, Any]) -> float:
    """When `verify_rs256` stops accepting the token these verified claims came from."""
    return float(claims["exp"]) + LEEWAY_SECONDS


@dataclass(frozen=True)
class AdminPrincipal:
    sub: str
    username: str


class CognitoVerifier:
    def __init__(self, *, issuer: str, client_id: str, jwks: JwksCache) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self.jwks = jwks

    def verify(self, token: str) -> dict[str, Any]:
        claims = verify_rs256(token, self.jwks, issuer=self.issuer)
        if claims.get("token_use") != "access":
            raise InvalidToken("not an access token")
        if claims.get("client_id") != self.client_id:
            raise InvalidToken("wrong client")
        return claims


@dataclass(frozen=True)
class GuestPrincipal:
    user_key: str
    username: str
    valid_until: float | None = None  # epoch seconds its token is accepted until, if known


class GuestVerifier:
    """Guest access tokens, self-signed by identity: verified against its JWKS and refused
    for a guest on its revocation list, no I/O per call."""

    def __init__(
        self, *, issuer: str, jwks: JwksCache, revocations: RevocationList | None = None
    ) -> None:
        self.issuer = issuer
        self.jwks = jwks
        self.revocations = revocations

    def is_revoked(self, user_key: str) -> bool:
        return self.revocations is not None and self.revocations.revoked(user_key)

    def verify(self, token: str) -> GuestPrincipal:
        claims = verify_rs256(token, self.jwks, issuer=self.issuer, audience=GUEST_AUDIENCE)
        if claims.get("token_type") != "access":
            raise InvalidToken("not an access token")
        sub, username = claims.get("sub"), claims.get("username")
        if not isinstance(sub, str) or not sub or not isinstance(username, str):
            raise InvalidToken("missing subject")
        # Signed is not enough: every service keys rows and channels by this UUID, and a sub
        # PostgreSQL cannot read failed the request later, as a 500.
        if not _is_canonical_uuid(sub):
            raise InvalidToken("subject is not a user key")
        if not username.strip():
            raise InvalidToken("no username")
        if self.is_revoked(sub):
            raise InvalidToken("guest deactivated")
        return GuestPrincipal(user_key=sub, username=username, valid_until=valid_until(claims))


def _is_canonical_uuid(value: str) -> bool:
    """The form identity writes a user key in: str(uuid.UUID(...)), lower case, hyphenated."""
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


_cognito: CognitoVerifier | None = None
_guest: GuestVerifier | None = None


def guest_verifier() -> GuestVerifier:
    global _guest
    if _guest is None:
        cfg = settings.platform()
        if not cfg.guest_jwks_url:
            raise InvalidToken("guest tokens are not configured (GUEST_JWKS_URL)")
        jwks = JwksCache(cfg.guest_jwks_url, fetch=_guest_jwks_fetch)
        revocations = RevocationList(
            settings.guest_revocations_url(cfg.guest_jwks_url), fetch=_guest_jwks_fetch
        )
        _guest = GuestVerifier(issuer=cfg.guest_issuer, jwks=jwks, revocations=revocations)
    return _guest


def cognito_verifier() -> CognitoVerifier:
    global _cognito
    if _cognito is None:
        cfg = settings.platform()
        if not (cfg.cognito_issuer and cfg.cognito_client_id and cfg.cognito_jwks_url):
            raise InvalidToken("Cognito is not configured")
        _cognito = CognitoVerifier(
            issuer=cfg.cognito_issuer,
            client_id=cfg.cognito_client_id,
            jwks=JwksCache(cfg.cognito_jwks_url),
        )
    return _cognito


def reset_verifiers() -> None:
    global _cognito, _guest
    _cognito = None
    _guest = None


def bearer(header: str | None) -> str:
    if not header:
        raise InvalidToken("no token")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("expected a Bearer token")
    return token.strip()


def deny(
    auth_request: AuthRequest, principal: str, *, code: str = "forbidden", message: str = ""
) -> dict[str, Any]:
    """An explicit Deny policy: API Gateway (and Chalice local) answer 403.

    `code`/`message` travel in the authorizer context, which the ACCESS_DENIED gateway
    response renders into the error envelope.
    """
    return {
        "principalId": principal,
        "context": {"error_code": code, "error_message": message or "You may not do this"},
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Action": "execute-api:Invoke",
                    "Effect": "Deny",
                    "Resource": [auth_request.method_arn],
                }
            ],
        },
    }


def allow_all(auth_request: AuthRequest, principal: str, context: dict[str, str]) -> dict[str, Any]:
    # The policy is cached per token by API Gateway, so it must cover every route.
    arn = auth_request.method_arn
    prefix = "/".join(arn.split("/")[:2])
    return {
        "principalId": principal,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": [f"{prefix}/*"]}
            ],
        },
        "context": context,
    }


def admin_authorizer(app: Chalice) -> ChaliceAuthorizer:
    """Register the Cognito admin authorizer on `app` and return it for `authorizer=`."""

    @app.authorizer(name="admin")
    def admin(auth_request: AuthRequest) -> dict[str, Any]:
        try:
            token = bearer(auth_request.token)
            claims = cognito_verifier().verify(token)
        except InvalidToken as exc:
            if _is_guest(auth_request.token):
                return deny(auth_request, "guest")  # valid credentials, wrong role: 403
            log.info("admin token rejected", extra={"reason": str(exc)})
            raise Unauthorized(str(exc)) from None
        sub = str(claims.get("sub", ""))
        if ADMIN_GROUP not in (claims.get("cognito:groups") or []):
            return deny(auth_request, sub)
        return allow_all(
            auth_request,
            sub,
            {"role": "admin", "sub": sub, "username": str(claims.get("username", sub))},
        )

    return admin  # type: ignore[no-any-return]


def admin_claims(token: str) -> dict[str, Any] | None:
    """The claims of a valid admin (Cognito, group admin) access token, else None."""
    try:
        claims = cognito_verifier().verify(token)
    except InvalidToken:
        return None
    return claims if ADMIN_GROUP in (claims.get("cognito:groups") or []) else None


def guest_principal(token: str) -> GuestPrincipal | None:
    try:
        return guest_verifier().verify(token)
    except InvalidToken:
        return None


def _is_guest(header: str | None) -> bool:
    try:
        guest_verifier().verify(bearer(header))
    except InvalidToken:
        return False
    return True


def guest_authorizer(app: Chalice) -> ChaliceAuthorizer:
    """Register the guest authorizer on `app` (every service uses the same one)."""

    @app.authorizer(name="guest")
    def guest(auth_request: AuthRequest) -> dict[str, Any]:
        try:
            principal = guest_verifier().verify(bearer(auth_request.token))
        except InvalidToken as exc:
            log.info("guest token rejected", extra={"reason": str(exc)})
            raise Unauthorized(str(exc)) from None
        return allow_all(
            auth_request,
            principal.user_key,
            {"role": "guest", "user_key": principal.user_key, "username": principal.username},
        )

    return guest  # type: ignore[no-any-return]


def guest_revoked(user_key: str) -> bool:
    """Is this guest on identity's revocation list (deactivated, tokens not yet expired)?
    Where guest tokens are not configured there is no guest to revoke."""
    try:
        verifier = guest_verifier()
    except InvalidToken:
        return False
    return verifier.is_revoked(user_key)


def refuse_revoked_guest(context: dict[str, Any]) -> None:
    """Refuse a request of a deactivated guest (401, as for any token no longer good). Every
    guest route asks, as well as the authorizer: API Gateway keeps an authorizer's answer for
    a token for minutes (ADR 0028)."""
    if context.get("role") == "guest" and guest_revoked(str(context["user_key"])):
        raise errors.NotAuthenticated("This guest was deactivated by the bar")


def current_guest(app: Chalice) -> GuestPrincipal:
    request = app.current_request
    assert request is not None
    context = request.context.get("authorizer") or {}
    if context.get("role") != "guest":
        raise InvalidToken("not a guest request")
    return GuestPrincipal(user_key=str(context["user_key"]), username=str(context["username"]))


def current_admin(app: Chalice) -> AdminPrincipal:
    request = app.current_request
    assert request is not None
    context = request.context.get("authorizer") or {}
    return AdminPrincipal(
        sub=str(context.get("sub", "")), username=str(context.get("username", ""))
    )
