"""AI use cases. Providers are never trusted with ids: every drink they name is checked
against the live menu (the read model) before it leaves the service."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from barkeep.db import Database
from barkeep.errors import NotFound
from barkeep.events import Publisher, Writer, isoformat, utcnow
from barkeep.observability import get_logger

from chalicelib.constraints import Constraints, from_conversation, nothing_fits, violates
from chalicelib.languages import DEFAULT as DEFAULT_LANGUAGE
from chalicelib.providers.base import (
    DrinkFacts,
    ImagePrompt,
    MenuDrink,
    Provider,
    ProviderError,
    Recommendation,
    Turn,
)
from chalicelib.providers.offline import OfflineProvider, not_served
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
    engine: str = "offline"


@dataclass(frozen=True)
class Recommended:
    picks: list[tuple[MenuDrink, str]]
    engine: str
    note: str | None = None


@dataclass(frozen=True)
class Message:
    role: str
    text: str
    suggested: list[MenuDrink]
    created_at: datetime


class MenuSearch:
    """The chat's menu tool over the read model: what a model may look up, nothing more.
    Drinks the guest's constraints rule out are never returned (`menu` keeps every drink on
    tonight's menu, sold out too, for questions about them)."""

    def __init__(self, menu: list[MenuDrink], constraints: Constraints | None = None) -> None:
        self.menu = menu
        self.constraints = constraints or Constraints()

    def drinks_on_menu(self) -> list[MenuDrink]:
        return self.menu

    def search(
        self,
        *,
        text: str = "",
        ingredient: str = "",
        tag: str = "",
        exclude_alcohol: bool = False,
        limit: int = 5,
    ) -> list[MenuDrink]:
        found = [
            d
            for d in self.menu
            if d.orderable
            and not (exclude_alcohol and d.is_alcoholic)
            and not violates(d, self.constraints)
        ]
        if tag:
            found = [d for d in found if tag.lower() in d.tags]
        if ingredient:
            want = ingredient.lower()
            found = [d for d in found if any(want == i.lower() for i in d.ingredients)]
        if text:
            ranked = rank(
                found, Wishes.from_text(text), limit=max(1, min(limit, 20)), constraints=None
            )
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
    def recommend(
        self, preferences: str, *, exclude_alcohol: bool, language: str = DEFAULT_LANGUAGE
    ) -> Recommended:
        menu = self.menu()
        constraints = Constraints.from_text(preferences)
        if exclude_alcohol:
            constraints = constraints | Constraints.of("fact:alcohol")
        recs, engine = self._with_fallback(
            lambda p: p.recommend(
                preferences,
                menu,
                exclude_alcohol=exclude_alcohol,
                constraints=constraints,
                language=language,
            )
        )
        valid = self._validated(recs, menu, constraints)
        if not valid and engine != self.offline.name:  # the model's picks all failed the check
            engine = self.offline.name
            offline = self.offline.recommend(
                preferences, menu, exclude_alcohol=exclude_alcohol, constraints=constraints
            )
            valid = self._validated(offline, menu, constraints)
        note = None if valid else nothing_fits(menu, constraints)
        if valid and (thing := not_served(preferences, menu, constraints)):
            note = f"We don't serve {thing} tonight; these come closest."
        return Recommended(valid[:3], engine, note)

    def chat(
        self,
        user_key: str,
        message: str,
        conversation_id: str | None,
        *,
        language: str = DEFAULT_LANGUAGE,
    ) -> ChatResult:
        now = self.clock()
        if conversation_id is not None:
            self._own(user_key, conversation_id)
            history = self.db.transaction(
                lambda c: self.repo.history(c, conversation_id, HISTORY_KEPT), name="history"
            )
        else:
            history = []
        menu = self.menu()
        constraints = from_conversation([t.text for t in history if t.role == "user"] + [message])
        tools = MenuSearch(menu, constraints)
        reply, engine = self._with_fallback(
            lambda p: p.chat(history, message, tools, language=language)
        )
        suggested = self._allowed_ids(reply.suggested_drink_ids, menu, constraints)
        if engine != self.offline.name and (
            _names_a_ruled_out_drink(reply.text, menu, constraints)
            or _names_an_off_menu_drink(reply.text, menu)
        ):
            # the model's words put forward what the guest ruled out or what the bar does not
            # have: answer offline instead
            log.warning("provider reply named a drink it may not; answering offline")
            reply, engine = self.offline.chat(history, message, tools), self.offline.name
            suggested = self._allowed_ids(reply.suggested_drink_ids, menu, constraints)
        text = reply.text.strip() or "Sorry, I lost my train of thought. Ask me again?"
        cid = conversation_id or str(uuid.uuid4())
        ids = [d.id for d in suggested[:3]]

        def save(conn: Any) -> None:
            if conversation_id is None:
                self.repo.start_conversation(conn, cid, user_key, now)
            self.repo.append(
                conn,
                cid,
                [Turn("user", message), Turn("assistant", text)],
                now,
                HISTORY_KEPT,
                suggested=ids,
            )

        self.db.transaction(save, name="save-chat")
        return ChatResult(cid, text, suggested[:3], engine)

    def conversation(self, user_key: str, conversation_id: str) -> list[Message]:
        """The guest's own conversation as kept (the last HISTORY_KEPT messages); suggested
        drinks resolved from tonight's menu, those no longer on it left out."""
        self._own(user_key, conversation_id)
        rows = self.db.transaction(
            lambda c: self.repo.messages(c, conversation_id, HISTORY_KEPT), name="messages"
        )
        by_id = {d.id: d for d in self.menu()}
        return [
            Message(role, text, [by_id[i] for i in ids if i in by_id], at)
            for role, text, ids, at in rows
        ]

    def _own(self, user_key: str, conversation_id: str) -> None:
        owner = self.db.transaction(
            lambda c: self.repo.conversation_owner(c, conversation_id), name="owner"
        )
        if owner != user_key:
            raise ConversationNotFound()  # someone else's is as unknown as a missing one

    @staticmethod
    def _allowed_ids(
        ids: tuple[str, ...], menu: list[MenuDrink], constraints: Constraints
    ) -> list[MenuDrink]:
        by_id = {d.id: d for d in menu}
        return [
            by_id[i]
            for i in dict.fromkeys(ids)
            if i in by_id and by_id[i].orderable and not violates(by_id[i], constraints)
        ]

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
        recs: list[Recommendation], menu: list[MenuDrink], constraints: Constraints
    ) -> list[tuple[MenuDrink, str]]:
        """The one validation step after any provider: only drinks on tonight's menu that can
        be ordered and that break none of the guest's constraints (ADR 0033)."""
        by_id = {d.id: d for d in menu}
        out: list[tuple[MenuDrink, str]] = []
        for rec in recs:
            drink = by_id.get(rec.drink_id)
            if drink is None or not drink.orderable or violates(drink, constraints):
                continue
            if drink.id not in {d.id for d, _ in out}:
                out.append((drink, rec.reason.strip()[:300] or "A good match."))
        return out


# (and in Swedish: "prova en Negroni", "vår Gimlet")
_NAMED = re.compile(
    r"\b(?:the|a|an|our|try|en|ett|den|det|vår|prova|testa)\s+((?:[A-ZÅÄÖ][\w'\u2019-]*\s?){1,4})"
)
_NOT_DRINKS = {"order", "barkeep", "menu", "bar", "bartender", "beställ", "meny", "bartendern"}


def _names_an_off_menu_drink(text: str, menu: list[MenuDrink]) -> bool:
    """A capitalised name after "the"/"a"/"try" that is no drink on tonight's menu: a model
    inventing one ("Try the Forbidden Martini"). A false alarm only costs an offline answer."""
    names = [d.name.lower() for d in menu]
    for match in _NAMED.finditer(text):
        phrase = match.group(1).strip().lower()
        if phrase in _NOT_DRINKS or any(phrase in n or n in phrase for n in names):
            continue
        return True
    return False


def _names_a_ruled_out_drink(text: str, menu: list[MenuDrink], constraints: Constraints) -> bool:
    lowered = text.lower()
    return any(
        d.name.lower() in lowered and (not d.orderable or violates(d, constraints))
        for d in menu
        if d.name.strip()
    )
