"""Runs Lambda handlers from an unzipped artifact, the way the python3.13 runtime does.

    python3.13 -I -S lambda_runner.py <task dir> <runtime dir>  < invocations.jsonl

`-I -S`: no site-packages, no user site, no PYTHON* variables, no script directory on the path.
The path is then the task directory (Lambda's /var/task, the unzipped artifact) and the runtime
directory (what Lambda's own runtime provides: boto3 and botocore) — nothing of the workspace.
One process handles every invocation in turn, like one warm execution environment.

Each input line is {"handler": "app.app", "event": {...}}; each output line is
{"ok": true, "result": ...} or {"ok": false, "error": "..."}, plus "seconds" it took.
Standard library only: this file runs before anything of ours is importable.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
import traceback
import uuid
from typing import Any


class Context:
    """The parts of Lambda's context object that handlers read."""

    def __init__(self, function_name: str) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.memory_limit_in_mb = 512
        self.aws_request_id = str(uuid.uuid4())
        self.invoked_function_arn = (
            f"arn:aws:lambda:eu-west-1:000000000000:function:{function_name}"
        )
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + 30

    def get_remaining_time_in_millis(self) -> int:
        return int((self._deadline - time.monotonic()) * 1000)


_HANDLERS: dict[str, Any] = {}


def handler(spec: str) -> Any:
    """`module.attribute`, imported once per process (as Lambda does at init)."""
    if spec not in _HANDLERS:
        module_name, _, attribute = spec.rpartition(".")
        _HANDLERS[spec] = getattr(importlib.import_module(module_name), attribute)
    return _HANDLERS[spec]


def main(task_dir: str, runtime_dir: str) -> int:
    sys.path[:0] = [task_dir, runtime_dir]
    out = sys.stdout
    # Handlers log to stdout (CloudWatch in AWS); keep the result stream on its own file.
    sys.stdout = sys.stderr
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        started = time.perf_counter()
        try:
            result = handler(request["handler"])(request["event"], Context(request["handler"]))
            reply = {"ok": True, "result": result}
        except Exception as exc:  # reported to the caller, who decides
            reply = {
                "ok": False,
                "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(),
            }
        reply["seconds"] = time.perf_counter() - started
        out.write(json.dumps(reply, default=str) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
