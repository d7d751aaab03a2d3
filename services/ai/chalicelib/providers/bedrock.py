"""Amazon Bedrock provider: Converse API for text (Nova Pro by default), Nova Canvas through
InvokeModel for images.

Nothing heavy is imported at module import: boto3/botocore load on first use. Every failure
(throttling, timeouts, access, validation, a malformed or filtered reply) becomes a
`ProviderError` with a short reason; the service then falls back to the offline provider.
Logs carry reasons only, never prompts or guest text.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from chalicelib.constraints import Constraints, from_conversation
from chalicelib.languages import DEFAULT as DEFAULT_LANGUAGE
from chalicelib.providers import prompts
from chalicelib.providers.base import (
    ChatReply,
    ImagePrompt,
    MenuDrink,
    MenuTools,
    ModelIds,
    ProviderError,
    Recommendation,
    Turn,
)

log = logging.getLogger("barkeep.ai.bedrock")

_DEFAULT_MODELS = ModelIds()

MAX_RECOMMENDATIONS = 3
MAX_REASON_CHARS = 200
MAX_PREFERENCES_CHARS = 1000
MAX_MENU_ITEMS = 250
MAX_HISTORY_TURNS = 10
MAX_TURN_CHARS = 2000
MAX_MESSAGE_CHARS = 1000
# A chat is at most 3 Converse calls of at most 8 s each: 24 s, inside API Gateway's 29 s, so
# a stuck model ends in the offline fallback rather than a 504.
MAX_TOOL_ROUNDS = 2
MAX_SUGGESTIONS = 5
MAX_TOOL_RESULTS = 10
SEARCH_TOOL = "search_menu"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

SEARCH_MENU_TOOL_SPEC: dict[str, Any] = {
    "toolSpec": {
        "name": SEARCH_TOOL,
        "description": (
            "Search tonight's drink menu. Returns the matching active drinks with id, name, "
            "tags, ingredients and description. Use it before recommending any drink."
        ),
        "inputSchema": {
            "json": {
                "type": "object",
                "properties": {
                    "text": {
                        "type": "string",
                        "description": "Free-text words to match in names and descriptions.",
                    },
                    "ingredient": {
                        "type": "string",
                        "description": "One ingredient the drink must contain, e.g. gin.",
                    },
                    "tag": {
                        "type": "string",
                        "description": "One tag, e.g. sour, fruity, non-alcoholic.",
                    },
                    "exclude_alcohol": {
                        "type": "boolean",
                        "description": "True to return only alcohol-free drinks.",
                    },
                    "limit": {
                        "type": "integer",
                        "description": "Maximum number of drinks to return (1-10).",
                    },
                },
                "required": [],
            }
        },
    }
}


# Text answers a guest waits for (inside API Gateway's 29 s); an image renders in the background,
# from the work queue, and Nova Canvas often takes longer than a text answer may.
TEXT_READ_TIMEOUT = 8.0
IMAGE_READ_TIMEOUT = 60.0


def default_client(read_timeout: float = TEXT_READ_TIMEOUT) -> Any:
    """The real bedrock-runtime client, with bounded timeouts and retries."""
    import boto3
    from barkeep import settings
    from botocore.config import Config

    return boto3.session.Session().client(
        "bedrock-runtime",
        region_name=settings.platform().region,
        config=Config(
            connect_timeout=3,
            read_timeout=read_timeout,
            # No SDK retries: a slow or throttled model falls back to offline at once.
            retries={"total_max_attempts": 1, "mode": "standard"},
        ),
    )


class BedrockProvider:
    name = "bedrock"

    def __init__(
        self,
        client_factory: Callable[[], Any],
        models: ModelIds = _DEFAULT_MODELS,
        *,
        max_tokens: int = 600,
        image_client_factory: Callable[[], Any] | None = None,
    ) -> None:
        self._factories = {"text": client_factory, "image": image_client_factory or client_factory}
        self.models = models
        self.max_tokens = max_tokens
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    # --- the Provider interface ---------------------------------------------------------------

    def recommend(
        self,
        preferences: str,
        menu: list[MenuDrink],
        *,
        exclude_alcohol: bool,
        limit: int = 3,
        constraints: Constraints | None = None,
        language: str = DEFAULT_LANGUAGE,
    ) -> list[Recommendation]:
        limit = max(1, min(limit, MAX_RECOMMENDATIONS))
        candidates = [d for d in menu if d.orderable and not (exclude_alcohol and d.is_alcoholic)][
            :MAX_MENU_ITEMS
        ]
        if not candidates:
            raise ProviderError("no candidate drinks on the menu")
        by_id = {d.id: d for d in candidates}
        response = self._converse(
            "recommend",
            system=[{"text": prompts.RECOMMEND_SYSTEM_PROMPT}, *prompts.language_rule(language)],
            messages=[
                {
                    "role": "user",
                    "content": prompts.recommend_user_blocks(
                        prompts.cap_text(preferences, MAX_PREFERENCES_CHARS),
                        candidates,
                        limit=limit,
                        exclude_alcohol=exclude_alcohol,
                        constraints=constraints,
                    ),
                }
            ],
            inferenceConfig={"maxTokens": self.max_tokens, "temperature": 0.2},
        )
        stop, message = _parse_converse(response)
        if stop not in ("end_turn", "stop_sequence", "max_tokens"):
            raise self._fail("recommend", f"stop reason {stop}")
        payload = _extract_json_object(_text_of(message), key="recommendations")
        if payload is None:
            raise self._fail("recommend", "reply is not the expected JSON")
        items = payload.get("recommendations")
        if not isinstance(items, list):
            raise self._fail("recommend", "recommendations is not a list")
        result: list[Recommendation] = []
        seen: set[str] = set()
        for item in items:
            if not isinstance(item, dict):
                continue
            drink_id = item.get("drink_id")
            if not isinstance(drink_id, str) or drink_id not in by_id or drink_id in seen:
                continue
            seen.add(drink_id)
            reason = item.get("reason")
            text = prompts.clean_text(reason) if isinstance(reason, str) else ""
            if not text:
                text = f"{by_id[drink_id].name} suits what you asked for."
            result.append(
                Recommendation(drink_id, prompts.cap_text(text, MAX_REASON_CHARS, ellipsis="…"))
            )
            if len(result) == limit:
                break
        if not result:
            raise self._fail("recommend", "no recommended id is on the menu")
        return result

    def chat(
        self,
        history: list[Turn],
        message: str,
        tools: MenuTools,
        *,
        language: str = DEFAULT_LANGUAGE,
    ) -> ChatReply:
        text = prompts.cap_text(message, MAX_MESSAGE_CHARS)
        if not text:
            raise ProviderError("empty message")
        messages = _history_messages(history, text)
        stated = from_conversation([t.text for t in history if t.role == "user"] + [text])
        if stated:  # what the guest ruled out, as data beside their words
            messages[-1]["content"].append({"text": prompts.constraints_text(stated)})
        found: dict[str, MenuDrink] = {}
        for _round in range(MAX_TOOL_ROUNDS + 1):
            response = self._converse(
                "chat",
                system=[
                    {"text": prompts.BARTENDER_CHAT_SYSTEM_PROMPT},
                    *prompts.language_rule(language),
                ],
                messages=messages,
                toolConfig={"tools": [SEARCH_MENU_TOOL_SPEC]},
                inferenceConfig={"maxTokens": self.max_tokens, "temperature": 0.5},
            )
            stop, reply = _parse_converse(response)
            if stop == "tool_use":
                if _round == MAX_TOOL_ROUNDS:
                    raise self._fail("chat", "too many tool rounds")
                uses = list(_tool_uses(reply))
                if not uses:
                    raise self._fail("chat", "tool_use without a toolUse block")
                messages.append({"role": "assistant", "content": reply["content"]})
                results = [self._run_tool(use, tools, found) for use in uses]
                messages.append({"role": "user", "content": results})
                continue
            if stop not in ("end_turn", "stop_sequence", "max_tokens"):
                raise self._fail("chat", f"stop reason {stop}")
            answer = _text_of(reply)
            if not answer:
                raise self._fail("chat", "empty reply")
            return ChatReply(answer, _mentioned(answer, found.values()))
        raise self._fail("chat", "too many tool rounds")  # pragma: no cover - loop returns

    def image_prompt(self, drink: MenuDrink) -> ImagePrompt:
        response = self._converse(
            "image_prompt",
            system=[{"text": prompts.IMAGE_SCENE_SYSTEM_PROMPT}],
            messages=[
                {"role": "user", "content": [{"text": prompts.image_scene_user_text(drink)}]}
            ],
            inferenceConfig={"maxTokens": 200, "temperature": 0.4},
        )
        stop, message = _parse_converse(response)
        if stop not in ("end_turn", "stop_sequence", "max_tokens"):
            raise self._fail("image_prompt", f"stop reason {stop}")
        scene = _strip_wrapping(_text_of(message))
        if not scene:
            raise self._fail("image_prompt", "empty scene description")
        return ImagePrompt(
            prompt=prompts.build_image_prompt(drink, scene),
            negative_prompt=prompts.NEGATIVE_PROMPT,
            model_id=self.models.image,
        )

    def image(self, prompt: ImagePrompt) -> tuple[bytes, bool]:
        text = prompts.cap_text(prompts.clean_text(prompt.prompt), prompts.NOVA_CANVAS_MAX_CHARS)
        if not text:
            raise ProviderError("empty image prompt")
        params: dict[str, Any] = {"text": text}
        negative = prompts.cap_text(
            prompts.clean_text(prompt.negative_prompt), prompts.NOVA_CANVAS_MAX_CHARS
        )
        if negative:
            params["negativeText"] = negative
        body = {
            "taskType": "TEXT_IMAGE",
            "textToImageParams": params,
            "imageGenerationConfig": {
                "numberOfImages": 1,
                "height": 1024,
                "width": 1024,
                "cfgScale": 7.0,
            },
        }
        response = self._call(
            "image",
            "invoke_model",
            client="image",
            modelId=self.models.image,
            body=json.dumps(body),
            contentType="application/json",
            accept="application/json",
        )
        try:
            payload = json.loads(response["body"].read())
        except Exception as exc:  # a missing/unreadable body or invalid JSON
            raise self._fail("image", f"unreadable response body ({type(exc).__name__})") from exc
        if not isinstance(payload, dict):
            raise self._fail("image", "response body is not an object")
        if payload.get("error"):
            raise self._fail("image", "image blocked by content filters")
        images = payload.get("images")
        if not isinstance(images, list) or not images or not isinstance(images[0], str):
            raise self._fail("image", "no image in response")
        try:
            png = base64.b64decode(images[0], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise self._fail("image", "image is not valid base64") from exc
        if not png.startswith(_PNG_SIGNATURE):
            raise self._fail("image", "image is not a PNG")
        return png, False

    # --- plumbing -----------------------------------------------------------------------------

    def _get_client(self, kind: str = "text") -> Any:
        if kind not in self._clients:
            with self._lock:
                if kind not in self._clients:
                    self._clients[kind] = self._factories[kind]()
        return self._clients[kind]

    def _converse(self, feature: str, **params: Any) -> dict[str, Any]:
        return self._call(feature, "converse", modelId=self.models.text, **params)

    def _call(
        self, feature: str, operation: str, *, client: str = "text", **params: Any
    ) -> dict[str, Any]:
        from botocore.exceptions import (
            BotoCoreError,
            ClientError,
            ConnectTimeoutError,
            ReadTimeoutError,
        )

        try:
            response = getattr(self._get_client(client), operation)(**params)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code") or "ClientError"
            raise self._fail(feature, f"bedrock {code}") from exc
        except ReadTimeoutError as exc:
            raise self._fail(feature, "bedrock read timeout") from exc
        except ConnectTimeoutError as exc:
            raise self._fail(feature, "bedrock connect timeout") from exc
        except BotoCoreError as exc:
            raise self._fail(feature, f"bedrock {type(exc).__name__}") from exc
        if not isinstance(response, dict):
            raise self._fail(feature, "response is not an object")
        return response

    def _fail(self, feature: str, reason: str) -> ProviderError:
        log.warning(
            "bedrock %s failed: %s", feature, reason, extra={"feature": feature, "reason": reason}
        )
        return ProviderError(reason)

    def _run_tool(
        self, use: dict[str, Any], tools: MenuTools, found: dict[str, MenuDrink]
    ) -> dict[str, Any]:
        tool_use_id = use.get("toolUseId")
        if not isinstance(tool_use_id, str) or not tool_use_id:
            raise self._fail("chat", "toolUse without an id")
        if use.get("name") != SEARCH_TOOL:
            return _tool_error(tool_use_id, f"Unknown tool. The only tool is {SEARCH_TOOL}.")
        args = _search_args(use.get("input"))
        try:
            drinks = tools.search(**args)
        except Exception as exc:  # the menu read model failed: tell the model, keep chatting
            log.warning("bedrock chat: search_menu tool failed: %s", type(exc).__name__)
            return _tool_error(tool_use_id, "The menu search failed. Try again later.")
        drinks = [d for d in drinks if d.orderable][:MAX_TOOL_RESULTS]
        for drink in drinks:
            found.setdefault(drink.id, drink)
        return {
            "toolResult": {
                "toolUseId": tool_use_id,
                "content": [{"json": {"drinks": [prompts.tool_item(d) for d in drinks]}}],
                "status": "success",
            }
        }


# --- response parsing -------------------------------------------------------------------------


def _parse_converse(response: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(stopReason, output.message) of a Converse response, or ProviderError when malformed."""
    output = response.get("output")
    message = output.get("message") if isinstance(output, dict) else None
    stop = response.get("stopReason")
    if (
        not isinstance(message, dict)
        or not isinstance(message.get("content"), list)
        or not isinstance(stop, str)
    ):
        log.warning("bedrock call failed: malformed Converse response")
        raise ProviderError("malformed Converse response")
    return stop, message


