"""The bartender's menu editing in the browser, seen live by a guest: a new drink appears, its
photo uploads straight to S3 with progress, and taking it off the menu removes it at once."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import shoot, sign_in_admin
from .test_party import create_invite, join

pytestmark = pytest.mark.xdist_group("stack")


def png(width: int = 8, height: int = 8) -> bytes:
    """A small, valid PNG (amber square), made here so the test needs no image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\xf2\xb1\x38" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_bartender_edits_the_menu_and_the_guest_sees_it_live(
    phone: Any, desktop: Any, artifacts: Path
) -> None:
    # Given a guest looking at the menu on their phone
    bar = desktop.new_page()
    sign_in_admin(bar)
    guest = phone.new_page()
    join(guest, create_invite(bar), "Iris")
    guest.evaluate("window.__sameDocument = true")

    # When the bartender adds a drink
    bar.goto("/admin/menu")
    bar.get_by_role("button", name="Add drink", exact=True).click()
    form = bar.get_by_role("dialog")
    form.get_by_label("Name", exact=True).fill("Midnight Fizz")
    form.get_by_label("Description").fill("Gin, blackberry and tonic under a purple haze")
    form.get_by_label("Ingredient name").fill("Gin")
    form.get_by_label("Amount").fill("5")
    form.get_by_label("Unit").select_option("cl")
    form.get_by_role("button", name="Add ingredient").click()
    form.get_by_label("Ingredient name").nth(1).fill("Tonic")
    form.get_by_label("Unit").nth(1).select_option("top")
    form.get_by_label("Recipe steps").fill("Build over ice.\nTop with tonic.")
    form.get_by_label("Tags").fill("fizzy, e2e")
    shoot(bar, artifacts, "desktop-admin-drink-form")
    form.get_by_role("button", name="Save drink").click()

    # Then it is in the editor, and on the guest's phone without a reload
    expect(bar.get_by_role("checkbox", name="Available: Midnight Fizz")).to_be_checked()
    expect(guest.get_by_role("heading", name="Midnight Fizz")).to_be_visible(timeout=5_000)

    # When the bartender uploads a photo for it
    bar.get_by_role("button", name="Edit Midnight Fizz").click()
    editor = bar.get_by_role("dialog")
    editor.get_by_label("Photo", exact=True).set_input_files(
        {"name": "fizz.png", "mimeType": "image/png", "buffer": png()}
    )
    # Then it goes straight to the image store and onto the drink
    photo = editor.locator("img[src*='/drinks/']")
    expect(photo).to_be_visible(timeout=10_000)
    image_url = photo.get_attribute("src")
    assert image_url and bar.request.get(image_url).ok
    expect(guest.locator(f"img[src='{image_url}']")).to_have_count(1, timeout=5_000)
    shoot(bar, artifacts, "desktop-admin-drink-editor")
    editor.get_by_role("button", name="Close").click()

    # When the bartender takes it off the menu, it leaves the guest's menu at once
    bar.get_by_role("checkbox", name="Available: Midnight Fizz").uncheck()
    expect(guest.get_by_role("heading", name="Midnight Fizz")).to_have_count(0, timeout=5_000)
    assert guest.evaluate("window.__sameDocument") is True
