"""orders may read `menu.orderable_drinks` and nothing else of the menu (ADR 0005)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest


def _as(url: str, role: str, sql: str) -> list[Any]:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"SET ROLE {role}")
        return conn.execute(sql).fetchall()


@pytest.mark.parametrize("role", ["orders_reader", "orders_writer"])
def test_orders_roles_read_the_view_only(
    api: Any, clean_database: str, drink: dict[str, Any], role: str
) -> None:
    rows = _as(clean_database, role, "SELECT id::text, name, is_active FROM menu.orderable_drinks")
    assert rows == [(drink["id"], drink["name"], True)]
    for table in ("menu.drinks", "menu.sections", "menu.outbox"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            _as(clean_database, role, f"SELECT 1 FROM {table}")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _as(clean_database, role, "DELETE FROM menu.orderable_drinks")


def test_menu_writer_owns_its_tables(api: Any, clean_database: str, drink: dict[str, Any]) -> None:
    assert _as(clean_database, "menu_writer", "SELECT count(*) FROM menu.drinks") == [(1,)]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _as(clean_database, "menu_reader", "DELETE FROM menu.drinks")
