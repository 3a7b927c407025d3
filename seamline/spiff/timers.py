"""Timer event definitions that fire the way Camunda fires them.

SpiffWorkflow 3.2.0's timers differ from Camunda's in three ways that :func:`parse_timer_event`
(installed over the library's parser method by :func:`seamline.spiff.install`) removes:

- A timer fires when now is *at or after* its due instant (Camunda's job executor picks up jobs
  whose due date is not in the future); the library waited until strictly after it. It does
  so when the worker fires timers (:func:`firing`); a step that reaches a timer already due
  fires it only if it is strictly past (a ``PT0S`` timer waits for the worker, as a job does).
- A ``timeCycle`` may be a cron expression (Quartz in Camunda 7, Spring in Camunda 8; read by
  :mod:`seamline.cron`), besides an ISO 8601 repetition (``R3/PT1H``, ``R/PT5M``,
  ``R2/2026-01-05T10:00Z/PT1H``).
- The value of an expression (``${duration}``, ``=duration``) may be a date-time or a duration
  object, not only text.

A cycle on a process's own start event (:class:`StartCycleTimer`) fires once per instance:
the instance that waited starts, and the rest of the cycle is kept in :data:`NEXT_START` for
the engine to start the next instance with (Camunda starts one new instance per firing). A
cycle on a non-interrupting boundary event or event subprocess start (:class:`CycleTimer`)
fires every period while its scope is active, each firing starting one branch; anywhere else
(:class:`OnceCycleTimer`) the first repetition fires and the token moves on.

The clock is seamline's (:func:`seamline.timekeeping.now`), so a test clock moves these timers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from SpiffWorkflow.bpmn.parser.util import first
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.control import BoundaryEventJoin
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.util import PendingBpmnEvent
from SpiffWorkflow.util.task import TaskState

from seamline import cron
from seamline.timekeeping import now

_MODELER_NS = "http://camunda.org/schema/modeler/1.0"

#: Internal data key of a fired process start timer: the cycle's state for the next instance.
NEXT_START = "seamline_next_start"


def _text(value: Any) -> str:
    """A timer expression's value as the ISO text the timers read."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return f"PT{value.total_seconds():g}S"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _evaluate(task: Any, expression: str) -> str:
    return _text(task.workflow.script_engine.evaluate(task, expression))


def _due(text: str) -> dt.datetime:
    due: dt.datetime = TimerEventDefinition.get_datetime(text)
    return due


#: Set while the worker fires due timers (:func:`firing`): only then does a timer fire at its
#: due instant. Camunda runs every timer as a job, never inside the step that reached it, so a
#: ``PT0S`` timer reached by a step waits for the worker (a message may still beat it).
_firing: ContextVar[bool] = ContextVar("seamline_firing_timers", default=False)


@contextmanager
def firing() -> Iterator[None]:
    """Fire timers at their due instant inside this block (the worker's timer step)."""
    token = _firing.set(True)
    try:
        yield
    finally:
        _firing.reset(token)


def is_due(due: dt.datetime) -> bool:
    """Whether a timer due at ``due`` fires now: at the instant in the worker, else after it."""
    current = now()
    return due <= current if _firing.get() else due < current


class DateTimer(TimeDateEventDefinition):  # type: ignore[misc]
    """``timeDate``: fires at the date (at or after it)."""

    def has_fired(self, my_task: Any) -> bool:
        value = my_task._get_internal_data("event_value")
        if value is None:
            value = _evaluate(my_task, self.expression)
            parsed = TimerEventDefinition.parse_time_or_duration(value)
            if not isinstance(parsed, dt.datetime):
                raise ValueError(f"timeDate {value!r} is not a date")
            value = parsed.isoformat()
            my_task._set_internal_data(event_value=value)
        if is_due(_due(value)):
            my_task._set_internal_data(event_fired=True)
        return bool(my_task._get_internal_data("event_fired", False))


class DurationTimer(DurationTimerEventDefinition):  # type: ignore[misc]
    """``timeDuration``: fires the duration after the event was reached (at or after it)."""

    def has_fired(self, my_task: Any) -> bool:
        value = my_task._get_internal_data("event_value")
        if value is None:
            text = _evaluate(my_task, self.expression)
            start = now()
            if text.upper().startswith("P"):
                parsed = TimerEventDefinition.parse_iso_duration(text)
                due = start + TimerEventDefinition.get_timedelta_from_start(parsed, start)
            else:  # Camunda accepts a date where a duration is drawn
                due = _due(text)
            value = due.isoformat()
            my_task._set_internal_data(event_value=value)
        if is_due(_due(value)):
            my_task._set_internal_data(event_fired=True)
        return bool(my_task._get_internal_data("event_fired", False))


