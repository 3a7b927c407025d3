"""Input/output mappings on activities that are not connector tasks, and Camunda 8 scripts."""

from __future__ import annotations

from seamline.app import App
from seamline.store.records import InstanceStatus

C7 = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:userTask id="review" name="Review">
      <bpmn:extensionElements>
        <camunda:inputOutput>
          <camunda:inputParameter name="limit">${amount * 2}</camunda:inputParameter>
          <camunda:inputParameter name="label">fixed text</camunda:inputParameter>
          <camunda:outputParameter name="verdict">${ok ? "yes" : "no"}</camunda:outputParameter>
        </camunda:inputOutput>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="e"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="review"/>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>"""

C8 = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="p8" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:scriptTask id="total" name="Total">
      <bpmn:extensionElements>
        <zeebe:script expression="=sum(for i in items return i.price)" resultVariable="sum"/>
      </bpmn:extensionElements>
    </bpmn:scriptTask>
    <bpmn:userTask id="check" name="Check">
      <bpmn:extensionElements>
        <zeebe:ioMapping>
          <zeebe:input source="=sum * 2" target="doubled"/>
          <zeebe:output source="=doubled + 1" target="result.value"/>
        </zeebe:ioMapping>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="e"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="total"/>
    <bpmn:sequenceFlow id="f2" sourceRef="total" targetRef="check"/>
    <bpmn:sequenceFlow id="f3" sourceRef="check" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>"""


def test_camunda_input_output_on_a_user_task(app: App, diagram) -> None:
    view = app.run(diagram(C7), {"amount": 21})
    assert view.instance.data["limit"] == 42
    assert view.instance.data["label"] == "fixed text"
    [task] = app.tasks()
    done = app.complete(task.id, {"ok": True})
    assert done.instance.status is InstanceStatus.COMPLETED
    data = done.instance.data
    assert data["verdict"] == "yes"
    assert "limit" not in data and "label" not in data  # inputs are local to the task


def test_zeebe_script_and_io_mapping(app: App, diagram) -> None:
    items = [{"price": 2}, {"price": 3}]
    view = app.run(diagram(C8, "c8.bpmn"), {"items": items})
    assert view.instance.data["sum"] == 5
    assert view.instance.data["doubled"] == 10
    [task] = app.tasks()
    done = app.complete(task.id, {})
    assert done.instance.data["result"] == {"value": 11}
    assert "doubled" not in done.instance.data


C8_MI = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
  <bpmn:process id="mi8" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:scriptTask id="price" name="Price each">
      <bpmn:extensionElements>
        <zeebe:script expression="=item.qty * 10" resultVariable="line"/>
      </bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics isSequential="true">
        <bpmn:extensionElements>
          <zeebe:loopCharacteristics inputCollection="=items" inputElement="item"
            outputCollection="lines" outputElement="=line"/>
        </bpmn:extensionElements>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:scriptTask>
    <bpmn:endEvent id="e"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="price"/>
    <bpmn:sequenceFlow id="f2" sourceRef="price" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>"""


def test_zeebe_script_runs_once_per_multi_instance_element(app: App, diagram) -> None:
    view = app.run(diagram(C8_MI, "mi8.bpmn"), {"items": [{"qty": 1}, {"qty": 3}]})
    assert view.instance.status is InstanceStatus.COMPLETED, view.instance.error
    assert view.instance.data["lines"] == [10, 30]


DUE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="due" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:userTask id="pay" name="Pay" camunda:dueDate="${dateTime().plusDays(2).toDate()}"/>
    <bpmn:endEvent id="e"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="pay"/>
    <bpmn:sequenceFlow id="f2" sourceRef="pay" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>"""


def test_expression_clocks_follow_the_engine_clock(diagram) -> None:
    import datetime as dt

    from seamline.store.memory import MemoryStore

    fixed = dt.datetime(2030, 5, 1, 9, 0, tzinfo=dt.UTC)
    app = App(MemoryStore(), clock=lambda: fixed)
    app.run(diagram(DUE, "due.bpmn"), {})
    [task] = app.tasks()
    assert task.due_at is not None
    assert task.due_at.date() == dt.date(2030, 5, 3)
