"""What an agent turn leaves behind: every model call in the history, the API key nowhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from seamline.app import App
from seamline.connectors.base import ConnectorCall
from seamline.connectors.llm import LlmConnector
from seamline.connectors.secrets import Secrets
from seamline.errors import AgentError
from seamline.store.records import Event
from tests.integration.agents.conftest import API_KEY, DIAGRAM, MODEL, answer, claim_data
from tests.integration.llm.fake_llm import FakeLLMServer

CUSTOMER_TOKEN = "portal-session-4be1c9f0a7"


def _completed(history: tuple[Event, ...] | None) -> Event:
    [event] = [e for e in history or () if e.kind == "connector_completed"]
    return event


def test_history_holds_each_model_call(app: App, server: FakeLLMServer) -> None:
    server.queue(answer("windscreen", 380, 0.9), answer("glass", 380, 0.9))
    view = app.run(DIAGRAM, claim_data())

    event = _completed(app.show(view.instance.id).history)
    assert event.element_id == "Task_Classify"
    meta = event.data["meta"]
    assert (meta["provider"], meta["model"], meta["profile"]) == ("openai", MODEL, "environment")
    assert meta["usage"] == {
        "input_tokens": 424,
        "output_tokens": 62,
        "model_calls": 2,
        "tool_calls": 0,
    }
    first, second = meta["llm_calls"]
    for call in (first, second):
        assert (call["provider"], call["model"]) == ("openai", MODEL)
        assert call["usage"] == {"input_tokens": 212, "output_tokens": 31}
        assert isinstance(call["latency_ms"], int | float) and call["latency_ms"] >= 0
        assert "You triage insurance claims" in call["system"]
    assert first["messages"][0]["content"].startswith("Classify this insurance claim")
    assert (first["status"], second["status"]) == ("invalid_output", "ok")
    assert json.loads(first["answer"])["category"] == "windscreen"
    assert first["errors"] == [
        "category: 'windscreen' is not one of "
        "['glass', 'water', 'fire', 'theft', 'collision', 'other']"
    ]
    # The repair request is part of what the second call sent.
    assert "does not match the required JSON Schema" in second["messages"][-1]["content"]
    assert json.loads(second["answer"])["category"] == "glass"


def test_secrets_in_the_prompt_are_redacted_in_the_history(
    app: App, server: FakeLLMServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEAMLINE_SECRET_PORTAL_TOKEN", CUSTOMER_TOKEN)
    data = claim_data()
    data["claim"]["description"] += f" (pasted from the portal, session {CUSTOMER_TOKEN})"
    server.queue(answer(confidence=0.5))
    view = app.run(DIAGRAM, data)

    # The model is sent the claim as written ...
    assert CUSTOMER_TOKEN in server.requests[0].body["messages"][-1]["content"]
    # ... but what seamline records of the call has the secret replaced.
    [call] = _completed(app.show(view.instance.id).history).data["meta"]["llm_calls"]
    assert "session ***" in call["messages"][0]["content"]
    events = json.dumps([dict(e.data) for e in app.show(view.instance.id).history or ()])
    assert CUSTOMER_TOKEN not in events


def _stored_text(app: App, instance_id: str) -> str:
    instance, blob = app.store.load_snapshot(instance_id)
    parts = [bytes(blob).decode("utf-8", "replace"), repr(instance)]
    parts += [json.dumps(e.data, default=str) + repr(e) for e in app.store.list_events(instance_id)]
    parts += [repr(t) for t in app.tasks()]
    return "\n".join(parts)


@pytest.mark.parametrize(
    "replies",
    [
        [answer(confidence=0.5)],
        [answer("windscreen"), answer("car"), answer("boat")],
    ],
    ids=["review", "invalid-output"],
)
def test_api_key_is_sent_but_never_stored(
    app: App, server: FakeLLMServer, db: Path, replies: list[dict[str, Any]]
) -> None:
    server.queue(*replies)
    view = app.run(DIAGRAM, claim_data())

    assert view.instance.status.value == "waiting"
    assert server.requests[0].headers["authorization"] == f"Bearer {API_KEY}"
    assert API_KEY not in _stored_text(app, view.instance.id)
    assert API_KEY not in json.dumps(app.show(view.instance.id).to_json(), default=str)
    app.close()
    for file in db.parent.glob(db.name + "*"):
        assert API_KEY.encode() not in file.read_bytes(), file.name


def test_cli_json_output_holds_no_key(app: App, server: FakeLLMServer, db: Path) -> None:
    server.queue(answer(confidence=0.5))
    view = app.run(DIAGRAM, claim_data())
    env = {k: v for k, v in os.environ.items() if k not in ("SEAMLINE_CONFIG", "SEAMLINE_USER")}
    binary = str(Path(sys.executable).parent / "seamline")
    shown = subprocess.run(
        [binary, "--db", str(db), "show", view.instance.id, "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=db.parent,
        timeout=60,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    out = json.loads(shown.stdout)
    assert out["data"]["triage"]["answer"]["confidence"] == 0.5
    assert any(h["kind"] == "connector_completed" for h in out["history"])
    assert API_KEY not in shown.stdout + shown.stderr


def test_an_invalid_turn_carries_its_model_calls(server: FakeLLMServer) -> None:
    server.queue(answer("windscreen"), answer("car"), answer("boat"))
    schema = {"type": "object", "properties": {"category": {"enum": ["glass"]}}}
    call = ConnectorCall(
        "llm",
        {"prompt": "Classify: a stone hit my windscreen", "schema": schema},
        instance_id="inst-1",
        element_id="Task_Classify",
        idempotency_key="key-1",
        secrets=Secrets(environ={}),
    )
    with pytest.raises(AgentError) as raised:
        LlmConnector().invoke(call)
    assert raised.value.code == "AGENT_INVALID_OUTPUT"
    calls = raised.value.meta["llm_calls"]
    assert [c["status"] for c in calls] == ["invalid_output"] * 3
    assert calls[0]["messages"][0]["content"] == "Classify: a stone hit my windscreen"
    assert API_KEY not in json.dumps(raised.value.meta)


def test_history_holds_the_model_calls_of_an_invalid_turn(app: App, server: FakeLLMServer) -> None:
    server.queue(answer("windscreen"), answer("car"), answer("boat"))
    view = app.run(DIAGRAM, claim_data())
    [error] = [e for e in app.show(view.instance.id).history or () if e.kind == "bpmn_error"]
    calls = error.data["meta"]["llm_calls"]
    assert [c["status"] for c in calls] == ["invalid_output"] * 3
