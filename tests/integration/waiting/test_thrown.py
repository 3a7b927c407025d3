"""Messages and signals thrown inside an instance reach other instances and start events."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from seamline.app import App
from seamline.store.records import InstanceStatus
from tests.integration.waiting import diagrams as d

SENDER = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="s"
  targetNamespace="t">
  <bpmn:message id="m_paid" name="paid"/>
  <bpmn:signal id="s_stop" name="stop"/>
  <bpmn:process id="sender" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateThrowEvent id="send_paid">
      <bpmn:messageEventDefinition messageRef="m_paid"/>
    </bpmn:intermediateThrowEvent>
    <bpmn:endEvent id="stop_all"><bpmn:signalEventDefinition signalRef="s_stop"/></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="send_paid"/>
    <bpmn:sequenceFlow id="f2" sourceRef="send_paid" targetRef="stop_all"/>
  </bpmn:process>
</bpmn:definitions>"""


def test_a_thrown_message_and_signal_reach_waiting_instances(
    app: App, diagram: Callable[..., Path]
) -> None:
    order = app.run(diagram(d.message_catch(), "order.bpmn"), {})
    listener = app.run(diagram(d.signal_catch(), "listener.bpmn"), {})
    [prepare] = app.tasks(instance_id=order.instance.id)
    app.complete(prepare.id, {})  # now the order waits for 'paid'
    sent = app.run(diagram(SENDER, "sender.bpmn"), {"amount": 5})
    assert sent.instance.status is InstanceStatus.COMPLETED
    paid = app.show(order.instance.id)
    assert paid.instance.status is InstanceStatus.COMPLETED
    assert paid.instance.data["amount"] == 5  # the thrower's data is the payload
    assert app.store.get_instance(listener.instance.id).status is InstanceStatus.COMPLETED
    kinds = [e.kind for e in app.show(sent.instance.id).history or ()]
    assert "message_sent" in kinds and "signal_sent" in kinds


def test_a_thrown_message_nobody_waits_for_yet_is_buffered(
    app: App, diagram: Callable[..., Path]
) -> None:
    order = app.run(diagram(d.message_catch(), "order.bpmn"), {})
    app.run(diagram(SENDER, "sender.bpmn"), {})
    [prepare] = app.tasks(instance_id=order.instance.id)
    done = app.complete(prepare.id, {})
    assert done.instance.status is InstanceStatus.COMPLETED
