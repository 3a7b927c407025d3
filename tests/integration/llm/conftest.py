from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.llm.fake_llm import FakeLLMServer

API_KEY = "sk-test-5f2c9d1e-do-not-leak"


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer(api_key=API_KEY, models={"gpt-test", "claude-test"}) as running:
        yield running
