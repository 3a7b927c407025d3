"""Conditional events the way Camunda 7 evaluates them.

Camunda evaluates a conditional event's condition once when the event is reached (an
intermediate catch event, a boundary event when its activity starts, an event subprocess's
start when its scope starts) and then again on every variable change, in every scope of the
instance. ``camunda:variableName`` limits the changes that count to one variable, and
``camunda:variableEvents`` (``create``, ``update``, ``delete``) to those kinds of change.

SpiffWorkflow keeps one copy of the data per token, so a variable set on one branch is not
seen by a condition waiting on another; and it never starts an event subprocess on a
condition. Here:

- every step notes which variables changed (:func:`note`, :func:`note_task`: what a task that
  ran did to the data it inherited, a completed user task's form, ``set_data``, a message's
  payload), with the new values;
- :func:`evaluate`, called after the automatic tasks of every step, hands the changes to every
  waiting conditional event (the values become the event's data, as Camunda's variables are
  shared by the whole instance) and fires those whose filters match and whose condition holds;
  and it starts the conditional event subprocesses of a scope when the scope starts and on
  every matching change (one instance per change for non-interrupting ones; the interrupting
  one once, as it cancels the rest of its scope).

The on-entry evaluation of waiting events is :func:`seamline.spiff.events.condition_fired`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from seamline.bpmn.definition import ElementInfo, ProcessDefinition
from seamline.engine import projections as proj
from seamline.engine import waiting
from seamline.spiff import CatchingEvent, ConditionalEventDefinition, TaskState
from seamline.spiff import events as spiff_events

if TYPE_CHECKING:
    from seamline.engine.step import Step

#: internal_data key of a scope's root task: its conditional event subprocesses were evaluated
#: on entry.
_ENTERED = "conditional_starts_evaluated"
#: The kinds of variable change Camunda names in ``camunda:variableEvents``.
KINDS = ("create", "update", "delete")


def watched(definition: ProcessDefinition) -> bool:
    """True if the process (or one of its subprocesses) has a conditional event at all."""
    specs = [definition.spec, *definition.subprocess_specs.values()]
    return any(
        isinstance(getattr(s, "event_definition", None), ConditionalEventDefinition)
        for spec in specs
        for s in spec.task_specs.values()
    )


def note(
    step: Step, before: Mapping[str, Any], after: Mapping[str, Any], where: Any = None
) -> None:
    """Record the variable changes from ``before`` to ``after`` in the step (made by a task of
    workflow ``where``; the process itself when None)."""
    changes = step.changes.setdefault(_root(step, where), {})
    for key, value in after.items():
        if key not in before:
            _add(changes, key, "create", value)
        elif before[key] != value:
            _add(changes, key, "update", value)
    for key in before:
        if key not in after:
            _add(changes, key, "delete", None)


def note_values(step: Step, before: Mapping[str, Any], values: Mapping[str, Any]) -> None:
    """Record ``values`` set over ``before`` (a form, ``set_data``): each one a change."""
    changes = step.changes.setdefault(None, {})
    for key, value in values.items():
        _add(changes, key, "update" if key in before else "create", value)


def note_task(step: Step, task: Any) -> None:
    """Record what a task that just ran changed in the data it inherited."""
    if step.watch is None:
        step.watch = watched(step.definition)
    if not step.watch or task.parent is None or _is_gateway(task):
        return
    note(step, task.parent.data, task.data, task.workflow)


def _root(step: Step, workflow: Any) -> Any:
    """The process instance a workflow belongs to, as Camunda scopes variables: None for the
    process and its embedded subprocesses, the calling task's id for a called process."""
    if workflow is None:
        return None
    top = workflow.top_workflow
    wf = workflow
    while wf is not top and wf is not None:
        parent = wf.parent_workflow
        owner = parent.get_task_from_id(wf.parent_task_id) if parent is not None else None
        if owner is not None:
            element = _element(step.definition, owner)
            if element is not None and element.type == "callActivity":
                return wf.parent_task_id
        wf = parent
    return None


def _is_gateway(task: Any) -> bool:
    name = type(task.task_spec).__name__
    return "Gateway" in name or "Join" in name


def _add(changes: dict[str, tuple[set[str], Any]], key: str, kind: str, value: Any) -> None:
    kinds, _ = changes.get(key, (set(), None))
    changes[key] = ({*kinds, kind}, value)


def evaluate(step: Step) -> bool:
    """Fire the conditional events that the step's variable changes make true; True if any."""
    if step.watch is None:
        step.watch = watched(step.definition)
    if not step.watch:
        return False
    noted = dict(step.changes)
    step.changes.clear()
    fired = False
    interrupted: set[Any] = set()  # activities an interrupting boundary event fired on
    for task in _waiting(step.workflow):
        changes = noted.get(_root(step, task.workflow), {})
        _apply(task.data, changes)
        if task.parent is not None:
            # A waiting event takes its parent's data again whenever it is updated.
            _apply(task.parent.data, changes)
        owner = task.parent.id if task.parent is not None else None
        if task.state != TaskState.WAITING or owner in interrupted:
            continue
        matching = changes and _matches(_element(step.definition, task), changes)
        if matching and spiff_events.evaluate_now(task):
            spiff_events.fire(task)
            fired = True
            if getattr(task.task_spec, "cancel_activity", False):
                interrupted.add(owner)
    for gateway in _gateways(step.workflow):
        changes = noted.get(_root(step, gateway.workflow), {})
        if not changes:
            continue
        _apply(gateway.data, changes)
        if gateway.parent is not None:
            _apply(gateway.parent.data, changes)
        gateway.task_spec._update(gateway)
        fired = fired or gateway.state != TaskState.WAITING
    for scope in _scopes(step.workflow):
        changes = noted.get(_root(step, scope), {})
        fired = _start_subprocesses(step, scope, changes) or fired
    return fired


