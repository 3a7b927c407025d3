"""Catching events the way Camunda 7 keeps them, where SpiffWorkflow 3.2 does otherwise.

- **Non-interrupting boundary events fire once per event.** 3.2.0 completes a boundary event
  task when it fires, so a second message (signal, condition) while the activity is still
  active found nobody waiting. :func:`rearm_boundary` (installed over
  ``BoundaryEvent._on_ready_hook``) puts a fresh waiting sibling under the activity's split each
  time a non-interrupting boundary event fires, as long as the activity is unfinished; it is
  cancelled with the other waiting boundary events when the activity ends. Timer boundaries
  keep the library's handling (cycles are timers' business).
- **Conditions are evaluated on entry and on variable changes only.** 3.2.0 evaluates a
  waiting conditional event after every completed task, whatever changed. Camunda evaluates it
  once when the event is reached and then whenever a variable changes (the engine's
  conditional hook, :mod:`seamline.engine.conditions`, decides that and sets the flag read
  here). :func:`condition_fired` replaces ``ConditionalEventDefinition.has_fired``.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.conditional import ConditionalEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.util.task import TaskState

#: internal_data keys: the condition was evaluated on entry; the engine saw it become true.
ARMED = "condition_armed"
FIRED = "condition_fired"

_original_on_ready = BoundaryEvent._on_ready_hook


def rearm_boundary(self: Any, my_task: Any) -> None:
    """``BoundaryEvent._on_ready_hook``: a non-interrupting boundary event waits again."""
    _original_on_ready(self, my_task)
    if self.cancel_activity or isinstance(self.event_definition, TimerEventDefinition):
        return
    split = my_task.parent
    if split is None:
        return
    main = [c for c in split.children if not isinstance(c.task_spec, BoundaryEvent)]
    if not main or main[0].has_state(TaskState.FINISHED_MASK):
        return
    again = split._add_child(self, TaskState.MAYBE)
    if isinstance(self.event_definition, ConditionalEventDefinition):
        again.internal_data[ARMED] = True  # fires again on the next variable change only
    self._update(again)  # predicts its outputs and waits (registered with the event manager)


def condition_fired(self: Any, my_task: Any) -> bool:
    """``ConditionalEventDefinition.has_fired``: evaluated once on entry, then on changes."""
    if getattr(my_task.task_spec, "event_definition", None) is not self:
        # A branch of an event-based gateway: evaluated whenever the gateway is updated.
        return evaluate_expression(my_task, self.expression)
    if my_task.internal_data.get(FIRED):
        return True
    if my_task.internal_data.get(ARMED):
        return False
    my_task.internal_data[ARMED] = True
    holds = evaluate_spec(my_task, my_task.task_spec)
    if holds:
        my_task.internal_data[FIRED] = True
    return holds


def evaluate_now(task: Any) -> bool:
    """Evaluate a waiting conditional event's condition over its data now."""
    return evaluate_spec(task, task.task_spec)


def evaluate_spec(task: Any, spec: Any) -> bool:
    """Evaluate the condition of conditional event ``spec`` over ``task``'s data.

    A variable the condition reads that is not set yet makes it false (it is evaluated again
    on the next change), as for a waiting conditional event.
    """
    return evaluate_expression(task, spec.event_definition.expression)


def evaluate_expression(task: Any, expression: str) -> bool:
    """Evaluate a condition over ``task``'s data (False while a variable it reads is unset)."""
    engine = task.workflow.script_engine
    context = task.workflow.data_objects
    holds = getattr(engine, "condition_holds", None)
    if holds is not None:
        return bool(holds(task, expression, context))
    return bool(engine.evaluate(task, expression, external_context=context))


def fire(task: Any) -> None:
    """Let a waiting conditional event go on (its condition became true)."""
    task.internal_data[FIRED] = True
    task.task_spec._update(task)


def during_activity(task: Any) -> None:
    """Fire the non-interrupting conditional boundary events of ``task`` that its own work
    (a script) made true, while it still runs: Camunda evaluates them on the variable change,
    before the activity ends. (Interrupting ones on script tasks are refused at load.)"""
    split = task.parent
    if split is None:
        return
    for sibling in list(split.children):
        spec = sibling.task_spec
        if (
            sibling is task
            or sibling.state != TaskState.WAITING
            or not isinstance(spec, BoundaryEvent)
            or spec.cancel_activity
            or not isinstance(spec.event_definition, ConditionalEventDefinition)
        ):
            continue
        if evaluate_expression(task, spec.event_definition.expression):
            sibling.data.update(task.data)
            fire(sibling)
