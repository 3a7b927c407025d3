"""samples/claims-triage (Camunda 8): FEEL conditions, zeebe:ioMapping, a candidate group."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NAME = "claims-triage"
DIAGRAM = f"{NAME}.bpmn"
ASSESS = "Task_AssessClaim"

Waiting = Callable[[dict[str, Any], str], str]


def test_large_claim_is_assessed_then_paid(
    sample: Callable[..., Any], waiting_task: Waiting
) -> None:
    cli = sample(NAME)
    started = cli.json("run", DIAGRAM, "--data", "@data.json")
    assert started["status"] == "waiting"
    assert (started["data"]["policyCovered"], started["data"]["deductible"]) == (True, 150)
    task = waiting_task(started, ASSESS)

    # A claims clerk sees nothing to do and may not decide for the adjusters.
    assert cli.json("tasks", user="chris") == []
    refused = cli("complete", task, "--data", '{"approved": true}', user="chris", expect=4)
    assert "adjusters" in refused.stderr

    queue = cli.json("tasks", user="adam")
    assert [(t["task"], t["candidate_groups"]) for t in queue] == [(task, ["adjusters"])]
    assert queue[0]["due"] is not None

    done = cli.json("complete", task, "--data", '{"approved": true}', user="adam")
    assert done["status"] == "completed"
    assert done["data"]["payment"] == {"reference": "PAY-CLM-2024-0815", "amount": 2250}


def test_large_claim_rejected_by_the_adjuster(
    sample: Callable[..., Any], waiting_task: Waiting
) -> None:
    cli = sample(NAME)
    started = cli.json("run", DIAGRAM, "--data", "@data.json")
    done = cli.json(
        "complete", waiting_task(started, ASSESS), "--data", '{"approved": false}', user="adam"
    )
    assert done["status"] == "completed"
    assert "payment" not in done["data"]


def test_small_claim_is_paid_without_anyone(sample: Callable[..., Any]) -> None:
    cli = sample(NAME)
    done = cli.json("run", DIAGRAM, "--data", "@data-fast-track.json")
    assert done["status"] == "completed"
    assert done["data"]["payment"] == {"reference": "PAY-CLM-2024-0816", "amount": 350}


def test_claim_without_active_policy_is_rejected(sample: Callable[..., Any]) -> None:
    cli = sample(NAME)
    done = cli.json(
        "run",
        DIAGRAM,
        "--data",
        '{"claim": {"id": "CLM-1", "policyNumber": "POL-9009", "amount": 80}}',
    )
    assert done["status"] == "completed"
    assert done["data"]["policyCovered"] is False
    assert "payment" not in done["data"]


def test_connector_module_beside_the_config_imports_without_pythonpath(
    sample: Callable[..., Any],
) -> None:
    cli = sample(NAME)
    done = cli.json("run", DIAGRAM, "--data", "@data-fast-track.json")
    assert done["status"] == "completed", done.get("error")
