"""The Store protocol every store implements, its records and its errors.

The engine, the worker, the humans layer and the CLI talk to state only through the role
protocols of :mod:`seamline.store.protocols`; ``Store`` is all of them at once. One contract
suite (tests/contract, one file per role) runs against every implementation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol, runtime_checkable

from seamline.errors import (
    AmbiguousId,
    InstanceChanged,
    MessageTaken,
    NotFound,
    StoreError,
    TaskChanged,
)
from seamline.store.protocols import (
    CorrelationStore,
    DefinitionStore,
    EventStore,
    InstanceStore,
    SettingStore,
    TaskStore,
    WorkStore,
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
class Store(
    DefinitionStore,
    InstanceStore,
    TaskStore,
    EventStore,
    WorkStore,
    CorrelationStore,
    SettingStore,
    Protocol,
):
    """Where instances, their snapshots and their queryable projections live: every role of
    :mod:`seamline.store.protocols` in one object, as each backend provides them."""

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
