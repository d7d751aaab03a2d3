"""The web app's security headers: one definition, rendered by the local gateway (devstack) and
by the web stack's CloudFront response headers policy (infra), so a policy that would break the
app in AWS breaks the browser tests here first.

The Content-Security-Policy allows exactly what the app does: its own origin for everything,
plus the realtime WebSocket, the sign-in service (Cognito's API locally, the managed-login
domain's token endpoint in AWS) and the images host (photos shown, uploads POSTed straight to
the bucket). No inline script, no eval, no framing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


def origin(url: str) -> str:
    """`scheme://host[:port]` of a URL, what a CSP source names."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"not an absolute URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class WebHosts:
    """Where the app talks beyond its own origin (absolute URLs; only their origins count)."""

    realtime: Iterable[str] = ()
    auth: Iterable[str] = ()
    images: Iterable[str] = ()
    uploads: Iterable[str] = field(default_factory=tuple)


def _sources(*groups: Iterable[str]) -> str:
    found = dict.fromkeys(origin(url) for group in groups for url in group)
    return " ".join(["'self'", *found])


def content_security_policy(hosts: WebHosts) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": _sources(hosts.images) + " data: blob:",
        "font-src": "'self'",
        "connect-src": _sources(hosts.realtime, hosts.auth, hosts.uploads, hosts.images),
        "media-src": "'self' data:",
        "manifest-src": "'self'",
        "worker-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


# Sent with every response of the web origin, besides the CSP.
REFERRER_POLICY = "strict-origin-when-cross-origin"
HSTS_SECONDS = 2 * 365 * 24 * 3600
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def security_headers(hosts: WebHosts, *, https: bool) -> dict[str, str]:
    """Every header, as the local gateway sends them (HSTS only over HTTPS, as browsers ignore
    it otherwise and localhost must stay reachable over plain HTTP)."""
    headers = {
        "Content-Security-Policy": content_security_policy(hosts),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": REFERRER_POLICY,
        "Permissions-Policy": PERMISSIONS_POLICY,
    }
    if https:
        headers["Strict-Transport-Security"] = f"max-age={HSTS_SECONDS}; includeSubDomains"
    return headers
