"""AI benchmarks against the running local stack.

(g) POST /recommendations with the offline provider on a 200-drink menu, over HTTP; and a
    chat turn (POST /chat, in one conversation of several turns) on the same menu.
(h) Queue-to-prompt: from the bartender's POST /admin/drinks response until the drink's
    photo prompt can be read (menu -> EventBridge -> SQS -> ai consumer -> prompt stored).
"""

from __future__ import annotations

import time
from typing import Any

from bench.stats import percentiles

MENU_SIZE = 200
FLAVOURS = [
    "sour",
    "sweet",
    "bitter",
    "fruity",
    "fresh",
    "creamy",
    "spicy",
    "herbal",
    "tropical",
    "strong",
    "light",
    "citrus",
]
INGREDIENTS = [
    "Gin",
    "White rum",
    "Vodka",
    "Tequila",
    "Lime juice",
    "Lemon juice",
    "Simple syrup",
    "Mint leaves",
    "Soda water",
    "Ginger beer",
    "Pineapple juice",
    "Coconut cream",
    "Campari",
    "Sweet vermouth",
    "Grapefruit juice",
    "Honey syrup",
]
WISHES = [
    "something sour with lime",
    "sweet and creamy, no alcohol",
    "bitter and strong",
    "fresh, herbal, with mint",
    "tropical fruity rum",
    "spicy ginger, fizzy",
    "light and citrusy but not sweet",
    "a gin drink please",
]


CHAT = [
    "something sour",
    "without gin",
    "what about vegan?",
    "is Bench Cocktail 007 available?",
    "can I get a beer?",
]


def _drink(section_id: str, i: int) -> dict[str, Any]:
    tags = [FLAVOURS[i % len(FLAVOURS)], FLAVOURS[(i * 7) % len(FLAVOURS)]]
    if i % 5 == 0:
        tags.append("non-alcoholic")
    ingredients = [INGREDIENTS[(i * k) % len(INGREDIENTS)] for k in (1, 3, 5)]
    return {
        "section_id": section_id,
        "name": f"Bench Cocktail {i:03d}",
        "description": f"A {tags[0]} house creation number {i}.",
        "tags": sorted(set(tags)),
        "ingredients": [{"name": n, "amount": 2, "unit": "cl"} for n in dict.fromkeys(ingredients)],
    }


def bench_ai() -> dict[str, Any]:
    import requests
    from barkeep.testing.stack import launch_throwaway_stack

    with launch_throwaway_stack() as stack:
        menu, ai, identity = stack.api("menu"), stack.api("ai"), stack.api("identity")
        admin = {"Authorization": f"Bearer {stack.admin_token()}"}
        http = requests.Session()
        section = http.get(f"{menu}/sections", timeout=5).json()["sections"][0]["id"]
        existing = len(http.get(f"{menu}/drinks", timeout=5).json()["drinks"])
        queue_to_prompt = []
        for i in range(MENU_SIZE - existing):
            created = http.post(
                f"{menu}/admin/drinks", json=_drink(section, i), headers=admin, timeout=10
            )
            created.raise_for_status()
            done = time.perf_counter()
            if i < 30:  # time the first 30 all the way to their prompt
                drink_id = created.json()["drink"]["id"]
                while (
                    http.get(
                        f"{ai}/admin/drinks/{drink_id}/image-prompt", headers=admin, timeout=5
                    ).status_code
                    != 200
                ):
                    if time.perf_counter() - done > 15:
                        raise RuntimeError("no prompt within 15 s")
                    time.sleep(0.005)
                queue_to_prompt.append(time.perf_counter() - done)
        code = http.post(
            f"{identity}/admin/registration-codes", headers=admin, timeout=5, json={"max_uses": 1}
        ).json()["registration_code"]["code"]
        token = http.post(
            f"{identity}/register",
            headers={"X-Registration-Code": code},
            json={"username": "Bench"},
            timeout=5,
        ).json()["access_token"]
        guest = {"Authorization": f"Bearer {token}"}
        time.sleep(2)  # let the consumer catch up with the last drinks
        samples = []
        for i in range(200):
            t = time.perf_counter()
            response = http.post(
                f"{ai}/recommendations",
                headers=guest,
                timeout=10,
                json={"preferences": WISHES[i % len(WISHES)]},
            )
            samples.append(time.perf_counter() - t)
            answer = response.json() if response.status_code == 200 else {}
            # none only with a note: a constraint ruled out every drink (ADR 0033)
            if not (answer.get("recommendations") or answer.get("note")):
                raise RuntimeError(f"recommendation failed: {response.text}")
        chat_samples = []
        conversation: str | None = None
        for i in range(200):
            body: dict[str, Any] = {"message": CHAT[i % len(CHAT)]}
            if conversation and i % len(CHAT):
                body["conversation_id"] = conversation  # follow-ups read the earlier turns
            t = time.perf_counter()
            response = http.post(f"{ai}/chat", headers=guest, timeout=10, json=body)
            chat_samples.append(time.perf_counter() - t)
            if response.status_code != 200:
                raise RuntimeError(f"chat failed: {response.text}")
            conversation = response.json()["conversation_id"]
    return {
        "ai_chat_turn": {
            "name": f"POST /chat turn, offline, {MENU_SIZE} drinks, up to 5 earlier turns",
            **percentiles(chat_samples),
        },
        "ai_recommendations": {
            "name": f"POST /recommendations, offline, {MENU_SIZE} drinks",
            **percentiles(samples),
        },
        "ai_queue_to_prompt": {
            "name": "drink created -> photo prompt readable (local)",
            **percentiles(queue_to_prompt),
        },
    }
