"""Errors and escalations routed as Camunda routes them: to one handler, the nearest and the
most specific.

SpiffWorkflow 3.2 hands a thrown error or escalation to every waiting catcher of the thrower's
workflow (a boundary event on any task of the subprocess, not only on the activity that threw),
climbs to the parent workflow only when nothing there catches, and fires every matching catcher
at once (a catch-all beside one naming the code). Camunda 7 (ErrorDeclarationForProcessInstance
Finder, EscalationEventDefinitionFinder) walks the scopes from the thrower outwards: the
boundary events of the activity that threw, then the event subprocesses of the enclosing
(sub)process, then the boundary events of that subprocess or call activity (of its
multi-instance body, for an instance), and so on up to the process that started it all. At each
scope an event subprocess comes before a boundary event and a handler naming the code before a
catch-all; the first one found handles the event, alone.

The handler's ``camunda:errorCodeVariable`` / ``errorMessageVariable`` /
``escalationCodeVariable`` (read by the parsers onto the event definition as ``code_variable``
and ``message_variable``) are set in the data the handler continues with.

What happens when nothing catches is the flavour's (``uncaught`` on the thrower's definition,
set by the parsers): ``"end"`` (Camunda 7's default) ends the thrower's path as a none end event
would (an escalation: nothing happens); otherwise the event is left to the instance, which
fails (errors) or notes it (escalations). An event subprocess never catches what is thrown
inside it (Camunda's isReThrowingErrorEventSubprocess / ...EscalationEventSubprocess).
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import (
    CodeEventDefinition,
    ErrorEventDefinition,
)
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.util.task import TaskState

#: ``uncaught`` value: the path of the thrower just ends (Camunda 7's default).
END_PATH = "end"


def throw(definition: CodeEventDefinition, my_task: Any) -> None:
    """Replacement for ``CodeEventDefinition.throw``: route to the one handler."""
    payload = deepcopy(my_task.data)
    event = BpmnEvent(definition, payload=payload, target=my_task.workflow)
    message = getattr(definition, "message", None)
    if message:
        event.message = _message(my_task, message)
    deliver(my_task, event)


def _message(my_task: Any, message: str) -> Any:
    text = message.strip()
    if "${" in text or "#{" in text:
        return my_task.workflow.script_engine.evaluate(my_task, text)
    return message


def deliver(thrower: Any, event: Any) -> bool:
    """Hand ``event`` (thrown by task ``thrower``) to its handler; False when none caught it.

    An uncaught event whose definition does not say ``uncaught = "end"`` is left in the
    instance's event list, as SpiffWorkflow does, for the engine to report.
    """
    top = thrower.workflow.top_workflow
    for kind, candidate in _handlers(thrower, event):
        _set_variables(event, _definition_of(candidate))
        if kind == "boundary":
            candidate.task_spec.catch(candidate, event)
            candidate.task_spec._update(candidate)
            return True
        scope, sp_spec, catcher = candidate
        child_id = scope.spec.start.trigger_wf(scope.task_tree, sp_spec.name)
        started = top.subprocesses.get(child_id)
        # Camunda sets the variables on the scope's execution: the process variables.
        owner = top.get_task_from_id(child_id)
        if isinstance(event.payload, dict):
            owner.data.update(_variables(event, catcher))
        event.target = started
        top.event_manager.catch(event)  # the patched catch: the started start event takes it
        return True
    definition = event.event_definition
    if getattr(definition, "uncaught", None) == END_PATH:
        kind = "error" if isinstance(definition, ErrorEventDefinition) else "escalation"
        noted(top).append((kind, str(definition.code)))
        return False
    top.bpmn_events.append(event)
    return False


def end_path(task: Any) -> None:
    """End the path of ``task``, which threw what nothing caught: the task and the boundary
    events waiting on it are cancelled (Camunda 7 ends the execution, its subscriptions go with
    it), so an instance with nothing else to do completes."""
    split, waiting, _ = _attached(task)
    if not task.has_state(TaskState.FINISHED_MASK):
        task.cancel()
    for boundary in waiting:
        boundary.cancel()
    if split is not None:
        for child in split.children:
            if child.task_spec.name.endswith("BoundaryEventJoin"):
                child.cancel()


def noted(top: Any) -> list[tuple[str, str]]:
    """(kind, code) of the errors and escalations nothing caught that only ended their path
    (an escalation: nothing at all), in this step; kept on the workflow object for the engine
    to record, not part of the snapshot."""
    found: list[tuple[str, str]] | None = getattr(top, "seamline_noted_errors", None)
    if found is None:
        found = []
        top.seamline_noted_errors = found
    return found


def _definition_of(candidate: Any) -> Any:
    if isinstance(candidate, tuple):
        return candidate[2]
    if not hasattr(candidate, "task_spec"):  # a boundary event's spec
        return candidate.event_definition
    return candidate.task_spec.event_definition


def _variables(event: Any, catcher: Any) -> dict[str, Any]:
    """The catcher's code and message variables, with the values of ``event``."""
    out: dict[str, Any] = {}
    code_var = getattr(catcher, "code_variable", None)
    if code_var:
        out[code_var] = event.event_definition.code
    message_var = getattr(catcher, "message_variable", None)
    if message_var:
        payload = event.payload if isinstance(event.payload, dict) else {}
        out[message_var] = getattr(event, "message", None) or payload.get("errorMessage")
    return out


