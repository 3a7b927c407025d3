"""The records an engine step works with: the step itself, and the view it returns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from seamline import jsondata
from seamline.bpmn.definition import ProcessDefinition
from seamline.engine import projections as proj
from seamline.engine.calls import Call
from seamline.store.records import Event, HumanTask, Instance, InstanceStatus, Job

Clock = Callable[[], dt.datetime]

#: Statuses an instance never leaves.
FINAL = (InstanceStatus.COMPLETED, InstanceStatus.CANCELLED, InstanceStatus.FAILED)


def utcnow() -> dt.datetime:
    """The default clock."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class InstanceView:
    """An instance as the CLI and API show it: record, what it waits for, its data."""

    instance: Instance
    waiting: tuple[proj.Wait, ...]
    history: tuple[Event, ...] | None = None
    #: Connector calls in flight or due to be retried (``show`` fills it in).
    calls: tuple[Call, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The documented --json shape of run/show/complete/resume/cancel."""
        out: dict[str, Any] = {
            "instance": self.instance.id,
            "process": self.instance.process_id,
            "status": self.instance.status.value,
            "waiting": [w.to_json() for w in self.waiting],
            "data": dict(self.instance.data),
        }
        if self.instance.error:
            out["error"] = self.instance.error
        if self.instance.business_key:
            out["business_key"] = self.instance.business_key
        if self.calls:
            out["calls"] = [c.to_json() for c in self.calls]
        if self.history is not None:
            out["history"] = [
                {
                    "step": step,
                    "seq": e.seq,
                    "at": e.at.isoformat(),
                    "kind": e.kind,
                    "actor": e.actor,
                    "element": e.element_id,
                    "data": dict(e.data),
                }
                for step, e in enumerate(self.history, start=1)
            ]
        # Event details come from connectors and scripts too: the output stays strict JSON.
        shown: dict[str, Any] = jsondata.finite(out)
        return shown


@dataclass
class Step:
    """The working state of one engine step, up to its commit."""

    instance: Instance
    expected_version: int | None
    definition: ProcessDefinition
    workflow: Any
    actor: str | None
    now: dt.datetime
    events: list[Event] = field(default_factory=list)
    completed: list[tuple[str, str | None]] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    error: str | None = None
    consumed_message: str | None = None
    #: Events and gateways passed in this step, by element id (recorded once at the commit).
    passed: dict[str, int] = field(default_factory=dict)
    #: The process data to record when the workflow can no longer say it (a cancelled one).
    final_data: dict[str, Any] | None = None
    #: Variables changed in this step and not yet shown to conditional events, per process
    #: instance (None: this one; a call activity's task id: the process it called): name ->
    #: (kinds of change: create/update/delete, new value). See :mod:`seamline.engine.conditions`.
    changes: dict[Any, dict[str, tuple[set[str], Any]]] = field(default_factory=dict)
    #: Whether the process has conditional events (worked out on first use).
    watch: bool | None = None

    def event(self, kind: str, element: str | None = None, **data: Any) -> None:
        """Record an event of this step, after the events and gateways passed before it."""
        if self.passed and kind != "passed":
            self.events.append(
                Event(
                    self.instance.id,
                    "passed",
                    self.now,
                    self.actor,
                    None,
                    {"elements": dict(self.passed)},
                )
            )
            self.passed.clear()
        self.events.append(Event(self.instance.id, kind, self.now, self.actor, element, dict(data)))


def task_json(t: HumanTask) -> dict[str, Any]:
    """The documented JSON shape of one task (CLI --json, web API)."""
    return {
        "task": t.id,
        "instance": t.instance_id,
        "process": t.process_id,
        "element": t.element_id,
        "name": t.name,
        "status": t.status.value,
        "assignee": t.assignee,
        "candidate_users": list(t.candidate_users),
        "candidate_groups": list(t.candidate_groups),
        "lane": t.lane,
        "priority": t.priority,
        "created": t.created_at,
        "due": t.due_at,
        "follow_up": t.follow_up_at,
        "business_key": t.business_key,
        "form": dict(t.form) if t.form else None,
        "prefill": dict(t.form.get("x-prefill") or {}) if t.form else {},
        "note": t.note,
    }
