"""Faults in the middle of a party, against a real `python -m devstack` in a subprocess: the
embedded PostgreSQL crashes, the realtime emulator restarts, publishing fails for a while.
Each test checks the recovery and would fail without it (see docs/decisions/0023)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from barkeep.testing.database import traversable_tempdir
from barkeep.testing.stack import RunningStack, launch_stack


@dataclass
class FaultStack:
    stack: RunningStack
    data_dir: Path
    admin: dict[str, str]

    def api(self, service: str) -> str:
        return self.stack.api(service)

    def invite(self, http: httpx.Client, uses: int = 100) -> str:
        r = http.post(
            f"{self.api('identity')}/admin/registration-codes",
            headers=self.admin,
            json={"max_uses": uses},
        )
        r.raise_for_status()
        code: str = r.json()["registration_code"]["code"]
        return code

    def register(self, http: httpx.Client, code: str, name: str) -> dict[str, Any]:
        r = http.post(
            f"{self.api('identity')}/register",
            headers={"X-Registration-Code": code},
            json={"username": name},
        )
        r.raise_for_status()
        guest: dict[str, Any] = r.json()
        return guest

    def drink(self, http: httpx.Client) -> str:
        drink_id: str = http.get(f"{self.api('menu')}/drinks").json()["drinks"][0]["id"]
        return drink_id


@pytest.fixture
def fault_stack() -> Iterator[FaultStack]:
    data_dir = traversable_tempdir("barkeep-faults-")
    try:
        with launch_stack(data_dir) as stack:
            yield FaultStack(stack, data_dir, {"Authorization": f"Bearer {stack.admin_token()}"})
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


@dataclass
class InProcessStack:
    """The stack in this very process, for faults only reachable from inside it (the realtime
    emulator's restart, a failing publish) — and the client-side view of it, as for a
    subprocess stack."""

    running: Any  # devstack.stack.RunningStack
    client: RunningStack

    @property
    def emulator(self) -> Any:
        return self.running.realtime

    def publisher(self, service: str) -> Any:
        return self.running.services[service].hook("publisher")()


@pytest.fixture
def in_process_stack() -> Iterator[InProcessStack]:
    from devstack.stack import start

    data_dir = traversable_tempdir("barkeep-faults-")
    running = start(port=0, data_dir=data_dir, sweep_interval=1.0)
    try:
        base = running.base_url.replace("localhost", "127.0.0.1")
        config = httpx.get(f"{base}/config.json", timeout=10).json()
        yield InProcessStack(running, RunningStack(base=base, config=config, data_dir=data_dir))
    finally:
        running.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
