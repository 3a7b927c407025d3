from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.durability.helpers import COUNTING_LOOP


@pytest.fixture
def counting_diagram(tmp_path: Path) -> Path:
    path = tmp_path / "counting.bpmn"
    path.write_text(COUNTING_LOOP, encoding="utf-8")
    return path
