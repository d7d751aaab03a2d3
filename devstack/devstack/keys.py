"""`make rotate-keys`: rotate identity's guest-token signing keys in a running local stack."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .config import SERVICES_DIR
from .services import MountedService
from .stack import AWS_FILE


def rotate_running_stack_keys(
    data_dir: Path, services_dir: Path = SERVICES_DIR
) -> tuple[bool, str]:
    aws_file = data_dir / AWS_FILE
    if not aws_file.is_file():
        return False, "No local stack is running (start it with `make dev`), so there are no keys."
    from barkeep.testing.aws import LocalAws
    from barkeep.testing.process import reset_process_state

    os.environ.update(LocalAws(**json.loads(aws_file.read_text())).environment())
    identity = MountedService("identity", services_dir / "identity")
    try:
        reset_process_state(*identity.resetters())
        wiring = identity.wiring
        assert wiring is not None
        kid = wiring.rotate_keys()
        keep_for = wiring.signing_keys().keep_for
        cache_minutes = wiring.identity_settings().key_cache_seconds // 60
    finally:
        identity.unload()
    minutes = int(keep_for.total_seconds() // 60)
    return True, (
        f"New signing key {kid}: identity signs with it within {cache_minutes} minutes "
        "(its key cache); "
        f"the old key stays in the JWKS for {minutes} minutes so live tokens keep working."
    )
