from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from seamline.store.base import Store
from seamline.store.memory import MemoryStore
from seamline.store.sqlite import SqliteStore


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Each scenario runs on the memory store and on a SQLite file: every call is a round trip."""
    made: Store = MemoryStore() if request.param == "memory" else SqliteStore(tmp_path / "s.db")
    try:
        yield made
    finally:
        made.close()
