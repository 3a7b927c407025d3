"""Profiles versus the environment, secrets kept out of everything recorded, default registry."""

from __future__ import annotations

import json
from typing import Any

import pytest

from seamline.connectors.base import ConnectorCall
from seamline.connectors.llm import LlmConnector
from seamline.connectors.registry import ConnectorRegistry, invoke
from seamline.connectors.retry import RetryPolicy
from seamline.connectors.secrets import Secrets
from seamline.errors import ConfigError, FatalError
from seamline.testing import FakeConnector
from tests.integration.llm.conftest import API_KEY
from tests.integration.llm.fake_llm import FakeLLMServer, anthropic_message, openai_chat
from tests.integration.llm.helpers import call, config_for

SECRET_PIN = "pin-8c1f-customer-secret"


def env_for(server: FakeLLMServer, provider: str) -> dict[str, str]:
    return {
        "SEAMLINE_LLM_PROVIDER": provider,
        "SEAMLINE_LLM_BASE_URL": server.url + ("/v1" if provider == "openai" else ""),
        "SEAMLINE_LLM_API_KEY": API_KEY,
        "SEAMLINE_LLM_MODEL": "claude-test" if provider == "anthropic" else "gpt-test",
    }


def plain_call(**params: Any) -> ConnectorCall:
    return ConnectorCall("llm", params, "inst-2", "Task_Ask", "key-2", 1, None, Secrets(environ={}))


def test_the_environment_names_the_endpoint_without_a_profile(server: FakeLLMServer) -> None:
    server.queue(anthropic_message("from env"))
    connector = LlmConnector(None, environ=env_for(server, "anthropic"))
    result = connector.invoke(plain_call(prompt="hi"))
    assert result.data["provider"] == "anthropic" and result.data["answer"] == "from env"
    assert result.meta["profile"] == "environment"
    assert server.requests[0].path == "/v1/messages"


def test_a_profile_wins_over_the_environment_and_model_overrides(server: FakeLLMServer) -> None:
    server.queue(openai_chat("from profile"), openai_chat("default profile"))
    config = config_for(server, "openai", model="gpt-other")
    environ = {**env_for(server, "anthropic"), "TEST_LLM_KEY": API_KEY}
    connector = LlmConnector(config, environ=environ)
    result = connector.invoke(plain_call(profile="openai", model="gpt-test", prompt="hi"))
    assert result.data["provider"] == "openai" and result.data["model"] == "gpt-test"
    config["llm"]["default_profile"] = "openai"
    with pytest.raises(FatalError, match="404"):
        LlmConnector(config, environ=environ).invoke(plain_call(prompt="hi"))
    assert [r.body["model"] for r in server.requests] == ["gpt-test", "gpt-other"]


def test_the_key_can_come_from_seamline_secrets(server: FakeLLMServer) -> None:
    server.queue(openai_chat("ok"))
    config = config_for(server)
    profile = config["llm"]["profiles"]["openai"]
    del profile["api_key_env"]
    profile["api_key_secret"] = "OPENAI"
    secrets = Secrets({"OPENAI": API_KEY}, environ={})
    result = LlmConnector(config, environ={}).invoke(call(prompt="hi", secrets=secrets))
    assert result.data["answer"] == "ok"
    with pytest.raises(FatalError, match="secret 'OPENAI' is not set"):
        LlmConnector(config, environ={}).invoke(call(prompt="hi"))


def test_missing_endpoint_profile_model_or_key_are_located_fatal_errors(
    server: FakeLLMServer,
) -> None:
    with pytest.raises(FatalError, match=r"\[Task_Ask\].*no LLM endpoint is configured"):
        LlmConnector(None, environ={}).invoke(plain_call(prompt="hi"))
    connector = LlmConnector(config_for(server), environ={})
    with pytest.raises(FatalError, match=r"no LLM profile named 'gpt'.*known: openai"):
        connector.invoke(plain_call(profile="gpt", prompt="hi"))
    with pytest.raises(FatalError, match="environment variable TEST_LLM_KEY is not set"):
        connector.invoke(plain_call(profile="openai", prompt="hi"))
    environ = {"SEAMLINE_LLM_BASE_URL": server.url}
    with pytest.raises(FatalError, match="names no model"):
        LlmConnector(None, environ=environ).invoke(plain_call(prompt="hi"))
    assert server.requests == []


@pytest.mark.parametrize(
    ("llm", "message"),
    [
        ({"profiles": {"x": {"provider": "gemini"}}}, "provider must be one of openai, anthropic"),
        ({"profiles": {"x": {"provider": "openai", "api_key": "sk"}}}, "must not hold the key"),
        ({"profiles": {"x": {"provider": "openai", "modle": "m"}}}, "unknown keys modle"),
        ({"profiles": {"x": {"provider": "openai", "timeout": -1}}}, "timeout must be positive"),
        ({"default_profile": "y", "profiles": {}}, "default_profile 'y' is not a profile"),
        ("nope", r"\[llm\] must be a table"),
    ],
)
def test_bad_llm_config_is_refused_when_the_registry_is_built(llm: Any, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        ConnectorRegistry.default({"llm": llm})


def test_secrets_never_appear_in_result_meta_events_or_repr(server: FakeLLMServer) -> None:
    secrets = Secrets({"PIN": SECRET_PIN}, environ={})
    server.queue(
        openai_chat(tool_calls=[("verify", {"pin": SECRET_PIN})]),
        openai_chat(f"The key {API_KEY} and pin {SECRET_PIN} are valid."),
    )
    registry = ConnectorRegistry.default(config_for(server))
    verify = FakeConnector("verify", lambda c: {"ok": True, "echo": c.params["pin"]})
    registry.register(verify)
    events: list[tuple[str, dict[str, Any]]] = []
    connector = registry.get("llm")
    assert isinstance(connector, LlmConnector)
    connector._environ = {"TEST_LLM_KEY": API_KEY}
    connector.on_event = lambda kind, record: events.append((kind, record))
    tool = {
        "name": "verify",
        "parameters": {"type": "object", "properties": {"pin": {"type": "string"}}},
        "connector": "verify",
    }
    llm_call = call(prompt=f"Check pin {SECRET_PIN}", tools=[tool], secrets=secrets)
    result = invoke(registry, llm_call, RetryPolicy())
    assert verify.last_call.params["pin"] == SECRET_PIN
    recorded = json.dumps([result.data, dict(result.meta), events], default=str)
    recorded += repr(connector) + repr(llm_call) + repr(registry.describe())
    assert API_KEY not in recorded and SECRET_PIN not in recorded
    assert result.data["answer"] == "The key *** and pin *** are valid."
    assert result.meta["llm_calls"][0]["messages"][0]["content"] == "Check pin ***"
    # What went to the model is not redacted: it needs the real prompt and tool results.
    sent = json.dumps(server.requests[1].body)
    assert SECRET_PIN in sent and API_KEY not in sent


def test_the_default_registry_resolves_tools_in_itself(server: FakeLLMServer) -> None:
    config = config_for(server)
    config["connectors"] = {"crm": {"type": "http", "base_url": server.url}}
    registry = ConnectorRegistry.default(config)
    connector = registry.get("llm")
    assert isinstance(connector, LlmConnector) and connector.tools is registry
    assert "crm" in registry and "prompt" in connector.parameters
    described = next(d for d in registry.describe() if d["name"] == "llm")
    assert described["parameters"]["max_model_calls"]["default"] == 6
