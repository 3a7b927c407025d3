"""Ready user tasks -> work-queue rows (:class:`seamline.store.records.HumanTask`).

Candidates, due dates, priority and the form are read from the element's metadata as each
modeler flavour writes it, with expressions evaluated over the task's data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from seamline.bpmn.definition import ElementInfo, ProcessDefinition
from seamline.engine.expressions import Evaluator
from seamline.engine.projections import element_id
from seamline.errors import SeamlineError
from seamline.humans import candidates as cand
from seamline.humans import forms
from seamline.humans.identity import Directory
from seamline.store.records import HumanTask, Instance, TaskStatus


def _as_datetime(value: Any, now: dt.datetime) -> dt.datetime | None:
    """A due date from an expression result: a datetime, an ISO date(-time) or an ISO duration."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)
    if isinstance(value, dt.timedelta):
        return now + value
    text = str(value).strip()
    if text.startswith("P"):
        from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

        parsed = TimerEventDefinition.parse_iso_duration(text)
        return now + TimerEventDefinition.get_timedelta_from_start(parsed, now)  # type: ignore[no-any-return]
    try:
        parsed_dt = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SeamlineError(f"'{text}' is not a date, date-time or ISO-8601 duration") from exc
    return parsed_dt if parsed_dt.tzinfo else parsed_dt.replace(tzinfo=dt.UTC)


def form_of(element: ElementInfo) -> dict[str, Any] | None:
    """The element's form compiled to JSON Schema, if it draws one."""
    ext = element.extensions
    fields = ext.get("camunda:formData")
    if fields:
        return forms.form_from_camunda_form_data(fields)
    for key in ("camunda:formJson", "zeebe:formJson", "spiffworkflow:formJson"):
        doc = ext.get(key)
        if isinstance(doc, Mapping):
            if "components" in doc:
                return forms.form_from_camunda_forms_json(doc)
            return forms.form_from_spiff_schema(doc)
    return None


class HumanTaskBuilder:
    """Builds queue rows for the ready user tasks of one step."""

    def __init__(
        self,
        evaluator: Evaluator,
        directory: Directory,
        lane_groups: Mapping[str, str],
        now: Callable[[], dt.datetime],
    ) -> None:
        self.evaluator = evaluator
        self.directory = directory
        self.lane_groups = lane_groups
        self.now = now

    def build(self, task: Any, definition: ProcessDefinition, instance: Instance) -> HumanTask:
        """The queue row for one ready Spiff task."""
        eid = element_id(task)
        element = definition.elements.get(eid) or definition.element_for_spec(task.task_spec.name)
        ext: Mapping[str, Any] = element.extensions if element else {}
        where = f"{eid}"

        def evaluate(text: str) -> Any:
            return self.evaluator.value(text, task.data, where=where)

        lane = element.lane if element else getattr(task.task_spec, "lane", None)
        owners = task.data.get("lane_owners") if isinstance(task.data.get("lane_owners"), dict) else None
        candidates = cand.candidates_from(
            ext, lane=lane, lane_groups=self.lane_groups, evaluate=evaluate, lane_owners=owners
        )
        now = self.now()
        created = dt.datetime.fromtimestamp(task.last_state_change, tz=dt.UTC)
        due = self._date(ext, ("camunda:dueDate",), ("zeebe:taskSchedule", "dueDate"), evaluate, now)
        follow = self._date(
            ext, ("camunda:followUpDate",), ("zeebe:taskSchedule", "followUpDate"), evaluate, now
        )
        priority = ext.get("camunda:priority") or ext.get("zeebe:priorityDefinition")
        if isinstance(priority, Mapping):
            priority = priority.get("priority")
        try:
            prio = int(evaluate(str(priority))) if priority not in (None, "") else 50
        except (TypeError, ValueError):
            prio = 50
        return HumanTask(
            id=str(task.id),
            instance_id=instance.id,
            process_id=instance.process_id,
            element_id=eid,
            name=task.task_spec.bpmn_name or (element.name if element else None),
            status=TaskStatus.CLAIMED if candidates.assignee else TaskStatus.OPEN,
            candidate_users=candidates.users,
            candidate_groups=candidates.groups,
            assignee=candidates.assignee,
            created_at=created,
            due_at=due,
            follow_up_at=follow,
            priority=prio,
            form=form_of(element) if element else None,
            business_key=instance.business_key,
            lane=lane,
            note=candidates.nobody_can_take(self.directory),
        )

    def _date(
        self,
        ext: Mapping[str, Any],
        flat: tuple[str, ...],
        nested: tuple[str, str],
        evaluate: Callable[[str], Any],
        now: dt.datetime,
    ) -> dt.datetime | None:
        raw: Any = None
        for key in flat:
            raw = raw or ext.get(key)
        container = ext.get(nested[0])
        if raw is None and isinstance(container, Mapping):
            raw = container.get(nested[1])
        if raw in (None, ""):
            return None
        return _as_datetime(evaluate(str(raw)), now)
