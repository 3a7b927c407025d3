from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from seamline.app import App
from seamline.config import Settings
from seamline.store.memory import MemoryStore
from tests.integration.humans_engine.diagrams import USERS_TOML

START = dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)


class FakeClock:
    """The engine's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(clock: FakeClock) -> App:
    """An App with the users of USERS_TOML and the lane mapping, on an injected clock."""
    return App(MemoryStore(), settings=Settings(raw=tomllib.loads(USERS_TOML)), clock=clock)


@pytest.fixture
def diagram(tmp_path: Path) -> Callable[..., Path]:
    def write(xml: str, name: str = "process.bpmn") -> Path:
        path = tmp_path / name
        path.write_text(xml, encoding="utf-8")
        return path

    return write
