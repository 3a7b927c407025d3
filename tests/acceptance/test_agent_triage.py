"""samples/agent-triage (Camunda 8): the llm connector through the binary, against a fake model.

The test starts an OpenAI-compatible fake server and points the SEAMLINE_LLM_* environment at
it, exactly as samples/README.md tells people to point the sample at a real endpoint.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.acceptance.conftest import Seamline
from tests.integration.llm.fake_llm import FakeLLMServer, openai_chat

NAME = "agent-triage"
DIAGRAM = f"{NAME}.bpmn"
API_KEY = "sk-acceptance-0c9e55d2-keep-out-of-output"
MODEL = "gpt-4o-mini"

Waiting = Callable[[dict[str, Any], str], str]


class AgentSeamline(Seamline):
    """The binary with the SEAMLINE_LLM_* environment naming the fake server."""

    def __init__(self, cwd: Path, db: Path, llm_env: dict[str, str]) -> None:
        super().__init__(cwd, db)
        self.llm_env = llm_env

    def env(self) -> dict[str, str]:
        """The caller-independent environment plus the model endpoint."""
        return {**super().env(), **self.llm_env}


def answer(category: str, amount: Any, confidence: Any) -> dict[str, Any]:
    """A chat completion holding a triage answer."""
    body = {"category": category, "severity": "low", "amount": amount, "confidence": confidence}
    return openai_chat(json.dumps(body), model=MODEL)


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer(api_key=API_KEY, models={MODEL}) as running:
        yield running


@pytest.fixture
def agent(sample: Callable[..., Seamline], server: FakeLLMServer) -> AgentSeamline:
    """The sample folder and the binary, run from inside the folder."""
    plain = sample(NAME)
    env = {
        "SEAMLINE_LLM_PROVIDER": "openai",
        "SEAMLINE_LLM_BASE_URL": server.url + "/v1",
        "SEAMLINE_LLM_MODEL": MODEL,
        "SEAMLINE_LLM_API_KEY": API_KEY,
    }
    return AgentSeamline(plain.cwd, plain.db, env)


def test_readme_command_from_outside_the_folder(
    agent: AgentSeamline, server: FakeLLMServer
) -> None:
    server.queue(answer("glass", 380, 0.93))
    outside = AgentSeamline(agent.cwd.parent, agent.db, agent.llm_env)
    ran = outside("run", f"{NAME}/{DIAGRAM}", "--data", f"@{NAME}/data.json", "--json")
    done = ran.json()
    assert done["status"] == "completed", done.get("error")
    assert done["data"]["decision"] == {"category": "glass", "amount": 380, "decidedBy": "agent"}
    assert done["data"]["payment"] == {"reference": "PAY-CLM-2024-1042", "amount": 380}
    assert server.requests[0].headers["authorization"] == f"Bearer {API_KEY}"

    shown = outside("show", done["instance"], "--json")
    [completed] = [h for h in shown.json()["history"] if h["kind"] == "connector_completed"]
    [call] = completed["data"]["meta"]["llm_calls"]
    assert (call["provider"], call["model"], call["status"]) == ("openai", MODEL, "ok")
    assert "Claim CLM-2024-1042" in call["messages"][0]["content"]
    human = outside("show", done["instance"])
    for text in (ran.stdout, shown.stdout, human.stdout):
        assert API_KEY not in text


def test_unsure_answer_is_reviewed_and_corrected(
    agent: AgentSeamline, server: FakeLLMServer, waiting_task: Waiting
) -> None:
    server.queue(answer("glass", 380, 0.55))
    started = agent.json("run", DIAGRAM, "--data", "@data.json")
    review = waiting_task(started, "Task_Review")

    assert agent.json("tasks", user="chris") == []
    [row] = agent.json("tasks", user="hana")
    assert (row["task"], row["candidate_groups"]) == (review, ["claims-handlers"])

    refused = agent(
        "complete", review, "--data", '{"category": "boat", "amount": 380}', user="hana", expect=1
    )
    assert "category" in refused.stderr

    corrected = agent.json(
        "complete", review, "--data", '{"category": "water", "amount": 1250}', user="hana"
    )
    assert corrected["data"]["decision"]["category"] == "water"
    assert corrected["data"]["triage"]["answer"]["category"] == "glass"
    handle = waiting_task(corrected, "Task_HandleClaim")
    done = agent.json("complete", handle, "--data", '{"approved": true}', user="hana")
    assert done["status"] == "completed"
    assert "payment" not in done["data"]


def test_answer_that_stays_invalid_goes_to_manual_triage(
    agent: AgentSeamline, server: FakeLLMServer, waiting_task: Waiting
) -> None:
    server.queue(answer("car", 380, 0.9), answer("car", "380 EUR", 0.9), answer("car", 380, 2))
    started = agent.json("run", DIAGRAM, "--data", "@data.json")
    manual = waiting_task(started, "Task_ManualTriage")
    assert len(server.requests) == 3
    shown = agent.json("show", started["instance"])
    [error] = [h for h in shown["history"] if h["kind"] == "bpmn_error"]
    assert error["data"]["code"] == "AGENT_INVALID_OUTPUT"

    done = agent.json(
        "complete", manual, "--data", '{"category": "glass", "amount": 380}', user="hana"
    )
    assert done["status"] == "completed"
    assert done["data"]["payment"]["amount"] == 380


def test_without_an_endpoint_the_instance_waits_in_an_incident_until_resumed(
    agent: AgentSeamline, server: FakeLLMServer
) -> None:
    unset = AgentSeamline(agent.cwd, agent.db, {})
    started = unset.json("run", DIAGRAM, "--data", "@data.json")
    assert started["status"] == "incident"
    assert started["error"].startswith(
        "Task_Classify: connector 'llm': no LLM endpoint is configured: set SEAMLINE_LLM_BASE_URL"
    )
    assert server.requests == []

    server.queue(answer("glass", 380, 0.93))
    resumed = agent.json("resume", started["instance"], user="root")
    assert resumed["status"] == "completed", resumed.get("error")
    assert resumed["data"]["payment"]["amount"] == 380
