"""A connector call that succeeds but whose result cannot be mapped is an incident, and stays so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from seamline.app import App
from seamline.connectors.registry import ConnectorRegistry
from seamline.store.memory import MemoryStore
from seamline.store.records import InstanceStatus
from seamline.testing import FakeConnector

UNMAPPABLE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="x">
<bpmn:process id="p" isExecutable="true">
<bpmn:startEvent id="s"/>
<bpmn:serviceTask id="call" camunda:type="external" camunda:topic="crm">
  <bpmn:extensionElements><camunda:inputOutput>
    <camunda:outputParameter name="v">${result.missing.deeper}</camunda:outputParameter>
  </camunda:inputOutput></bpmn:extensionElements>
</bpmn:serviceTask>
<bpmn:endEvent id="e"/>
<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="call"/>
<bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="e"/>
</bpmn:process></bpmn:definitions>
"""


def test_an_unmappable_result_fails_the_job_and_no_worker_calls_again(
    diagram: Callable[[str], Path],
) -> None:
    now = [dt.datetime(2026, 1, 1, tzinfo=dt.UTC)]
    crm = FakeConnector("crm", lambda call: {"ok": 1})
    registry = ConnectorRegistry()
    registry.register(crm)
    app = App(MemoryStore(), connectors=registry, clock=lambda: now[0])

    view = app.run(diagram(UNMAPPABLE), {})
    assert view.instance.status == InstanceStatus.INCIDENT
    assert view.instance.error is not None and "output 'v'" in view.instance.error
    assert len(crm.calls) == 1

    # Long after any lease would have run out, the worker leaves the incident alone.
    now[0] += dt.timedelta(days=1)
    app.worker().run_once()
    assert len(crm.calls) == 1
    assert app.show(view.instance.id).instance.status == InstanceStatus.INCIDENT
    history = app.show(view.instance.id).history
    assert history is not None
    kinds = [e.kind for e in history]
    assert kinds.count("connector_started") == 1 and "connector_error" in kinds
