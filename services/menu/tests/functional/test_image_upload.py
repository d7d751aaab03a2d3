"""The presigned POST really limits what S3 accepts (checked against moto's S3)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from barkeep.local import LocalApi

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def _presign(api: LocalApi, token: str, drink_id: str, content_type: str | None) -> dict[str, Any]:
    body = {"content_type": content_type} if content_type else None
    response = api.post(f"/admin/drinks/{drink_id}/image-upload", token=token, json_body=body)
    assert response.status == 200, response.body
    result: dict[str, Any] = response.json()
    return result


def test_presigned_post_uploads_an_image(
    api: LocalApi, admin_token: str, drink: dict[str, Any]
) -> None:
    # Given a presigned POST for a PNG
    result = _presign(api, admin_token, drink["id"], "image/png")
    assert result["expires_in"] == 300
    assert result["image_url"].endswith(".png")
    # When the browser posts the file straight to S3
    upload = requests.post(
        result["upload"]["url"],
        data=result["upload"]["fields"],
        files={"file": ("drink.png", PNG, "image/png")},
        timeout=10,
    )
    # Then S3 stores it where image_url points
    assert upload.status_code in (200, 201, 204), upload.text
    stored = requests.get(result["image_url"], timeout=10)
    assert stored.status_code == 200 and stored.content == PNG


def test_defaults_to_jpeg_without_a_body(
    api: LocalApi, admin_token: str, drink: dict[str, Any]
) -> None:
    result = _presign(api, admin_token, drink["id"], None)
    assert result["upload"]["fields"]["Content-Type"] == "image/jpeg"
    assert result["image_url"].endswith(".jpg")


def test_policy_pins_type_and_size(api: LocalApi, admin_token: str, drink: dict[str, Any]) -> None:
    fields = _presign(api, admin_token, drink["id"], "image/webp")["upload"]["fields"]
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert {"Content-Type": "image/webp"} in conditions
    assert ["content-length-range", 1, 5 * 1024 * 1024] in conditions
    assert any(c == {"key": fields["key"]} for c in conditions)
    assert fields["key"].startswith(f"drinks/{drink['id']}/")


def _signature(secret: str, credential: str, policy_b64: str) -> str:
    """SigV4 for a browser POST: HMAC-SHA256 of the base64 policy with the derived signing key."""
    _, day, region, service, _ = credential.split("/")
    key = ("AWS4" + secret).encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, policy_b64.encode(), hashlib.sha256).hexdigest()


def test_the_signed_policy_holds_s3_to_one_key_one_type_a_size_and_five_minutes(
    api: LocalApi, admin_token: str, drink: dict[str, Any], local_aws: Any
) -> None:
    # Given a presigned POST for a PNG (moto does not enforce its policy: S3 does, so every
    # condition S3 would check is checked here, in the document we signed)
    before = datetime.now(UTC).replace(microsecond=0)
    result = _presign(api, admin_token, drink["id"], "image/png")
    fields = result["upload"]["fields"]
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    # Then it is signed with SigV4, which every region accepts (SigV2 was boto3's default)
    assert fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    assert "AWSAccessKeyId" not in fields and "signature" not in fields
    access_key, day, region, service, scope_end = fields["x-amz-credential"].split("/")
    assert (access_key, region, service, scope_end) == (
        os.environ["AWS_ACCESS_KEY_ID"],
        os.environ["AWS_REGION"],
        "s3",
        "aws4_request",
    )
    signed_at = datetime.strptime(fields["x-amz-date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert signed_at.strftime("%Y%m%d") == day
    assert before - timedelta(seconds=5) <= signed_at <= datetime.now(UTC)
    assert fields["x-amz-signature"] == _signature(
        os.environ["AWS_SECRET_ACCESS_KEY"], fields["x-amz-credential"], fields["policy"]
    )
    # and the signature covers these conditions, each an exact match (no starts-with anywhere)
    assert {"bucket": local_aws.images_bucket} in conditions
    key = fields["key"]
    assert {"key": key} in conditions
    assert re.fullmatch(rf"drinks/{drink['id']}/[0-9a-f]{{32}}\.png", key)
    assert result["image_url"].endswith("/" + key)
    assert {"Content-Type": "image/png"} in conditions and fields["Content-Type"] == "image/png"
    assert ["content-length-range", 1, 5 * 1024 * 1024] in conditions
    for name in ("x-amz-algorithm", "x-amz-credential", "x-amz-date"):
        assert {name: fields[name]} in conditions
    session = os.environ.get("AWS_SESSION_TOKEN")  # a Lambda role's credentials have one
    if session:
        assert {"x-amz-security-token": session} in conditions
    assert not [c for c in conditions if isinstance(c, list) and c[0] != "content-length-range"]
    # every form field but the policy and the signature is pinned by a condition
    pinned = {name.lower() for c in conditions if isinstance(c, dict) for name in c}
    assert {f.lower() for f in fields} - {"policy", "x-amz-signature"} <= pinned
    assert len(conditions) == 7 + bool(session)  # nothing else loosens or widens it
    # and it expires 5 minutes after it was signed
    expires = datetime.strptime(policy["expiration"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert expires - signed_at == timedelta(seconds=result["expires_in"]) == timedelta(seconds=300)


@pytest.mark.parametrize(
    "content_type",
    [
        "image/svg+xml",  # an SVG runs scripts when opened from the images host
        "text/html",
        "application/xhtml+xml",
        "image/gif",
        "image/png; charset=utf-8",
        "IMAGE/PNG",
        "image/png\x00",
        "",
    ],
)
def test_only_jpeg_png_and_webp_may_be_uploaded(
    api: LocalApi, admin_token: str, drink: dict[str, Any], content_type: str
) -> None:
    response = api.post(
        f"/admin/drinks/{drink['id']}/image-upload",
        token=admin_token,
        json_body={"content_type": content_type},
    )
    assert response.status == 400
    assert "content_type" in response.json()["error"]["details"]["fields"]
