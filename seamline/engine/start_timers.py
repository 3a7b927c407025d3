"""Timer start events with a cycle: one new instance per firing, as Camunda starts them.

A process whose start event has a timer is scheduled at deploy by an instance waiting at that
start event (``services/deployment.py``). When a cycle (``R2/PT5M``, cron) fires, the waiting
instance starts, and what is left of the cycle (repetitions, the next due instant) is carried
into a new instance that waits for the next firing; the last repetition carries nothing. A date
or a duration fires once, so its one instance is all there is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from seamline.engine import projections as proj
from seamline.spiff import StartEvent
from seamline.spiff.timers import NEXT_START


def carried(tasks: Iterable[Any]) -> Mapping[str, Any] | None:
    """The cycle state one of ``tasks`` (fired start events) hands to the next instance."""
    for task in tasks:
        if isinstance(task.task_spec, StartEvent):
            state = task.internal_data.pop(NEXT_START, None)
            if isinstance(state, Mapping):
                return dict(state)
    return None


def seed(workflow: Any, state: Mapping[str, Any]) -> None:
    """Make the new instance's waiting start timer continue the cycle ``state`` describes."""
    for task in proj.catching_tasks(workflow):
        if isinstance(task.task_spec, StartEvent) and task.workflow is workflow:
            task.internal_data["event_value"] = dict(state)
            task.internal_data.pop("event_fired", None)
