"""An order's note is read by the bartender on the kitchen display: it is normalised to NFC
and refuses what is invisible or turns text around (ADR 0027)."""

from __future__ import annotations

import psycopg
import pytest
from barkeep.local import LocalApi

from tests.conftest import order


@pytest.mark.parametrize("notes", ["\u202eevil", "no\u200bice", "\ufeffextra lime", "a\u2066b"])
def test_a_note_that_hides_or_turns_text_is_refused(
    api: LocalApi, ada: dict[str, str], drink_id: str, notes: str
) -> None:
    # When a guest orders with a note that would lie on the kitchen display
    response = order(api, ada, drink_id, notes=notes)
    # Then it is a 400 on the field, in words, and nothing is ordered
    assert response.status == 400, response.body
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert set(error["details"]["fields"]) == {"notes"}
    assert error["details"]["fields"]["notes"].startswith(
        "Text can't contain invisible or direction-changing characters"
    )
    assert api.get("/orders", token=ada["token"]).json()["orders"] == []


def test_a_note_is_stored_in_nfc_and_keeps_its_lines(
    api: LocalApi, ada: dict[str, str], drink_id: str, clean_database: str
) -> None:
    # When the note is typed with combining marks (NFD), over two lines
    response = order(api, ada, drink_id, notes="  Cre\u0300me on top\nfor A\u030asa ")
    # Then it is kept in NFC, trimmed, its line break kept
    assert response.status == 201, response.body
    placed = response.json()["order"]
    assert placed["notes"] == "Cr\u00e8me on top\nfor \u00c5sa"
    with psycopg.connect(clean_database, autocommit=True) as conn:
        row = conn.execute("SELECT notes FROM orders.orders WHERE id = %s", (placed["id"],))
        assert row.fetchone() == ("Cr\u00e8me on top\nfor \u00c5sa",)


def test_a_note_counts_its_length_after_normalising(
    api: LocalApi, ada: dict[str, str], drink_id: str
) -> None:
    # 200 letters in NFC, 400 code points as typed
    response = order(api, ada, drink_id, notes="e\u0301" * 200)
    assert response.status == 201, response.body
    assert response.json()["order"]["notes"] == "\u00e9" * 200
