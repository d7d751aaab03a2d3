"""Menu use cases. Writes and their events commit together; events are published after."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol, TypeVar

from barkeep.db import Database
from barkeep.events import Event, Publisher, UnitOfWork, Writer, utcnow
from barkeep.realtime import MENU_UPDATES

from chalicelib import schemas
from chalicelib.domain import (
    IMAGE_TYPES,
    MAX_IMAGE_BYTES,
    Drink,
    DrinkFilter,
    Ingredient,
    Section,
    normalise_tags,
)
from chalicelib.errors import DrinkNotFound, DuplicateName, SectionNotEmpty, SectionNotFound
from chalicelib.repository import MenuRepository

SOURCE = "barkeep.menu"
T = TypeVar("T")


class ImageUploads(Protocol):
    def presign(
        self, key: str, content_type: str, max_bytes: int, expires: int
    ) -> dict[str, Any]: ...

    def public_url(self, key: str) -> str: ...


class MenuService:
    def __init__(
        self,
        db: Database,
        repo: MenuRepository,
        publisher: Publisher,
        uploads: ImageUploads | None = None,
        clock: Callable[[], datetime] = utcnow,
        upload_expires: int = 300,
    ) -> None:
        self.db = db
        self.repo = repo
        self.write = Writer(db, "menu", SOURCE, publisher)
        self.uploads = uploads
        self.clock = clock
        self.upload_expires = upload_expires

    # Reads ------------------------------------------------------------------------------
    def sections(self) -> list[Section]:
        return self.db.transaction(self.repo.sections, name="sections")

    def drinks(self, f: DrinkFilter) -> list[Drink]:
        return self.db.transaction(lambda c: self.repo.drinks(c, f), name="drinks")

    def drinks_document(self, f: DrinkFilter) -> str:
        """The public menu as JSON text, ready to send."""
        return self.db.transaction(lambda c: self.repo.drinks_document(c, f), name="menu")

    def drink(self, drink_id: str, *, include_inactive: bool = False) -> Drink:
        drink = self.db.transaction(lambda c: self.repo.drink(c, drink_id), name="drink")
        if drink is None or (not drink.is_active and not include_inactive):
            raise DrinkNotFound()
        return drink

    # Sections ---------------------------------------------------------------------------
    def create_section(self, body: schemas.SectionCreate) -> Section:
        section = Section(
            id=str(uuid.uuid4()),
            name=body.name,
            description=body.description,
            display_order=body.display_order,
        )

        def work(u: UnitOfWork) -> Section:
            if self.repo.section_name_taken(u.conn, section.name):
                raise DuplicateName("section", section.name)
            self.repo.insert_section(u.conn, section)
            return section

        return self.write(work, name="create-section")

    def update_section(self, section_id: str, patch: schemas.SectionPatch) -> Section:
        def work(u: UnitOfWork) -> Section:
            current = self.repo.claim_section(u.conn, section_id)
            if current is None:
                raise SectionNotFound()
            changed = Section(
                id=current.id,
                name=patch.name if patch.name is not None else current.name,
                description=patch.description
                if patch.description is not None
                else current.description,
                display_order=patch.display_order
                if patch.display_order is not None
                else current.display_order,
            )
            if self.repo.section_name_taken(u.conn, changed.name, except_id=section_id):
                raise DuplicateName("section", changed.name)
            self.repo.update_section(u.conn, changed)
            return changed

        return self.write(work, name="update-section")

    def delete_section(self, section_id: str) -> None:
        def work(u: UnitOfWork) -> None:
            if self.repo.claim_section(u.conn, section_id) is None:
                raise SectionNotFound()
            drinks = self.repo.count_drinks_in(u.conn, section_id)
            if drinks:
                raise SectionNotEmpty(drinks)
            self.repo.delete_section(u.conn, section_id)

        self.write(work, name="delete-section")

    # Drinks -----------------------------------------------------------------------------
    def create_drink(self, body: schemas.DrinkCreate) -> Drink:
        now = self.clock()
        drink = Drink(
            id=str(uuid.uuid4()),
            section_id=str(body.section_id),
            name=body.name,
            description=body.description,
            ingredients=tuple(Ingredient(i.name, i.amount, i.unit) for i in body.ingredients),
            recipe_steps=tuple(body.recipe_steps),
            tags=tuple(normalise_tags(body.tags)),
            image_url=body.image_url,
            is_active=body.is_active,
            sold_out=body.sold_out,
            created_at=now,
            updated_at=now,
        )

        def work(u: UnitOfWork) -> Drink:
            if self.repo.claim_section(u.conn, drink.section_id) is None:
                raise SectionNotFound()
            if self.repo.drink_name_taken(u.conn, drink.name):
                raise DuplicateName("drink", drink.name)
            self.repo.insert_drink(u.conn, drink)
            self._changed(u, u.emit("DrinkCreated", drink.to_json()), drink.id, "created")
            return drink

        return self.write(work, name="create-drink")

    def update_drink(self, drink_id: str, patch: schemas.DrinkPatch) -> Drink:
        changes: dict[str, Any] = {}
        for field in patch.model_fields_set:
            value = getattr(patch, field)
            if field == "section_id":
                value = str(value)
            elif field == "ingredients":
                value = [Ingredient(i.name, i.amount, i.unit) for i in value]
            elif field == "tags":
                value = normalise_tags(value)
            changes[field] = value

        def work(u: UnitOfWork) -> Drink:
            current = self.repo.drink(u.conn, drink_id, lock=True)
            if current is None:
                raise DrinkNotFound()
            updated = current.with_changes(changes, self.clock())
            if (
                "section_id" in changes
                and self.repo.claim_section(u.conn, updated.section_id) is None
            ):
                raise SectionNotFound()
            if "name" in changes and self.repo.drink_name_taken(
                u.conn, updated.name, except_id=drink_id
            ):
                raise DuplicateName("drink", updated.name)
            self.repo.update_drink(u.conn, updated)
            self._changed(u, u.emit("DrinkUpdated", updated.to_json()), drink_id, "updated")
            return updated

        return self.write(work, name="update-drink")

    def apply_generated_image(self, event_id: str, drink_id: str, image_url: str) -> bool:
        """ai rendered the drink's photo: show it (once per event; a deleted drink is left)."""

        def work(u: UnitOfWork) -> bool:
            if not self.repo.first_time(u.conn, event_id):
                return False
            current = self.repo.drink(u.conn, drink_id, lock=True)
            if current is None:
                return False
            updated = current.with_changes({"image_url": image_url}, self.clock())
            self.repo.update_drink(u.conn, updated)
            self._changed(u, u.emit("DrinkUpdated", updated.to_json()), drink_id, "updated")
            return True

        return self.write(work, name="generated-image")

    def delete_drink(self, drink_id: str) -> None:
        def work(u: UnitOfWork) -> None:
            if self.repo.drink(u.conn, drink_id, lock=True) is None:
                raise DrinkNotFound()
            self.repo.delete_drink(u.conn, drink_id)
            self._changed(u, u.emit("DrinkDeleted", {"drink_id": drink_id}), drink_id, "deleted")

        self.write(work, name="delete-drink")

    def refresh_facts(self, batch: int = 100) -> int:
        """Derive again the stored facts that are missing (drinks from before migration 0008)
        or from another vocabulary version (ADR 0032); a drink whose facts change is announced
        like any edit (DrinkUpdated, MENU_CHANGED), so ai's read model learns them. Idempotent;
        the menu's schedule and the seed run it. Returns how many drinks' facts changed."""

        def work(u: UnitOfWork) -> tuple[int, int]:
            stale = self.repo.stale_facts(u.conn, limit=batch)
            changed = 0
            for drink, stored in stale:
                facts = drink.facts
                self.repo.store_facts(u.conn, drink.id, facts)
                if stored != facts.to_json():
                    changed += 1
                    event = u.emit("DrinkUpdated", drink.to_json())
                    self._changed(u, event, drink.id, "updated")
            return len(stale), changed

        total = 0
        while True:
            seen, changed = self.write(work, name="refresh-facts")
            total += changed
            if seen < batch:
                return total

    def image_upload(self, drink_id: str, body: schemas.ImageUploadRequest) -> dict[str, Any]:
        if self.uploads is None:
            raise RuntimeError("image uploads are not configured (IMAGES_BUCKET)")
        self.drink(drink_id, include_inactive=True)
        key = f"drinks/{drink_id}/{uuid.uuid4().hex}.{IMAGE_TYPES[body.content_type]}"
        upload = self.uploads.presign(key, body.content_type, MAX_IMAGE_BYTES, self.upload_expires)
        return {
            "upload": upload,
            "image_url": self.uploads.public_url(key),
            "expires_in": self.upload_expires,
        }

    @staticmethod
    def _changed(u: UnitOfWork, cause: Event, drink_id: str, change: str) -> None:
        """Tell every open menu (channel /menu/updates) to re-read the drink."""
        u.notify(
            [MENU_UPDATES], "MENU_CHANGED", {"drink_id": drink_id, "change": change}, cause=cause
        )
