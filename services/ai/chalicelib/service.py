"""AI use cases. Providers are never trusted with ids: every drink they name is checked
against the live menu (the read model) before it leaves the service."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from barkeep.db import Database
from barkeep.errors import NotFound
from barkeep.events import Publisher, Writer, isoformat, utcnow
from barkeep.observability import get_logger

from chalicelib.providers.base import (
    DrinkFacts,
    ImagePrompt,
    MenuDrink,
    Provider,
    ProviderError,
    Recommendation,
    Turn,
)
from chalicelib.providers.offline import OfflineProvider
from chalicelib.repository import AiRepository
from chalicelib.scoring import Wishes, rank

log = get_logger("barkeep.ai")
T = TypeVar("T")
HISTORY_KEPT = 20


class ConversationNotFound(NotFound):
    code = "conversation_not_found"

    def __init__(self) -> None:
        super().__init__("No such conversation")


class PromptNotFound(NotFound):
    code = "prompt_not_found"

    def __init__(self) -> None:
        super().__init__("No photo prompt for this drink yet")


@dataclass(frozen=True)
class ChatResult:
    conversation_id: str
    reply: str
    suggested: list[MenuDrink]


class MenuSearch:
    """The chat's menu tool over the read model: what a model may look up, nothing more."""

    def __init__(self, menu: list[MenuDrink]) -> None:
        self.menu = menu

    def search(
        self,
        *,
        text: str = "",
        ingredient: str = "",
        tag: str = "",
        exclude_alcohol: bool = False,
        limit: int = 5,
    ) -> list[MenuDrink]:
        found = [d for d in self.menu if d.orderable and not (exclude_alcohol and d.is_alcoholic)]
        if tag:
            found = [d for d in found if tag.lower() in d.tags]
        if ingredient:
            want = ingredient.lower()
            found = [d for d in found if any(want == i.lower() for i in d.ingredients)]
        if text:
            ranked = rank(found, Wishes.from_text(text), limit=max(1, min(limit, 20)))
            return [m.drink for m in ranked if m.score > 0]
        return found[: max(1, min(limit, 30))]


class ImageStore(Protocol):
    """Where generated images and prompts go (the images bucket)."""

    def put(self, key: str, body: bytes, content_type: str) -> str: ...


