"""Image generation: the prompt and the picture land in the images bucket, and ImageGenerated
is announced (offline: a placeholder, and it says so)."""

from __future__ import annotations

import json
from typing import Any

import requests
from barkeep.local import LocalApi


def test_generating_an_image_stores_it_and_announces_it(
    api: LocalApi, admin_token: str, menu: dict[str, str], local_aws: Any
) -> None:
    from app import handle_work

    drink_id = menu["Negroni"]
    local_aws.drain_tap()
    assert api.post(f"/admin/drinks/{drink_id}/image", token=admin_token).status == 202
    handle_work({"task": "image", "drink_id": drink_id})  # as the queue delivers it
    events = [
        e
        for e in local_aws.drain_tap(wait_seconds=1) + local_aws.drain_tap()
        if e["detail-type"] == "ImageGenerated"
    ]
    assert len(events) == 1
    data = events[0]["detail"]["data"]
    assert data["drink_id"] == drink_id and data["placeholder"] is True
    assert "/placeholder-" in data["image_url"]
    image = requests.get(data["image_url"], timeout=5)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    s3 = local_aws.client("s3")
    prompt = json.loads(
        s3.get_object(Bucket=local_aws.images_bucket, Key=f"prompts/{drink_id}.json")["Body"].read()
    )
    assert prompt["drink_id"] == drink_id and prompt["model_id"] == "amazon.nova-canvas-v1:0"


def test_image_route_is_admin_only(
    api: LocalApi, guest: dict[str, str], menu: dict[str, str]
) -> None:
    path = f"/admin/drinks/{menu['Negroni']}/image"
    assert api.post(path).status == 401
    assert api.post(path, token=guest["token"]).status == 403
