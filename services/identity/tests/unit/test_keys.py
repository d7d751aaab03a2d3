from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from chalicelib.keys import KeySet, generate_key

T0 = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)
KEEP = timedelta(minutes=21)


def test_rotation_retires_the_old_key_and_drops_it_once_no_token_needs_it() -> None:
    first = KeySet((generate_key(T0),))
    second = first.rotated(T0 + timedelta(hours=1), KEEP)
    old, new = first.active(), second.active()
    assert old.kid != new.kid
    # right after rotation both verify
    assert {k.kid for k in second.verifying(T0 + timedelta(hours=1, minutes=20), KEEP)} == {
        old.kid,
        new.kid,
    }
    # once the keep window has passed, only the new one
    assert [k.kid for k in second.verifying(T0 + timedelta(hours=1, minutes=22), KEEP)] == [new.kid]
    # and the next rotation forgets the long-retired key altogether
    third = second.rotated(T0 + timedelta(hours=3), KEEP)
    assert old.kid not in {k.kid for k in third.keys}


def test_the_set_round_trips_through_json() -> None:
    keys = KeySet((generate_key(T0),)).rotated(T0 + timedelta(hours=1), KEEP)
    again = KeySet.from_json(keys.to_json())
    assert again == keys


def test_a_set_without_an_active_key_is_an_error() -> None:
    retired = KeySet((generate_key(T0),)).rotated(T0, KEEP)
    only_old = KeySet(tuple(k for k in retired.keys if k.retired_at is not None))
    with pytest.raises(RuntimeError):
        only_old.active()
