"""Text and schema answers, with repair, over both real wire formats."""

from __future__ import annotations

import json
from typing import Any

import pytest

from seamline.errors import ConnectorBpmnError
from tests.integration.llm.conftest import API_KEY
from tests.integration.llm.fake_llm import FakeLLMServer, anthropic_message, openai_chat
from tests.integration.llm.helpers import TRIAGE_SCHEMA, call, make

VALID = '{"label": "bug", "confidence": 0.92}'
INVALID = '{"label": "feature", "confidence": 2}'


def reply(provider: str, text: str, **kw: Any) -> dict[str, Any]:
    return openai_chat(text, **kw) if provider == "openai" else anthropic_message(text, **kw)


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_text_answer(server: FakeLLMServer, provider: str) -> None:
    server.queue(reply(provider, "Sounds like a printer jam.", input_tokens=20, output_tokens=6))
    result = make(server, provider).invoke(
        call(provider, prompt="What is wrong?", system="You are support.", temperature=0.1)
    )
    model = "gpt-test" if provider == "openai" else "claude-test"
    assert result.data == {
        "answer": "Sounds like a printer jam.",
        "usage": {"input_tokens": 20, "output_tokens": 6, "model_calls": 1, "tool_calls": 0},
        "model": model,
        "provider": provider,
    }
    sent = server.requests[0]
    assert sent.status == 200 and sent.body["model"] == model and sent.body["temperature"] == 0.1
    if provider == "openai":
        assert sent.path == "/v1/chat/completions"
        assert sent.headers["authorization"] == f"Bearer {API_KEY}"
        assert sent.body["messages"] == [
            {"role": "system", "content": "You are support."},
            {"role": "user", "content": "What is wrong?"},
        ]
        assert "response_format" not in sent.body
    else:
        assert sent.path == "/v1/messages"
        assert sent.headers["x-api-key"] == API_KEY
        assert sent.headers["anthropic-version"] == "2023-06-01"
        assert sent.body["system"] == "You are support."
        assert sent.body["messages"] == [{"role": "user", "content": "What is wrong?"}]
        assert sent.body["max_tokens"] == 1024


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_invalid_answer_is_repaired_with_the_validation_error(
    server: FakeLLMServer, provider: str
) -> None:
    server.queue(reply(provider, INVALID), reply(provider, f"```json\n{VALID}\n```"))
    events: list[tuple[str, dict[str, Any]]] = []
    result = make(server, provider, events=events).invoke(
        call(provider, prompt="Triage: printer on fire", schema=TRIAGE_SCHEMA)
    )
    assert result.data["answer"] == {"label": "bug", "confidence": 0.92}
    assert result.data["usage"]["model_calls"] == 2
    first, second = (r.body for r in server.requests)
    system = first["messages"][0]["content"] if provider == "openai" else first["system"]
    assert '"confidence"' in system and "JSON Schema" in system
    if provider == "openai":
        assert first["response_format"]["type"] == "json_schema"
        assert first["response_format"]["json_schema"]["schema"] == TRIAGE_SCHEMA
    *_, answered, feedback = second["messages"]
    assert answered == {"role": "assistant", "content": INVALID} or answered["content"] == [
        {"type": "text", "text": INVALID}
    ]
    assert feedback["role"] == "user"
    assert "'feature' is not one of" in feedback["content"]
    assert "confidence: 2 is greater than the maximum of 1" in feedback["content"]
    calls = result.meta["llm_calls"]
    assert [c["status"] for c in calls] == ["invalid_output", "ok"]
    assert calls[0]["answer"] == INVALID and calls[0]["errors"]
    assert [kind for kind, _ in events] == ["llm_call", "llm_call"]
    assert events[1][1]["messages"][-1]["content"] == feedback["content"]


def test_persistently_invalid_answer_raises_agent_invalid_output(server: FakeLLMServer) -> None:
    server.queue(openai_chat(INVALID), openai_chat("not json at all"))
    with pytest.raises(ConnectorBpmnError) as caught:
        make(server).invoke(call(prompt="Triage", schema=json.dumps(TRIAGE_SCHEMA), max_repairs=1))
    error = caught.value
    assert error.code == "AGENT_INVALID_OUTPUT"
    assert error.data["answer"] == "not json at all"
    assert error.data["errors"] == ["the answer is not JSON: Expecting value at line 1 column 1"]
    assert "[Task_Triage] instance inst-1" in str(error)
    assert len(server.requests) == 2 and server.pending == 0


def test_max_repairs_zero_raises_on_the_first_invalid_answer(server: FakeLLMServer) -> None:
    server.queue(openai_chat(INVALID))
    with pytest.raises(ConnectorBpmnError, match="after 0 repair") as caught:
        make(server).invoke(call(prompt="Triage", schema=TRIAGE_SCHEMA, max_repairs=0))
    assert caught.value.code == "AGENT_INVALID_OUTPUT"
    assert len(caught.value.data["errors"]) == 2


def test_repairs_count_against_max_model_calls(server: FakeLLMServer) -> None:
    server.queue(openai_chat(INVALID), openai_chat(INVALID))
    with pytest.raises(ConnectorBpmnError) as caught:
        make(server).invoke(
            call(prompt="Triage", schema=TRIAGE_SCHEMA, max_repairs=5, max_model_calls=2)
        )
    assert caught.value.code == "AGENT_LIMIT_EXCEEDED"
    assert caught.value.data["limit"] == "max_model_calls"
    assert len(server.requests) == 2


def test_json_object_mode_and_prose_around_the_answer(server: FakeLLMServer) -> None:
    server.queue(openai_chat(f"Here you go: {VALID} Hope that helps."))
    connector = make(server, response_format="json_object")
    result = connector.invoke(call(prompt="Triage", schema=TRIAGE_SCHEMA))
    assert result.data["answer"]["label"] == "bug"
    assert server.requests[0].body["response_format"] == {"type": "json_object"}


def test_prompt_and_schema_files(server: FakeLLMServer, tmp_path: Any) -> None:
    (tmp_path / "triage.j2").write_text("Ticket {{ ticket.id }}: {{ ticket.text }}")
    (tmp_path / "system.j2").write_text("You triage tickets for {{ team }}.")
    (tmp_path / "triage.json").write_text(json.dumps(TRIAGE_SCHEMA))
    server.queue(openai_chat(VALID))
    result = make(server).invoke(
        call(
            base_dir=str(tmp_path),
            prompt_file="triage.j2",
            system_file="system.j2",
            schema_file="triage.json",
            vars={"ticket": {"id": 7, "text": "printer"}, "team": "IT"},
        )
    )
    assert result.data["answer"]["confidence"] == 0.92
    messages = server.requests[0].body["messages"]
    assert messages[0]["content"].startswith("You triage tickets for IT.")
    assert messages[1] == {"role": "user", "content": "Ticket 7: printer"}


def test_an_empty_anthropic_answer_is_repaired(server: FakeLLMServer) -> None:
    server.queue(anthropic_message(""), anthropic_message(VALID))
    result = make(server, "anthropic").invoke(
        call("anthropic", prompt="Triage", schema=TRIAGE_SCHEMA)
    )
    assert result.data["answer"]["label"] == "bug"
    assert [r.status for r in server.requests] == [200, 200]
    assert result.meta["llm_calls"][0]["errors"] == ["the answer is empty, expected a JSON value"]
