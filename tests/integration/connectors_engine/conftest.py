from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from seamline.app import App
from seamline.connectors.secrets import Secrets
from seamline.store.memory import MemoryStore
from tests.integration.connectors_engine.server import ScriptedServer

DIAGRAMS = Path(__file__).with_name("diagrams")
TOKEN = "tok-7f3a9c-very-secret"


class FakeClock:
    """Now, moved by hand."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as running:
        yield running


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(clock: FakeClock) -> Iterator[App]:
    with App(MemoryStore(), clock=clock, secrets=Secrets({"API_TOKEN": TOKEN})) as built:
        yield built


def diagram(name: str) -> Path:
    """A diagram of this folder by file name."""
    return DIAGRAMS / name
