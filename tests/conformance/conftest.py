"""Fixtures of the conformance suite: one fresh engine (SQLite file, test clock) per case."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conformance.harness import Engine


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """An App over a SQLite file in the case's directory, its clock at the harness epoch."""
    made = Engine(tmp_path)
    try:
        yield made
    finally:
        made.close()
