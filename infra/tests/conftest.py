from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from barkeep_infra.stacks.platform import platform_program
from barkeep_infra.stacks.service import service_program
from packager.build import build, packageable
from packager.targets import TARGETS

from tests.harness import Run, run

# `make test SERVICE=orders` (a team's loop) builds and runs that service's stack only
UNDER_TEST = os.environ.get("BARKEEP_SERVICE_UNDER_TEST") or None
SERVICES = (UNDER_TEST,) if UNDER_TEST else ("menu", "identity", "orders", "ai")
EXPIRES = (datetime.now(UTC) + timedelta(days=300)).strftime("%Y-%m-%dT00:00:00Z")
PLATFORM_CONFIG = {"realtimeApiKeyExpires": EXPIRES, "webOrigin": "https://bar.example"}


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every artifact `make package` builds, for arm64 (what the stacks deploy)."""
    out = tmp_path_factory.mktemp("dist")
    with ThreadPoolExecutor(max_workers=5) as pool:
        wanted = [n for n in packageable() if not UNDER_TEST or n in (UNDER_TEST, "realtime")]
        list(pool.map(lambda name: build(name, TARGETS["arm64"], out=out), wanted))
    return out


@pytest.fixture(scope="session")
def platform(dist: Path) -> Run:
    return run(
        lambda: platform_program(dist),
        project="barkeep-platform",
        stack="dev",
        config=PLATFORM_CONFIG,
    )


def run_service(service: str, dist: Path, platform: Run, stage: str = "dev") -> Run:
    def program() -> dict[str, Any]:
        built = service_program(dist)
        return {"url": built.url, "environment": _resolved(built.environment)}

    return run(
        program,
        project="barkeep-service",
        stack=f"{stage}-{service}",
        config={},
        stack_outputs=platform.exports,
    )


def _resolved(environment: dict[str, Any]) -> Any:
    import pulumi

    return pulumi.Output.all(**environment)


class Stacks(dict[str, Run]):
    """The service stacks run; a test about another service skips when only one is under test."""

    def __missing__(self, service: str) -> Run:
        pytest.skip(f"{service} is not under test (BARKEEP_SERVICE_UNDER_TEST={UNDER_TEST})")


@pytest.fixture(scope="session")
def services(dist: Path, platform: Run) -> dict[str, Run]:
    return Stacks({service: run_service(service, dist, platform) for service in SERVICES})
