"""The party's HTTPS front door (ADR 0035): TLS on the public address, in front of the gateway.

The gateway itself keeps listening on 127.0.0.1 over plain HTTP, where the services publish to
it; this forwarder takes the public socket, ends TLS and pipes the bytes (HTTP and WebSocket
alike) to the gateway. The same port answers plain HTTP too, with the one page a phone needs
before it trusts us: how to install the party's CA, and the CA itself to download. Every other
plain-HTTP path is redirected to HTTPS.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import socket
import ssl
import threading
from dataclasses import dataclass

from barkeep.observability import get_logger

log = get_logger("barkeep.devstack")

TLS_HANDSHAKE = 0x16  # the first byte of every TLS ClientHello
FIRST_BYTE_TIMEOUT = 30.0
HANDSHAKE_TIMEOUT = 15.0
MAX_HEAD_BYTES = 16384
# After the gateway has answered and closed, what the phone still sends is read and dropped for
# up to this long (and this much): closing on unread bytes resets the connection, and a client
# that sends a whole body before reading (a 413 for it) would lose the answer with it.
LINGER_SECONDS = 2.0
LINGER_BYTES = 4 * 1024 * 1024
CA_PATHS = ("/barkeep-ca.crt", "/barkeep-ca.pem")
PAGE_PATHS = ("/", "/ca", "/certificate")


@dataclass(frozen=True)
class PlainPage:
    """What the front answers over plain HTTP."""

    https_base: str  # https://<host>:<port>
    ca_der: bytes
    ca_pem: bytes

    def answer(self, path: str) -> tuple[int, str, dict[str, str], bytes]:
        bare = path.split("?", 1)[0]
        if bare == CA_PATHS[0]:
            # DER with this type: what Android's and iOS's installers expect from a download
            return 200, "OK", {"Content-Type": "application/x-x509-ca-cert"}, self.ca_der
        if bare == CA_PATHS[1]:
            return 200, "OK", {"Content-Type": "application/x-pem-file"}, self.ca_pem
        if bare in PAGE_PATHS:
            return 200, "OK", {"Content-Type": "text/html; charset=utf-8"}, self.page().encode()
        return 308, "Permanent Redirect", {"Location": self.https_base + path}, b""

    def page(self) -> str:
        e = html.escape
        base = e(self.https_base)
        return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Barkeep party: trust this party's certificate</title>
<style>body{{font:17px/1.5 system-ui,sans-serif;max-width:40rem;margin:1.5rem auto;padding:0 1rem}}
a.button{{display:inline-block;padding:.6rem 1rem;border:2px solid;border-radius:.5rem;
text-decoration:none;font-weight:600;margin:.3rem 0}}</style></head><body>
<h1>Barkeep party</h1>
<p>This party's app runs on a laptop here, over HTTPS with a certificate of its own. Install it
once and the app works fully (notifications when your drink is ready, working offline).
Without it, open the app anyway and accept the browser's warning: ordering still works.</p>
<p><a class="button" href="{CA_PATHS[0]}">1. Download the certificate</a></p>
<h2>Android</h2>
<ol><li>Tap the download above (Chrome may ask to keep the file).</li>
<li>Settings → Security &amp; privacy → More security settings → Encryption &amp; credentials →
Install a certificate → <b>CA certificate</b> → Install anyway → pick
<code>barkeep-ca.crt</code>.</li></ol>
<h2>iPhone and iPad</h2>
<ol><li>Open this page in <b>Safari</b> and tap the download, then Allow.</li>
<li>Settings → <b>Profile Downloaded</b> → Install (enter your passcode).</li>
<li>Settings → General → About → <b>Certificate Trust Settings</b> → switch on
“Barkeep party CA”.</li></ol>
<p>Remove it after the party the same way (Android: Trusted credentials → User; iPhone:
General → VPN &amp; Device Management).</p>
<p><a class="button" href="{base}/">2. Open the party app</a></p>
</body></html>
"""


