"""Finding Python 3.13 (the Lambda runtime's version) and running an artifact's handlers in it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

RUNNER = Path(__file__).with_name("lambda_runner.py")
OVERRIDE = "BARKEEP_PYTHON313"


class NoPython313(RuntimeError):
    def __init__(self) -> None:
        super().__init__(
            "Python 3.13 is needed to run the artifact as Lambda does, and none was found: "
            "install it (`uv python install 3.13`, `pyenv install 3.13` or your OS's package) "
            f"or set {OVERRIDE} to its path."
        )


def _works(candidate: str) -> bool:
    try:
        result = subprocess.run(
            [candidate, "-I", "-c", "import sys; print(sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except OSError:
        return False
    return result.returncode == 0 and result.stdout.strip() == "(3, 13)"


def find_python313() -> str:
    """An interpreter that really is CPython 3.13 (a pyenv shim that errors does not count)."""
    candidates = [os.environ.get(OVERRIDE, ""), shutil.which("python3.13") or ""]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += [str(p) for p in sorted(pyenv_root.glob("versions/3.13*/bin/python3.13"))]
    uv = shutil.which("uv")
    if uv:
        found = subprocess.run(
            [uv, "python", "find", "--no-project", "3.13"],
            capture_output=True,
            text=True,
            check=False,
        )
        candidates.append(found.stdout.strip() if found.returncode == 0 else "")
    for candidate in candidates:
        if candidate and _works(candidate):
            return candidate
    raise NoPython313


class LambdaProcess:
    """One fresh `python3.13 -I -S` holding an unzipped artifact: one warm execution
    environment, invoked as often as needed, each reply read before the next event is sent.

    It gets `environment` and nothing else of ours; its logs go to `log` (Lambda's stdout is
    CloudWatch's; here a file, so a chatty handler can never block the reply stream).
    """

    def __init__(
        self,
        task_dir: Path,
        runtime_dir: Path,
        *,
        environment: Mapping[str, str],
        python: str | None = None,
        log: Path | None = None,
    ) -> None:
        self._log: IO[str] | None = log.open("w") if log else None
        self._process = subprocess.Popen(
            [python or find_python313(), "-I", "-S", str(RUNNER), str(task_dir), str(runtime_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log if self._log is not None else subprocess.DEVNULL,
            text=True,
            env=dict(environment),
            cwd=task_dir,
        )
        self.log_path = log

    def invoke(self, handler: str, event: dict[str, Any]) -> dict[str, Any]:
        """Call `handler` (e.g. `app.app`) with `event`: {"ok", "result" | "error", "seconds"}."""
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        self._process.stdin.write(json.dumps({"handler": handler, "event": event}) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            code = self._process.wait(timeout=10)
            logs = self.log_path.read_text()[-4000:] if self.log_path else ""
            raise RuntimeError(f"the Lambda process exited ({code}) on {handler}:\n{logs}")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def close(self) -> None:
        if self._process.stdin is not None and not self._process.stdin.closed:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._log is not None:
            self._log.close()

    def __enter__(self) -> LambdaProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
