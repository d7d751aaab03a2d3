"""The running local stack (`python -m devstack`) as a pytest fixture, for integration tests
that talk to it over HTTP like any outside client. One stack per test session (keep those tests
on one xdist worker with `pytest.mark.xdist_group("stack")`)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ADMIN_EMAIL = "admin@barkeep.local"
ADMIN_PASSWORD = "Barkeep-admin-1"
# What a `make party` stack is started with (the default one is refused on the network)
PARTY_ADMIN_PASSWORD = "Party-tonight-2026"


def _repo_root() -> Path:
    for parent in Path(__file__).resolve().parents:
        if (parent / "devstack").is_dir() and (parent / "services").is_dir():
            return parent
    raise RuntimeError("barkeep.testing.stack needs the monorepo checkout")


@dataclass(frozen=True)
class RunningStack:
    base: str
    config: dict[str, Any]
    data_dir: Path | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False, compare=False)
    # `make party` stacks: the address they serve, their admin's password, their CA (HTTPS)
    host: str = "127.0.0.1"
    admin_password: str = ADMIN_PASSWORD
    ca_file: Path | None = None

    @property
    def verify(self) -> str | bool:
        """What `requests`/`httpx` take as `verify`: the party's CA over HTTPS."""
        return str(self.ca_file) if self.ca_file else True

    def local(self, url: str) -> str:
        """`url` as a client on this machine opens it: a `make dev` stack says localhost and
        listens on 127.0.0.1; a party stack's URLs already name its address."""
        return url.replace("//localhost:", f"//{self.host}:")

    def kill(self) -> None:
        """SIGKILL, as a crash would: the stack gets no chance to save or clean up."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()

    def database_url(self) -> str | None:
        """The stack's own database (its embedded server), for checks beside the API."""
        pid_file = self.data_dir / "pgdata" / "postmaster.pid" if self.data_dir else None
        if pid_file is None or not pid_file.is_file():
            return None
        lines = pid_file.read_text().splitlines()
        # postmaster.pid: pid, data dir, start time, port, socket directory, ...
        return f"host={lines[4]} port={lines[3]} dbname=barkeep user=postgres"

    def api(self, service: str) -> str:
        return self.local(str(self.config["api"][service]))

    def admin_token(self) -> str:
        """Sign in as the dev admin exactly as the web app does (Cognito USER_PASSWORD_AUTH)."""
        import boto3

        auth = self.config["auth"]
        idp = boto3.client(
            "cognito-idp",
            region_name=auth["region"],
            endpoint_url=auth["cognito_endpoint"],
            aws_access_key_id="x",
            aws_secret_access_key="x",
            verify=str(self.ca_file) if self.ca_file else None,
        )
        result = idp.initiate_auth(
            ClientId=auth["client_id"],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": ADMIN_EMAIL, "PASSWORD": self.admin_password},
        )
        token: str = result["AuthenticationResult"]["AccessToken"]
        return token

    def invite_code(self, admin_headers: dict[str, str], *, max_uses: int = 100) -> str:
        """A fresh invite code, made by the bartender."""
        import requests

        response = requests.post(
            f"{self.api('identity')}/admin/registration-codes",
            headers=admin_headers,
            json={"max_uses": max_uses},
            timeout=5,
            verify=self.verify,
        )
        response.raise_for_status()
        code: str = response.json()["registration_code"]["code"]
        return code


def _get_json(url: str, ca_file: Path | None = None) -> Any:
    import ssl

    context = ssl.create_default_context(cafile=str(ca_file)) if ca_file else None
    with urllib.request.urlopen(url, timeout=2, context=context) as response:  # noqa: S310
        return json.loads(response.read())


_READY = re.compile(r"^Ready on (https?://\S+?)/? ", re.MULTILINE)


@contextmanager
def launch_stack(
    data_dir: Path, port: int = 0, *, host: str | None = None, https: bool = True
) -> Iterator[RunningStack]:
    """`python -m devstack` on a free port (or `port`) with its data in `data_dir`; stopped
    on exit. With `host`, `python -m devstack party` on that address instead (a loopback alias
    such as 127.0.0.2 stands in for the LAN address), over HTTPS unless `https` is False.

    The stack picks the port itself when it binds (`BARKEEP_PORT=0`) and says which in its
    "Ready on" line, so two stacks started at once can never be handed the same port.
    """
    env = {**os.environ, "BARKEEP_PORT": str(port), "BARKEEP_DEV_DIR": str(data_dir)}
    for leaked in ("DATABASE_URL", "AWS_ENDPOINT_URL", "GUEST_JWKS_URL", "GUEST_ISSUER"):
        env.pop(leaked, None)
    command = "run"
    password = ADMIN_PASSWORD
    ca_file = None
    if host is not None:
        command, password = "party", PARTY_ADMIN_PASSWORD
        env.update(
            BARKEEP_HOST=host,
            BARKEEP_HTTPS="1" if https else "0",
            BARKEEP_ADMIN_PASSWORD=password,
        )
        env.pop("BARKEEP_ADMIN_EMAIL", None)
        ca_file = data_dir / "tls" / "ca.pem" if https else None
    log_path = data_dir / "stack.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter, a fixed command
            [sys.executable, "-m", "devstack", command],
            cwd=_repo_root(),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                if process.poll() is not None:
                    raise RuntimeError("the stack exited:\n" + log_path.read_text())
                # "Ready on" is printed once the stack is serving *and* seeded.
                ready = _READY.search(log_path.read_text())
                if ready:
                    base = ready.group(1).replace("//localhost:", "//127.0.0.1:")
                    try:
                        config = _get_json(f"{base}/config.json", ca_file)
                        break
                    except OSError:
                        pass
                if time.monotonic() > deadline:
                    raise RuntimeError("the stack did not start:\n" + log_path.read_text())
                time.sleep(0.3)
            yield RunningStack(
                base=base,
                config=config,
                data_dir=data_dir,
                process=process,
                host=host or "127.0.0.1",
                admin_password=password,
                ca_file=ca_file,
            )
        finally:
            _stop(process, log_path)


def _stop(process: subprocess.Popen[bytes], log_path: Path, timeout: float = 30) -> None:
    """SIGTERM, as Ctrl-C would; a stack still running after `timeout` has its threads' stacks
    dumped into its log (the devstack's SIGUSR1 handler), reported, and is killed."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
        return
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGUSR1)
        time.sleep(1)
        process.kill()
        process.wait()
    warnings.warn(
        f"the local stack did not stop within {timeout:.0f} s and was killed; its log ends:\n"
        + log_path.read_text()[-6000:],
        stacklevel=2,
    )


@contextmanager
def launch_throwaway_stack(
    *, host: str | None = None, https: bool = True
) -> Iterator[RunningStack]:
    """A stack with its own fresh data, deleted afterwards (`host`: a party stack there)."""
    import shutil

    from barkeep.testing.database import traversable_tempdir

    data_dir = traversable_tempdir("barkeep-stack-")
    try:
        with launch_stack(data_dir, host=host, https=https) as running:
            yield running
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def stack() -> Iterator[RunningStack]:
    with launch_throwaway_stack() as running:
        yield running


@pytest.fixture(scope="session")
def admin_headers(stack: RunningStack) -> dict[str, str]:
    """Authorization for the running stack's dev admin."""
    return {"Authorization": f"Bearer {stack.admin_token()}"}