def first_cycle(text: str, dialect: str, start: dt.datetime) -> dict[str, Any]:
    """The state of a cycle that begins at ``start``: cycles left, next due, how to go on."""
    if not text.upper().startswith("R"):
        return {
            "cycles": -1,
            "next": cron.next_after(text, start, dialect).isoformat(),
            "cron": text,
            "dialect": dialect,
        }
    parts = text.upper().split("/")
    if len(parts) == 3 and "P" not in parts[1] and parts[2].startswith("P"):
        # R<n>/<start>/<period>: the first firing is at the start date (Camunda's DurationHelper)
        cycles = int(parts[0][1:]) if parts[0][1:] else -1
        begin = TimerEventDefinition.get_datetime(text.split("/")[1])
        period = TimerEventDefinition.parse_iso_duration(parts[2])
        step = TimerEventDefinition.get_timedelta_from_start(period, begin)
        while begin <= start and cycles != 0:  # repetitions already past when reached
            begin += step
            cycles = cycles - 1 if cycles > 0 else cycles
        return {"cycles": cycles, "next": begin.isoformat(), "duration": step.total_seconds()}
    cycles, begin, step = TimerEventDefinition.parse_iso_recurring_interval(text)
    if len(parts) == 2:  # R<n>/<period> counts from when the event is reached
        period = TimerEventDefinition.parse_iso_duration(parts[1])
        step = TimerEventDefinition.get_timedelta_from_start(period, start)
        begin = start + step
    return {"cycles": cycles, "next": begin.isoformat(), "duration": step.total_seconds()}


def after_firing(value: dict[str, Any]) -> dict[str, Any]:
    """The cycle's state once its ``next`` firing happened."""
    due = dt.datetime.fromisoformat(value["next"])
    if value.get("cron"):
        following = cron.next_after(value["cron"], due, value.get("dialect", "spring"))
    else:
        following = due + dt.timedelta(seconds=value["duration"])
    cycles = value["cycles"] - 1 if value["cycles"] > 0 else value["cycles"]
    return {**value, "cycles": cycles, "next": following.isoformat()}


def _advance_cycle(definition: Any, task: Any) -> bool:
    """Whether the cycle's next firing is due now (its state then moves to the one after)."""
    value = task._get_internal_data("event_value")
    if value is None:
        value = first_cycle(_evaluate(task, definition.expression), definition.dialect, now())
    if value["cycles"] == 0:
        task.internal_data.pop("event_value", None)
        task.internal_data["event_fired"] = True
        return False
    ready = False
    # A repetition fires only when the worker fires timers, one per round: a worker that comes
    # late fires each repetition it missed in turn (one branch or instance each), as Camunda's
    # job executor runs one job per repetition.
    if _firing.get() and is_due(dt.datetime.fromisoformat(value["next"])):
        value = after_firing(value)
        ready = True
    task._set_internal_data(event_value=value)
    return ready


def retire(task: Any) -> None:
    """End a repeating timer that started branches, keeping them: it no longer fires.

    Cancelling it (SpiffWorkflow's way) would drop its children, the branches its firings
    started, which Camunda keeps running.
    """
    task.workflow.top_workflow.event_manager.remove_task(task)
    task.internal_data.pop("event_value", None)
    task._set_state(TaskState.COMPLETED)


class CycleTimer(CycleTimerEventDefinition):  # type: ignore[misc]
    """``timeCycle`` (ISO 8601 repetition or cron) that fires every period while its scope is
    active: non-interrupting boundary events and event subprocess starts. Each firing starts
    one branch; after the last repetition the event retires, keeping its branches."""

    def __init__(self, name: str, expression: str, *, dialect: str = "spring", **kw: Any) -> None:
        super().__init__(name, expression, **kw)
        self.dialect = dialect

    def cycle_complete(self, my_task: Any) -> bool:
        return _advance_cycle(self, my_task)

    def update_task(self, my_task: Any) -> None:
        super().update_task(my_task)
        value = my_task._get_internal_data("event_value")
        if isinstance(value, dict) and value["cycles"] == 0 and my_task.children:
            retire(my_task)


