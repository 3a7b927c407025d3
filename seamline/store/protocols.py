"""The store's roles, one protocol each; :class:`seamline.store.base.Store` is all of them.

A caller that needs one kind of state types against its role, so that what it may touch is
visible in its signature and a fake for it needs only that role's methods:

- :class:`DefinitionStore`: deployed definitions and their source (BPMN, DMN, form) files.
- :class:`InstanceStore`: instances, their snapshots and versions, and the commit of an engine
  step (which writes every projection of that step in one transaction).
- :class:`TaskStore`: human tasks, the inbox query (rules in :mod:`seamline.store.inbox`),
  claims and assignments.
- :class:`EventStore`: each instance's history, read with a ``seq`` cursor.
- :class:`WorkStore`: what the worker runs: timers, connector jobs and instance leases.
- :class:`CorrelationStore`: buffered messages and the subscriptions they and signals reach.

Every backend (MemoryStore, SqliteStore, PostgresStore) implements every role, and the contract
suite (tests/contract, one file per role) runs against each.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from seamline.store.records import (
    ACTIVE_TASK_STATUSES,
    Commit,
    Definition,
    Event,
    HumanTask,
    Instance,
    InstanceStatus,
    Job,
    Message,
    Subscription,
    TaskStatus,
    Timer,
)

if TYPE_CHECKING:
    from seamline.store.inbox import InboxQuery

__all__ = [
    "CorrelationStore",
    "DefinitionStore",
    "EventStore",
    "InstanceStore",
    "SettingStore",
    "TaskStore",
    "WorkStore",
]


@runtime_checkable
class DefinitionStore(Protocol):
    """Deployed definitions, stored once per content hash with their source files."""

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


@runtime_checkable
class InstanceStore(Protocol):
    """Instances, the snapshot of their current version, and the commit of an engine step."""

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


@runtime_checkable
class TaskStore(Protocol):
    """Human tasks: lookups, the inbox, claims and assignments."""

    def get_task(self, id: str) -> HumanTask:
        """A human task by id or unique id prefix."""
        ...

    def inbox(self, query: InboxQuery) -> list[HumanTask]:
        """The tasks ``query`` may see under the inbox rules; highest priority, oldest first."""
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


@runtime_checkable
class EventStore(Protocol):
    """Each instance's history, in ``seq`` order; ``seq`` is the reader's cursor."""

    def list_events(self, instance_id: str, *, after_seq: int = 0) -> list[Event]:
        """The instance's events with seq greater than ``after_seq``, in seq order."""
        ...

    def append_events(self, events: Sequence[Event]) -> None:
        """Append events outside an engine step (e.g. a refused claim)."""
        ...


@runtime_checkable
class WorkStore(Protocol):
    """What the worker runs: due timers, connector jobs and their leases, instance leases."""

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


@runtime_checkable
class CorrelationStore(Protocol):
    """Buffered messages and the subscriptions messages and signals are routed to.

    Correlation keys: ``None`` is a wildcard. ``take_message(name, None, …)`` takes a message of
    that name whatever its key, and ``find_subscriptions(kind, name, "K")`` returns
    subscriptions keyed "K" plus those with no key.
    """

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


@runtime_checkable
class SettingStore(Protocol):
    """Named values a database keeps about itself (its test clock, for one)."""

    def get_setting(self, key: str) -> str | None:
        """The value stored under ``key``; None if there is none."""
        ...

    def put_setting(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``, replacing what was there."""
        ...
