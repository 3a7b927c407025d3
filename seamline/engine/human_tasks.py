"""Ready user tasks -> work-queue rows (:class:`seamline.store.records.HumanTask`).

Candidates, due dates, priority and the form are read from the element's metadata as each
modeler flavour writes it, with expressions evaluated over the task's data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from seamline.bpmn import flavours
from seamline.bpmn.definition import ElementInfo, ProcessDefinition
from seamline.bpmn.form_links import linked_form
from seamline.engine import call_flow
from seamline.engine.expressions import Evaluator
from seamline.engine.listeners import ASSIGNEE
from seamline.engine.projections import element_id
from seamline.errors import SeamlineError
from seamline.humans import candidates as cand
from seamline.humans import forms
from seamline.humans.identity import ADMIN_GROUP, Directory
from seamline.humans.prefill import with_prefill
from seamline.spiff.script_engine import multi_instance_variables
from seamline.store.records import HumanTask, Instance, TaskStatus

#: Where a task remembers when it became ready (kept in the snapshot with the task).
_CREATED = "seamline.created_at"


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
        from seamline.spiff import TimerEventDefinition

        parsed = TimerEventDefinition.parse_iso_duration(text)
        return now + TimerEventDefinition.get_timedelta_from_start(parsed, now)  # type: ignore[no-any-return]
    try:
        parsed_dt = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SeamlineError(f"'{text}' is not a date, date-time or ISO-8601 duration") from exc
    return parsed_dt if parsed_dt.tzinfo else parsed_dt.replace(tzinfo=dt.UTC)


def form_of(element: ElementInfo, definition: ProcessDefinition) -> dict[str, Any] | None:
    """The element's form compiled to JSON Schema, if it draws one.

    Inline forms (``camunda:formData``, embedded JSON) come from the element itself; forms linked
    by file (SpiffArena schema files, Camunda ``.form`` files) from the definition's sources, so
    a running instance keeps the form version it was deployed with.
    """
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
    return linked_form(ext, element.file, definition.sources, element=element.id)


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
        """The queue row for one ready Spiff task.

        Every commit rebuilds the rows of all waiting tasks, so what must not move is fixed the
        first time: the creation time (from the engine's clock, which tests and the worker
        inject) is kept in the task's internal data, and durations such as ``P2D`` count from it
        rather than from whichever later commit happens to rebuild the row.

        A candidate or date expression that fails does not lose the step: the row is offered to
        administrators only and its ``note`` says what to fix.
        """
        eid = element_id(task)
        element = definition.elements.get(eid) or definition.element_for_spec(task.task_spec.name)
        ext: Mapping[str, Any] = element.extensions if element else {}
        where = f"user task '{eid}'"

        # Camunda's multi-instance variables (loopCounter, ...) are visible, the data wins.
        context = {**multi_instance_variables(task), **task.data}

        def evaluate(text: str) -> Any:
            return self.evaluator.value(text, context, where=where)

        created = self._created(task)
        lane = element.lane if element else getattr(task.task_spec, "lane", None)
        owners = task.data.get("lane_owners")
        problems: list[str] = []
        try:
            candidates = cand.candidates_from(
                flavours.assignment(ext),
                lane=lane,
                lane_groups=self.lane_groups,
                evaluate=evaluate,
                lane_owners=owners if isinstance(owners, Mapping) else None,
            )
        except SeamlineError as exc:
            # Nobody named is better than everybody: an open task would reach every queue.
            candidates = cand.Candidates(groups=(ADMIN_GROUP,))
            problems.append(f"candidates: {_one_line(exc, where)}")
        if ASSIGNEE in task.internal_data:  # a create or assignment listener reassigned it
            candidates = replace(candidates, assignee=task.internal_data[ASSIGNEE] or None)
        when = flavours.schedule(ext)
        dates = (evaluate, created, where, problems)
        due = self._date(when.due, "dueDate", *dates)
        follow = self._date(when.follow_up, "followUpDate", *dates)
        own, key = call_flow.business_key_of(task)
        note = candidates.nobody_can_take(self.directory)
        if problems:
            fix = "fix the diagram or the process data"
            if candidates.groups == (ADMIN_GROUP,) and problems[0].startswith("candidates"):
                fix = f"only administrators see it until you {fix}"
            note = f"{where}: {'; '.join(problems)}; {fix}"
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
            priority=self._priority(when.priority, evaluate),
            form=with_prefill(form_of(element, definition), context, evaluate) if element else None,
            business_key=key if own else instance.business_key,
            lane=lane,
            note=note,
        )

    def _created(self, task: Any) -> dt.datetime:
        """When the task became ready, by the engine's clock; fixed at the first build."""
        stamp = task.internal_data.get(_CREATED)
        if isinstance(stamp, str):
            try:
                return dt.datetime.fromisoformat(stamp)
            except ValueError:
                pass  # a damaged stamp: start again from now
        now = self.now()
        task.internal_data[_CREATED] = now.isoformat()
        return now

    @staticmethod
    def _priority(priority: Any, evaluate: Callable[[str], Any]) -> int:
        if priority in (None, ""):
            return 50
        try:
            return int(evaluate(str(priority)))
        except (TypeError, ValueError, SeamlineError):
            return 50

    def _date(
        self,
        raw: Any,
        what: str,
        evaluate: Callable[[str], Any],
        created: dt.datetime,
        where: str,
        problems: list[str],
    ) -> dt.datetime | None:
        """A due or follow-up date as the flavour's strategy read it, evaluated now."""
        if raw in (None, ""):
            return None
        try:
            return _as_datetime(evaluate(str(raw)), created)
        except SeamlineError as exc:
            problems.append(f"{what} {raw!r}: {_one_line(exc, where)}")
            return None


def _one_line(exc: Exception, where: str) -> str:
    """The error's first line without the task name the note already starts with."""
    text = str(exc)
    line = text.splitlines()[0] if text else type(exc).__name__
    return line.removeprefix(f"{where}: ")
