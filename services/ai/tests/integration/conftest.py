from __future__ import annotations

import pytest
from barkeep.testing.stack import RunningStack, admin_headers, stack

__all__ = ["admin_headers", "stack"]


@pytest.fixture(scope="session")
def ai_url(stack: RunningStack) -> str:
    return stack.api("ai")
