"""The Store protocol every store implements, its records and its errors.

The engine, the worker, the humans layer and the CLI talk to state only through this protocol,
and one contract suite (tests/contract/test_store.py) runs against every implementation.

Correlation keys: ``None`` is a wildcard. ``take_message(name, None, …)`` takes a message of
that name whatever its key, and ``find_subscriptions(kind, name, "K")`` returns subscriptions
keyed "K" plus those with no key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Protocol, runtime_checkable

from seamline.errors import (
    AmbiguousId,
    InstanceChanged,
    MessageTaken,
    NotFound,
    StoreError,
    TaskChanged,
)
from seamline.store.records import (
    ACTIVE_TASK_STATUSES,
    Commit,
    Definition,
    Event,
    HumanTask,
    Instance,
    InstanceStatus,
    Job,
    JobStatus,
    Message,
    Subscription,
    TaskStatus,
    Timer,
)

__all__ = [
    "ACTIVE_TASK_STATUSES",
    "MIN_PREFIX",
    "AmbiguousId",
    "Commit",
    "Definition",
    "Event",
    "HumanTask",
    "Instance",
    "InstanceStatus",
    "Job",
    "JobStatus",
    "Message",
    "MessageTaken",
    "Store",
    "Subscription",
    "TaskChanged",
    "TaskStatus",
    "Timer",
]

#: Shortest id prefix accepted where a full instance or task id is expected.
MIN_PREFIX = 6


@runtime_checkable
class Store(Protocol):
    """Where instances, their snapshots and their queryable projections live."""

    def put_definition(self, d: Definition) -> bool:
        """Store a definition once per hash; False if it was already stored."""
        ...

    def get_definition(self, hash: str) -> Definition:
        """The definition with this content hash; NotFound otherwise."""
        ...

    def latest_definition(self, process_id: str) -> Definition:
        """The most recently first-deployed definition containing ``process_id``; NotFound."""
        ...

    def list_definitions(self) -> list[Definition]:
        """Every definition, oldest first."""
        ...

    def get_instance(self, id: str) -> Instance:
        """An instance by id or unique id prefix (at least MIN_PREFIX characters)."""
        ...

    def load_snapshot(self, id: str) -> tuple[Instance, bytes]:
        """The instance and the snapshot committed with its current version."""
        ...

    def list_instances(
        self,
        *,
        status: InstanceStatus | Sequence[InstanceStatus] | None = None,
        process_id: str | None = None,
        limit: int = 100,
    ) -> list[Instance]:
        """Instances, most recently updated first."""
        ...

    def commit(self, step: Commit) -> Instance:
        """Write one engine step in one transaction; InstanceChanged if the version moved."""
        ...

    def get_task(self, id: str) -> HumanTask:
        """A human task by id or unique id prefix."""
        ...

    def list_tasks(
        self,
        *,
        user: str | None = None,
        groups: Sequence[str] = (),
        status: Sequence[TaskStatus] = ACTIVE_TASK_STATUSES,
        instance_id: str | None = None,
        group: str | None = None,
        overdue_at: datetime | None = None,
        admin: bool = False,
        limit: int = 100,
    ) -> list[HumanTask]:
        """Tasks a user may see (assigned to them, or unassigned and offered to them or to one
        of their groups); every task when ``admin``. Highest priority, then oldest, first."""
        ...

    def claim_task(
        self,
        id: str,
        user: str,
        *,
        expected_assignee: str | None,
        events: Sequence[Event] = (),
    ) -> HumanTask:
        """Conditional update: give the task to ``user`` only if its assignee is still
        ``expected_assignee``; TaskChanged otherwise. ``events`` are appended atomically."""
        ...

    def set_assignee(self, id: str, user: str | None, *, events: Sequence[Event] = ()) -> HumanTask:
        """Assign a task to ``user``, or back to the queue (None). ``events`` go in atomically."""
        ...

    def list_events(self, instance_id: str, *, after_seq: int = 0) -> list[Event]:
        """The instance's events with seq greater than ``after_seq``, in seq order."""
        ...

    def append_events(self, events: Sequence[Event]) -> None:
        """Append events outside an engine step (e.g. a refused claim)."""
        ...

    def due_timers(self, now: datetime, limit: int = 100) -> list[Timer]:
        """Timers due at or before ``now``, earliest first."""
        ...

    def next_timer_due(self) -> datetime | None:
        """When the earliest timer falls due; None without timers."""
        ...

    def runnable_jobs(self, now: datetime, limit: int = 100) -> list[Job]:
        """Pending jobs due by ``now`` and running jobs whose lease ran out, earliest first."""
        ...

    def lease_job(self, id: str, owner: str, until: datetime, now: datetime) -> Job | None:
        """Mark a runnable job RUNNING for ``owner`` until ``until``; None if it is not runnable."""
        ...

    def acquire_lease(self, instance_id: str, owner: str, until: datetime, now: datetime) -> bool:
        """Take (or extend) the lease on an instance; False if another owner holds it."""
        ...

    def release_lease(self, instance_id: str, owner: str) -> None:
        """Drop ``owner``'s lease on the instance; harmless if it holds none."""
        ...

    def put_message(self, m: Message) -> bool:
        """Buffer a message; False if its id is already known (a resend is harmless)."""
        ...

    def forget_message(self, id: str) -> None:
        """Drop a message that was not consumed, so that the same id can be sent again."""
        ...

    def take_message(self, name: str, correlation_key: str | None, now: datetime) -> Message | None:
        """The oldest unexpired matching message, left in place until a commit consumes it."""
        ...

    def find_subscriptions(
        self, kind: str, name: str, correlation_key: str | None
    ) -> list[Subscription]:
        """Subscriptions a message or signal with this name and key would reach."""
        ...

    def close(self) -> None:
        """Release connections; the store is unusable afterwards."""
        ...