class AiService:
    def __init__(
        self,
        db: Database,
        repo: AiRepository,
        provider: Provider,
        *,
        images: ImageStore | None = None,
        publisher: Publisher | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.repo = repo
        self.provider = provider
        self.offline = OfflineProvider()
        self.images = images
        self.write = Writer(db, "ai", "barkeep.ai", publisher) if publisher else None
        self.clock = clock

    # The menu read model ----------------------------------------------------------------
    def apply_menu_event(self, event: dict[str, Any]) -> MenuDrink | None:
        """Project a Drink event into the read model; the drink if it needs a photo prompt."""
        meta, data = event["metadata"], event["data"]
        kind = meta["event_type"]

        def work(conn: Any) -> MenuDrink | None:
            if not self.repo.first_time(conn, meta["event_id"]):
                return None
            if kind == "DrinkDeleted":
                self.repo.delete_drink(conn, data["drink_id"])
                return None
            drink = MenuDrink(
                id=data["id"],
                name=data["name"],
                description=data.get("description", ""),
                ingredients=tuple(i["name"] for i in data.get("ingredients", [])),
                tags=tuple(data.get("tags", [])),
                is_active=bool(data.get("is_active", True)),
                sold_out=bool(data.get("sold_out", False)),
                facts=DrinkFacts.parse(data.get("facts")),
            )
            self.repo.upsert_drink(conn, drink, datetime.fromisoformat(data["updated_at"]))
            return drink

        return self.db.transaction(work, name="menu-event")

    def menu(self) -> list[MenuDrink]:
        return self.db.transaction(self.repo.active_menu, name="menu")

    # Photo prompts ------------------------------------------------------------------------
    def generate_prompt(self, drink_id: str) -> ImagePrompt:
        drink = self.db.transaction(lambda c: self.repo.drink(c, drink_id), name="drink")
        if drink is None:
            raise NotFound("No such drink", code="drink_not_found")
        prompt, used = self._with_fallback(lambda p: p.image_prompt(drink))
        now = self.clock()
        self.db.transaction(
            lambda c: self.repo.save_prompt(c, drink_id, prompt, used, now), name="save-prompt"
        )
        if self.images is not None:
            document = {
                "drink_id": drink_id,
                "prompt": prompt.prompt,
                "negative_prompt": prompt.negative_prompt,
                "model_id": prompt.model_id,
                "provider": used,
                "generated_at": isoformat(now),
            }
            self.images.put(
                f"prompts/{drink_id}.json", json.dumps(document).encode(), "application/json"
            )
        return prompt

    def generate_image(self, drink_id: str) -> tuple[str, bool]:
        """Render the drink's photo from its prompt, store it, and announce ImageGenerated."""
        if self.images is None or self.write is None:
            raise RuntimeError("image generation needs the images bucket and a publisher")
        try:
            prompt, _ = self.prompt(drink_id)
        except PromptNotFound:
            prompt = self.generate_prompt(drink_id)
        (png, placeholder), _ = self._with_fallback(lambda p: p.image(prompt))
        kind = "placeholder" if placeholder else "generated"
        url = self.images.put(
            f"drinks/{drink_id}/{kind}-{uuid.uuid4().hex[:12]}.png", png, "image/png"
        )
        data = {"drink_id": drink_id, "image_url": url, "placeholder": placeholder}
        self.write(lambda u: u.emit("ImageGenerated", data), name="image-generated")
        return url, placeholder

    def prompt(self, drink_id: str) -> tuple[ImagePrompt, datetime]:
        found = self.db.transaction(lambda c: self.repo.prompt(c, drink_id), name="prompt")
        if found is None:
            raise PromptNotFound()
        return found

    # Guests -------------------------------------------------------------------------------
    def recommend(self, preferences: str, *, exclude_alcohol: bool) -> list[tuple[MenuDrink, str]]:
        menu = self.menu()
        recs, _ = self._with_fallback(
            lambda p: p.recommend(preferences, menu, exclude_alcohol=exclude_alcohol)
        )
        valid = self._validated(recs, menu, exclude_alcohol=exclude_alcohol)
        if not valid:  # the provider's picks were all off the menu: score it ourselves
            valid = self._validated(
                self.offline.recommend(preferences, menu, exclude_alcohol=exclude_alcohol),
                menu,
                exclude_alcohol=exclude_alcohol,
            )
        return valid[:3]

    def chat(self, user_key: str, message: str, conversation_id: str | None) -> ChatResult:
        now = self.clock()
        if conversation_id is not None:
            owner = self.db.transaction(
                lambda c: self.repo.conversation_owner(c, conversation_id), name="owner"
            )
            if owner != user_key:
                raise ConversationNotFound()  # someone else's is as unknown as a missing one
            history = self.db.transaction(
                lambda c: self.repo.history(c, conversation_id, HISTORY_KEPT), name="history"
            )
        else:
            history = []
        menu = self.menu()
        reply, _ = self._with_fallback(lambda p: p.chat(history, message, MenuSearch(menu)))
        by_id = {d.id: d for d in menu if d.orderable}
        suggested = [by_id[i] for i in dict.fromkeys(reply.suggested_drink_ids) if i in by_id]
        text = reply.text.strip() or "Sorry, I lost my train of thought. Ask me again?"
        cid = conversation_id or str(uuid.uuid4())

        def save(conn: Any) -> None:
            if conversation_id is None:
                self.repo.start_conversation(conn, cid, user_key, now)
            self.repo.append(
                conn, cid, [Turn("user", message), Turn("assistant", text)], now, HISTORY_KEPT
            )

        self.db.transaction(save, name="save-chat")
        return ChatResult(cid, text, suggested[:3])

    # Plumbing ---------------------------------------------------------------------------
    def _with_fallback(self, call: Callable[[Provider], T]) -> tuple[T, str]:
        """Ask the configured provider; on failure, answer offline (logged, never a 5xx)."""
        if self.provider.name != self.offline.name:
            try:
                return call(self.provider), self.provider.name
            except ProviderError as exc:
                log.warning(
                    "provider failed; answering offline",
                    extra={"provider": self.provider.name, "reason": str(exc)},
                )
        return call(self.offline), self.offline.name

    @staticmethod
    def _validated(
        recs: list[Recommendation], menu: list[MenuDrink], *, exclude_alcohol: bool
    ) -> list[tuple[MenuDrink, str]]:
        by_id = {d.id: d for d in menu}
        out: list[tuple[MenuDrink, str]] = []
        for rec in recs:
            drink = by_id.get(rec.drink_id)
            if drink is None or not drink.orderable or (exclude_alcohol and drink.is_alcoholic):
                continue
            if drink.id not in {d.id for d, _ in out}:
                out.append((drink, rec.reason.strip()[:300] or "A good match."))
        return out