def _gateways(workflow: Any) -> list[Any]:
    """Waiting event-based gateways with a conditional branch (evaluated on every change)."""
    return [
        t
        for t in proj.all_tasks(workflow)
        if t.state == TaskState.WAITING
        and isinstance(t.task_spec, CatchingEvent)
        and any(
            isinstance(d, ConditionalEventDefinition)
            for d in getattr(t.task_spec.event_definition, "event_definitions", ())
        )
    ]


def _waiting(workflow: Any) -> list[Any]:
    return [
        t
        for t in proj.all_tasks(workflow)
        if t.state == TaskState.WAITING
        and isinstance(t.task_spec, CatchingEvent)
        and isinstance(t.task_spec.event_definition, ConditionalEventDefinition)
    ]


def _apply(data: dict[str, Any], changes: Mapping[str, tuple[set[str], Any]]) -> None:
    for key, (kinds, value) in changes.items():
        if "delete" in kinds and value is None:
            data.pop(key, None)
        else:
            data[key] = value


def _element(definition: ProcessDefinition, task_or_spec: Any) -> ElementInfo | None:
    spec = getattr(task_or_spec, "task_spec", task_or_spec)
    eid = str(getattr(spec, "bpmn_id", None) or spec.name)
    return definition.elements.get(eid) or definition.element_for_spec(eid)


def _filters(element: ElementInfo | None) -> tuple[str | None, set[str]]:
    """(variableName, variableEvents) of the element's conditional event definition."""
    if element is None:
        return None, set()
    for d in element.extensions.get("eventDefinitions", []):
        if d.get("type") == "conditionalEventDefinition":
            name = (d.get("variableName") or "").strip() or None
            kinds = {k.strip() for k in (d.get("variableEvents") or "").split(",") if k.strip()}
            return name, kinds
    return None, set()


def _matches(element: ElementInfo | None, changes: Mapping[str, tuple[set[str], Any]]) -> bool:
    name, kinds = _filters(element)
    for key, (happened, _) in changes.items():
        if name is not None and key != name:
            continue
        if not kinds or kinds & happened:
            return True
    return False


def _scopes(workflow: Any) -> list[Any]:
    """The process and its active embedded subprocesses, outermost first."""
    top = workflow.top_workflow
    subs = [s for s in top.subprocesses.values() if not s.completed]
    return [top, *sorted(subs, key=lambda s: s.depth)]


def _conditional_starts(scope: Any) -> Iterable[tuple[Any, Any]]:
    """(event subprocess spec, its conditional start event spec) of one scope."""
    top = scope.top_workflow
    for name in getattr(scope.spec.start, "trigger_specs", ()):
        sp_spec = top.subprocess_specs.get(name)
        if sp_spec is None:
            continue
        for start in sp_spec.bpmn_start_events:
            if isinstance(getattr(start, "event_definition", None), ConditionalEventDefinition):
                yield sp_spec, start


def _scope_data(scope: Any) -> dict[str, Any]:
    live = (TaskState.READY, TaskState.STARTED, TaskState.WAITING, TaskState.ERROR)
    for task in scope.tasks.values():
        if task.state in live and task.task_spec.bpmn_id is not None:
            return dict(task.data)
    return dict(scope.data)


def _start_subprocesses(
    step: Step, scope: Any, changes: Mapping[str, tuple[set[str], Any]]
) -> bool:
    root = scope.task_tree
    entering = not root.internal_data.get(_ENTERED)
    if not entering and not changes:
        return False
    root.internal_data[_ENTERED] = True
    if root.internal_data.get(waiting.INTERRUPTED_SCOPE):
        return False
    started = False
    for sp_spec, start in list(_conditional_starts(scope)):
        if not entering and not _matches(_element(step.definition, start), changes):
            continue
        interrupting = _interrupting(step.definition, start)
        if interrupting and _running(scope, sp_spec):
            continue  # it already interrupts this scope
        data = _scope_data(scope)
        _apply(data, changes)
        if not _holds(scope, start, data):
            continue
        _trigger(scope, sp_spec, start, data)
        started = True
        if interrupting:
            break
    return started


def _interrupting(definition: ProcessDefinition, start: Any) -> bool:
    element = _element(definition, start)
    flag = element.extensions.get("isInterrupting", "true") if element else "true"
    return str(flag).lower() != "false"


def _running(scope: Any, sp_spec: Any) -> bool:
    top = scope.top_workflow
    return any(
        sub.parent_workflow is scope and sub.spec is sp_spec and not sub.completed
        for sub in top.subprocesses.values()
    )


def _holds(scope: Any, start: Any, data: Mapping[str, Any]) -> bool:
    probe = scope.task_tree
    saved = probe.data
    probe.data = dict(data)
    try:
        return spiff_events.evaluate_spec(probe, start)
    finally:
        probe.data = saved


def _trigger(scope: Any, sp_spec: Any, start: Any, data: Mapping[str, Any]) -> None:
    """Start one instance of the event subprocess, its start event fired, with ``data``."""
    top = scope.top_workflow
    child_id = scope.spec.start.trigger_wf(scope.task_tree, sp_spec.name)
    owner = scope.tasks.get(child_id)
    if owner is not None:
        owner.data.update(data)
    sub = top.subprocesses.get(child_id)
    if sub is None:
        return
    for task in list(sub.tasks.values()):
        task.data.update(data)
    for task in list(sub.tasks.values()):
        if task.task_spec is start and task.state == TaskState.WAITING:
            spiff_events.fire(task)
