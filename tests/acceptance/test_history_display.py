"""`seamline show`: an instance's history as its steps, in the order they happened."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

INVOICE = "invoice-approval"


def test_second_instance_history_starts_at_step_one_in_order(sample: Callable[..., Any]) -> None:
    cli = sample(INVOICE)
    cli("run", "invoice-approval.bpmn", "--data", "@data.json")
    second = cli.json("run", "invoice-approval.bpmn", "--data", "@data.json")
    history = cli.json("show", second["instance"])["history"]
    assert [e["step"] for e in history] == list(range(1, len(history) + 1))
    assert history[0]["seq"] > 1  # store-wide numbers stay in the JSON, beside the step
    assert [(e["kind"], e["element"]) for e in history[:3]] == [
        ("instance_started", None),
        ("passed", None),
        ("task_ran", "Task_DecideApprover"),
    ]
    assert history[1]["data"] == {"elements": {"StartEvent_InvoiceReceived": 1}}


def test_history_table_reads_as_sentences_and_keeps_details_whole(
    sample: Callable[..., Any],
) -> None:
    cli = sample(INVOICE)
    cli("run", "invoice-approval.bpmn", "--data", "@data.json")
    second = cli.json("run", "invoice-approval.bpmn", "--data", "@data.json")
    shown = cli("show", second["instance"]).stdout
    table = shown.split("history", 1)[1]
    rows = [line for line in table.splitlines() if line.startswith("│ ") and line[2].isdigit()]
    assert [row.split("│")[1].strip() for row in rows] == [str(n) for n in range(1, len(rows) + 1)]
    events = [row.split("│")[3].strip() for row in rows]
    assert events[:4] == [
        "instance started",
        "start event passed",
        "business rule task ran",
        "now waiting",
    ]
    assert not any("_" in e for e in events), events
    # The started event's variable names used to be cut at 40 characters.
    assert "…" not in table
    assert '"invoiceNumber"' in table and "business_key=null" in table