def changed(instance_id: str, version: int | None) -> InstanceChanged:
    """The error a commit raises when the stored version moved."""
    if version is None:
        text = f"instance {instance_id} already exists; nothing was written"
    else:
        text = (
            f"instance {instance_id} changed since it was loaded (version {version}); "
            "nothing was written"
        )
    err = InstanceChanged(text, hint="reload the instance and try again")
    err.context["instance_id"] = instance_id
    return err


def task_changed(task_id: str, why: str) -> TaskChanged:
    """The error a refused claim or assignment raises."""
    err = TaskChanged(f"task {task_id} {why}; nothing was written", hint="reload the task")
    err.context["task_id"] = task_id
    return err


def not_found(kind: str, id: str) -> NotFound:
    """The error a lookup by id raises."""
    return NotFound(f"no {kind} with id {id!r}", hint=f"list the {kind}s to find its id")


def ambiguous(kind: str, prefix: str, matches: Sequence[str]) -> AmbiguousId:
    """The error a lookup by an ambiguous prefix raises."""
    shown = ", ".join(sorted(matches)[:3])
    return AmbiguousId(
        f"{kind} id prefix {prefix!r} matches several {kind}s ({shown})",
        hint="give more characters of the id",
    )


def check_version(step: Commit) -> None:
    """Refuse a commit whose new version does not follow the expected one."""
    want = 1 if step.expected_version is None else step.expected_version + 1
    if step.instance.version != want:
        raise StoreError(
            f"instance {step.instance.id}: commit carries version {step.instance.version}, "
            f"expected {want}",
            hint="set the new version to the loaded version + 1",
        )


def merge_task(old: HumanTask | None, new: HumanTask) -> HumanTask:
    """An engine upsert of ``new`` over ``old``: a person's claim survives an OPEN upsert."""
    if old is not None and old.status is TaskStatus.CLAIMED and new.status is TaskStatus.OPEN:
        return replace(new, status=old.status, assignee=old.assignee)
    return new
