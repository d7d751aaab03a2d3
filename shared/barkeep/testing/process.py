"""Process-wide state that tests and the local stack reset when the environment changes.

No pytest here: `make dev` imports this too.
"""

from __future__ import annotations

from typing import Any

from barkeep import settings


def reset_process_state(*resetters: Any) -> None:
    """Forget cached settings, clients and verifiers after the environment changed."""
    from barkeep.auth import reset_verifiers
    from barkeep.aws import reset_clients

    settings.reload()
    reset_clients()
    reset_verifiers()
    for reset in resetters:
        reset()
