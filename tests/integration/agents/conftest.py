"""The agent-triage sample run through App on SQLite against a scripted OpenAI-compatible server.

The model endpoint reaches the ``llm`` connector only through the ``SEAMLINE_LLM_*``
environment, as the sample's README tells people to configure it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seamline.app import App
from tests.integration.llm.fake_llm import FakeLLMServer, openai_chat

SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "agent-triage"
DIAGRAM = SAMPLE / "agent-triage.bpmn"
API_KEY = "sk-agent-triage-7d41e0c2-never-store-me"
MODEL = "gpt-test"


def claim_data(name: str = "data.json") -> dict[str, Any]:
    """The sample's start data."""
    data: dict[str, Any] = json.loads((SAMPLE / name).read_text(encoding="utf-8"))
    return data


def answer(
    category: Any = "glass",
    amount: Any = 380,
    confidence: Any = 0.93,
    severity: Any = "low",
    **extra: Any,
) -> dict[str, Any]:
    """An OpenAI chat completion whose content is a triage answer as JSON text."""
    body = {"category": category, "severity": severity, "amount": amount}
    body["confidence"] = confidence
    body.update(extra)
    return openai_chat(json.dumps(body), model=MODEL, input_tokens=212, output_tokens=31)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLLMServer]:
    """A fake OpenAI-compatible server the SEAMLINE_LLM_* environment points at."""
    with FakeLLMServer(api_key=API_KEY, models={MODEL}) as running:
        monkeypatch.setenv("SEAMLINE_LLM_PROVIDER", "openai")
        monkeypatch.setenv("SEAMLINE_LLM_BASE_URL", running.url + "/v1")
        monkeypatch.setenv("SEAMLINE_LLM_MODEL", MODEL)
        monkeypatch.setenv("SEAMLINE_LLM_API_KEY", API_KEY)
        yield running


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The SQLite file of the test's App."""
    return tmp_path / "seamline.db"


@pytest.fixture
def app(db: Path, server: FakeLLMServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    """An App on SQLite with the sample's seamline.toml (its users and groups)."""
    for name in ("SEAMLINE_CONFIG", "SEAMLINE_USER", "SEAMLINE_DB"):
        monkeypatch.delenv(name, raising=False)
    with App.open(str(db), config=SAMPLE / "seamline.toml", cwd=db.parent) as opened:
        yield opened
