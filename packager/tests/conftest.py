"""Artifacts built once per test session, for this machine's architecture and for arm64, and
a local stack for the built handlers to talk to."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from barkeep.testing.database import traversable_tempdir
from packager.build import Built, build, services
from packager.python313 import NoPython313, find_python313
from packager.targets import TARGETS, Target


def _host_target() -> Target:
    for target in TARGETS.values():
        if target.runs_here():
            return target
    pytest.fail("this machine is neither x86_64 nor aarch64 Linux: no artifact can run here")


@pytest.fixture(scope="session")
def host_target() -> Target:
    return _host_target()


@pytest.fixture(scope="session")
def arm64() -> Target:
    return TARGETS["arm64"]


def _build_all(target: Target, out: Path) -> dict[str, Built]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        built = pool.map(lambda s: build(s, target, out=out), services())
        return {b.service: b for b in built}


@pytest.fixture(scope="session")
def artifacts_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dist")


@pytest.fixture(scope="session")
def host_artifacts(host_target: Target, artifacts_dir: Path) -> dict[str, Built]:
    return _build_all(host_target, artifacts_dir / host_target.architecture)


@pytest.fixture(scope="session")
def realtime_artifact(host_target: Target, artifacts_dir: Path) -> Built:
    return build(
        "realtime", host_target, out=artifacts_dir / f"{host_target.architecture}-platform"
    )


@pytest.fixture(scope="session")
def arm64_artifacts(arm64: Target, artifacts_dir: Path) -> dict[str, Built]:
    if arm64.runs_here():
        pytest.skip("on an arm64 machine host_artifacts are the arm64 ones")
    return _build_all(arm64, artifacts_dir / "arm64")


@pytest.fixture(scope="session")
def python313() -> str:
    try:
        return find_python313()
    except NoPython313 as exc:
        # Loud on purpose: proving the artifact runs is the point of these tests.
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def local_stack() -> Iterator[object]:
    """The whole local stack in this process: database, moto, gateway (JWKS, realtime)."""
    from devstack.stack import start

    data_dir = traversable_tempdir("barkeep-packager-stack-")
    stack = start(0, data_dir)
    try:
        yield stack
    finally:
        stack.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
