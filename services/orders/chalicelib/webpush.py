"""Web Push, the protocol part (ADR 0036): a message encrypted for one browser (RFC 8291,
`aes128gcm` of RFC 8188) and the application server's signature (VAPID, RFC 8292).

Pure functions over bytes and the `cryptography` package (already in every artifact through
PyJWT's `crypto` extra); no I/O. `push.py` sends what this builds. `cryptography` is imported
on first use: importing the app stays cheap (a cold start pays for it only when it pushes).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import ec

RECORD_SIZE = 4096  # one record holds any push message (push services take up to 4 KiB)
# What a push service accepts as a message body; the header below takes 86 bytes of it.
MAX_BODY = 4096
_HEADER = 16 + 4 + 1 + 65  # salt, record size, key id length, the sender's public key
VAPID_HOURS = 12  # a token's life; RFC 8292 allows at most 24 hours


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    """Base64url with or without padding; ValueError for anything else."""
    if not text or any(c not in _ALPHABET for c in text.rstrip("=")):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _hmac(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def public_point(key: ec.EllipticCurvePublicKey) -> bytes:
    """The 65-byte uncompressed point: `p256dh`, and a VAPID public key."""
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def browser_key(p256dh: bytes) -> ec.EllipticCurvePublicKey:
    """A subscription's public key; ValueError unless it is a point on P-256."""
    from cryptography.hazmat.primitives.asymmetric import ec

    if len(p256dh) != 65 or p256dh[0] != 4:
        raise ValueError("not an uncompressed P-256 point")
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), p256dh)


def encrypt(
    plaintext: bytes,
    p256dh: bytes,
    auth: bytes,
    *,
    sender: ec.EllipticCurvePrivateKey | None = None,
    salt: bytes | None = None,
) -> bytes:
    """The body of a push message for the browser holding `p256dh`'s private key and `auth`
    (RFC 8291 §3.4, one record). `sender` and `salt` are fresh for every message; only a test
    against the RFC's example passes them."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if len(auth) != 16:
        raise ValueError("auth must be 16 bytes")
    if len(plaintext) + _HEADER + 1 + 16 > MAX_BODY:
        raise ValueError("message too long for one push")
    sender = sender or ec.generate_private_key(ec.SECP256R1())
    salt = salt if salt is not None else os.urandom(16)
    sender_public = public_point(sender.public_key())
    shared = sender.exchange(ec.ECDH(), browser_key(p256dh))
    # HKDF(auth, ecdh, "WebPush: info" || 0 || ua_public || as_public, 32)
    prk_key = _hmac(auth, shared)
    ikm = _hmac(prk_key, b"WebPush: info\x00" + p256dh + sender_public + b"\x01")
    prk = _hmac(salt, ikm)
    cek = _hmac(prk, b"Content-Encoding: aes128gcm\x00\x01")[:16]
    nonce = _hmac(prk, b"Content-Encoding: nonce\x00\x01")[:12]
    # the last (and only) record ends with the delimiter 0x02, unpadded
    ciphertext = AESGCM(cek).encrypt(nonce, plaintext + b"\x02", None)
    header = salt + RECORD_SIZE.to_bytes(4, "big") + bytes([len(sender_public)]) + sender_public
    return header + ciphertext


@dataclass(frozen=True)
class VapidKey:
    """The application server's key pair of a stage: browsers subscribe with its public half
    (`applicationServerKey`), every message is signed with its private half."""

    private: ec.EllipticCurvePrivateKey

    @classmethod
    def generate(cls) -> VapidKey:
        from cryptography.hazmat.primitives.asymmetric import ec

        return cls(ec.generate_private_key(ec.SECP256R1()))

    @classmethod
    def from_pem(cls, pem: str) -> VapidKey:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        key = serialization.load_pem_private_key(pem.encode(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise ValueError("a VAPID key is an EC P-256 private key")
        return cls(key)

    def to_pem(self) -> str:
        from cryptography.hazmat.primitives import serialization

        return self.private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()

    @property
    def public_key(self) -> str:
        """base64url of the uncompressed point, as `pushManager.subscribe` takes it."""
        return b64url(public_point(self.private.public_key()))

    def authorization(self, endpoint: str, subject: str, *, now: float | None = None) -> str:
        """The `Authorization` header for a message to `endpoint` (RFC 8292 §3): an ES256 JWT
        for the endpoint's origin, and the public key."""
        import jwt

        parts = urlsplit(endpoint)
        claims = {
            "aud": f"{parts.scheme}://{parts.netloc}",
            "exp": int((now if now is not None else time.time()) + VAPID_HOURS * 3600),
            "sub": subject,
        }
        token = jwt.encode(claims, self.private, algorithm="ES256", headers={"typ": "JWT"})
        return f"vapid t={token}, k={self.public_key}"
