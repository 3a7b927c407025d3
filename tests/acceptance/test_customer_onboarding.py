"""samples/customer-onboarding (SpiffArena): lanes, risk script, a form file, parallel split,
connector."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

NAME = "customer-onboarding"
DIAGRAM = f"{NAME}.bpmn"
WELCOME, VERIFY, COMPLIANCE = "Task_WelcomePack", "Task_VerifyIdentity", "Task_ComplianceCheck"

Waiting = Callable[[dict[str, Any], str], str]


def _expected_account(sample: Any, name: str, country: str, level: str) -> dict[str, str]:
    """What the sample's own module returns, imported from the copied sample folder."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "onboarding_accounts_under_test", sample.cwd / "onboarding_accounts.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result: dict[str, str] = module.open_account(name, country, level)
    return result


def test_low_risk_customer_runs_both_lanes_in_parallel(
    sample: Callable[..., Any], waiting_task: Waiting
) -> None:
    cli = sample(NAME)
    started = cli.json("run", DIAGRAM, "--data", "@data.json")
    assert started["status"] == "waiting"
    assert (started["data"]["risk_score"], started["data"]["risk_level"]) == (10, "low")
    assert {w["element"] for w in started["waiting"]} == {WELCOME, VERIFY}

    # Each lane's task is offered to its lane's group only.
    sales = cli.json("tasks", user="sam")
    compliance = cli.json("tasks", user="carla")
    assert [(t["element"], t["lane"], t["candidate_groups"]) for t in sales] == [
        (WELCOME, "Sales", ["sales"])
    ]
    assert [(t["element"], t["lane"], t["candidate_groups"]) for t in compliance] == [
        (VERIFY, "Compliance", ["compliance"])
    ]
    cli("complete", waiting_task(started, VERIFY), "--data", "{}", user="sam", expect=4)

    half = cli.json(
        "complete",
        waiting_task(started, WELCOME),
        "--data",
        '{"account_manager": "Sam"}',
        user="sam",
    )
    assert [w["element"] for w in half["waiting"]] == [VERIFY]
    done = cli.json(
        "complete",
        waiting_task(started, VERIFY),
        "--data",
        '{"identity_verified": true}',
        user="carla",
    )
    assert done["status"] == "completed", done
    assert done["data"]["account"] == _expected_account(cli, "Nordwind Trading GmbH", "DE", "low")


def test_high_risk_goes_through_compliance_both_ways(
    sample: Callable[..., Any], waiting_task: Waiting
) -> None:
    cli = sample(NAME)
    declined = cli.json("run", DIAGRAM, "--data", "@data-high-risk.json")
    cleared = cli.json("run", DIAGRAM, "--data", "@data-high-risk.json")
    for view in (declined, cleared):
        assert view["data"]["risk_score"] == 70
        assert [w["element"] for w in view["waiting"]] == [COMPLIANCE]

    # The form linked by formJsonSchemaFilename travels with the diagram and is enforced.
    [queued, _] = cli.json("tasks", user="carla")
    assert queued["form"]["x-order"] == ["cleared", "compliance_notes"]
    bad = cli(
        "complete",
        waiting_task(declined, COMPLIANCE),
        "--data",
        '{"cleared": "perhaps"}',
        user="carla",
        expect=1,
    )
    fields = [line for line in bad.stderr.splitlines() if line.startswith("  - ")]
    assert len(fields) == 1 and fields[0].startswith("  - cleared:"), bad.stderr

    no = cli.json(
        "complete",
        waiting_task(declined, COMPLIANCE),
        "--data",
        '{"cleared": false, "compliance_notes": "owner unknown"}',
        user="carla",
    )
    assert no["status"] == "completed"
    assert "account" not in no["data"]

    yes = cli.json(
        "complete", waiting_task(cleared, COMPLIANCE), "--data", '{"cleared": true}', user="carla"
    )
    assert yes["status"] == "waiting"
    assert {w["element"] for w in yes["waiting"]} == {WELCOME, VERIFY}

    waiting = cli.json("instances", "--status", "waiting")
    assert [i["instance"] for i in waiting] == [cleared["instance"]]
