"""Every ai route answers bad input with a clear 4xx in the envelope, never a 5xx."""

from __future__ import annotations

import pytest
from barkeep.local import LocalApi
from barkeep.testing.hostile import DEEP_BODIES, answers_on_json_routes


@pytest.mark.parametrize("raw", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
def test_deeply_nested_json_is_400_on_every_json_route(
    api: LocalApi, guest: dict[str, str], admin_token: str, raw: bytes
) -> None:
    # When a small body nests deeper than the JSON parser's stack, on every route with a body
    answers = answers_on_json_routes(api, raw, admin=admin_token, guest=guest["token"])
    # Then each refuses it as malformed input, in the envelope (it was a 500)
    assert len(answers) >= 2
    assert set(answers.values()) == {(400, "validation_error")}, answers
