"""`make rotate-keys [STAGE=dev]`: rotate identity's guest-token signing keys, in the running
local stack or in a deployed stage (the same code identity runs: the new key set is saved and
the JWKS every verifier reads is republished before any token is signed with the new key)."""

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

    os.environ.update(LocalAws(**json.loads(aws_file.read_text())).environment())
    return _rotate(services_dir)


def rotate_stage_keys(stage: str, services_dir: Path = SERVICES_DIR) -> tuple[bool, str]:
    """In AWS (the credentials and region of this shell): the stage's secret and bucket, named
    as the platform stack names them."""
    from barkeep.settings import Env, images_bucket_name, platform_resource_name

    os.environ[Env.STAGE] = stage
    os.environ.setdefault(Env.AWS_REGION, os.environ.get("AWS_DEFAULT_REGION", "eu-west-1"))
    secret = platform_resource_name("signing-keys", stage=stage)
    try:
        from barkeep.aws import client
        from barkeep.testing.process import reset_process_state

        reset_process_state()  # the environment just changed
        account = client("sts").get_caller_identity()["Account"]
        os.environ[Env.IMAGES_BUCKET] = images_bucket_name(stage, account)
        reset_process_state()
        secrets = client("secretsmanager")
        try:
            secrets.describe_secret(SecretId=secret)
        except secrets.exceptions.ResourceNotFoundException:
            return False, (
                f"Stage {stage} has no secret {secret}: deploy its platform first "
                f"(make deploy-platform STAGE={stage})."
            )
        return _rotate(services_dir)
    except Exception as exc:  # botocore's errors name what is wrong (credentials, access)
        return False, f"Could not rotate the keys of stage {stage}: {exc}"


def _rotate(services_dir: Path) -> tuple[bool, str]:
    from barkeep.testing.process import reset_process_state

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
