from __future__ import annotations

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

SERVICES = ("menu", "identity", "orders", "ai")
EXPIRES = (datetime.now(UTC) + timedelta(days=300)).strftime("%Y-%m-%dT00:00:00Z")
PLATFORM_CONFIG = {"realtimeApiKeyExpires": EXPIRES, "webOrigin": "https://bar.example"}


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every artifact `make package` builds, for arm64 (what the stacks deploy)."""
    out = tmp_path_factory.mktemp("dist")
    with ThreadPoolExecutor(max_workers=5) as pool:
        list(pool.map(lambda name: build(name, TARGETS["arm64"], out=out), packageable()))
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


@pytest.fixture(scope="session")
def services(dist: Path, platform: Run) -> dict[str, Run]:
    return {service: run_service(service, dist, platform) for service in SERVICES}
