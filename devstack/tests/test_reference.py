"""docs/reference is what the code says: regenerate it with `make docs` when this fails."""

from __future__ import annotations

from devstack.reference import OUT, render, stale


def test_the_committed_reference_matches_the_code() -> None:
    assert stale() == [], "run `make docs` and commit docs/reference"


def test_the_reference_covers_every_service_event_and_channel() -> None:
    files = render()
    assert {"menu.md", "identity.md", "orders.md", "ai.md", "events.md", "realtime.md"} <= set(
        files
    )
    assert "`POST` | `/orders`" not in files["orders.md"]  # methods are upper case, unquoted
    assert "| POST | `/orders` | guest |" in files["orders.md"]
    assert (
        "| `DrinkCreated` | `barkeep.menu` | [DrinkOut](menu.md#drinkout) | ai (queue `work`) |"
        in files["events.md"]
    )
    assert "`/orders/{user_key}`" in files["realtime.md"]
    assert "| orgeat syrup | `nuts`, `sugar` |" in files["ingredients.md"]  # the vocabulary
    assert "| `vegan` | `animal` |" in files["ingredients.md"]
    rule = "[a name people read](README.md#text-people-read)"  # ADR 0027, marked at the field
    assert (
        f"| `username` | string | yes | length ≥ 2, length ≤ 50, {rule} |" in files["identity.md"]
    )
    assert (OUT / "README.md").exists()
