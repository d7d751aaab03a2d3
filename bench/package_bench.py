"""Lambda artifacts (`make package`): cold start of the packaged handler, and the zips' sizes.

Cold start: a fresh `python3.13 -I -S -B` (Lambda's /var/task is read-only, so nothing of ours
is ever byte-compiled ahead; the runtime's own boto3 is) imports the handler from the unzipped
artifact and answers its first `GET /openapi.json`, timed from process start to the reply.
Side by side, interleaved, with the pattern the seeds use: the same artifact with boto3,
psycopg, PyJWT and aws-xray-sdk imported eagerly at module load (`eager_handler.py`, one extra
module in the same unzipped artifact).
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.stats import ratio

EAGER_HANDLER = (
    "import boto3, psycopg, jwt, aws_xray_sdk.core  # the seeds' pattern\nfrom app import app\n"
)


def _cold_start(python: str, task: Path, runtime: Path, handler: str, service: str) -> float:
    from packager.python313 import RUNNER

    from packager import events

    event = events.api_event("GET", "/openapi.json", resource="/openapi.json")
    request = {"handler": handler, "event": event}
    started = time.perf_counter()
    process = subprocess.Popen(
        [python, "-I", "-S", "-B", str(RUNNER), str(task), str(runtime)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={"BARKEEP_SERVICE": service, "BARKEEP_STAGE": "bench", "AWS_REGION": "eu-west-1"},
    )
    assert process.stdin is not None
    assert process.stdout is not None
    process.stdin.write(json.dumps(request) + "\n")
    process.stdin.flush()
    reply = json.loads(process.stdout.readline())
    elapsed = time.perf_counter() - started
    process.stdin.close()
    process.wait()
    assert reply["ok"], reply
    assert reply["result"]["statusCode"] == 200, reply
    return elapsed


def _bare(python: str) -> float:
    started = time.perf_counter()
    subprocess.run([python, "-I", "-S", "-B", "-c", "pass"], check=True)
    return time.perf_counter() - started


def bench_packages(runs: int = 11) -> dict[str, Any]:
    from packager.build import build, services, unpack
    from packager.check import runtime_dir
    from packager.python313 import find_python313
    from packager.targets import TARGETS

    python = find_python313()
    host = next(t for t in TARGETS.values() if t.runs_here())
    out: dict[str, Any] = {"cold_start": {}, "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="barkeep-bench-package-") as tmp:
        scratch = Path(tmp)
        tasks: dict[str, tuple[Path, Path]] = {}
        runtime = Path()
        for service in services():
            for target in TARGETS.values():
                built = build(service, target, out=scratch / target.architecture)
                artifact = built.manifest["artifact"]
                out["sizes"][f"{service}/{target.architecture}"] = {
                    "zipped_mb": round(artifact["size"] / 1e6, 2),
                    "unpacked_mb": round(artifact["unpacked_size"] / 1e6, 2),
                    "files": artifact["files"],
                }
                if target is host:
                    task = unpack(built, scratch / service / "task")
                    eager = scratch / service / "eager"
                    shutil.copytree(task, eager)
                    (eager / "eager_handler.py").write_text(EAGER_HANDLER)
                    tasks[service] = (task, eager)
                    runtime = runtime_dir(built, host)
        # the runtime's boto3 comes byte-compiled in Lambda's image; ours, never
        subprocess.run([python, "-m", "compileall", "-q", str(runtime)], check=True)
        bare = []
        for service, (task, eager) in tasks.items():
            lazy_s: list[float] = []
            eager_s: list[float] = []
            _cold_start(python, task, runtime, "app.app", service)  # warm the page cache
            for _ in range(runs):  # alternate, so both see the same machine
                lazy_s.append(_cold_start(python, task, runtime, "app.app", service))
                eager_s.append(_cold_start(python, eager, runtime, "eager_handler.app", service))
                bare.append(_bare(python))
            lazy_ms = statistics.median(lazy_s) * 1000
            eager_ms = statistics.median(eager_s) * 1000
            out["cold_start"][service] = {
                "packaged_median_ms": round(lazy_ms, 1),
                "eager_pattern_median_ms": round(eager_ms, 1),
                "ratio": ratio(lazy_ms, eager_ms),
            }
    out["cold_start_bare_interpreter_median_ms"] = round(statistics.median(bare) * 1000, 1)
    out["runs"] = runs
    out["python"] = python
    out["target"] = "cold start ratio <= 0.5; zips < 15 MB (Lambda: 50 MB zipped, 250 unpacked)"
    return out
