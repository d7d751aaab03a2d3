"""A short party in `make test`: tens of guests at once, bartenders racing, displays following,
the menu changing mid-party. It fails on anything lost, wrong or 5xx — never on timing (the
long run with its numbers is `make bench`)."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterator
from typing import Any

import pytest
from barkeep.testing.party import Party, PartyPlan
from barkeep.testing.stack import launch_throwaway_stack

SHORT = PartyPlan(guests=24, orders=48, join_seconds=2, order_seconds=8, settle_seconds=20)


@pytest.fixture(scope="module")
def short_party() -> Iterator[tuple[Party, dict[str, Any]]]:
    with launch_throwaway_stack() as stack:
        party = Party(stack, SHORT, database_url=stack.database_url())
        yield party, asyncio.run(party.run())


def test_a_short_party_loses_nothing_and_ends_where_the_database_does(
    short_party: tuple[Party, dict[str, Any]],
) -> None:
    party, report = short_party
    assert party.problems(report) == []
    # it was a party: people joined, ordered, raced, and the menu changed under them
    assert report["guests_joined"] == SHORT.guests
    assert report["orders_accepted"] >= SHORT.orders * 0.8
    assert report["moves_accepted"] >= report["orders_accepted"]
    assert report["final_state"]["database"]["checked"]
    assert report["double_taps"]["taps"] >= 1
    assert report["endpoints"]["PATCH /admin/drinks/{id}"]["statuses"] == {"200": 2}


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("lost", "guests"), 1),
        (("errors", "count"), 1),
        (("final_state", "guest_last_state_wrong"), 1),
        (("final_state", "orders_never_acknowledged"), 1),
        (("final_state", "displays", "display 0", "equals_queue"), False),
        (("double_taps", "different_orders"), 1),
    ],
)
def test_the_checks_catch_what_they_are_for(
    short_party: tuple[Party, dict[str, Any]], path: tuple[str, ...], value: Any
) -> None:
    party, report = short_party
    broken = copy.deepcopy(report)
    where = broken
    for key in path[:-1]:
        where = where[key]
    where[path[-1]] = value
    assert party.problems(broken)
