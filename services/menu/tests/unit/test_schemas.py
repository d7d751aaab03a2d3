from __future__ import annotations

import pytest
from chalicelib.schemas import DrinkCreate, DrinkPatch, DrinkQuery, SectionCreate
from pydantic import ValidationError

SECTION = "7d3c1f0e-0000-4000-8000-000000000000"


def _create(**overrides: object) -> DrinkCreate:
    import json

    body = {
        "section_id": SECTION,
        "name": "Daiquiri",
        "ingredients": [{"name": "Rum"}],
        **overrides,
    }
    return DrinkCreate.model_validate_json(json.dumps(body), strict=True)


def test_text_is_trimmed_and_tags_lowercased() -> None:
    drink = _create(name="  Daiquiri ", tags=[" Sour", "CLASSIC"])
    assert drink.name == "Daiquiri" and drink.tags == ["sour", "classic"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "tab\there", "nul\x00"])
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(ValidationError):
        _create(name=name)


def test_descriptions_may_span_lines() -> None:
    assert _create(description="Line one\nLine two").description == "Line one\nLine two"


def test_amount_must_be_a_finite_number() -> None:
    with pytest.raises(ValidationError):
        DrinkCreate.model_validate(
            {
                "section_id": SECTION,
                "name": "x",
                "ingredients": [{"name": "Rum", "amount": float("inf")}],
            }
        )


def test_patch_needs_a_field_and_allows_null_only_for_image() -> None:
    with pytest.raises(ValidationError, match="at least one field"):
        DrinkPatch.model_validate({})
    with pytest.raises(ValidationError, match="may not be null"):
        DrinkPatch.model_validate({"name": None})
    assert DrinkPatch.model_validate({"image_url": None}).model_fields_set == {"image_url"}


def test_query_treats_blank_as_absent() -> None:
    assert DrinkQuery.model_validate({"q": "  ", "tag": ""}).q is None


def test_section_order_is_bounded() -> None:
    with pytest.raises(ValidationError):
        SectionCreate.model_validate({"name": "x", "display_order": 10**7})
