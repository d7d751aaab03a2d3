"""Input that once got a 500 (issue 15), for tests and the fuzzers: JSON nested deeper than a
parser's stack, control characters and NUL, and lengths at the extremes.

`json_routes(app)` lists every route that takes a JSON body, so a test can send the same bad
body to all of them, including routes added after it was written.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

UNKNOWN_ID = "7d3c1f0e-0000-4000-8000-000000000000"

# What a path segment, a header or a JSON string has carried to the database driver or the
# filesystem: C0 controls and NUL, DEL, C1 controls.
CONTROL_CHARACTERS = "".join(map(chr, [*range(0x20), 0x7F, *range(0x80, 0xA0)]))


def nested_json(depth: int = 1000, field: str | None = "refresh_token") -> bytes:
    """`{"<field>": [[[…]]]}` (or bare `[[[…]]]`): `depth` arrays, ~2 bytes a level, so 1,000
    levels are far below the 64 KiB body limit but deeper than Python's recursion limit."""
    arrays = "[" * depth + "]" * depth
    return (arrays if field is None else json.dumps({field: None}).replace("null", arrays)).encode()


def nested_objects(depth: int = 1000, field: str = "a") -> bytes:
    """`{"a": {"a": … {}}}`, `depth` objects deep."""
    return (f'{{"{field}": ' * depth + "{}" + "}" * depth).encode()


@dataclass(frozen=True)
class JsonRoute:
    method: str
    path: str  # a concrete path: every {param} filled in
    auth: str | None  # the authorizer's name, None for a public route


def json_routes(app: Any, *, fill: str = UNKNOWN_ID) -> list[JsonRoute]:
    """Every (method, path) of a `barkeep.http.ServiceApp` that parses a JSON body."""
    routes: list[JsonRoute] = []
    for op in app.operations:
        if op.body is None:
            continue
        path = re.sub(r"{\w+}", fill, op.path)
        routes.extend(JsonRoute(method, path, op.auth) for method in op.methods)
    return routes


def error_code(raw: bytes) -> str | None:
    """The envelope's `error.code` in a response body; None when the body is not the envelope."""
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    return str(body["error"]["code"]) if is_envelope(body) else None


def is_envelope(body: Any) -> bool:
    """API.md's error envelope: {"error": {"code": str, "message": str, "details": {}}}."""
    error = body.get("error") if isinstance(body, dict) else None
    return (
        isinstance(error, dict)
        and isinstance(error.get("code"), str)
        and isinstance(error.get("message"), str)
        and isinstance(error.get("details"), dict)
    )


DEEP_BODIES = {"1000-arrays": nested_json(1000), "1000-objects": nested_objects(1000)}


def answers_on_json_routes(
    api: Any,
    body: bytes,
    *,
    admin: str | None = None,
    guest: str | None = None,
    registration_code: str | None = None,
) -> dict[str, tuple[int, str | None]]:
    """Send `body` to every JSON route of `api` (a `barkeep.local.LocalApi`), with whichever of
    the credentials gets past its authorizer; {"METHOD path": (status, error code)} for each."""
    headers_for = {
        "admin": {"Authorization": f"Bearer {admin}"},
        "guest": {"Authorization": f"Bearer {guest}"},
        "registration_code": {"X-Registration-Code": registration_code or ""},
    }
    answers: dict[str, tuple[int, str | None]] = {}
    for route in json_routes(api.app):
        headers = headers_for.get(route.auth, {}) if route.auth else {}
        response = api.request(route.method, route.path, headers=headers, body=body)
        answers[f"{route.method} {route.path}"] = (response.status, error_code(response.body))
    return answers


def raw_request(
    host: str, head: bytes, body: Iterable[bytes] = (), *, timeout: float = 10
) -> tuple[int, dict[str, str], bytes, int]:
    """One HTTP/1.1 request over a plain socket: the head, then body chunks from another thread
    until the server stops reading, while this one reads the answer as it comes. Returns
    (status, headers, body, body bytes the client managed to send)."""
    address, port = host.rsplit(":", 1)
    sent = [0]
    with socket.create_connection((address, int(port)), timeout=timeout) as sock:
        sock.sendall(head)

        def send_body() -> None:
            try:
                for chunk in body:
                    sock.sendall(chunk)
                    sent[0] += len(chunk)
            except OSError:  # the server answered and closed: it reads no more
                pass

        sender = threading.Thread(target=send_body, daemon=True)
        sender.start()
        answer = b""
        while not _complete(answer):
            try:
                data = sock.recv(65536)
            except OSError:
                break
            if not data:
                break
            answer += data
        with contextlib.suppress(OSError):  # the server may have closed it first
            sock.shutdown(socket.SHUT_RDWR)
        sender.join(timeout)
    head_bytes, _, payload = answer.partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), headers, payload, sent[0]


def _complete(answer: bytes) -> bool:
    head, found, payload = answer.partition(b"\r\n\r\n")
    if not found:
        return False
    for line in head.decode("latin-1").split("\r\n"):
        if line.lower().startswith("content-length:"):
            return len(payload) >= int(line.split(":", 1)[1])
    return True


def body_stream(total: int, *, chunked: bool = False, size: int = 64 * 1024) -> Iterator[bytes]:
    """`total` bytes of body in `size` pieces, generated as they are sent (never all in memory);
    `chunked`: framed for Transfer-Encoding: chunked, with its last, empty chunk."""
    for _ in range(total // size):
        piece = b"x" * size
        yield b"%x\r\n%s\r\n" % (size, piece) if chunked else piece
    if chunked:
        yield b"0\r\n\r\n"
