from __future__ import annotations

import pytest
from barkeep.testing.stack import RunningStack, stack

__all__ = ["stack"]


@pytest.fixture(scope="session")
def identity_url(stack: RunningStack) -> str:
    return stack.api("identity")


@pytest.fixture(scope="session")
def admin_headers(stack: RunningStack) -> dict[str, str]:
    return {"Authorization": f"Bearer {stack.admin_token()}"}
