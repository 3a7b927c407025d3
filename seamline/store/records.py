"""The records a store keeps: frozen dataclasses with Enum statuses.

Every timestamp is a timezone-aware UTC ``datetime``; the stores refuse naive ones so that a
comparison between a due date and "now" can never silently mix zones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class InstanceStatus(StrEnum):
    """Where a process instance stands."""

    RUNNING = "running"
    WAITING = "waiting"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    INCIDENT = "incident"


class TaskStatus(StrEnum):
    """Where a human task stands."""

    OPEN = "open"
    CLAIMED = "claimed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class JobStatus(StrEnum):
    """Where a connector job stands."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


#: Statuses an instance never leaves.
FINAL_STATUSES: tuple[InstanceStatus, ...] = (
    InstanceStatus.COMPLETED,
    InstanceStatus.CANCELLED,
    InstanceStatus.FAILED,
)

#: Task statuses a person can still act on.
ACTIVE_TASK_STATUSES: tuple[TaskStatus, ...] = (TaskStatus.OPEN, TaskStatus.CLAIMED)


@dataclass(frozen=True)
class Definition:
    """A deployed set of diagram files, stored once per content hash."""

    hash: str
    process_ids: tuple[str, ...]
    name: str | None
    flavour: str
    sources: Mapping[str, bytes]
    created_at: datetime


@dataclass(frozen=True)
class Instance:
    """One process instance; ``data`` is a JSON summary of its process data."""

    id: str
    process_id: str
    definition_hash: str
    business_key: str | None
    status: InstanceStatus
    version: int
    data: Mapping[str, Any]
    created_at: datetime
    updated_at: datetime
    error: str | None = None
    parent_id: str | None = None


@dataclass(frozen=True)
class HumanTask:
    """A user task waiting in a work queue; ``note`` says e.g. why nobody can take it."""

    id: str
    instance_id: str
    process_id: str
    element_id: str
    name: str | None
    status: TaskStatus
    candidate_users: tuple[str, ...]
    candidate_groups: tuple[str, ...]
    assignee: str | None
    created_at: datetime
    due_at: datetime | None
    follow_up_at: datetime | None
    priority: int
    form: Mapping[str, Any] | None
    business_key: str | None
    lane: str | None
    completed_by: str | None = None
    completed_at: datetime | None = None
    note: str | None = None


@dataclass(frozen=True)
class Event:
    """One entry of an instance's append-only history; ``seq`` is assigned by the store."""

    instance_id: str
    kind: str
    at: datetime
    actor: str | None
    element_id: str | None
    data: Mapping[str, Any] = field(default_factory=dict)
    seq: int | None = None


@dataclass(frozen=True)
class Timer:
    """A timer event waiting to fall due."""

    id: str
    instance_id: str
    element_id: str
    due_at: datetime
    kind: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Job:
    """A connector call to make (or being made) on behalf of a service task."""

    id: str
    instance_id: str
    element_id: str
    task_id: str
    connector: str
    idempotency_key: str
    attempt: int
    status: JobStatus
    run_at: datetime
    params: Mapping[str, Any]
    lease_owner: str | None = None
    lease_until: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True)
class Subscription:
    """An instance waiting for a message or a signal; ``kind`` is "message" or "signal"."""

    instance_id: str
    element_id: str
    kind: str
    name: str
    correlation_key: str | None


@dataclass(frozen=True)
class Message:
    """A message received before (or without) an instance waiting for it."""

    id: str
    name: str
    correlation_key: str | None
    data: Mapping[str, Any]
    received_at: datetime
    expires_at: datetime | None = None


@dataclass(frozen=True)
class Commit:
    """Everything one engine step writes, in one transaction guarded by the instance version.

    ``instance.version`` must be ``expected_version + 1``, or 1 when ``expected_version`` is None
    (which creates the instance). ``tasks`` are upserted, except that a claim survives an engine
    upsert of the same task as OPEN; open or claimed tasks of the instance missing from ``tasks``
    become CANCELLED unless they are listed in ``completed_tasks``. ``timers`` and
    ``subscriptions`` replace the instance's own when given (None leaves them alone). ``jobs``
    are upserted by id. ``consumed_message`` is deleted, and the commit fails if another step
    consumed it first.
    """

    instance: Instance
    expected_version: int | None
    snapshot: bytes
    tasks: Sequence[HumanTask] = ()
    completed_tasks: Sequence[tuple[str, str | None]] = ()
    events: Sequence[Event] = ()
    timers: Sequence[Timer] | None = None
    subscriptions: Sequence[Subscription] | None = None
    jobs: Sequence[Job] = ()
    consumed_message: str | None = None