def _text_of(message: dict[str, Any]) -> str:
    parts = [
        block["text"]
        for block in message.get("content", [])
        if isinstance(block, dict) and isinstance(block.get("text"), str)
    ]
    return "\n".join(p.strip() for p in parts if p.strip()).strip()


def _tool_uses(message: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for block in message.get("content", []):
        if isinstance(block, dict) and isinstance(block.get("toolUse"), dict):
            yield block["toolUse"]


_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.DOTALL)


def _extract_json_object(text: str, *, key: str) -> dict[str, Any] | None:
    """The first JSON object in `text` that has `key`: fenced blocks first, then any `{...}`
    embedded in prose."""
    decoder = json.JSONDecoder()
    candidates = [m.group(1) for m in _FENCE.finditer(text)] + [text]
    for chunk in candidates:
        start = chunk.find("{")
        while start != -1:
            try:
                value, _end = decoder.raw_decode(chunk, start)
            except json.JSONDecodeError:
                value = None
            if isinstance(value, dict) and key in value:
                return value
            start = chunk.find("{", start + 1)
    return None


def _strip_wrapping(text: str) -> str:
    """A model's one-paragraph answer without fences, quotes or a leading label."""
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1)
    text = prompts.clean_text(text).strip("\"'“”` ")
    text = re.sub(r"^(scene( description)?|description)\s*:\s*", "", text, flags=re.IGNORECASE)
    return text.strip("\"'“”` ")


