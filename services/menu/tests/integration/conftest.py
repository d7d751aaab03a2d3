"""The running local stack (`python -m devstack`), started once for these tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from barkeep.testing.aws import free_port

ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    port = free_port()
    data_dir = tmp_path_factory.mktemp("devstack")
    env = {**os.environ, "BARKEEP_PORT": str(port), "BARKEEP_DEV_DIR": str(data_dir)}
    for leaked in ("DATABASE_URL", "AWS_ENDPOINT_URL"):
        env.pop(leaked, None)
    log = (data_dir / "stack.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "devstack"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError((data_dir / "stack.log").read_text())
            try:
                config = requests.get(f"{base}/config.json", timeout=1).json()
                if requests.get(f"{base}/api/menu/health", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("stack did not start:\n" + (data_dir / "stack.log").read_text())
            time.sleep(0.3)
        yield {"base": base, "config": config}
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture(scope="session")
def menu_url(stack: dict[str, Any]) -> str:
    url: str = stack["config"]["api"]["menu"].replace("localhost", "127.0.0.1")
    return url


@pytest.fixture(scope="session")
def admin_headers(stack: dict[str, Any]) -> dict[str, str]:
    """Sign in as the dev admin exactly as the web app does: Cognito USER_PASSWORD_AUTH."""
    import boto3

    auth = stack["config"]["auth"]
    idp = boto3.client(
        "cognito-idp",
        region_name=auth["region"],
        endpoint_url=auth["cognito_endpoint"],
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )
    result = idp.initiate_auth(
        ClientId=auth["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "admin@barkeep.local", "PASSWORD": "Barkeep-admin-1"},
    )
    return {"Authorization": f"Bearer {result['AuthenticationResult']['AccessToken']}"}
