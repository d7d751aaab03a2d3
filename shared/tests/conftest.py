from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["barkeep.testing"]


@pytest.fixture(scope="session")
def service_migrations() -> dict[str, Path]:
    return {"svc": Path(__file__).parent / "migrations"}
