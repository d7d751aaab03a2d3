"""The presigned POST really limits what S3 accepts (checked against moto's S3)."""

from __future__ import annotations

import base64
import json
from typing import Any

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
