from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from seamline.app import App
from seamline.store.memory import MemoryStore


@pytest.fixture
def app() -> App:
    return App(MemoryStore())


@pytest.fixture
def diagram(tmp_path: Path) -> Callable[[str, str], Path]:
    def write(xml: str, name: str = "process.bpmn") -> Path:
        path = tmp_path / name
        path.write_text(xml, encoding="utf-8")
        return path

    return write
