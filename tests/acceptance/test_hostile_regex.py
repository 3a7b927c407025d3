"""Catastrophic regular expressions through the binary: a quick, right answer or an incident.

On a backtracking engine each of these runs for hours; the test's timeout turns that into a
failure. Nothing here asserts on speed, only on the outcome.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.timeout(120)

HOSTILE = "a" * 34 + "!"

FEEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D" targetNamespace="t">
  <bpmn:process id="regex_feel" isExecutable="true">
    <bpmn:startEvent id="Start"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="Check" name="Check the text">
      <bpmn:extensionElements>
        <zeebe:script expression="=matches(text, pattern)" resultVariable="ok" />
      </bpmn:extensionElements>
      <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
    </bpmn:scriptTask>
    <bpmn:endEvent id="End"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Check" />
    <bpmn:sequenceFlow id="F2" sourceRef="Check" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>
"""

PYTHON = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D"
  targetNamespace="t">
  <bpmn:process id="regex_python" isExecutable="true">
    <bpmn:startEvent id="Start"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="Check" name="Check the text" scriptFormat="python">
      <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
      <bpmn:script>ok = re.match(pattern, text) is not None</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:endEvent id="End"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Check" />
    <bpmn:sequenceFlow id="F2" sourceRef="Check" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>
"""


def _run(cli: Any, diagram: str, pattern: str) -> Any:
    (Path(cli.cwd) / "check.bpmn").write_text(diagram, encoding="utf-8")
    data = json.dumps({"text": HOSTILE, "pattern": pattern})
    return cli.json("run", "check.bpmn", "--data", data)


@pytest.mark.parametrize("diagram", [FEEL, PYTHON], ids=["feel", "python"])
@pytest.mark.parametrize("pattern", ["(a+)+$", "^(a|a)*$", "^(a|aa)+$"])
def test_a_catastrophic_pattern_gives_the_right_answer(
    bare: Any, diagram: str, pattern: str
) -> None:
    view = _run(bare, diagram, pattern)
    assert view["status"] == "completed", view
    assert view["data"]["ok"] is False


@pytest.mark.parametrize("diagram", [FEEL, PYTHON], ids=["feel", "python"])
def test_a_backreference_is_an_incident_naming_it_and_the_element(bare: Any, diagram: str) -> None:
    view = _run(bare, diagram, "(a+)\\1+$")
    assert view["status"] == "incident", view
    [incident] = bare.json("incidents")
    assert "Check" in incident["error"]
    assert "backreferences" in incident["error"] and "RE2" in incident["error"]


def _with_notes_pattern(cli: Any, pattern: str) -> None:
    schema_file = Path(cli.cwd) / "compliance-check-schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    schema["properties"]["compliance_notes"]["pattern"] = pattern
    schema_file.write_text(json.dumps(schema), encoding="utf-8")


def test_a_form_pattern_cannot_be_made_to_backtrack(sample: Any) -> None:
    cli = sample("customer-onboarding")
    _with_notes_pattern(cli, "^(a+)+$")
    view = cli.json("run", "customer-onboarding.bpmn", "--data", "@data-high-risk.json")
    [task] = [w["task"] for w in view["waiting"]]
    notes = json.dumps({"cleared": True, "compliance_notes": HOSTILE})
    bad = cli("complete", task, "--data", notes, user="carla", expect=1)
    assert "compliance_notes: must match the pattern ^(a+)+$" in bad.stderr
    good = json.dumps({"cleared": True, "compliance_notes": "aaaa"})
    assert cli.json("complete", task, "--data", good, user="carla")["status"] != "incident"


def test_a_form_pattern_re2_cannot_run_is_refused_when_loading(sample: Any) -> None:
    cli = sample("customer-onboarding")
    _with_notes_pattern(cli, "^(a+)\\1$")
    failed = cli("run", "customer-onboarding.bpmn", "--data", "@data-high-risk.json", expect=1)
    assert "backreferences" in failed.stderr and "compliance_notes" in failed.stderr
