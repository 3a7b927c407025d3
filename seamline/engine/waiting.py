"""Waiting on the world: message and signal subscriptions, delivery, and timers.

Subscriptions are projected at every commit (an indexed table, so correlating a message reads
no snapshot). A message's correlation key comes from the diagram where it defines one (Camunda
8 ``zeebe:subscription correlationKey``, evaluated over the waiting task's data) and is the
instance's business key otherwise.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from seamline.bpmn.definition import ElementInfo, ProcessDefinition
from seamline.engine import projections as proj
from seamline.engine.expressions import Evaluator
from seamline.spiff import (
    BpmnEvent,
    MessageEventDefinition,
    MultipleEventDefinition,
    SignalEventDefinition,
    StartEvent,
    TimerEventDefinition,
)
from seamline.store.records import Instance, Subscription

#: internal_data key of a scope's root task once an interrupting event subprocess started in it.
INTERRUPTED_SCOPE = "interrupted_scope"


def _message_element(element: ElementInfo | None) -> dict[str, Any]:
    if element is None:
        return {}
    ext = element.extensions
    if isinstance(ext.get("message"), Mapping):
        return dict(ext["message"])
    for d in ext.get("eventDefinitions", []):
        if d.get("type") == "messageEventDefinition":
            return {"name": d.get("messageName"), "correlationKey": d.get("correlationKey")}
    return {}


def event_name(task: Any) -> str | None:
    """The message or signal name a catching task waits for."""
    definition = getattr(task.task_spec, "event_definition", None)
    return getattr(definition, "name", None)


def _kind_of(definition: Any) -> str | None:
    if isinstance(definition, MessageEventDefinition):
        return "message"
    if isinstance(definition, SignalEventDefinition):
        return "signal"
    return None


def _catchable(definition: Any) -> list[tuple[str, str, Any]]:
    """(kind, name, definition) of the messages and signals an event definition catches.

    An event-based gateway (and a multiple event) waits with one task holding every branch's
    definition, so its message and signal branches are subscriptions of their own.
    """
    parts = (
        definition.event_definitions
        if isinstance(definition, MultipleEventDefinition)
        else [definition]
    )
    found = []
    for part in parts:
        kind = _kind_of(part)
        name = getattr(part, "name", None)
        if kind and name:
            found.append((kind, str(name), part))
    return found


def _branch_element(task: Any, part: Any) -> str:
    """The element id of the gateway branch that catches ``part`` (the task's own otherwise).

    SpiffWorkflow moves each branch's definition into the gateway's list, in the order of the
    gateway's outputs, so the index names the branch.
    """
    definition = getattr(task.task_spec, "event_definition", None)
    outputs = list(getattr(task.task_spec, "outputs", ()))
    if isinstance(definition, MultipleEventDefinition):
        for index, candidate in enumerate(definition.event_definitions):
            if candidate is part and index < len(outputs):
                return str(getattr(outputs[index], "bpmn_id", None) or outputs[index].name)
    return proj.element_id(task)


def _event(part: Any, payload: Mapping[str, Any]) -> BpmnEvent:
    """The event that ``part`` catches, carrying ``payload``.

    Camunda's own message definition (kept by event-based gateway branches) expects its payload
    wrapped with the variable to store it in; every other definition merges the payload.
    """
    body: dict[str, Any] = dict(payload)
    if hasattr(part, "result_var"):
        body = {"payload": dict(payload), "result_var": part.result_var}
    return BpmnEvent(copy.copy(part), payload=body)


def _triggers(workflow: Any) -> list[tuple[str, str, Any, Any]]:
    """(element id, kind/name, definition, scope) of event subprocesses a message or signal
    starts, in the process and in every active embedded subprocess (its own event
    subprocesses listen while it runs). ``scope`` is None for the process itself.

    SpiffWorkflow starts these only when the event arrives, so no task waits for them.
    """
    top = workflow.top_workflow
    scopes: list[tuple[Any, Any]] = [(top, None)]
    scopes += [(sub, sub) for sub in top.subprocesses.values() if not sub.completed]
    found: list[tuple[str, str, Any, Any]] = []
    for scope, target in scopes:
        if scope.task_tree.internal_data.get(INTERRUPTED_SCOPE):
            continue  # an interrupting event subprocess ended every other subscription here
        for name in getattr(scope.spec.start, "trigger_specs", ()):
            sp_spec = top.subprocess_specs.get(name)
            if sp_spec is None:
                continue
            for ts in sp_spec.bpmn_start_events:
                for kind, ev_name, part in _catchable(getattr(ts, "event_definition", None)):
                    found.append((str(ts.bpmn_id or ts.name), f"{kind}:{ev_name}", part, target))
    return found


def _correlation_key(
    expression: Any, data: Mapping[str, Any], evaluator: Evaluator, where: str
) -> str | None:
    value = evaluator.value(str(expression), data, where=f"{where} correlation key")
    return None if value is None else str(value)


def subscriptions(
    workflow: Any, definition: ProcessDefinition, instance: Instance, evaluator: Evaluator
) -> list[Subscription]:
    """The messages and signals the instance waits for, with their correlation keys."""
    subs: list[Subscription] = []
    for task in proj.catching_tasks(workflow):
        for kind, name, part in _catchable(getattr(task.task_spec, "event_definition", None)):
            eid = _branch_element(task, part)
            key: str | None = None
            if kind == "message":
                element = definition.elements.get(eid) or definition.element_for_spec(eid)
                expression = _message_element(element).get("correlationKey")
                if expression:
                    key = _correlation_key(expression, task.data, evaluator, eid)
                else:
                    key = instance.business_key
            subs.append(Subscription(instance.id, eid, kind, name, key))
    data = _live_data(workflow)
    for eid, kind_name, _part, _scope in _triggers(workflow):
        kind, name = kind_name.split(":", 1)
        key = None
        if kind == "message":
            element = definition.elements.get(eid) or definition.element_for_spec(eid)
            expression = _message_element(element).get("correlationKey")
            key = (
                _correlation_key(expression, data, evaluator, eid)
                if expression
                else instance.business_key
            )
        subs.append(Subscription(instance.id, eid, kind, name, key))
    return subs


def _live_data(workflow: Any) -> Mapping[str, Any]:
    for task in proj.catching_tasks(workflow) + proj.human_tasks(workflow):
        return dict(task.data)
    return dict(workflow.data)


def deliver(workflow: Any, kind: str, name: str, payload: Mapping[str, Any]) -> list[str]:
    """Hand a message or signal to the tasks of ``workflow`` waiting for it; their element ids.

    The event is built from the catching task's own event definition (its class decides what
    it catches), so Camunda, Spiff and plain diagrams all receive it. Event-based gateways are
    reached through their branch's definition, and event subprocesses a message or signal
    starts through their start event's.
    """
    reached: list[str] = []
    manager = workflow.top_workflow.event_manager
    for task in proj.catching_tasks(workflow):
        for part_kind, part_name, part in _catchable(
            getattr(task.task_spec, "event_definition", None)
        ):
            if part_kind != kind or part_name != name:
                continue
            event = _event(part, payload)
            if kind == "message":
                # One message, one catcher: SpiffWorkflow's manager would hand it to every
                # token waiting for that name (two tokens on one receive task, say).
                if task.task_spec.catches(task, event):
                    task.task_spec.catch(task, event)
                    task.task_spec._update(task)
                    reached.append(_branch_element(task, part))
            elif manager.catch(event, internal=False) > 0:
                reached.append(_branch_element(task, part))
            break
        if reached and kind == "message":
            return reached  # a message is consumed by one catcher
    for eid, kind_name, part, scope in _triggers(workflow):
        if kind_name != f"{kind}:{name}" or (reached and kind == "message"):
            continue
        event = _event(part, payload)
        event.target = scope
        if manager.catch(event, internal=False) > 0:
            reached.append(eid)
    return reached


def start_event_names(definition: ProcessDefinition, kind: str) -> set[str]:
    """Names of the messages (or signals) that start ``definition``'s process."""
    names: set[str] = set()
    for spec in definition.spec.task_specs.values():
        if not isinstance(spec, StartEvent):
            continue
        event_def = getattr(spec, "event_definition", None)
        if event_def is None:
            continue
        cls = type(event_def).__name__.lower()
        if kind in cls and getattr(event_def, "name", None):
            names.add(str(event_def.name))
    return names


def _start_events(definition: ProcessDefinition) -> list[Any]:
    return [s for s in definition.spec.task_specs.values() if isinstance(s, StartEvent)]


def timer_started(definition: ProcessDefinition) -> bool:
    """True if the process starts on a timer (it is scheduled when deployed)."""
    return any(
        isinstance(getattr(s, "event_definition", None), TimerEventDefinition)
        for s in _start_events(definition)
    )


def starts(definition: ProcessDefinition) -> set[str]:
    """Element ids of the process's own start events."""
    return {str(getattr(s, "bpmn_id", None) or s.name) for s in _start_events(definition)}
