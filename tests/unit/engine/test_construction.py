"""An Engine gets what it calls out to at construction, and a step settles into a frozen Outcome."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from seamline.bpmn.definition import ProcessDefinition
from seamline.engine import outcome
from seamline.engine.definitions import DefinitionCache
from seamline.engine.engine import Engine
from seamline.engine.expressions import Evaluator
from seamline.engine.step import Step
from seamline.engine.stepping import run_automatic
from seamline.errors import Forbidden
from seamline.expr.sandbox import Sandbox
from seamline.humans.identity import ConfigDirectory, User
from seamline.services.validator import load_checked
from seamline.services.worker import Worker
from seamline.store.memory import MemoryStore
from seamline.store.records import HumanTask, InstanceStatus
from tests.unit.engine import diagrams as d

THROWER = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="s"
  targetNamespace="t">
  <bpmn:message id="m_paid" name="paid"/>
  <bpmn:process id="sender" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateThrowEvent id="send_paid">
      <bpmn:messageEventDefinition messageRef="m_paid"/>
    </bpmn:intermediateThrowEvent>
    <bpmn:endEvent id="done"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="send_paid"/>
    <bpmn:sequenceFlow id="f2" sourceRef="send_paid" targetRef="done"/>
  </bpmn:process>
</bpmn:definitions>"""


def _allow(row: HumanTask, actor: User, verb: str) -> None:
    return None


def _engine(store: MemoryStore, **wiring: Any) -> Engine:
    evaluator = Evaluator(Sandbox())
    wiring.setdefault("authorize", _allow)
    return Engine(store, DefinitionCache(store), evaluator, ConfigDirectory(), **wiring)


def _definition(diagram: Callable[[str, str], Path], xml: str, pid: str) -> ProcessDefinition:
    return load_checked([diagram(xml, f"{pid}.bpmn")], [])[pid]


def test_hooks_given_at_construction_run_in_every_step(
    diagram: Callable[[str, str], Path],
) -> None:
    seen: list[str] = []

    def hook(engine: Engine, step: Step) -> bool:
        seen.append(step.instance.id)
        return False

    engine = _engine(MemoryStore(), hooks=[hook])
    started = engine.start(_definition(diagram, d.APPROVAL, "approval"), {"amount": 2})
    assert seen == [started.instance.id]
    assert isinstance(engine.step_hooks, tuple)  # fixed when built: nothing attaches later


def test_the_gate_given_at_construction_decides_who_completes(
    diagram: Callable[[str, str], Path],
) -> None:
    asked: list[str] = []

    def refuse(row: HumanTask, actor: User, verb: str) -> None:
        asked.append(verb)
        raise Forbidden(f"{actor.name} may not {verb}")

    store = MemoryStore()
    engine = _engine(store, authorize=refuse)
    started = engine.start(_definition(diagram, d.APPROVAL, "approval"), {"amount": 2})
    [task] = store.list_tasks(instance_id=started.instance.id, admin=True)
    with pytest.raises(Forbidden):
        engine.complete_task(task.id, {"approved": True}, actor=User("eve"))
    assert asked == ["complete"]
    assert store.get_instance(started.instance.id).status is InstanceStatus.WAITING


def test_a_thrown_message_goes_to_the_outbox_after_the_commit(
    diagram: Callable[[str, str], Path],
) -> None:
    store = MemoryStore()
    sent: list[tuple[str, str, Mapping[str, Any], str | None, str]] = []

    def outbox(kind: str, name: str, payload: Mapping[str, Any], key: str | None, by: str) -> None:
        # The sender's commit is already stored when the world hears of the message.
        assert store.get_instance(by).status is InstanceStatus.COMPLETED
        sent.append((kind, name, dict(payload), key, by))

    engine = _engine(store, outbox=outbox)
    view = engine.start(_definition(diagram, THROWER, "sender"), {"amount": 5})
    assert sent == [("message", "paid", {"amount": 5}, None, view.instance.id)]


def test_settle_reads_the_workflow_into_a_frozen_outcome(
    diagram: Callable[[str, str], Path],
) -> None:
    definition = _definition(diagram, THROWER, "sender")
    workflow = BpmnWorkflow(definition.spec, dict(definition.subprocess_specs))
    for task in workflow.get_tasks(state=TaskState.READY):
        task.data.update({"amount": 5})
    run_automatic(workflow)
    settled = outcome.settle(workflow, "key-1")
    assert settled.status is InstanceStatus.COMPLETED
    assert settled.error is None
    assert settled.thrown == (outcome.Thrown("message", "paid", {"amount": 5}, "key-1"),)
    assert settled.events == (("message_sent", {"name": "paid", "key": "key-1"}),)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settled.status = InstanceStatus.FAILED  # type: ignore[misc]


def test_the_engine_records_what_the_step_settled_into(
    diagram: Callable[[str, str], Path],
) -> None:
    store = MemoryStore()
    view = _engine(store).start(_definition(diagram, THROWER, "sender"), {"amount": 5})
    kinds = [e.kind for e in store.list_events(view.instance.id)]
    assert kinds == ["instance_started", "passed", "message_sent", "instance_completed"]


def test_a_worker_is_built_over_an_engine(diagram: Callable[[str, str], Path]) -> None:
    store = MemoryStore()
    engine = _engine(store)
    assert Worker(engine).engine is engine
    assert Worker(engine).run_once() == 0
