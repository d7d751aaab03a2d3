"""Loads the seed menu (seed/menu.json) through the service, so its events flow like any
bartender's edit. Idempotent: sections and drinks that already exist by name are left alone."""

from __future__ import annotations

import json
from pathlib import Path

from barkeep.text import name_key

from chalicelib import schemas
from chalicelib.domain import DrinkFilter
from chalicelib.service import MenuService

SEED_FILE = Path(__file__).resolve().parents[1] / "seed" / "menu.json"


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
    return added
