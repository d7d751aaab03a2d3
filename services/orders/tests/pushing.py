"""A browser's side of Web Push, for tests: decrypting what a push service would hand it
(RFC 8291 §3.4 read backwards, RFC 8188's one record), and a stand-in push service."""

from __future__ import annotations

import hashlib
import hmac
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def _hmac(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def decrypt(body: bytes, browser: ec.EllipticCurvePrivateKey, auth: bytes) -> bytes:
    """What the browser holding `browser` and `auth` reads from a push message's body."""
    from chalicelib.webpush import public_point

    salt, rs, idlen = body[:16], int.from_bytes(body[16:20], "big"), body[20]
    sender_public = body[21 : 21 + idlen]
    assert rs >= 18 and idlen == 65
    sender = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender_public)
    shared = browser.exchange(ec.ECDH(), sender)
    ua_public = public_point(browser.public_key())
    ikm = _hmac(_hmac(auth, shared), b"WebPush: info\x00" + ua_public + sender_public + b"\x01")
    prk = _hmac(salt, ikm)
    cek = _hmac(prk, b"Content-Encoding: aes128gcm\x00\x01")[:16]
    nonce = _hmac(prk, b"Content-Encoding: nonce\x00\x01")[:12]
    record = AESGCM(cek).decrypt(nonce, body[21 + idlen :], None)
    content = record.rstrip(b"\x00")
    assert content.endswith(b"\x02"), "the last record ends with the delimiter 2"
    return content[:-1]


@dataclass
class Browser:
    """A browser's push subscription keys, as pushManager.subscribe makes them."""

    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: __import__("os").urandom(16))

    def keys(self) -> dict[str, str]:
        from chalicelib.webpush import b64url, public_point

        return {"p256dh": b64url(public_point(self.key.public_key())), "auth": b64url(self.auth)}

    def read(self, body: bytes) -> bytes:
        return decrypt(body, self.key, self.auth)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class PushService:
    """A push service on loopback: records every POST and answers `status` (per path, or
    `default`)."""

    def __init__(self, default: int = 201) -> None:
        self.default = default
        self.status: dict[str, int] = {}
        self.received: list[Received] = []
        # set by a test: each POST waits here for the others before it is answered
        self.together: threading.Barrier | None = None
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                service.received.append(
                    Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                if service.together is not None:
                    try:
                        service.together.wait(timeout=2)
                    except threading.BrokenBarrierError:
                        self.send_response(503)  # sent one at a time: the others never came
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                self.send_response(service.status.get(self.path, service.default))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> PushService:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
