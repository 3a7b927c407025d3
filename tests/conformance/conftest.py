"""Fixtures of the conformance suite: one fresh engine (SQLite file, test clock) per case."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conformance.harness import Engine


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each case carries its refusal reason to its report (read by benchmarks/conformance.py,
    also when the cases run in xdist workers)."""
    for item in items:
        marker = item.get_closest_marker("refused")
        if marker is not None:
            item.user_properties.append(("refused", marker.args[0] if marker.args else "refused"))


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """An App over a SQLite file in the case's directory, its clock at the harness epoch."""
    made = Engine(tmp_path)
    try:
        yield made
    finally:
        made.close()
