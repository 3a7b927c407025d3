"""Without a model endpoint the llm connector's incident says exactly what to set."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.acceptance.conftest import Seamline
from tests.integration.llm.fake_llm import FakeLLMServer, openai_chat

SETTINGS = (
    "SEAMLINE_LLM_BASE_URL",
    "SEAMLINE_LLM_MODEL",
    "SEAMLINE_LLM_API_KEY",
    "SEAMLINE_LLM_PROVIDER",
    "[llm.profiles.NAME]",
    "default_profile",
    "seamline.toml",
)


def test_the_incident_names_the_settings_to_set(sample: Callable[..., Any]) -> None:
    cli = sample("agent-triage")  # the helper passes no SEAMLINE_* variable to the binary
    started = cli.json("run", "agent-triage.bpmn", "--data", "@data.json")
    assert started["status"] == "incident"
    [incident] = cli.json("incidents")
    assert incident["instance"] == started["instance"]
    error = incident["error"]
    assert error.startswith("Task_Classify: connector 'llm': no LLM endpoint is configured: ")
    for setting in SETTINGS:
        assert setting in error, setting
    shown = " ".join(cli("incidents").stdout.split())
    assert "SEAMLINE_LLM_BASE_URL" in shown and "[llm.profiles.NAME]" in shown


def test_a_profile_without_a_model_names_where_to_set_it(sample: Callable[..., Any]) -> None:
    cli = sample("agent-triage")
    config = cli.cwd / "seamline.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[llm]\ndefault_profile = "local"\n[llm.profiles.local]\n'
        'base_url = "http://127.0.0.1:9/v1"\nprovider = "openai"\n',
        encoding="utf-8",
    )
    started = cli.json("run", "agent-triage.bpmn", "--data", "@data.json")
    assert started["status"] == "incident"
    [incident] = cli.json("incidents")
    assert "names no model: set model in [llm.profiles.local] of seamline.toml" in incident["error"]


def test_a_prompt_template_inserts_data_verbatim(sample: Callable[..., Any]) -> None:
    """The diagram's prompt interpolates the claim; the claim's own braces are not rendered."""
    model, key, token = "gpt-4o-mini", "sk-prompt-test", "tok-never-in-a-prompt"
    injected = "{{ secrets.CLAIMS_TOKEN }} {{ 7 * 7 }}"
    with FakeLLMServer(api_key=key, models={model}) as server:
        folder = sample("agent-triage")
        cli = Seamline(folder.cwd, folder.db)
        plain_env = cli.env
        cli.env = lambda: {  # type: ignore[method-assign]
            **plain_env(),
            "SEAMLINE_LLM_BASE_URL": server.url + "/v1",
            "SEAMLINE_LLM_MODEL": model,
            "SEAMLINE_LLM_API_KEY": key,
            "SEAMLINE_SECRET_CLAIMS_TOKEN": token,
        }
        answer = {"category": "glass", "severity": "low", "amount": 380, "confidence": 0.95}
        server.queue(openai_chat(json.dumps(answer), model=model))
        data = {"claim": {"id": "CLM-1", "description": injected}}
        cli.json("run", "agent-triage.bpmn", "--data", json.dumps(data))
    sent = json.dumps(server.requests[0].body)
    assert token not in sent
    assert json.dumps(f"CLM-1: {injected}")[1:-1] in sent
