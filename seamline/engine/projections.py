"""What a workflow waits for, read off its live tasks.

Every commit writes these projections beside the snapshot, so that queues, timers and
subscriptions are indexed tables the worker and the CLI query without loading any snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from seamline.spiff import (
    CatchingEvent,
    ConditionalEventDefinition,
    ErrorEventDefinition,
    EscalationEventDefinition,
    MessageEventDefinition,
    SignalEventDefinition,
    TaskState,
    TimerEventDefinition,
)
from seamline.spiff import tree as spiff_tree
from seamline.spiff.specs import ConnectorTask


@dataclass(frozen=True)
class Wait:
    """One thing an instance waits for: a person, a connector, a timer or a message."""

    task: str
    element: str
    name: str | None
    kind: str  # user_task | manual_task | connector | timer | message | signal | event

    def to_json(self) -> dict[str, Any]:
        """The ``waiting`` entry of the CLI's --json output."""
        return {"task": self.task, "element": self.element, "name": self.name, "kind": self.kind}


def all_tasks(workflow: Any) -> Iterator[Any]:
    """Tasks of the workflow and of its live subprocesses."""
    yield from workflow.tasks.values()
    for sub in workflow.subprocesses.values():
        yield from sub.tasks.values()


def element_id(task: Any) -> str:
    """The id of the element a task runs, as the loader recorded it in the spec."""
    spec = task.task_spec
    return str(getattr(spec, "bpmn_id", None) or spec.name)


def human_tasks(workflow: Any) -> list[Any]:
    """Ready tasks that wait for a person (user and manual tasks)."""
    return [t for t in all_tasks(workflow) if t.state == TaskState.READY and t.task_spec.manual]


def connector_tasks(workflow: Any) -> list[Any]:
    """Started tasks whose work a connector does."""
    return [
        t
        for t in all_tasks(workflow)
        if t.state == TaskState.STARTED and isinstance(t.task_spec, ConnectorTask)
    ]


def error_tasks(workflow: Any) -> list[Any]:
    """Tasks that failed and hold the instance in an incident."""
    return [t for t in all_tasks(workflow) if t.state == TaskState.ERROR]


def catching_tasks(workflow: Any) -> list[Any]:
    """Events waiting for a timer, message or signal."""
    return [
        t
        for t in all_tasks(workflow)
        if t.state == TaskState.WAITING and isinstance(t.task_spec, CatchingEvent)
    ]


def event_kind(task: Any) -> str:
    """``timer``, ``message``, ``signal`` or ``event`` for a catching task."""
    definition = getattr(task.task_spec, "event_definition", None)
    if isinstance(definition, TimerEventDefinition):
        return "timer"
    if isinstance(definition, MessageEventDefinition):
        return "message"
    if isinstance(definition, SignalEventDefinition):
        return "signal"
    if isinstance(definition, ConditionalEventDefinition):
        return "condition"
    return "event"


def has_timer(task: Any) -> bool:
    """True if the catching task waits (also) for a timer, e.g. an event gateway's race."""
    definition = getattr(task.task_spec, "event_definition", None)
    if isinstance(definition, TimerEventDefinition):
        return True
    parts = getattr(definition, "event_definitions", None) or ()
    return any(isinstance(d, TimerEventDefinition) for d in parts)


def timer_due(task: Any) -> datetime | None:
    """When a waiting timer falls due, if it has been computed (None once a cycle is spent)."""
    value = spiff_tree.event_value(task)
    if isinstance(value, dict):
        if value.get("cycles") == 0:
            return None
        value = value.get("next")
    if not isinstance(value, str):
        return None
    try:
        due = TimerEventDefinition.get_datetime(value)
    except Exception:  # a date the library cannot read is reported by the timer itself
        return None
    # The library may hand back the engine clock's datetime subclass; store a plain one.
    return datetime.fromisoformat(due.isoformat())


#: Catch events triggered only from within the instance (boundary errors and escalations).
_THROWN_INSIDE = (ErrorEventDefinition, EscalationEventDefinition)


def waits(workflow: Any) -> list[Wait]:
    """Everything the instance waits for, in a stable order."""
    found: list[Wait] = []
    for task in human_tasks(workflow):
        kind = "user_task" if type(task.task_spec).__name__.endswith("UserTask") else "manual_task"
        found.append(Wait(str(task.id), element_id(task), task.task_spec.bpmn_name, kind))
    for task in connector_tasks(workflow):
        found.append(Wait(str(task.id), element_id(task), task.task_spec.bpmn_name, "connector"))
    for task in catching_tasks(workflow):
        if element_id(task) == task.task_spec.name and task.task_spec.bpmn_id is None:
            continue  # internal control tasks
        if isinstance(getattr(task.task_spec, "event_definition", None), _THROWN_INSIDE):
            continue  # only the process itself can throw these: nobody outside can deliver them
        found.append(
            Wait(str(task.id), element_id(task), task.task_spec.bpmn_name, event_kind(task))
        )
    return found
