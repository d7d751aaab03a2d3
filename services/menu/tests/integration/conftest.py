"""The running local stack (`python -m devstack`), started once for these tests."""

from __future__ import annotations

import pytest
from barkeep.testing.stack import RunningStack, stack

__all__ = ["stack"]


@pytest.fixture(scope="session")
def menu_url(stack: RunningStack) -> str:
    return stack.api("menu")


@pytest.fixture(scope="session")
def admin_headers(stack: RunningStack) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.admin_token()}"}
