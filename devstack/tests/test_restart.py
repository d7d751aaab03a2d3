"""A restart of `make dev` keeps what a user made in moto: photos, signing keys, the admin
(ADR 0022). The real stack, started three times on one data directory: stopped cleanly once,
killed with SIGKILL once."""

from __future__ import annotations

import base64
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from barkeep.testing.database import traversable_tempdir
from barkeep.testing.stack import RunningStack, launch_stack

pytestmark = pytest.mark.xdist_group("stack")


@pytest.fixture
def data_dir() -> Iterator[Path]:
    folder = traversable_tempdir("barkeep-restart-")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims


def _upload_photo(stack: RunningStack, admin: dict[str, str]) -> tuple[str, str, bytes]:
    """A new photo for the first drink, as the menu editor uploads it; (drink id, URL, bytes)."""
    menu = stack.api("menu")
    drink = requests.get(f"{menu}/admin/drinks", headers=admin, timeout=10).json()["drinks"][0]
    grant = requests.post(
        f"{menu}/admin/drinks/{drink['id']}/image-upload",
        headers=admin,
        json={"content_type": "image/png"},
        timeout=10,
    )
    assert grant.status_code == 200, grant.text
    offer = grant.json()
    photo = b"\x89PNG\r\n\x1a\n" + os.urandom(2048)
    sent = requests.post(
        offer["upload"]["url"],
        data=offer["upload"]["fields"],
        files={"file": ("photo.png", photo, "image/png")},
        timeout=10,
    )
    assert sent.status_code < 300, sent.text
    patched = requests.patch(
        f"{menu}/admin/drinks/{drink['id']}",
        headers=admin,
        json={"image_url": offer["image_url"]},
        timeout=10,
    )
    assert patched.status_code == 200, patched.text
    return drink["id"], offer["image_url"], photo


def _join(stack: RunningStack, admin: dict[str, str], name: str) -> str:
    """A guest joins through a fresh invite; their access token."""
    identity = stack.api("identity")
    code = requests.post(
        f"{identity}/admin/registration-codes", headers=admin, json={"max_uses": 1}, timeout=10
    ).json()["registration_code"]["code"]
    joined = requests.post(
        f"{identity}/register",
        headers={"X-Registration-Code": code},
        json={"username": name},
        timeout=10,
    )
    assert joined.status_code == 201, joined.text
    token: str = joined.json()["access_token"]
    return token


def _guest_name(stack: RunningStack, token: str) -> Any:
    me = requests.get(f"{stack.api('identity')}/me", headers=_bearer(token), timeout=10)
    return me.json().get("user", {}).get("username") if me.ok else me.status_code


def _photo_of(stack: RunningStack, drink_id: str) -> tuple[str, bytes | int]:
    drink = requests.get(f"{stack.api('menu')}/drinks/{drink_id}", timeout=10).json()["drink"]
    served = requests.get(drink["image_url"], timeout=10)
    return drink["image_url"], served.content if served.ok else served.status_code


def test_a_restart_keeps_photos_guest_tokens_and_the_admin(data_dir: Path) -> None:
    # Given a stack where the bartender uploaded a photo and a guest joined
    with launch_stack(data_dir) as first:
        port = int(first.base.rsplit(":", 1)[1])  # guest tokens name the gateway as issuer
        admin_token = first.admin_token()
        admin = _bearer(admin_token)
        drink_id, image_url, photo = _upload_photo(first, admin)
        guest = _join(first, admin, "Ada")
        pool_id = first.config["auth"]["user_pool_id"]
        client_id = first.config["auth"]["client_id"]
        assert _guest_name(first, guest) == "Ada"

    # When it is stopped and started again on the same data
    with launch_stack(data_dir, port=port) as second:
        # Then the photo is still there, byte for byte, where the drink says
        assert _photo_of(second, drink_id) == (image_url, photo)
        # And the guest's access token still works (the same signing keys)
        assert _guest_name(second, guest) == "Ada"
        # And the admin is the same user in the same pool: their token from before still
        # works, and signing in again gives the same subject
        assert second.config["auth"]["user_pool_id"] == pool_id
        assert second.config["auth"]["client_id"] == client_id
        drinks = requests.get(f"{second.api('menu')}/admin/drinks", headers=admin, timeout=10)
        assert drinks.status_code == 200
        again = second.admin_token()
        assert _claims(again)["sub"] == _claims(admin_token)["sub"]

        # Given a second photo and guest, then a crash: no clean shutdown at all
        drink_2, image_2, photo_2 = _upload_photo(second, _bearer(again))
        guest_2 = _join(second, _bearer(again), "Grace")
        second.kill()

    # Then what was answered before the crash is there after it
    with launch_stack(data_dir, port=port) as third:
        assert _photo_of(third, drink_2) == (image_2, photo_2)
        assert _guest_name(third, guest_2) == "Grace"
        assert _guest_name(third, guest) == "Ada"
        assert third.config["auth"]["user_pool_id"] == pool_id