class OnceCycleTimer(TimerEventDefinition):  # type: ignore[misc]
    """``timeCycle`` where the event can fire only once: an interrupting boundary event, an
    intermediate catch event, an interrupting event subprocess's start (Camunda fires the
    first repetition and the token moves on)."""

    def __init__(self, name: str, expression: str, *, dialect: str = "spring", **kw: Any) -> None:
        super().__init__(name, expression, **kw)
        self.dialect = dialect

    def has_fired(self, my_task: Any) -> bool:
        if not my_task._get_internal_data("event_fired", False) and _advance_cycle(self, my_task):
            self.fired(my_task)
            my_task._set_internal_data(event_fired=True)
        return bool(my_task._get_internal_data("event_fired", False))

    def fired(self, my_task: Any) -> None:
        """Called once, when the first repetition fires."""

    def details(self, my_task: Any) -> Any:
        value = my_task._get_internal_data("event_value")
        if isinstance(value, dict):
            value = value.get("next")
        return PendingBpmnEvent(self.name, "CycleTimerEventDefinition", value)


class StartCycleTimer(OnceCycleTimer):
    """``timeCycle`` on a process's own start event: each firing starts one instance.

    The instance that waited proceeds like after a date timer; what is left of the cycle is
    kept under :data:`NEXT_START` for the engine to start the next waiting instance with.
    """

    def fired(self, my_task: Any) -> None:
        value = my_task._get_internal_data("event_value")
        if value["cycles"] != 0:
            my_task._set_internal_data(**{NEXT_START: value})


def parse_timer_event(self: Any, event: Any) -> TimerEventDefinition:
    """Replaces ``EventDefinitionParser.parse_timer_event``: seamline's timers, checked."""
    try:
        description = self.get_event_description(event)
        name = self.node.get("name", self.node.get("id"))
        time_date = first(self.xpath(".//bpmn:timeDate"))
        if time_date is not None:
            return DateTimer(name, time_date.text, description=description)
        time_duration = first(self.xpath(".//bpmn:timeDuration"))
        if time_duration is not None:
            return DurationTimer(name, time_duration.text, description=description)
        time_cycle = first(self.xpath(".//bpmn:timeCycle"))
        if time_cycle is not None:
            return _cycle_class(self.node)(
                name, time_cycle.text, dialect=_dialect(self), description=description
            )
        raise ValidationException(
            "Unknown Time Specification", node=self.node, file_name=self.filename
        )
    except ValidationException:
        raise
    except Exception as e:
        raise ValidationException(
            "Time Specification Error. " + str(e), node=self.node, file_name=self.filename
        ) from e


def _cycle_class(node: Any) -> type[TimerEventDefinition]:
    """Which cycle an event's ``timeCycle`` is, by where the event is drawn."""
    tag = str(node.tag).rpartition("}")[2]
    parent = node.getparent()
    if tag == "startEvent" and parent is not None and str(parent.tag).endswith("}process"):
        return StartCycleTimer
    if tag == "boundaryEvent" and node.get("cancelActivity") == "false":
        return CycleTimer
    if tag == "startEvent" and node.get("isInterrupting") == "false":
        return CycleTimer
    return OnceCycleTimer


def _dialect(parser: Any) -> str:
    """Quartz cron for Camunda 7 diagrams, Spring cron otherwise.

    A Camunda 7 diagram is one read by the Camunda parser (it uses the ``camunda:`` namespace)
    or one the modeler exported for the Camunda Platform (7) engine.
    """
    bpmn_parser = getattr(getattr(parser, "process_parser", None), "parser", None)
    if "CamundaParser" in {c.__name__ for c in type(bpmn_parser).__mro__}:
        return "quartz"
    root = parser.node.getroottree().getroot()
    platform = str(root.get(f"{{{_MODELER_NS}}}executionPlatform") or "")
    return "quartz" if platform.lower() == "camunda platform" else "spring"


def keep_cycle_branches(join: Any, my_task: Any) -> tuple[bool, list[Any]]:
    """Replaces ``BoundaryEventJoin._check_threshold_structured``: when the activity ends, a
    repeating non-interrupting timer stops and the branches it started keep running.

    SpiffWorkflow cancels every boundary event still waiting, and cancelling a cycle timer
    drops the children its firings added (the user tasks they created vanished).
    """
    finished, cancel = ORIGINAL_BOUNDARY_THRESHOLD(join, my_task)
    kept = []
    for task in cancel:
        if task.children and isinstance(
            getattr(task.task_spec, "event_definition", None), CycleTimer
        ):
            retire(task)
        else:
            kept.append(task)
    return finished, kept


ORIGINAL_BOUNDARY_THRESHOLD = BoundaryEventJoin._check_threshold_structured
