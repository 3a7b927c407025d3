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

from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.util import BpmnEvent

from seamline.bpmn.definition import ElementInfo, ProcessDefinition
from seamline.engine import projections as proj
from seamline.engine.expressions import Evaluator
from seamline.store.records import Instance, Subscription


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


def subscriptions(
    workflow: Any, definition: ProcessDefinition, instance: Instance, evaluator: Evaluator
) -> list[Subscription]:
    """The messages and signals the instance waits for, with their correlation keys."""
    subs: list[Subscription] = []
    for task in proj.catching_tasks(workflow):
        kind = proj.event_kind(task)
        if kind not in ("message", "signal"):
            continue
        eid = proj.element_id(task)
        name = event_name(task)
        if not name:
            continue
        key: str | None = None
        if kind == "message":
            element = definition.elements.get(eid) or definition.element_for_spec(eid)
            expression = _message_element(element).get("correlationKey")
            if expression:
                value = evaluator.value(str(expression), task.data, where=f"{eid} correlation key")
                key = None if value is None else str(value)
            else:
                key = instance.business_key
        subs.append(Subscription(instance.id, eid, kind, str(name), key))
    return subs


def deliver(workflow: Any, kind: str, name: str, payload: Mapping[str, Any]) -> list[str]:
    """Hand a message or signal to the tasks of ``workflow`` waiting for it; their element ids.

    The event is built from the catching task's own event definition (its class decides what
    it catches), so Camunda, Spiff and plain diagrams all receive it.
    """
    reached: list[str] = []
    for task in proj.catching_tasks(workflow):
        if proj.event_kind(task) != kind or event_name(task) != name:
            continue
        definition = copy.copy(task.task_spec.event_definition)
        event = BpmnEvent(definition, payload=dict(payload))
        if workflow.top_workflow.event_manager.catch(event, internal=False) > 0:
            reached.append(proj.element_id(task))
        if kind == "message":
            break  # a message is consumed by one catcher
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
