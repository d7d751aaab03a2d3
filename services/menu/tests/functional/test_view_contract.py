"""orders may read `menu.orderable_drinks` and `menu.drink_stock` and nothing else of the menu
(ADR 0005, ADR 0029)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from barkeep.local import LocalApi


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


@pytest.mark.parametrize("role", ["orders_reader", "orders_writer"])
def test_orders_roles_read_whether_a_drink_is_sold_out(
    api: LocalApi, admin_token: str, clean_database: str, drink: dict[str, Any], role: str
) -> None:
    sql = "SELECT drink_id::text, sold_out FROM menu.drink_stock"
    assert _as(clean_database, role, sql) == [(drink["id"], False)]
    api.patch(f"/admin/drinks/{drink['id']}", token=admin_token, json_body={"sold_out": True})
    assert _as(clean_database, role, sql) == [(drink["id"], True)]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _as(clean_database, role, "DELETE FROM menu.drink_stock")


def test_drink_stock_shows_only_the_id_and_sold_out(clean_database: str) -> None:
    # the contract is these two columns: anything more is a new decision (ADR 0005)
    with psycopg.connect(clean_database, autocommit=True) as conn:
        columns = conn.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = 'menu' AND table_name = %s ORDER BY ordinal_position",
            ("drink_stock",),
        ).fetchall()
        old = conn.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = 'menu' AND table_name = %s ORDER BY ordinal_position",
            ("orderable_drinks",),
        ).fetchall()
    assert [c[0] for c in columns] == ["drink_id", "sold_out"]
    assert [c[0] for c in old] == ["id", "name", "is_active"]


def test_menu_writer_owns_its_tables(api: Any, clean_database: str, drink: dict[str, Any]) -> None:
    assert _as(clean_database, "menu_writer", "SELECT count(*) FROM menu.drinks") == [(1,)]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _as(clean_database, "menu_reader", "DELETE FROM menu.drinks")
