"""What a step ends in: the instance's status, what it waits for, its timers and its data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from seamline.bpmn.definition import ProcessDefinition
from seamline.engine import listeners
from seamline.engine import projections as proj
from seamline.engine.step import Step
from seamline.spiff import TaskState
from seamline.spiff.throwing import noted as _noted
from seamline.store.records import InstanceStatus, Timer


def noted_errors(workflow: Any) -> list[tuple[str, str]]:
    """Take (kind, code) of the errors and escalations that only ended their path."""
    found = list(_noted(workflow))
    _noted(workflow).clear()
    return found


@dataclass(frozen=True)
class Thrown:
    """A message or signal the step threw and nothing inside the instance caught."""

    kind: str  # message | signal
    name: str
    payload: Mapping[str, Any]
    key: str | None


@dataclass(frozen=True)
class Outcome:
    """What a step ended in: decided once per step, then only read.

    The engine records ``events`` (kind, details) in the step's history, keeps ``error`` as the
    instance's error when the status says it failed, commits, and then hands ``thrown`` to the
    world: other instances, start events, the message buffer.
    """

    status: InstanceStatus
    error: str | None = None
    thrown: tuple[Thrown, ...] = ()
    events: tuple[tuple[str, Mapping[str, Any]], ...] = ()


def settle(workflow: Any, business_key: str | None) -> Outcome:
    """Completed, failed (an uncaught error), incident (a failed task) or waiting.

    Takes the events the workflow could not handle inside (SpiffWorkflow hands each out once),
    so it is called once, at the end of a step; the step itself is left to the engine.
    ``business_key`` is the key of a thrown message without exactly one correlation value.
    """
    thrown: list[Thrown] = []
    events: list[tuple[str, Mapping[str, Any]]] = []
    error: str | None = None
    for kind, code in noted_errors(workflow):
        # Camunda 7: an error nothing catches ends the thrower's path (recorded, no failure).
        events.append((f"uncaught_{kind}", {"code": code, "ended": "path"}))
    for event in workflow.get_events():
        definition = event.event_definition
        name = getattr(definition, "code", None) or getattr(definition, "name", "")
        kind = type(definition).__name__.replace("EventDefinition", "").lower()
        if kind in ("message", "signal"):
            payload = event.payload if isinstance(event.payload, dict) else {}
            keys = [str(v) for v in (event.correlations or {}).values() if v is not None]
            key = keys[0] if len(keys) == 1 else business_key
            thrown.append(Thrown(kind, str(getattr(definition, "name", "")), payload, key))
            events.append((f"{kind}_sent", {"name": getattr(definition, "name", ""), "key": key}))
            continue
        if kind in ("error", "escalation"):
            error = f"uncaught BPMN {kind} '{name}'"
            events.append(("uncaught_" + kind, {"code": name}))
            if kind == "error":
                return Outcome(InstanceStatus.FAILED, error, tuple(thrown), tuple(events))
    if workflow.is_completed():
        found = InstanceStatus.COMPLETED
    elif proj.error_tasks(workflow):
        found = InstanceStatus.INCIDENT
    else:
        found = InstanceStatus.WAITING
    return Outcome(found, error, tuple(thrown), tuple(events))


def describe_waits(workflow: Any, definition: ProcessDefinition) -> list[proj.Wait]:
    """What the workflow waits for, named by the elements' ids as drawn."""
    out: list[proj.Wait] = []
    for w in proj.waits(workflow):
        element = definition.elements.get(w.element) or definition.element_for_spec(w.element)
        if element is not None and element.id != w.element:
            w = replace(w, element=element.id)
        out.append(w)
    return out


def timers(step: Step) -> list[Timer]:
    """The due times of the step's waiting timers, for the store's timer table."""
    found: list[Timer] = []
    for task in proj.catching_tasks(step.workflow):
        if not proj.has_timer(task):
            continue
        due = proj.timer_due(task)
        if due is None:
            continue
        found.append(
            Timer(
                id=str(task.id),
                instance_id=step.instance.id,
                element_id=proj.element_id(task),
                due_at=due,
                kind="timer",
            )
        )
    for timer_id, element, due in listeners.timeouts(step.workflow):
        found.append(Timer(timer_id, step.instance.id, element, due, "timer"))
    return found


def process_data(workflow: Any) -> Mapping[str, Any]:
    """The process data to show: the end's when completed, else a live task's."""
    if workflow.is_completed():
        data = dict(workflow.data)
        if workflow.last_task is not None:
            data = {**workflow.last_task.data, **data}
        return data
    live = [
        t
        for t in workflow.tasks.values()
        if t.state in (TaskState.READY, TaskState.STARTED, TaskState.WAITING, TaskState.ERROR)
    ]
    for task in live:
        if task.task_spec.bpmn_id is not None:
            return dict(task.data)
    return dict(live[0].data) if live else dict(workflow.data)
