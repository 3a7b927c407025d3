"""The replacements seamline installs into SpiffWorkflow 3.2.0, and :func:`install`.

Each one is described in the package docstring (:mod:`seamline.spiff`). Nothing here changes
SpiffWorkflow when imported: only :func:`install` assigns, and it is idempotent.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn.parser.event_parsers import EventDefinitionParser
from SpiffWorkflow.bpmn.parser.node_parser import NodeParser
from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
from SpiffWorkflow.bpmn.specs.control import BoundaryEventJoin
from SpiffWorkflow.bpmn.specs.event_definitions import timer
from SpiffWorkflow.bpmn.specs.event_definitions.conditional import ConditionalEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import CodeEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.bpmn.util.event import EventManager
from SpiffWorkflow.camunda.parser.task_spec import CamundaTaskParser
from SpiffWorkflow.task import Task
from SpiffWorkflow.workflow import Workflow

from seamline.spiff import coded_events, multi_instance, throwing
from seamline.spiff import events as _events
from seamline.spiff.timers import keep_cycle_branches, parse_timer_event
from seamline.timekeeping import current as _current

_spiff_logger = logging.getLogger("spiff.task")
_workflow_logger = logging.getLogger("spiff.workflow")


class ClockedDatetime(dt.datetime):
    """``datetime`` whose ``now()`` follows the engine's clock while a step runs."""

    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> Any:
        clock = _current.get()
        if clock is None:
            return dt.datetime.now(tz)
        value = clock()
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(tz) if tz is not None else value.astimezone().replace(tzinfo=None)


_original_catch = EventManager.catch


def _start_matching(manager: Any, scope: Any, event: Any) -> Any | None:
    """Start the event subprocess of ``scope`` whose start event catches ``event``, if any."""
    top = manager.workflow
    for name in getattr(scope.spec.start, "trigger_specs", ()):
        sp_spec = top.subprocess_specs.get(name)
        if sp_spec is None:
            continue
        for start in sp_spec.bpmn_start_events:
            if start.event_definition != event.event_definition:
                continue
            child_id = scope.spec.start.trigger_wf(scope.task_tree, sp_spec.name)
            return top.subprocesses.get(child_id)
    return None


def _catch(self: EventManager, event: Any, internal: bool = True) -> int:
    scope = event.target
    while scope is not None and scope is not self.workflow:
        waiting = [
            t
            for t in self.tasks.values()
            if t.workflow == scope and t.task_spec.event_definition.catches(t, event)
        ]
        if waiting:
            break
        started = _start_matching(self, scope, event)
        if started is not None:
            event.target = started
            break
        scope = scope.parent_workflow
    count: int = _original_catch(self, event, internal)
    return count


_collect_log_extras = Task.collect_log_extras


def _log_extras(self: Any, dct: dict[str, Any] | None = None) -> dict[str, Any]:
    # SpiffWorkflow builds a dict of log details on every state change, logged or not.
    if not _spiff_logger.isEnabledFor(logging.INFO):
        return {}
    extras: dict[str, Any] = _collect_log_extras(self, dct)
    return extras


_collect_workflow_extras = Workflow.collect_log_extras


def _workflow_log_extras(self: Any, dct: dict[str, Any] | None = None) -> dict[str, Any]:
    # The workflow's log details list every task id whenever its logger has no level set,
    # on each start and end of a workflow, logged or not.
    if not _workflow_logger.isEnabledFor(logging.INFO):
        return dict(dct or {})
    extras: dict[str, Any] = _collect_workflow_extras(self, dct)
    return extras


_set_state = Task._set_state


def _quiet_set_state(self: Any, value: int) -> None:
    # The same state change without composing log messages nobody reads.
    if _spiff_logger.isEnabledFor(logging.INFO):
        _set_state(self, value)
    elif value != self._state:
        self.last_state_change = time.time()
        self._state = value


@dataclass(frozen=True)
class Patch:
    """One attribute of SpiffWorkflow that :func:`install` replaces."""

    owner: Any
    attribute: str
    replacement: Any

    @property
    def name(self) -> str:
        """``module.attribute`` or ``Class.attribute``, for messages and tests."""
        return f"{getattr(self.owner, '__name__', self.owner)}.{self.attribute}"

    def installed(self) -> bool:
        """Whether the replacement is in place."""
        return vars(self.owner).get(self.attribute) is self.replacement


#: Every global replacement, in the order the package docstring lists them.
PATCHES: tuple[Patch, ...] = (
    Patch(timer, "datetime", ClockedDatetime),
    Patch(EventManager, "catch", _catch),
    Patch(Task, "collect_log_extras", _log_extras),
    Patch(Workflow, "collect_log_extras", _workflow_log_extras),
    Patch(Task, "_set_state", _quiet_set_state),
    Patch(EventDefinitionParser, "parse_timer_event", parse_timer_event),
    Patch(BoundaryEventJoin, "_check_threshold_structured", keep_cycle_branches),
    Patch(CodeEventDefinition, "throw", throwing.throw),
    Patch(EventDefinitionParser, "parse_error_event", coded_events.parse_error_event),
    Patch(EventDefinitionParser, "parse_escalation_event", coded_events.parse_escalation_event),
    Patch(NodeParser, "raise_validation_exception", coded_events.raise_validation_exception),
    Patch(BoundaryEvent, "_on_ready_hook", _events.rearm_boundary),
    Patch(ConditionalEventDefinition, "has_fired", _events.condition_fired),
    Patch(TaskParser, "_add_multiinstance_task", multi_instance.add_multi_instance),
    Patch(CamundaTaskParser, "_add_multiinstance_task", multi_instance.add_multi_instance),
    Patch(Task, "_inherit_data", multi_instance.inherit_data),
)


def install() -> None:
    """Put every replacement in :data:`PATCHES` in place; calling it again changes nothing."""
    for patch in PATCHES:
        if not patch.installed():
            setattr(patch.owner, patch.attribute, patch.replacement)
