"""`seamline diagram INSTANCE`: each element's badge counts how often it ran, once per run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

NAME = "claims-triage"
DIAGRAM = f"{NAME}.bpmn"

Waiting = Callable[[dict[str, Any], str], str]


def _badges(svg: str) -> dict[str, int]:
    root = etree.fromstring(svg.encode("utf-8"))
    found: dict[str, int] = {}
    for badge in root.iter("{*}g"):
        if "sl-badge" in (badge.get("class") or "").split():
            text = "".join(badge.itertext()).strip()
            found[str(badge.get("data-element-id"))] = int(text)
    return found


def test_every_element_run_once_shows_one(
    sample: Callable[..., Any], waiting_task: Waiting
) -> None:
    cli = sample(NAME)
    started = cli.json("run", DIAGRAM, "--data", "@data.json")
    task = waiting_task(started, "Task_AssessClaim")
    badges = _badges(cli("diagram", started["instance"]).stdout)
    # A connector task records when it started and when its call completed: one run.
    assert badges["Task_CheckPolicy"] == 1
    assert badges == {
        "StartEvent_ClaimSubmitted": 1,
        "Task_CheckPolicy": 1,
        "Gateway_Covered": 1,
        "Gateway_Amount": 1,
    }

    cli.json("complete", task, "--data", '{"approved": true}', user="adam")
    badges = _badges(cli("diagram", started["instance"]).stdout)
    assert set(badges.values()) == {1}, badges
    assert {"Task_AssessClaim", "Task_PayOut", "EndEvent_ClaimPaid"} <= set(badges)
