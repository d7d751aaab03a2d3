"""ai SQL: the menu read model, processed events, image prompts, conversations."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.providers.base import DrinkFacts, ImagePrompt, MenuDrink, Turn

if TYPE_CHECKING:
    from psycopg import Connection


_DRINK_COLUMNS = "id, name, description, ingredients, tags, is_active, sold_out, facts"


def _drink(row: tuple[Any, ...]) -> MenuDrink:
    return MenuDrink(
        id=str(row[0]),
        name=row[1],
        description=row[2],
        ingredients=tuple(json.loads(row[3])),
        tags=tuple(json.loads(row[4])),
        is_active=row[5],
        sold_out=bool(row[6]),
        facts=DrinkFacts.parse(json.loads(row[7])) if row[7] else None,
    )


class AiRepository:
    def first_time(self, conn: Connection[Any], event_id: str) -> bool:
        """Record the event; False if it was processed before (consumers are idempotent)."""
        row = conn.execute(
            "INSERT INTO ai.processed_events (event_id) VALUES (%s)"
            " ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
            (event_id,),
        ).fetchone()
        return row is not None

    def upsert_drink(self, conn: Connection[Any], drink: MenuDrink, updated_at: datetime) -> None:
        """Apply a drink's state unless a newer one is already here (events may come late)."""
        conn.execute(
            "INSERT INTO ai.menu_drinks (id, name, description, ingredients, tags, is_active,"
            " sold_out, facts, source_updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name,"
            " description = EXCLUDED.description, ingredients = EXCLUDED.ingredients,"
            " tags = EXCLUDED.tags, is_active = EXCLUDED.is_active, sold_out = EXCLUDED.sold_out,"
            " facts = EXCLUDED.facts, source_updated_at = EXCLUDED.source_updated_at"
            " WHERE ai.menu_drinks.source_updated_at <= EXCLUDED.source_updated_at",
            (
                drink.id,
                drink.name,
                drink.description,
                json.dumps(list(drink.ingredients)),
                json.dumps(list(drink.tags)),
                drink.is_active,
                drink.sold_out,
                json.dumps(drink.facts.to_json()) if drink.facts else None,
                updated_at,
            ),
        )

    def delete_drink(self, conn: Connection[Any], drink_id: str) -> None:
        conn.execute("DELETE FROM ai.menu_drinks WHERE id = %s", (drink_id,))

    def drink(self, conn: Connection[Any], drink_id: str) -> MenuDrink | None:
        row = conn.execute(
            f"SELECT {_DRINK_COLUMNS} FROM ai.menu_drinks WHERE id = %s",
            (drink_id,),
        ).fetchone()
        return _drink(row) if row else None

    def active_menu(self, conn: Connection[Any]) -> list[MenuDrink]:
        rows = conn.execute(
            f"SELECT {_DRINK_COLUMNS} FROM ai.menu_drinks WHERE is_active ORDER BY name"
        ).fetchall()
        return [_drink(r) for r in rows]

    def save_prompt(
        self, conn: Connection[Any], drink_id: str, prompt: ImagePrompt, provider: str, at: datetime
    ) -> None:
        conn.execute(
            "INSERT INTO ai.image_prompts (drink_id, prompt, negative_prompt, model_id, provider,"
            " generated_at) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (drink_id) DO UPDATE"
            " SET prompt = EXCLUDED.prompt, negative_prompt = EXCLUDED.negative_prompt,"
            " model_id = EXCLUDED.model_id, provider = EXCLUDED.provider,"
            " generated_at = EXCLUDED.generated_at",
            (drink_id, prompt.prompt, prompt.negative_prompt, prompt.model_id, provider, at),
        )

    def prompt(self, conn: Connection[Any], drink_id: str) -> tuple[ImagePrompt, datetime] | None:
        row = conn.execute(
            "SELECT prompt, negative_prompt, model_id, generated_at FROM ai.image_prompts"
            " WHERE drink_id = %s",
            (drink_id,),
        ).fetchone()
        return (ImagePrompt(row[0], row[1], row[2]), row[3]) if row else None

    def conversation_owner(self, conn: Connection[Any], conversation_id: str) -> str | None:
        row = conn.execute(
            "SELECT user_key FROM ai.conversations WHERE id = %s", (conversation_id,)
        ).fetchone()
        return str(row[0]) if row else None

    def start_conversation(
        self, conn: Connection[Any], conversation_id: str, user_key: str, at: datetime
    ) -> None:
        conn.execute(
            "INSERT INTO ai.conversations (id, user_key, created_at, updated_at)"
            " VALUES (%s, %s, %s, %s)",
            (conversation_id, user_key, at, at),
        )

    def history(self, conn: Connection[Any], conversation_id: str, limit: int) -> list[Turn]:
        rows = conn.execute(
            "SELECT role, text FROM ai.conversation_messages WHERE conversation_id = %s"
            " ORDER BY seq DESC LIMIT %s",
            (conversation_id, limit),
        ).fetchall()
        return [Turn(r[0], r[1]) for r in reversed(rows)]

    def append(
        self,
        conn: Connection[Any],
        conversation_id: str,
        turns: list[Turn],
        at: datetime,
        keep: int,
        *,
        suggested: list[str] | None = None,
    ) -> None:
        """Append the turns; the last (the assistant's) keeps the drink ids it suggested."""
        row = conn.execute(
            "SELECT coalesce(max(seq), 0) FROM ai.conversation_messages WHERE conversation_id = %s",
            (conversation_id,),
        ).fetchone()
        seq = int(row[0]) if row else 0
        for n, turn in enumerate(turns, 1):
            seq += 1
            ids = (
                json.dumps(suggested or [])
                if n == len(turns) and turn.role == "assistant"
                else None
            )
            conn.execute(
                "INSERT INTO ai.conversation_messages (conversation_id, seq, role, text,"
                " created_at, suggested_drink_ids) VALUES (%s, %s, %s, %s, %s, %s)",
                (conversation_id, seq, turn.role, turn.text[:4000], at, ids),
            )
        conn.execute(  # bounded history: keep the last `keep` messages
            "DELETE FROM ai.conversation_messages WHERE conversation_id = %s AND seq <= %s",
            (conversation_id, seq - keep),
        )
        conn.execute(
            "UPDATE ai.conversations SET updated_at = %s WHERE id = %s", (at, conversation_id)
        )

    def messages(
        self, conn: Connection[Any], conversation_id: str, limit: int
    ) -> list[tuple[str, str, list[str], datetime]]:
        """(role, text, suggested drink ids, created_at), oldest first."""
        rows = conn.execute(
            "SELECT role, text, suggested_drink_ids, created_at FROM ai.conversation_messages"
            " WHERE conversation_id = %s ORDER BY seq DESC LIMIT %s",
            (conversation_id, limit),
        ).fetchall()
        return [(r[0], r[1], json.loads(r[2]) if r[2] else [], r[3]) for r in reversed(rows)]