def _response(status: int, reason: str, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"HTTP/1.1 {status} {reason}"]
    head = {**headers, "Content-Length": str(len(body)), "Connection": "close"}
    head.setdefault("Cache-Control", "no-store")
    lines += [f"{name}: {value}" for name, value in head.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class Front:
    """Serves `sock` (the public address) in a thread of its own: TLS to the gateway at
    `upstream`, plain HTTP to `plain`'s answers."""

    def __init__(
        self,
        sock: socket.socket,
        upstream: tuple[str, int],
        context: ssl.SSLContext,
        plain: PlainPage,
    ) -> None:
        self._sock = sock
        self._upstream = upstream
        self._context = context
        self._plain = plain
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, name="devstack-front", daemon=True)

    def start(self) -> None:
        self._thread.start()
        if not self._started.wait(timeout=10):
            raise RuntimeError("the HTTPS front door did not start")

    def stop(self) -> None:
        if not self._thread.is_alive():
            return

        def close() -> None:
            for task in asyncio.all_tasks(self._loop):
                task.cancel()
            self._loop.call_later(0.2, self._loop.stop)

        self._loop.call_soon_threadsafe(close)
        self._thread.join(timeout=5)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._sock.setblocking(False)
        accepting = self._loop.create_task(self._accept_forever())
        self._started.set()
        try:
            self._loop.run_forever()
        finally:
            accepting.cancel()
            with contextlib.suppress(Exception):
                self._loop.close()

    async def _accept_forever(self) -> None:
        loop = asyncio.get_running_loop()
        connections: set[asyncio.Task[None]] = set()
        while True:
            try:
                conn, _ = await loop.sock_accept(self._sock)
            except OSError:
                await asyncio.sleep(0.05)  # out of file descriptors, say: try again shortly
                continue
            task = loop.create_task(self._accepted(conn))
            connections.add(task)
            task.add_done_callback(connections.discard)

    async def _accepted(self, conn: socket.socket) -> None:
        """Peek at the first byte (left in the socket): TLS gets the gateway, anything else
        the plain page."""
        loop = asyncio.get_running_loop()
        conn.setblocking(False)
        writer: asyncio.StreamWriter | None = None
        try:
            await asyncio.wait_for(_readable(loop, conn), FIRST_BYTE_TIMEOUT)
            first = conn.recv(1, socket.MSG_PEEK)
            if not first:
                conn.close()
                return
            tls = first[0] == TLS_HANDSHAKE
            reader = asyncio.StreamReader(limit=MAX_HEAD_BYTES)
            protocol = asyncio.StreamReaderProtocol(reader)
            transport, _ = await loop.connect_accepted_socket(
                lambda: protocol,
                sock=conn,
                ssl=self._context if tls else None,
                ssl_handshake_timeout=HANDSHAKE_TIMEOUT if tls else None,
            )
            writer = asyncio.StreamWriter(transport, protocol, reader, loop)
            if tls:
                await self._pipe(reader, writer)
            else:
                await self._answer_plain(reader, writer)
        except (
            TimeoutError,
            OSError,
            ssl.SSLError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ValueError,
        ):
            pass  # a client that went away or spoke nonsense: nothing to tell anyone
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("front door: a connection failed", exc_info=True)
        finally:
            if writer is None:
                conn.close()
            else:
                writer.close()

    async def _answer_plain(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), FIRST_BYTE_TIMEOUT)
        parts = head.split(b"\r\n", 1)[0].decode("latin-1").split()
        if len(parts) != 3 or not parts[1].startswith("/"):
            writer.write(_response(400, "Bad Request", {"Content-Type": "text/plain"}, b"?\n"))
        else:
            status, reason, headers, body = self._plain.answer(parts[1])
            writer.write(_response(status, reason, headers, b"" if parts[0] == "HEAD" else body))
        await writer.drain()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Bytes both ways between the phone and the gateway, for as long as the gateway's side
        lasts: its last answer (a 413 sent before the body was read) always reaches the phone."""
        up_reader, up_writer = await asyncio.open_connection(*self._upstream)

        async def up() -> None:  # the phone's requests, to the gateway
            with contextlib.suppress(ConnectionError, ssl.SSLError):  # the phone went away
                while data := await reader.read(65536):
                    try:
                        up_writer.write(data)
                        await up_writer.drain()
                    except ConnectionError:  # the gateway closed; its answer is on its way
                        await _linger(reader)
                        return
                if up_writer.can_write_eof():  # the phone is done: so is the connection
                    up_writer.write_eof()

        sending = asyncio.ensure_future(up())
        try:
            with contextlib.suppress(ConnectionError, ssl.SSLError):
                while data := await up_reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            # what the phone still sends is read (not left to reset the connection) a moment
            await asyncio.wait([sending], timeout=LINGER_SECONDS)
        finally:
            sending.cancel()
            up_writer.close()


async def _linger(reader: asyncio.StreamReader) -> None:
    """Read and drop what the phone still sends, until it stops or the budget is spent."""
    budget = LINGER_BYTES
    try:
        async with asyncio.timeout(LINGER_SECONDS):
            while budget > 0 and (data := await reader.read(65536)):
                budget -= len(data)
    except (TimeoutError, ConnectionError, ssl.SSLError):
        pass


async def _readable(loop: asyncio.AbstractEventLoop, conn: socket.socket) -> None:
    ready: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(conn.fileno(), wake)
    try:
        await ready
    finally:
        loop.remove_reader(conn.fileno())
