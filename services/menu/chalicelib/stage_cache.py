"""The menu's public reads are cached at the API Gateway stage (services/menu/platform.toml);
whenever the menu changes the cache is flushed *before* guests are told MENU_CHANGED, so the
menu they re-read is never the cached one (the seeds flush after every write, too)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from barkeep.events import OutboxMessage, Sink
from barkeep.observability import get_logger

log = get_logger("barkeep.menu.cache")


class FlushStageCacheFirst:
    """A realtime sink that flushes the stage cache, then delivers. A failed flush fails the
    delivery, so the outbox sweeper tries both again: no guest reads a stale menu on cue."""

    def __init__(self, inner: Sink, api_cache: str, client: Callable[[], Any]) -> None:
        rest_api_id, _, stage = api_cache.partition("/")
        if not rest_api_id or not stage:
            raise ValueError(f"expected <rest api id>/<stage>, not {api_cache!r}")
        self.inner = inner
        self.rest_api_id = rest_api_id
        self.stage = stage
        self._client = client

    def send(self, messages: Sequence[OutboxMessage]) -> set[str]:
        self._client().flush_stage_cache(restApiId=self.rest_api_id, stageName=self.stage)
        log.info("stage cache flushed", extra={"stage": self.stage, "messages": len(messages)})
        return self.inner.send(messages)
