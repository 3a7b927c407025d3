"""Connector calls an instance has under way: in flight under a lease, or waiting to retry.

A call in flight holds its job under a lease (the call's timeout plus a margin). If the process
making it dies, nothing else touches the task until the lease runs out; then the next worker
round (or ``resume``) makes the call again with the same idempotency key. Without saying so,
such an instance just looks "running"; :func:`under_way` says which call, since when and
until when.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from seamline.engine import projections as proj
from seamline.store.records import JobStatus


def _when(text: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if isinstance(text, str) and text else None


@dataclass(frozen=True)
class Call:
    """One connector call of an instance that has not finished."""

    task: str
    element: str
    connector: str
    attempt: int
    #: ``running`` (made, its lease holding) or ``pending`` (due at ``run_at``).
    status: str
    started_at: dt.datetime | None
    lease_until: dt.datetime | None
    run_at: dt.datetime | None
    last_error: str | None

    def to_json(self) -> dict[str, Any]:
        """The shape of one entry of ``"calls"`` in ``seamline show --json``."""
        return {
            "task": self.task,
            "element": self.element,
            "connector": self.connector,
            "attempt": self.attempt,
            "status": self.status,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "lease_until": self.lease_until.isoformat() if self.lease_until else None,
            "run_at": self.run_at.isoformat() if self.run_at else None,
            "last_error": self.last_error,
        }

    def describe(self, now: dt.datetime) -> str:
        """One line for people: what is under way and what happens next."""
        what = f"{self.element}: connector '{self.connector}' call, attempt {self.attempt}"
        if self.status == JobStatus.RUNNING.value:
            since = f" since {_clock(self.started_at)}" if self.started_at else ""
            if self.lease_until is None:
                return f"{what}, in flight{since}"
            if self.lease_until > now:
                return (
                    f"{what}, in flight{since}; its lease holds until"
                    f" {_clock(self.lease_until)} UTC: if no result came by then, the next"
                    " worker round (or resume) makes it again with the same idempotency key"
                )
            return (
                f"{what}, in flight{since}; its lease ran out at {_clock(self.lease_until)} UTC:"
                " the next worker round or resume makes it again"
            )
        due = f" at {_clock(self.run_at)} UTC" if self.run_at and self.run_at > now else " now"
        error = f" (last error: {self.last_error})" if self.last_error else ""
        return f"{what}, due{due}{error}"


def _clock(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else "?"


def under_way(workflow: Any) -> list[Call]:
    """The connector calls of ``workflow`` that are running or pending, in task order."""
    found: list[Call] = []
    live = (JobStatus.RUNNING.value, JobStatus.PENDING.value)
    for task in proj.connector_tasks(workflow):
        state = task.internal_data.get("job")
        if not state or state.get("status") not in live:
            continue
        found.append(
            Call(
                task=str(task.id),
                element=proj.element_id(task),
                connector=str(state.get("connector") or "?"),
                attempt=int(state.get("attempt") or 1),
                status=str(state["status"]),
                started_at=_when(state.get("started_at")),
                lease_until=_when(state.get("lease_until")),
                run_at=_when(state.get("run_at")),
                last_error=state.get("error"),
            )
        )
    return found
