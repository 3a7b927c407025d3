"""Process data changed with `seamline set` stays the instance's data through every later verb."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NAME = "invoice-approval"
DIAGRAM = f"{NAME}.bpmn"
APPROVE = "Task_ApproveInvoice"
START = '{"invoiceNumber": "7", "invoiceCategory": "Misc", "amount": 30}'

Waiting = Callable[[dict[str, Any], str], str]


def test_cancel_keeps_the_values_set_before(sample: Callable[..., Any]) -> None:
    cli = sample(NAME)
    started = cli.json("run", DIAGRAM, "--data", START)
    instance = started["instance"]
    changed = cli.json("set", instance, "--data", '{"amount": 1, "note": "x"}', user="root")
    assert (changed["data"]["amount"], changed["data"]["note"]) == (1, "x")

    cancelled = cli.json("cancel", instance, user="root")
    assert cancelled["status"] == "cancelled"
    assert (cancelled["data"]["amount"], cancelled["data"]["note"]) == (1, "x")
    shown = cli.json("show", instance)
    assert (shown["data"]["amount"], shown["data"]["note"]) == (1, "x")


def test_resume_and_complete_keep_the_values_set_before(
    sample: Callable[..., Any], waiting_task: Waiting
) -> None:
    cli = sample(NAME)
    started = cli.json("run", DIAGRAM, "--data", START)
    instance = started["instance"]
    cli.json("set", instance, "--data", '{"note": "x"}', user="root")
    resumed = cli.json("resume", instance, user="root")
    assert resumed["data"]["note"] == "x"
    done = cli.json(
        "complete", waiting_task(resumed, APPROVE), "--data", '{"approved": false}', user="root"
    )
    assert done["status"] == "completed"
    assert done["data"]["note"] == "x"
