"""The DSQL connection parameters: an IAM auth token as password, full TLS verification."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from barkeep.db import dsql_connect_kwargs


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)


@pytest.mark.parametrize(
    ("user", "action"), [("admin", "DbConnectAdmin"), ("menu_writer", "DbConnect")]
)
def test_connects_with_an_iam_token_and_verified_tls(
    aws_credentials: None, user: str, action: str
) -> None:
    endpoint = "abc123.dsql.eu-west-1.on.aws"
    kwargs = dsql_connect_kwargs(endpoint, "eu-west-1", user)
    token = kwargs["password"]
    # The token is a SigV4-presigned request for the right action on that endpoint
    parsed = urlparse("https://" + token)
    query = parse_qs(parsed.query)
    assert parsed.hostname == endpoint
    assert query["Action"] == [action]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert "dsql" in query["X-Amz-Credential"][0]
    assert int(query["X-Amz-Expires"][0]) == 900
    assert kwargs["user"] == user and kwargs["dbname"] == "postgres"
    assert kwargs["sslmode"] == "verify-full"
    assert Path(kwargs["sslrootcert"]).is_file() and os.path.getsize(kwargs["sslrootcert"]) > 0