# --- request building -------------------------------------------------------------------------


def _history_messages(history: list[Turn], message: str) -> list[dict[str, Any]]:
    """Converse messages from the last MAX_HISTORY_TURNS turns plus the new message: user
    first, roles alternating (consecutive same-role turns merged), no empty text blocks."""
    turns = [
        (t.role, prompts.cap_text(t.text, MAX_TURN_CHARS))
        for t in history[-MAX_HISTORY_TURNS:]
        if t.role in ("user", "assistant") and t.text.strip()
    ]
    turns.append(("user", message))
    messages: list[dict[str, Any]] = []
    for role, text in turns:
        if not messages and role != "user":
            continue
        if messages and messages[-1]["role"] == role:
            messages[-1]["content"].append({"text": text})
        else:
            messages.append({"role": role, "content": [{"text": text}]})
    return messages


def _search_args(raw: object) -> dict[str, Any]:
    """The model's tool input, reduced to what MenuTools.search accepts, with sane bounds."""
    data = raw if isinstance(raw, dict) else {}
    args: dict[str, Any] = {}
    for key, limit in (("text", 200), ("ingredient", 80), ("tag", 80)):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            args[key] = prompts.cap_text(prompts.clean_text(value), limit)
    exclude = data.get("exclude_alcohol")
    if isinstance(exclude, bool):
        args["exclude_alcohol"] = exclude
    limit_value = data.get("limit")
    if isinstance(limit_value, int) and not isinstance(limit_value, bool):
        args["limit"] = max(1, min(limit_value, MAX_TOOL_RESULTS))
    return args


def _tool_error(tool_use_id: str, text: str) -> dict[str, Any]:
    return {
        "toolResult": {
            "toolUseId": tool_use_id,
            "content": [{"text": text}],
            "status": "error",
        }
    }


def _mentioned(text: str, drinks: Iterable[MenuDrink]) -> tuple[str, ...]:
    """Ids of the tool-returned drinks whose name the reply mentions, in order of mention."""
    lowered = prompts.clean_text(text).lower()
    hits: list[tuple[int, str]] = []
    for drink in drinks:
        name = prompts.clean_text(drink.name).lower()
        if not name:
            continue
        match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", lowered)
        if match:
            hits.append((match.start(), drink.id))
    hits.sort()
    return tuple(drink_id for _pos, drink_id in hits[:MAX_SUGGESTIONS])
