"""Load-time checks: expressions parse, and what seamline does not carry out is said."""

from __future__ import annotations

import pytest

from seamline.app import App
from seamline.errors import LoadError

LISTENER = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:task id="t">
      <bpmn:extensionElements>
        <camunda:executionListener class="org.example.Audit" event="start"/>
      </bpmn:extensionElements>
    </bpmn:task>
    <bpmn:endEvent id="e"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>"""

BAD_CONDITION = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"
  targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:exclusiveGateway id="g" default="f3"/>
    <bpmn:endEvent id="e1"/>
    <bpmn:endEvent id="e2"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="g"/>
    <bpmn:sequenceFlow id="f2" sourceRef="g" targetRef="e1">
      <bpmn:conditionExpression>${amount &gt;}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f3" sourceRef="g" targetRef="e2"/>
  </bpmn:process>
</bpmn:definitions>"""


def test_a_java_listener_is_a_located_load_error(app: App, diagram) -> None:
    with pytest.raises(LoadError) as caught:
        app.load([diagram(LISTENER, "listener.bpmn")])
    text = str(caught.value)
    assert "listener.bpmn" in text and "[t]" in text and "\n" not in text
    assert "Java delegate listeners are not supported yet" in text


def test_a_condition_that_does_not_parse_is_a_located_load_error(app: App, diagram) -> None:
    with pytest.raises(LoadError) as caught:
        app.run(diagram(BAD_CONDITION, "bad.bpmn"))
    text = str(caught.value)
    assert "bad.bpmn" in text and "[f2]" in text and "\n" not in text
