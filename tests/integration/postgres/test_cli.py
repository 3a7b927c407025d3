"""The invoice-approval sample end to end through the CLI, each command its own process, on
PostgreSQL (``--db postgresql://...?options=-csearch_path%3D<schema>``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.postgres.pg import drop_schema, new_schema, schema_url

SEAMLINE = str(Path(sys.executable).parent / "seamline")
SAMPLE = Path(__file__).parents[3] / "samples" / "invoice-approval"


@pytest.fixture
def db() -> Iterator[str]:
    name = new_schema()
    yield schema_url(name)
    drop_schema(name)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for path in SAMPLE.iterdir():
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _seamline(folder: Path, *args: str, db: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEAMLINE_")}
    env["SEAMLINE_DB"] = db
    return subprocess.run(
        [SEAMLINE, *args], cwd=folder, env=env, capture_output=True, text=True, timeout=120
    )


def _json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_run_tasks_complete_on_postgres(folder: Path, db: str) -> None:
    started = _json(_seamline(folder, "run", "invoice-approval.bpmn", "--data", "@data.json",
                              "--json", db=db))  # fmt: skip
    assert started["status"] == "waiting"
    instance = started["instance"]
    [task] = _json(_seamline(folder, "--as", "tom", "tasks", "--json", db=db))
    assert task["instance"] == instance and task["candidate_groups"] == ["team-leads"]
    assert _json(_seamline(folder, "--as", "alice", "tasks", "--json", db=db)) == []
    data = json.dumps({"approved": True, "comment": "matches the order"})
    done = _seamline(folder, "--as", "tom", "complete", task["task"], "--data", data, db=db)
    assert done.returncode == 0, done.stderr
    shown = _json(_seamline(folder, "show", instance, "--json", db=db))
    assert shown["status"] == "completed"
    assert shown["data"]["approved"] is True
    # Nothing was written beside the diagram: the store is the PostgreSQL schema.
    assert not (folder / ".seamline").exists()


def test_an_unreachable_server_is_one_line_naming_it(folder: Path) -> None:
    url = "postgresql://postgres:hunter2@127.0.0.1:1/test"
    result = _seamline(folder, "instances", db=url)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "cannot connect to PostgreSQL at 127.0.0.1:1/test" in lines[0]
    assert "SEAMLINE_DB" in lines[0] and "hunter2" not in result.stderr
    assert "Traceback" not in result.stderr
