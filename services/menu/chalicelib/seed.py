"""Loads the seed menu (seed/menu.json) through the service, so its events flow like any
bartender's edit. Idempotent: sections and drinks that already exist by name are left alone.
It also points the local stack's photos at this run's address (`rehome_local_photos`)."""

from __future__ import annotations

import ipaddress
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from barkeep.text import name_key

from chalicelib import schemas
from chalicelib.domain import DrinkFilter
from chalicelib.service import MenuService
from chalicelib.storage import S3ImageUploads

SEED_FILE = Path(__file__).resolve().parents[1] / "seed" / "menu.json"


# A photo in a local stack's bucket, as saved: moto's own URL under `make dev`, the gateway's
# `/aws/` under `make party` (ADR 0035).
_LOCAL_PHOTO = re.compile(r"^https?://[^/]+(?:/aws)?/(?P<bucket>[^/?#]+)/(?P<key>drinks/[^?#]+)$")


def load_seed(menu: MenuService, path: Path = SEED_FILE) -> dict[str, int]:
    data = json.loads(path.read_text(encoding="utf-8"))
    menu.refresh_facts()  # drinks from before the stored facts, or of an older vocabulary
    sections = {name_key(s.name): s for s in menu.sections()}
    drinks = {name_key(d.name) for d in menu.drinks(DrinkFilter(include_inactive=True))}
    added = {"sections": 0, "drinks": 0}
    for entry in data["sections"]:
        section = sections.get(name_key(entry["name"]))
        if section is None:
            section = menu.create_section(
                schemas.SectionCreate.model_validate(
                    {k: entry[k] for k in ("name", "description", "display_order")}
                )
            )
            added["sections"] += 1
        for drink in entry["drinks"]:
            if name_key(drink["name"]) in drinks:
                continue
            menu.create_drink(
                schemas.DrinkCreate.model_validate({**drink, "section_id": section.id})
            )
            added["drinks"] += 1
    added["photos moved to this address"] = rehome_local_photos(menu)
    return added


def rehome_local_photos(menu: MenuService) -> int:
    """Point photos of this stack's bucket, saved at another local address, at this run's.

    A photo's URL names the address it was saved at: moto's port under `make dev`, the
    laptop's LAN address under `make party`. Photos added the day before with `make dev` would
    not load at the party (a phone cannot open 127.0.0.1, and an HTTPS page loads no http
    image), nor after the laptop gets another address. Only URLs on this machine's own or a
    private address are moved; a bartender's link to a photo elsewhere is left alone."""
    uploads = menu.uploads
    if not isinstance(uploads, S3ImageUploads) or not uploads.public_base_url:
        return 0
    moved = 0
    for drink in menu.drinks(DrinkFilter(include_inactive=True)):
        found = _LOCAL_PHOTO.match(drink.image_url or "")
        if found is None or found["bucket"] != uploads.bucket or not _local(drink.image_url):
            continue
        here = uploads.public_url(found["key"])
        if drink.image_url != here:
            menu.update_drink(drink.id, schemas.DrinkPatch(image_url=here))
            moved += 1
    return moved


def _local(url: str | None) -> bool:
    host = urlsplit(url or "").hostname or ""
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private
