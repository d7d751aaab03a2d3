"""The offline provider: no network, deterministic, and not a canned string. It scores the
live menu against the guest's words and explains what matched."""

from __future__ import annotations

import struct
import zlib

from chalicelib.providers.base import (
    ChatReply,
    ImagePrompt,
    MenuDrink,
    MenuTools,
    ModelIds,
    Recommendation,
    Turn,
)
from chalicelib.providers.prompts import NEGATIVE_PROMPT, build_image_prompt
from chalicelib.scoring import Wishes, rank


class OfflineProvider:
    name = "offline"

    def __init__(self, models: ModelIds | None = None) -> None:
        self.models = models or ModelIds()

    def recommend(
        self, preferences: str, menu: list[MenuDrink], *, exclude_alcohol: bool, limit: int = 3
    ) -> list[Recommendation]:
        matches = rank(
            menu, Wishes.from_text(preferences), exclude_alcohol=exclude_alcohol, limit=limit
        )
        return [Recommendation(m.drink.id, m.reason()) for m in matches]

    def chat(self, history: list[Turn], message: str, tools: MenuTools) -> ChatReply:
        wishes = Wishes.from_text(message)
        # The menu comes from the tool, as it would for a model; nothing else is invented.
        found = tools.search(
            text=" ".join(sorted(wishes.terms)),
            tag=next(iter(sorted(wishes.wanted_tags)), ""),
            exclude_alcohol=wishes.no_alcohol,
            limit=10,
        )
        menu = found or tools.search(exclude_alcohol=wishes.no_alcohol, limit=30)
        matches = rank(menu, wishes, exclude_alcohol=wishes.no_alcohol, limit=2)
        if not matches:
            return ChatReply(
                "I couldn't find anything on tonight's menu for that. "
                "Tell me a flavour you like (sour, fruity, bitter, fresh…)?"
            )
        first = matches[0]
        text = f"Try the {first.drink.name}: {first.reason()[0].lower()}{first.reason()[1:]}"
        if len(matches) > 1:
            text += f" Or, for something different, the {matches[1].drink.name}."
        if wishes.no_alcohol:
            text += " Both are alcohol-free." if len(matches) > 1 else " It is alcohol-free."
        return ChatReply(text, tuple(m.drink.id for m in matches))

    def image_prompt(self, drink: MenuDrink) -> ImagePrompt:
        return ImagePrompt(build_image_prompt(drink), NEGATIVE_PROMPT, self.models.image)

    def image(self, prompt: ImagePrompt) -> tuple[bytes, bool]:
        """A generated placeholder (a soft gradient PNG), honestly labelled as one."""
        return placeholder_png(prompt.prompt), True


def placeholder_png(seed: str, size: int = 256) -> bytes:
    """A small PNG whose colours derive from `seed`: clearly a placeholder, never a photo."""
    h = zlib.crc32(seed.encode())
    top = ((h >> 16) & 0xFF, (h >> 8) & 0xFF, h & 0xFF)
    bottom = tuple(min(255, c + 90) for c in top)
    rows = bytearray()
    for y in range(size):
        t = y / (size - 1)
        pixel = bytes(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        rows += b"\x00" + pixel * size

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )
