"""Who the queue belongs to, and a form with nobody at the keyboard."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

INVOICE = "invoice-approval"


def test_tasks_without_a_user_says_how_to_name_one(sample: Callable[..., Any]) -> None:
    cli = sample(INVOICE)
    cli("run", "invoice-approval.bpmn", "--data", "@data.json")
    for args in (("tasks",), ("tasks", "--json"), ("tasks", "--mine")):
        refused = cli(*args, expect=2)
        assert refused.stdout == ""
        [line] = refused.stderr.splitlines()
        assert "no user is set; pass --as USER or set SEAMLINE_USER" in line
        assert "alice, mary, root, tina, tom" in line


def test_without_configured_users_the_operator_sees_every_task(bare: Any) -> None:
    shutil.copy(SAMPLES / "escalation" / "escalation.bpmn", bare.cwd)
    bare("run", "escalation.bpmn")
    [task] = bare.json("tasks")
    assert task["status"] == "open"
    mine = bare("tasks", "--mine", expect=2)
    assert "tasks --mine: no user is set; add a [users.NAME] table" in mine.stderr


def test_claim_unclaim_assign_say_it_once(sample: Callable[..., Any]) -> None:
    cli = sample(INVOICE)
    cli("run", "invoice-approval.bpmn", "--data", "@data.json")
    [task] = cli.json("tasks", user="tom")
    claimed = cli("claim", task["task"], user="tom").stdout.strip()
    assert claimed == f"task {task['task'][:8]} (Approve invoice) claimed by tom"
    released = cli("unclaim", task["task"], user="tom").stdout.strip()
    assert released.endswith("released: open to its candidates again")
    assigned = cli("assign", task["task"], "tina", user="root").stdout.strip()
    assert assigned.endswith("(Approve invoice) assigned to tina")


def test_form_without_input_says_so_and_commits_nothing(sample: Callable[..., Any]) -> None:
    cli = sample(INVOICE)
    cli("run", "invoice-approval.bpmn", "--data", "@data.json")
    [task] = cli.json("tasks", user="tom")
    done = subprocess.run(
        [cli.binary, "--db", str(cli.db), "--as", "tom", "complete", task["task"], "--form"],
        cwd=cli.cwd,
        env=cli.env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done
    assert "Aborted" not in done.stderr
    assert (
        "error: complete --form: no input (stdin closed); give the data with --data JSON "
        "or run in a terminal"
    ) in done.stderr.splitlines()
    [still] = cli.json("tasks", user="tom")
    assert still["status"] == "open"
