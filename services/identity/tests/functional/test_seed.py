"""The local stack's seed (devstack calls it on every start): idempotent, so a restart keeps the
invite link guests were given instead of opening another 50 seats each time."""

from __future__ import annotations

from barkeep.local import LocalApi


def test_a_restart_keeps_the_printed_invite_while_it_is_good(api: LocalApi) -> None:
    from chalicelib import wiring
    from chalicelib.seed import load_seed

    identity = wiring.identity()
    first = load_seed(identity)
    again = load_seed(identity)
    assert again["invite"] == first["invite"]
    assert [c.created_by for c in identity.codes()] == ["make dev"]

    # Once the bartender revokes it, the next start makes a fresh one
    (code,) = identity.codes()
    identity.revoke_code(code.code)
    fresh = load_seed(identity)
    assert fresh["invite"] != first["invite"]
    assert len(identity.codes()) == 2
