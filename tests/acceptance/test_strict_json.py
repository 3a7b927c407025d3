"""NaN and infinities are refused on every way in, and every JSON printed is strict JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

NAME = "invoice-approval"
DIAGRAM = f"{NAME}.bpmn"
APPROVE = "Task_ApproveInvoice"
ADVICE = "is not a number; use a finite number or null"

SCRIPTED = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
<bpmn:process id="ratio" isExecutable="true">
  <bpmn:startEvent id="start"/>
  <bpmn:scriptTask id="Task_Ratio" scriptFormat="python">
    <bpmn:script>ratio = float(spec) * amount</bpmn:script>
  </bpmn:scriptTask>
  <bpmn:userTask id="Task_Look" name="Look"/>
  <bpmn:endEvent id="end"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="Task_Ratio"/>
  <bpmn:sequenceFlow id="f2" sourceRef="Task_Ratio" targetRef="Task_Look"/>
  <bpmn:sequenceFlow id="f3" sourceRef="Task_Look" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>
"""


def _one_line(result: Any) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, str(result)
    return str(lines[0])


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ('{"amount": NaN}', "--data: amount: NaN " + ADVICE),
        ('{"amount": 5, "lines": [{"net": Infinity}]}', "--data: lines[0].net: Infinity "),
        ('{"amount": -Infinity}', "--data: amount: -Infinity "),
        ('{"amount": 1e999}', "--data: amount: 1e999 "),
    ],
)
def test_run_refuses_non_finite_numbers(
    sample: Callable[..., Any], data: str, expected: str
) -> None:
    cli = sample(NAME)
    refused = cli("run", DIAGRAM, "--data", data, expect=2)
    assert expected in _one_line(refused)
    assert cli.json("instances") == []


def test_a_data_file_with_nan_is_refused_naming_the_file(sample: Callable[..., Any]) -> None:
    cli = sample(NAME)
    Path(cli.cwd, "bad.json").write_text('{"amount": NaN}', encoding="utf-8")
    refused = cli("run", DIAGRAM, "--data", "@bad.json", expect=2)
    assert "bad.json: amount: NaN " + ADVICE in _one_line(refused)


def test_every_verb_taking_data_refuses_nan_and_keeps_the_instance(
    sample: Callable[..., Any], waiting_task: Callable[[dict[str, Any], str], str]
) -> None:
    cli = sample(NAME)
    started = cli.json("run", DIAGRAM, "--data", "@data.json")
    instance = started["instance"]
    task = waiting_task(started, APPROVE)
    bad = '{"amount": NaN}'
    for args in (
        ("set", instance, "--data", bad),
        ("complete", task, "--data", bad),
        ("message", "Paid", "--data", bad),
        ("signal", "Stop", "--data", bad),
    ):
        refused = cli(*args, user="root", expect=2)
        assert "--data: amount: NaN " + ADVICE in _one_line(refused), args
    shown = cli.json("show", instance)
    assert (shown["status"], shown["data"]["amount"]) == ("waiting", 830)
    assert [e["kind"] for e in shown["history"]].count("data_changed") == 0


def test_a_script_computing_infinity_is_an_incident_naming_the_variable(bare: Any) -> None:
    Path(bare.cwd, "ratio.bpmn").write_text(SCRIPTED, encoding="utf-8")
    started = bare("run", "ratio.bpmn", "--data", '{"amount": 3, "spec": "inf"}', "--json")
    view = json.loads(started.stdout)  # strict JSON: bare NaN or Infinity would not parse here
    assert view["status"] == "incident"
    assert view["error"].startswith("Task_Ratio: ")
    assert "the script set ratio to Infinity, which is not a number" in view["error"]
    shown = bare("show", view["instance"], "--json")
    json.loads(shown.stdout, parse_constant=lambda text: pytest.fail(f"bare {text} printed"))

    # Fixed at the source, the retry runs the script again.
    bare("set", view["instance"], "--data", '{"amount": 1, "spec": "2.5"}')
    again = json.loads(bare("retry", view["instance"], "--json").stdout)
    assert (again["status"], again["data"]["ratio"]) == ("waiting", 2.5)


def test_a_script_computing_nan_from_text_is_refused_too(bare: Any) -> None:
    Path(bare.cwd, "ratio.bpmn").write_text(SCRIPTED, encoding="utf-8")
    started = bare("run", "ratio.bpmn", "--data", '{"amount": 1, "spec": "nan"}', "--json")
    view = started.json()
    assert view["status"] == "incident"
    assert "the script set ratio to NaN" in view["error"]
