from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from seamline.app import App
from seamline.connectors.secrets import Secrets
from seamline.store.factory import open_store
from seamline.store.memory import MemoryStore
from tests.integration.connectors_engine.helpers import TOKEN, FakeClock
from tests.integration.connectors_engine.server import ScriptedServer


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


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "seamline.db"


@pytest.fixture
def sqlite_app(db: Path, clock: FakeClock) -> Iterator[App]:
    """An App on a SQLite file that the CLI can open too."""
    with App(open_store(str(db)), clock=clock, secrets=Secrets({"API_TOKEN": TOKEN})) as built:
        yield built
