"""samples/order-fulfilment through the installed binary: python and shell connectors, a person."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.integration.connectors_engine.helpers import cli

SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "order-fulfilment"
DIAGRAM = "order-fulfilment.bpmn"


class Sample:
    """The sample folder copied to a temporary directory, and the binary run inside it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.db = root / "seamline.db"

    def json(self, *args: str, user: str | None = None) -> Any:
        extra = {"PYTHONPATH": "."}
        if user:
            extra["SEAMLINE_USER"] = user
        done = cli(self.db, *args, "--json", cwd=self.root, **extra)
        assert done.returncode == 0, f"seamline {' '.join(args)}: {done.stderr}"
        return json.loads(done.stdout)


@pytest.fixture
def sample(tmp_path: Path) -> Sample:
    root = tmp_path / "order-fulfilment"
    shutil.copytree(SAMPLE, root)
    return Sample(root)


def test_order_in_stock_is_reserved_slipped_and_shipped(sample: Sample) -> None:
    [report] = sample.json("validate", DIAGRAM)
    assert report["ok"] is True, report

    started = sample.json("run", DIAGRAM, "--data", "@data.json")
    assert started["status"] == "waiting"
    assert started["data"]["reservation"] == {"reservation_id": "R-KEYBOARD-2", "remaining": 10}
    assert started["data"]["packing_slip"] == "A-1001: KEYBOARD x 2"
    [wait] = started["waiting"]
    assert (wait["element"], wait["kind"]) == ("Task_Ship", "user_task")

    [task] = sample.json("tasks", user="wendy")
    assert task["candidate_groups"] == ["warehouse"]
    done = sample.json("complete", task["task"], "--data", '{"tracking": "1Z999"}', user="wendy")
    assert done["status"] == "completed"
    assert done["data"]["tracking"] == "1Z999"

    shown = sample.json("show", started["instance"])
    calls = [
        (e["element"], e["data"]["connector"])
        for e in shown["history"]
        if e["kind"] == "connector_completed"
    ]
    assert calls == [("Task_ReserveStock", "python"), ("Task_PackingSlip", "shell")]


def test_order_out_of_stock_is_backordered(sample: Sample) -> None:
    view = sample.json("run", DIAGRAM, "--data", "@data-backorder.json")
    assert view["status"] == "completed"
    assert view["data"]["errorCode"] == "OUT_OF_STOCK"
    assert view["data"]["errorMessage"] == "MONITOR: 5 wanted, 3 on hand"
    assert view["data"]["backorder"] == {"backorder_id": "B-MONITOR-5", "expected_in_days": 14}
    assert "reservation" not in view["data"] and "packing_slip" not in view["data"]