def _set_variables(event: Any, catcher: Any) -> None:
    if isinstance(event.payload, dict):
        event.payload.update(_variables(event, catcher))


def _matches(catcher: Any, thrown: Any) -> bool:
    return type(catcher) is type(thrown) and catcher.code in (None, thrown.code)


def _specific_first(items: list[Any], definition_of: Any) -> list[Any]:
    return sorted(items, key=lambda item: definition_of(item).code is None)


def _handlers(thrower: Any, event: Any) -> Any:
    """(kind, candidate) of every handler, nearest scope and most specific first."""
    thrown = event.event_definition
    top = thrower.workflow.top_workflow
    yield from _boundaries(thrower, thrown)
    inside = _enclosing_specs(thrower.workflow)
    workflow = thrower.workflow
    while workflow is not None:
        starts = []
        for name in getattr(workflow.spec.start, "trigger_specs", ()):
            sp_spec = top.subprocess_specs.get(name)
            if sp_spec is None or sp_spec.name in inside:
                continue  # an event subprocess does not catch what it throws itself
            for start in getattr(sp_spec, "bpmn_start_events", ()):
                if _matches(start.event_definition, thrown):
                    starts.append((workflow, sp_spec, start.event_definition))
        for found in _specific_first(starts, lambda c: c[2]):
            yield "start", found
        owner = _owner(workflow)
        if owner is None:
            return
        yield from _boundaries(owner, thrown)
        workflow = owner.workflow


def _enclosing_specs(workflow: Any) -> set[str]:
    """Spec names of ``workflow`` and every workflow around it."""
    names: set[str] = set()
    while workflow is not None:
        names.add(workflow.spec.name)
        owner = _owner(workflow)
        workflow = owner.workflow if owner is not None else None
    return names


def _boundaries(task: Any, thrown: Any) -> Any:
    split, waiting, fired = _attached(task)
    found = [b for b in waiting if _matches(b.task_spec.event_definition, thrown)]
    again = [s for s in fired if _matches(s.event_definition, thrown)]
    for b in _specific_first(found + again, _definition_of):
        if not hasattr(b, "task_spec"):  # a non-interrupting event firing again: a new token
            b = split._add_child(b, TaskState.MAYBE)
            b.task_spec._update(b)  # predicts its outgoing path, then waits
        yield "boundary", b


def _owner(workflow: Any) -> Any:
    """The task (subprocess, call activity, event subprocess) running ``workflow``."""
    parent_id = getattr(workflow, "parent_task_id", None)
    if parent_id is None:
        return None
    return workflow.top_workflow.get_task_from_id(parent_id)


def _attached(task: Any) -> tuple[Any, list[Any], list[Any]]:
    """The boundary events of the activity ``task`` (of its multi-instance body) that can
    catch now: (the split holding them, the waiting ones, the specs of non-interrupting ones
    that already fired while the activity is still active: Camunda fires those every time)."""
    holder = task
    parent = holder.parent
    if parent is not None and isinstance(parent.task_spec, LoopTask):
        holder = parent
        parent = holder.parent
    if parent is None or not isinstance(parent.task_spec, BoundaryEventSplit):
        return None, [], []
    waiting = []
    fired = {}
    for c in parent.children:
        if not isinstance(c.task_spec, BoundaryEvent):
            continue
        if c.state == TaskState.WAITING and not c.internal_data.get("event_fired"):
            waiting.append(c)
        elif not c.task_spec.cancel_activity:
            fired[c.task_spec.name] = c.task_spec
    if holder.has_state(TaskState.FINISHED_MASK):
        return parent, waiting, []
    for name in {w.task_spec.name for w in waiting}:
        fired.pop(name, None)
    return parent, waiting, list(fired.values())
