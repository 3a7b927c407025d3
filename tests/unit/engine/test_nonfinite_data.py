"""NaN and infinities never become process data: refused where they are written."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from seamline.app import App
from seamline.connectors.registry import ConnectorRegistry
from seamline.store.memory import MemoryStore
from seamline.store.records import InstanceStatus
from seamline.testing import FakeConnector

CALL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="x">
<bpmn:process id="p" isExecutable="true">
<bpmn:startEvent id="s"/>
<bpmn:serviceTask id="call" camunda:type="external" camunda:topic="rates"/>
<bpmn:userTask id="look"/>
<bpmn:endEvent id="e"/>
<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="call"/>
<bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="look"/>
<bpmn:sequenceFlow id="f3" sourceRef="look" targetRef="e"/>
</bpmn:process></bpmn:definitions>
"""


@pytest.mark.parametrize("bad", [math.inf, math.nan])
def test_a_connector_result_with_a_non_finite_number_is_an_incident(
    diagram: Callable[[str], Path], bad: float
) -> None:
    answers = [{"rate": {"eur": bad}}, {"rate": {"eur": 1.1}}]
    rates = FakeConnector("rates", lambda call: answers.pop(0))
    registry = ConnectorRegistry()
    registry.register(rates)
    app = App(MemoryStore(), connectors=registry)

    view = app.run(diagram(CALL), {})
    assert view.instance.status == InstanceStatus.INCIDENT
    assert view.instance.error is not None
    assert view.instance.error.startswith("call: connector 'rates' returned result: rate.eur: ")
    assert "is not a number; use a finite number or null" in view.instance.error
    assert "rate" not in view.instance.data

    retried = app.retry(view.instance.id)
    assert retried.instance.status == InstanceStatus.WAITING
    assert retried.instance.data["rate"] == {"eur": 1.1}


MAPPED = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="x">
<bpmn:process id="p" isExecutable="true">
<bpmn:startEvent id="s"/>
<bpmn:scriptTask id="scale" scriptFormat="python">
  <bpmn:extensionElements><camunda:inputOutput>
    <camunda:outputParameter name="big">${a * 1e308 * 10}</camunda:outputParameter>
  </camunda:inputOutput></bpmn:extensionElements>
  <bpmn:script>pass</bpmn:script>
</bpmn:scriptTask>
<bpmn:userTask id="look"/>
<bpmn:endEvent id="e"/>
<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="scale"/>
<bpmn:sequenceFlow id="f2" sourceRef="scale" targetRef="look"/>
<bpmn:sequenceFlow id="f3" sourceRef="look" targetRef="e"/>
</bpmn:process></bpmn:definitions>
"""


def test_any_other_way_in_is_caught_before_the_commit(diagram: Callable[[str], Path]) -> None:
    app = App(MemoryStore())
    view = app.run(diagram(MAPPED), {"a": 10.0})
    assert view.instance.status == InstanceStatus.INCIDENT
    assert view.instance.error is not None
    assert "process variable big is Infinity, which is not a number" in view.instance.error
    assert view.instance.data["big"] is None  # stored and shown as strict JSON

    app.set_data(view.instance.id, {"big": 1e300})
    again = app.retry(view.instance.id)
    assert again.instance.status == InstanceStatus.WAITING
    assert again.instance.data["big"] == 1e300
