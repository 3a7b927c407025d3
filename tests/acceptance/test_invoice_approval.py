"""samples/invoice-approval (Camunda 7): DMN routing, a form, people from seamline.toml."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NAME = "invoice-approval"
DIAGRAM = f"{NAME}.bpmn"
APPROVE = "Task_ApproveInvoice"

Waiting = Callable[[dict[str, Any], str], str]


def test_approved_invoice_is_booked(sample: Callable[..., Any], waiting_task: Waiting) -> None:
    cli = sample(NAME)
    started = cli.json("run", DIAGRAM, "--data", "@data.json")
    assert started["status"] == "waiting"
    # 830 of travel expenses: the FIRST-hit table skips the accounting rules.
    assert started["data"]["approverGroup"] == "team-leads"
    task = waiting_task(started, APPROVE)

    queue = cli.json("tasks", user="tom")
    assert [t["task"] for t in queue] == [task]
    assert queue[0]["candidate_groups"] == ["team-leads"]
    assert queue[0]["due"] is not None
    fields = queue[0]["form"]["properties"]
    assert set(fields) == {"approved", "comment"}

    done = cli.json(
        "complete", task, "--data", '{"approved": true, "comment": "matches PO"}', user="tom"
    )
    assert done["status"] == "completed"
    assert done["waiting"] == []
    assert done["data"]["booked"] is True
    assert done["data"]["ledger_entry"] == "INV-4711/team-leads"


def test_rejected_invoice_ends_without_booking(
    sample: Callable[..., Any], waiting_task: Waiting
) -> None:
    cli = sample(NAME)
    started = cli.json(
        "run",
        DIAGRAM,
        "--data",
        '{"invoiceNumber": "99", "invoiceCategory": "Misc", "amount": 12000}',
    )
    assert started["data"]["approverGroup"] == "management"
    done = cli.json(
        "complete", waiting_task(started, APPROVE), "--data", '{"approved": false}', user="mary"
    )
    assert done["status"] == "completed"
    assert done["data"]["approved"] is False
    assert "booked" not in done["data"]


def test_small_licence_invoice_stays_in_accounting(sample: Callable[..., Any]) -> None:
    cli = sample(NAME)
    started = cli.json(
        "run",
        DIAGRAM,
        "--data",
        '{"invoiceNumber": "7", "invoiceCategory": "Software License Costs", "amount": 900}',
    )
    assert started["data"]["approverGroup"] == "accounting"
    assert [t["instance"] for t in cli.json("tasks", user="alice")] == [started["instance"]]


def test_claim_unclaim_assign_and_a_refused_completion(
    sample: Callable[..., Any], waiting_task: Waiting
) -> None:
    cli = sample(NAME)
    started = cli.json("run", DIAGRAM, "--data", "@data.json")
    instance, task = started["instance"], waiting_task(started, APPROVE)

    refused = cli("complete", task, "--data", '{"approved": true}', user="alice", expect=4)
    assert refused.stdout == ""
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "may not complete" in refused.stderr and task[:8] in refused.stderr
    after = cli.json("show", instance)
    assert after["status"] == "waiting"
    assert "approved" not in after["data"]
    assert not [e for e in after["history"] if e["kind"] == "task_completed"]

    claimed = cli.json("claim", task, user="tom")
    assert (claimed["status"], claimed["assignee"]) == ("claimed", "tom")
    # Tina is a candidate too, but the task is Tom's now.
    taken = cli("claim", task, user="tina", expect=4)
    assert "assigned to tom" in taken.stderr
    released = cli.json("unclaim", task, user="tom")
    assert (released["status"], released["assignee"]) == ("open", None)
    assigned = cli.json("assign", task, "tina", user="root")
    assert assigned["assignee"] == "tina"

    done = cli.json("complete", task, "--data", '{"approved": true}', user="tina")
    assert done["status"] == "completed"
    history = cli.json("show", instance)["history"]
    kinds = [e["kind"] for e in history]
    for kind in ("task_claimed", "task_unclaimed", "task_assigned", "task_completed"):
        assert kind in kinds, kinds
    actors = {e["kind"]: e["actor"] for e in history if e["kind"].startswith("task_")}
    assert actors["task_claimed"] == "tom"
    assert actors["task_assigned"] == "root"


def test_invalid_form_data_names_each_field_and_keeps_the_task(
    sample: Callable[..., Any], waiting_task: Waiting
) -> None:
    cli = sample(NAME)
    started = cli.json("run", DIAGRAM, "--data", "@data.json")
    task = waiting_task(started, APPROVE)

    bad = cli(
        "complete", task, "--data", '{"approved": "maybe", "comment": 5}', user="tom", expect=1
    )
    assert bad.stdout == ""
    fields = [line for line in bad.stderr.splitlines() if line.startswith("  - ")]
    assert len(fields) == 2, bad.stderr
    assert fields[0].startswith("  - approved:") and "maybe" in fields[0]
    assert fields[1].startswith("  - comment:")

    missing = cli("complete", task, "--data", '{"comment": "forgot"}', user="tom", expect=1)
    assert [line for line in missing.stderr.splitlines() if line.startswith("  - ")] == [
        "  - approved: required"
    ]

    still = cli.json("tasks", "--instance", started["instance"], user="tom")
    assert [(t["task"], t["status"]) for t in still] == [(task, "open")]
