"""Building connectors and calls against a running FakeLLMServer."""

from __future__ import annotations

from typing import Any

from seamline.connectors.base import ConnectorCall
from seamline.connectors.llm import LlmConnector
from seamline.connectors.registry import ConnectorRegistry
from seamline.connectors.secrets import Secrets
from tests.integration.llm.conftest import API_KEY
from tests.integration.llm.fake_llm import FakeLLMServer

TRIAGE_SCHEMA = {
    "type": "object",
    "properties": {
        "label": {"type": "string", "enum": ["bug", "question", "spam"]},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
    },
    "required": ["label", "confidence"],
    "additionalProperties": False,
}


def config_for(server: FakeLLMServer, provider: str = "openai", **extra: Any) -> dict[str, Any]:
    """A config with one profile named after ``provider`` pointing at ``server``."""
    base = server.url + "/v1" if provider == "openai" else server.url
    model = "gpt-test" if provider == "openai" else "claude-test"
    profile = {
        "provider": provider,
        "base_url": base,
        "model": model,
        "api_key_env": "TEST_LLM_KEY",
        **extra,
    }
    return {"llm": {"profiles": {provider: profile}}}


def make(
    server: FakeLLMServer,
    provider: str = "openai",
    *,
    tools: ConnectorRegistry | None = None,
    events: list[tuple[str, dict[str, Any]]] | None = None,
    **extra: Any,
) -> LlmConnector:
    """An LlmConnector with a profile for ``server`` and its key in the environment."""
    sink = (lambda kind, record: events.append((kind, record))) if events is not None else None
    return LlmConnector(
        config_for(server, provider, **extra),
        environ={"TEST_LLM_KEY": API_KEY},
        tools=tools,
        on_event=sink,
    )


def call(profile: str = "openai", secrets: Secrets | None = None, **params: Any) -> ConnectorCall:
    """A call of the llm connector with ``params`` and the given profile."""
    return ConnectorCall(
        "llm",
        {"profile": profile, **params},
        instance_id="inst-1",
        element_id="Task_Triage",
        idempotency_key="key-1",
        secrets=secrets or Secrets(environ={}),
    )
