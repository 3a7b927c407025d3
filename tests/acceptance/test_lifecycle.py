"""Instances over time, each command its own process: list by status, show history, cancel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NAME = "invoice-approval"
DIAGRAM = f"{NAME}.bpmn"
APPROVE = "Task_ApproveInvoice"

Waiting = Callable[[dict[str, Any], str], str]


def test_instances_by_status_show_history_and_cancel(
    sample: Callable[..., Any], waiting_task: Waiting
) -> None:
    # The store is named by SEAMLINE_DB here; the other tests pass --db.
    cli = sample(NAME, db_from_env=True)
    kept = cli.json("run", DIAGRAM, "--data", "@data.json", "--business-key", "INV-4711")
    dropped = cli.json("run", DIAGRAM, "--data", "@data.json", "--business-key", "INV-4712")
    done = cli.json("run", DIAGRAM, "--data", "@data.json")
    cli.json("complete", waiting_task(done, APPROVE), "--data", '{"approved": true}', user="tom")

    cancelled = cli.json("cancel", dropped["instance"], user="root")
    assert (cancelled["status"], cancelled["waiting"]) == ("cancelled", [])

    waiting = cli.json("instances", "--status", "waiting")
    assert [(i["instance"], i["business_key"]) for i in waiting] == [(kept["instance"], "INV-4711")]
    every = {i["instance"]: i["status"] for i in cli.json("instances")}
    assert every == {
        kept["instance"]: "waiting",
        dropped["instance"]: "cancelled",
        done["instance"]: "completed",
    }

    # The cancelled instance's task left every queue and cannot be completed any more.
    assert [t["instance"] for t in cli.json("tasks", user="root")] == [kept["instance"]]
    late = cli(
        "complete",
        waiting_task(dropped, APPROVE),
        "--data",
        '{"approved": true}',
        user="tom",
        expect=1,
    )
    assert "cancelled" in late.stderr

    shown = cli.json("show", done["instance"])
    assert shown["status"] == "completed"
    history = shown["history"]
    assert [e["seq"] for e in history] == sorted(e["seq"] for e in history)
    kinds = [e["kind"] for e in history]
    assert kinds[0] == "instance_started"
    assert kinds[-1] == "instance_completed"
    completions = [e for e in history if e["kind"] == "task_completed"]
    assert [(e["element"], e["actor"]) for e in completions] == [(APPROVE, "tom")]

    # The same view for people: a table of what it waits for, with the business key.
    human = cli("show", kept["instance"])
    assert "waiting for" in human.stdout and APPROVE in human.stdout
    assert "INV-4711" in human.stdout
