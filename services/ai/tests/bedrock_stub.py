"""A real bedrock-runtime client behind botocore's Stubber (no network), shared by the unit
tests of BedrockProvider and the functional proof that the AI keeps to the guest's constraints.
The Stubber validates requests and responses against the service model."""

from __future__ import annotations

import copy
from typing import Any

import boto3
from botocore.stub import Stubber
from chalicelib.providers.bedrock import BedrockProvider


def converse_response(
    text: str | None = None,
    *,
    content: list[dict[str, Any]] | None = None,
    stop: str = "end_turn",
) -> dict[str, Any]:
    """A Converse response in the shape Bedrock returns (output.message, stopReason, usage,
    metrics)."""
    blocks = content if content is not None else [{"text": text or ""}]
    return {
        "output": {"message": {"role": "assistant", "content": blocks}},
        "stopReason": stop,
        "usage": {"inputTokens": 812, "outputTokens": 64, "totalTokens": 876},
        "metrics": {"latencyMs": 731},
    }


class Bedrock:
    """A real bedrock-runtime client, its Stubber, and a copy of every request it was sent."""

    def __init__(self) -> None:
        self.client = boto3.client(
            "bedrock-runtime",
            region_name="eu-west-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        self.stubber = Stubber(self.client)
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.factory_calls = 0
        self.client.meta.events.register("before-parameter-build.bedrock-runtime.*", self._record)

    def _record(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        self.requests.append((model.name, copy.deepcopy(params)))

    def factory(self) -> Any:
        self.factory_calls += 1
        return self.client

    def provider(self, **kwargs: Any) -> BedrockProvider:
        return BedrockProvider(self.factory, **kwargs)

    def converse_requests(self) -> list[dict[str, Any]]:
        return [params for name, params in self.requests if name == "Converse"]

    def reply(self, text: str) -> None:
        """The model's next Converse answer: this text."""
        self.stubber.add_response("converse", converse_response(text))
