"""What a 100 MB upload costs the local stack (issue 15, ADR 0025).

(o) The gateway process's resident memory (RSS) idle, at its peak while a client uploads 100 MB
    to `POST /api/identity/token/refresh` (no credentials needed), and after; once with a
    Content-Length, once chunked (no Content-Length). With the body counted as it arrives, the
    answer (413) comes once 64 KiB have arrived, or at once from Content-Length, and memory stays
    where it was. Sampled every 10 ms with psutil.

Run alone with `python -m bench.input_bench` (it starts its own throwaway stack).
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

UPLOAD_BYTES = 100 * 1024 * 1024
PATH = "/api/identity/token/refresh"


def _mb(rss: int) -> float:
    return round(rss / (1024 * 1024), 1)


class _PeakRss:
    """The highest RSS of `pid` seen while the block runs."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.01)

    def __enter__(self) -> _PeakRss:
        self.peak = self.process.memory_info().rss
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _upload(host: str, pid: int, *, chunked: bool) -> dict[str, Any]:
    import psutil
    from barkeep.testing.hostile import body_stream, raw_request

    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {UPLOAD_BYTES}"
    head = f"POST {PATH} HTTP/1.1\r\nHost: {host}\r\n{framing}\r\n\r\n".encode()
    process = psutil.Process(pid)
    before = process.memory_info().rss
    with _PeakRss(pid) as sampler:
        started = time.perf_counter()
        status, _, body, sent = raw_request(
            host, head, body_stream(UPLOAD_BYTES, chunked=chunked), timeout=120
        )
        answered_s = time.perf_counter() - started
        time.sleep(0.5)  # whatever the server still holds shows after the answer too
    after = process.memory_info().rss
    code = json.loads(body)["error"]["code"] if body.startswith(b"{") else body[:60].decode()
    return {
        "status": status,
        "code": code,
        "client_sent_mb": _mb(sent),
        "answered_after_s": round(answered_s, 2),
        "rss_before_mb": _mb(before),
        "rss_peak_mb": _mb(sampler.peak),
        "rss_after_mb": _mb(after),
        "rss_growth_mb": _mb(sampler.peak - before),
    }


def bench_upload_memory() -> dict[str, Any]:
    import urllib.request

    from barkeep.testing.stack import launch_throwaway_stack

    with launch_throwaway_stack() as stack:
        assert stack.process is not None
        host = stack.base.removeprefix("http://")
        urllib.request.urlopen(f"{stack.base}/config.json", timeout=5).read()  # noqa: S310
        return {
            "upload_mb": _mb(UPLOAD_BYTES),
            "content_length": _upload(host, stack.process.pid, chunked=False),
            "chunked": _upload(host, stack.process.pid, chunked=True),
        }


def summary(result: dict[str, Any]) -> list[str]:
    lines = []
    for framing in ("content_length", "chunked"):
        r = result[framing]
        lines.append(
            f"100 MB upload ({framing.replace('_', '-')}): {r['status']} {r['code']} after"
            f" {r['answered_after_s']} s, client sent {r['client_sent_mb']} MB; gateway RSS"
            f" {r['rss_before_mb']} -> peak {r['rss_peak_mb']} -> {r['rss_after_mb']} MB"
        )
    return lines


if __name__ == "__main__":
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    outcome = bench_upload_memory()
    print(json.dumps(outcome, indent=2))
    print("\n".join(summary(outcome)))
