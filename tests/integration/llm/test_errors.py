"""HTTP failures of both providers become the right seamline error kind."""

from __future__ import annotations

import email.utils
import time
from typing import Any

import pytest

from seamline.connectors.registry import ConnectorRegistry, invoke
from seamline.connectors.retry import RetryPolicy
from seamline.errors import FatalError, RetriesExhausted, RetryableError
from tests.integration.llm.fake_llm import (
    FakeLLMServer,
    Reply,
    anthropic_error,
    openai_chat,
    openai_error,
)
from tests.integration.llm.helpers import call, make


def test_429_is_retryable_with_the_servers_retry_after(server: FakeLLMServer) -> None:
    server.queue(openai_error(429, "Rate limit reached", "rate_limit_exceeded", Retry_After="7"))
    events: list[tuple[str, dict[str, Any]]] = []
    with pytest.raises(RetryableError, match="answered 429: Rate limit reached") as caught:
        make(server, events=events).invoke(call(prompt="hi"))
    assert caught.value.retry_after == 7.0
    assert events[0][1]["status"] == "429" and "latency_ms" in events[0][1]


def test_anthropic_overloaded_529_with_an_http_date(server: FakeLLMServer) -> None:
    later = email.utils.formatdate(time.time() + 120, usegmt=True)
    server.queue(anthropic_error(529, "Overloaded", "overloaded_error", Retry_After=later))
    with pytest.raises(RetryableError, match="Overloaded") as caught:
        make(server, "anthropic").invoke(call("anthropic", prompt="hi"))
    assert caught.value.retry_after is not None and 60 < caught.value.retry_after <= 120


def test_retry_after_ms_is_read(server: FakeLLMServer) -> None:
    server.queue(openai_error(503, "busy", "server_error", retry_after_ms="1500"))
    with pytest.raises(RetryableError) as caught:
        make(server).invoke(call(prompt="hi"))
    assert caught.value.retry_after == 1.5


def test_through_the_registry_a_429_retries_then_gives_up(server: FakeLLMServer) -> None:
    server.queue(openai_error(429, "slow down", Retry_After="2"), openai_chat("fine"))
    registry = ConnectorRegistry()
    registry.register(make(server))
    policy = RetryPolicy(max_attempts=2)
    with pytest.raises(RetryableError) as caught:
        invoke(registry, call(prompt="hi"), policy)
    assert policy.next_delay(1, caught.value.retry_after) == 2.0
    assert invoke(registry, call(prompt="hi"), policy).data["answer"] == "fine"
    server.queue(openai_error(500, "boom"))
    last = call(prompt="hi")
    with pytest.raises(RetriesExhausted, match="gave up after attempt 2"):
        invoke(registry, type(last)(**{**last.__dict__, "attempt": 2}), policy)


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_a_wrong_key_is_fatal_and_never_named(server: FakeLLMServer, provider: str) -> None:
    connector = make(server, provider)
    connector._environ = {"TEST_LLM_KEY": "sk-wrong-key-123456"}
    with pytest.raises(FatalError, match="refused the API key") as caught:
        connector.invoke(call(provider, prompt="hi"))
    text = str(caught.value)
    assert "sk-wrong-key-123456" not in text and "TEST_LLM_KEY" in text
    assert "[Task_Triage] instance inst-1" in text


def test_a_bad_request_is_fatal_with_the_providers_message(server: FakeLLMServer) -> None:
    server.queue(openai_error(400, "max_tokens is too large: 999999"))
    with pytest.raises(FatalError, match=r"HTTP 400.*max_tokens is too large"):
        make(server).invoke(call(prompt="hi", max_tokens=999999))


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_an_unknown_model_is_fatal(server: FakeLLMServer, provider: str) -> None:
    with pytest.raises(FatalError, match=r"404 .*model or endpoint not found.*nope") as caught:
        make(server, provider).invoke(call(provider, prompt="hi", model="nope"))
    assert "check the model name" in str(caught.value)
    assert server.requests[0].body["model"] == "nope"


def test_a_server_that_is_not_there_is_retryable(server: FakeLLMServer) -> None:
    connector = make(server)
    url = server.url
    server.__exit__(None, None, None)
    with pytest.raises(RetryableError, match="cannot be reached"):
        connector.invoke(call(prompt="hi"))
    assert url.startswith("http://127.0.0.1:")


def test_a_body_that_is_not_a_chat_completion_is_fatal(server: FakeLLMServer) -> None:
    server.queue(Reply(200, {"result": "hello"}))
    with pytest.raises(FatalError, match=r"not a valid openai response.*choices"):
        make(server).invoke(call(prompt="hi"))


def test_a_short_timeout_is_retryable(server: FakeLLMServer) -> None:
    def slow(request: Any) -> dict[str, Any]:
        time.sleep(0.5)
        return openai_chat("late")

    server.queue(slow)
    with pytest.raises(RetryableError, match=r"did not answer within 0.05s"):
        make(server).invoke(call(prompt="hi", timeout=0.05))
