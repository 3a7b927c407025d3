from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from seamline.app import App
from seamline.store.sqlite import SqliteStore

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def now() -> list[dt.datetime]:
    """The injected clock's reading; tests advance it by assigning now[0]."""
    return [START]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "seamline.db"


@pytest.fixture
def app(db: Path, now: list[dt.datetime]) -> Iterator[App]:
    with App(SqliteStore(db), clock=lambda: now[0]) as built:
        yield built


@pytest.fixture
def diagram(tmp_path: Path) -> Callable[..., Path]:
    def write(xml: str, name: str = "process.bpmn") -> Path:
        path = tmp_path / name
        path.write_text(xml, encoding="utf-8")
        return path

    return write
