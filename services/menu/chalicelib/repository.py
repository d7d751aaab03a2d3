"""Menu SQL. JSON documents are stored as text (DSQL has no jsonb columns) and queried as jsonb
at runtime, so every filter runs in the database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from barkeep.text import name_key

from chalicelib.domain import Drink, DrinkFilter, Ingredient, Section
from chalicelib.errors import DuplicateName
from chalicelib.vocabulary import VERSION, Facts

if TYPE_CHECKING:
    from psycopg import Connection

DRINK_COLUMNS = (
    "id, section_id, name, description, ingredients, recipe_steps, tags, image_url,"
    " is_active, created_at, updated_at, sold_out"
)


def _drink(row: tuple[Any, ...]) -> Drink:
    return Drink(
        id=str(row[0]),
        section_id=str(row[1]),
        name=row[2],
        description=row[3],
        ingredients=tuple(Ingredient.from_json(i) for i in json.loads(row[4])),
        recipe_steps=tuple(json.loads(row[5])),
        tags=tuple(json.loads(row[6])),
        image_url=row[7],
        is_active=row[8],
        created_at=row[9],
        updated_at=row[10],
        sold_out=bool(row[11]),  # NULL on drinks from before the column: not sold out
    )


def _section(row: tuple[Any, ...]) -> Section:
    return Section(id=str(row[0]), name=row[1], description=row[2], display_order=row[3])


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@contextmanager
def _unique_name(kind: str, name: str) -> Iterator[None]:
    """The unique index is the last word on duplicate names, whatever raced past the check."""
    from psycopg import errors

    try:
        yield
    except errors.UniqueViolation:
        raise DuplicateName(kind, name) from None


def _utc(column: str) -> str:
    # Same text as barkeep.events.isoformat: microseconds, 'Z'.
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""


def _sql_text(literal: str) -> str:
    return "'" + literal.replace("'", "''") + "'"


def _json_object(fields: tuple[tuple[str, str, bool], ...]) -> str:
    """SQL that concatenates a JSON object's text: (key, SQL giving the value's JSON text, or
    with `quoted` a value that needs only quotes around it)."""
    pieces: list[str] = []
    literal = "{"
    for i, (key, value, quoted) in enumerate(fields):
        literal += ("," if i else "") + f'"{key}":' + ('"' if quoted else "")
        pieces += [_sql_text(literal), value]
        literal = '"' if quoted else ""
    return " || ".join([*pieces, _sql_text(literal + "}")])


# A drink whose facts were never stored (written before migration 0008, until refresh_facts
# reaches it) is shown as the vocabulary shows an unknown drink: every ingredient unknown, and
# suitable for nothing (ADR 0032). Only evaluated for such rows (coalesce is lazy).
UNDERIVED_FACTS = (
    """'{"contains":[],"unknown_ingredients":' || (SELECT coalesce(jsonb_agg(i.item->'name'),"""
    """ '[]'::jsonb)::text FROM jsonb_array_elements(d.ingredients::jsonb) AS i(item))"""
    """ || ',"suitable_for":[]}'"""
)

# The public Drink document as JSON text, built by the database for the hot public read (the
# handler only joins the rows). Concatenated, not json_build_object(): the JSON columns go out
# as stored instead of being parsed and printed again, which costs the database about half as
# much. `||` with a NULL gives NULL, and only image_url may be NULL. Uuids and the timestamps
# need no escaping; to_json escapes the free text. A test pins it to Drink.to_json.
DRINK_DOCUMENT = _json_object(
    (
        ("id", "d.id", True),
        ("section_id", "d.section_id", True),
        ("name", "to_json(d.name)::text", False),
        ("description", "to_json(d.description)::text", False),
        ("ingredients", "d.ingredients", False),
        ("recipe_steps", "d.recipe_steps", False),
        ("tags", "d.tags", False),
        ("image_url", "coalesce(to_json(d.image_url)::text, 'null')", False),
        ("is_active", "d.is_active::text", False),
        ("sold_out", "coalesce(d.sold_out, false)::text", False),
        ("facts", f"coalesce(d.facts, {UNDERIVED_FACTS})", False),
        ("created_at", _utc("d.created_at"), True),
        ("updated_at", _utc("d.updated_at"), True),
    )
)
DRINK_SELECT = ", ".join("d." + c.strip() for c in DRINK_COLUMNS.split(","))


def drinks_query(f: DrinkFilter, *, select: str = DRINK_SELECT) -> tuple[str, list[Any]]:
    """The SQL for a filtered menu: every filter runs in the database."""
    where: list[str] = []
    params: list[Any] = []
    if not f.include_inactive:
        where.append("d.is_active")
    if f.section_id:
        where.append("d.section_id = %s")
        params.append(f.section_id)
    if f.ingredient:
        where.append(
            "EXISTS (SELECT 1 FROM jsonb_array_elements(d.ingredients::jsonb) AS i(item)"
            " WHERE lower(i.item->>'name') = lower(%s))"
        )
        params.append(f.ingredient)
    if f.tag:
        where.append("d.tags::jsonb @> jsonb_build_array(lower(%s))")
        params.append(f.tag)
    if f.text:
        where.append("(d.name ILIKE %s OR d.description ILIKE %s)")
        params += [_like(f.text), _like(f.text)]
    if f.suitable_for:
        # on the stored facts: a drink whose facts were never derived suits nothing
        where.append("d.facts::jsonb->'suitable_for' @> %s::jsonb")
        params.append(json.dumps(sorted(f.suitable_for)))
    sql = (
        f"SELECT {select}"
        " FROM menu.drinks d LEFT JOIN menu.sections s ON s.id = d.section_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY s.display_order NULLS LAST, d.name_key"
    )
    return sql, params


class MenuRepository:
    # Sections ---------------------------------------------------------------------------
    def sections(self, conn: Connection[Any]) -> list[Section]:
        rows = conn.execute(
            "SELECT id, name, description, display_order FROM menu.sections"
            " ORDER BY display_order, name_key"
        ).fetchall()
        return [_section(r) for r in rows]

    def section(self, conn: Connection[Any], section_id: str) -> Section | None:
        row = conn.execute(
            "SELECT id, name, description, display_order FROM menu.sections WHERE id = %s",
            (section_id,),
        ).fetchone()
        return _section(row) if row else None

    def claim_section(self, conn: Connection[Any], section_id: str) -> Section | None:
        """Read the section and make it part of this transaction's writes.

        A drink added to a section and the section's deletion must conflict. Both DSQL (OCC on
        written keys) and PostgreSQL under snapshot isolation (40001 on a concurrently updated
        row) see a conflict between two writes; they do not both see one between two locking
        reads, hence a no-op UPDATE rather than SELECT ... FOR UPDATE.
        """
        row = conn.execute(
            "UPDATE menu.sections SET updated_at = updated_at WHERE id = %s"
            " RETURNING id, name, description, display_order",
            (section_id,),
        ).fetchone()
        return _section(row) if row else None

    def section_name_taken(
        self, conn: Connection[Any], name: str, *, except_id: str | None = None
    ) -> bool:
        row = conn.execute(
            "SELECT 1 FROM menu.sections WHERE name_key = %s AND id IS DISTINCT FROM %s",
            (name_key(name), except_id),
        ).fetchone()
        return row is not None

    def insert_section(self, conn: Connection[Any], section: Section) -> None:
        with _unique_name("section", section.name):
            conn.execute(
                "INSERT INTO menu.sections (id, name, name_key, description, display_order)"
                " VALUES (%s, %s, %s, %s, %s)",
                (
                    section.id,
                    section.name,
                    name_key(section.name),
                    section.description,
                    section.display_order,
                ),
            )

    def update_section(self, conn: Connection[Any], section: Section) -> None:
        with _unique_name("section", section.name):
            conn.execute(
                "UPDATE menu.sections SET name = %s, name_key = %s, description = %s,"
                " display_order = %s, updated_at = now() WHERE id = %s",
                (
                    section.name,
                    name_key(section.name),
                    section.description,
                    section.display_order,
                    section.id,
                ),
            )

    def delete_section(self, conn: Connection[Any], section_id: str) -> None:
        conn.execute("DELETE FROM menu.sections WHERE id = %s", (section_id,))

    def count_drinks_in(self, conn: Connection[Any], section_id: str) -> int:
        row = conn.execute(
            "SELECT count(*) FROM menu.drinks WHERE section_id = %s", (section_id,)
        ).fetchone()
        return int(row[0]) if row else 0

    # Drinks -----------------------------------------------------------------------------
    def drinks(self, conn: Connection[Any], f: DrinkFilter) -> list[Drink]:
        sql, params = drinks_query(f)
        return [_drink(r) for r in conn.execute(sql, params).fetchall()]

    def first_time(self, conn: Connection[Any], event_id: str) -> bool:
        """Record a consumed event; False if it was handled before."""
        row = conn.execute(
            "INSERT INTO menu.processed_events (event_id) VALUES (%s)"
            " ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
            (event_id,),
        ).fetchone()
        return row is not None

    def drinks_document(self, conn: Connection[Any], f: DrinkFilter) -> str:
        """`{"drinks": [...]}` as JSON text, assembled from documents the database built."""
        sql, params = drinks_query(f, select=DRINK_DOCUMENT)
        rows = conn.execute(sql, params).fetchall()
        return '{"drinks":[' + ",".join(row[0] for row in rows) + "]}"

    def drink(self, conn: Connection[Any], drink_id: str, *, lock: bool = False) -> Drink | None:
        row = conn.execute(
            f"SELECT {DRINK_COLUMNS} FROM menu.drinks WHERE id = %s"
            + (" FOR UPDATE" if lock else ""),
            (drink_id,),
        ).fetchone()
        return _drink(row) if row else None

    def drink_name_taken(
        self, conn: Connection[Any], name: str, *, except_id: str | None = None
    ) -> bool:
        row = conn.execute(
            "SELECT 1 FROM menu.drinks WHERE name_key = %s AND id IS DISTINCT FROM %s",
            (name_key(name), except_id),
        ).fetchone()
        return row is not None

    def insert_drink(self, conn: Connection[Any], drink: Drink) -> None:
        with _unique_name("drink", drink.name):
            conn.execute(
                f"INSERT INTO menu.drinks ({DRINK_COLUMNS}, name_key, facts, facts_version)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    *self._drink_values(drink),
                    drink.created_at,
                    drink.updated_at,
                    drink.sold_out,
                    name_key(drink.name),
                    *self._facts_values(drink.facts),
                ),
            )

    def update_drink(self, conn: Connection[Any], drink: Drink) -> None:
        values = self._drink_values(drink)
        with _unique_name("drink", drink.name):
            conn.execute(
                "UPDATE menu.drinks SET section_id = %s, name = %s, description = %s,"
                " ingredients = %s, recipe_steps = %s, tags = %s, image_url = %s,"
                " is_active = %s, updated_at = %s, sold_out = %s, name_key = %s, facts = %s,"
                " facts_version = %s WHERE id = %s",
                (
                    *values[1:],
                    drink.updated_at,
                    drink.sold_out,
                    name_key(drink.name),
                    *self._facts_values(drink.facts),
                    drink.id,
                ),
            )

    def stale_facts(
        self, conn: Connection[Any], *, limit: int
    ) -> list[tuple[Drink, dict[str, Any] | None]]:
        """Drinks whose stored facts are missing or from another vocabulary version, each with
        the facts stored (None when missing); locked, as the refresh rewrites them."""
        rows = conn.execute(
            f"SELECT {DRINK_COLUMNS}, facts FROM menu.drinks"
            " WHERE facts IS NULL OR facts_version IS DISTINCT FROM %s"
            " ORDER BY id LIMIT %s FOR UPDATE",
            (VERSION, limit),
        ).fetchall()
        return [(_drink(r), json.loads(r[12]) if r[12] is not None else None) for r in rows]

    def store_facts(self, conn: Connection[Any], drink_id: str, facts: Facts) -> None:
        conn.execute(
            "UPDATE menu.drinks SET facts = %s, facts_version = %s WHERE id = %s",
            (*self._facts_values(facts), drink_id),
        )

    def delete_drink(self, conn: Connection[Any], drink_id: str) -> None:
        conn.execute("DELETE FROM menu.drinks WHERE id = %s", (drink_id,))

    @staticmethod
    def _facts_values(facts: Facts) -> tuple[str, int]:
        return json.dumps(facts.to_json()), VERSION

    @staticmethod
    def _drink_values(drink: Drink) -> tuple[Any, ...]:
        return (
            drink.id,
            drink.section_id,
            drink.name,
            drink.description,
            json.dumps([i.to_json() for i in drink.ingredients]),
            json.dumps(list(drink.recipe_steps)),
            json.dumps(list(drink.tags)),
            drink.image_url,
            drink.is_active,
        )
