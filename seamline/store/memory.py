"""MemoryStore: the first-class in-memory store for tests and dry runs.

It keeps the same semantics as the SQL stores, down to JSON round-tripping every data field, so
that code tested against it behaves the same against SQLite or PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

from seamline.errors import NotFound, StoreError
from seamline.store import base
from seamline.store.base import (
    ACTIVE_TASK_STATUSES,
    MIN_PREFIX,
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
from seamline.store.codec import check_time, roundtrip

_T = TypeVar("_T")


def _statuses(status: InstanceStatus | Sequence[InstanceStatus] | None) -> set[str] | None:
    if status is None:
        return None
    if isinstance(status, str):
        return {str(status)}
    return {str(s) for s in status}


def _by_prefix(kind: str, table: dict[str, _T], id: str) -> _T:
    if id in table:
        return table[id]
    matches = [key for key in table if key.startswith(id)] if len(id) >= MIN_PREFIX else []
    if not matches:
        raise base.not_found(kind, id)
    if len(matches) > 1:
        raise base.ambiguous(kind, id, matches)
    return table[matches[0]]


def _key_matches(wanted: str | None, stored: str | None) -> bool:
    return wanted is None or stored is None or wanted == stored


class MemoryStore:
    """A Store kept in process memory; thread-safe, lost when the process ends."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._definitions: dict[str, Definition] = {}
        self._instances: dict[str, Instance] = {}
        self._snapshots: dict[str, bytes] = {}
        self._tasks: dict[str, HumanTask] = {}
        self._events: list[Event] = []
        self._timers: dict[str, list[Timer]] = {}
        self._subscriptions: dict[str, list[Subscription]] = {}
        self._jobs: dict[str, Job] = {}
        self._leases: dict[str, tuple[str, datetime]] = {}
        self._messages: dict[str, Message] = {}
        self._consumed: set[str] = set()
        self._closed = False

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("the memory store is closed", hint="open a new store")

    # -- definitions -----------------------------------------------------------------------

    def put_definition(self, d: Definition) -> bool:
        """Store a definition once per hash; False if it was already stored."""
        check_time(d.created_at, f"definition {d.hash} created_at")
        with self._lock:
            self._check_open()
            if d.hash in self._definitions:
                return False
            self._definitions[d.hash] = replace(
                d, process_ids=tuple(d.process_ids), sources=dict(d.sources)
            )
            return True

    def get_definition(self, hash: str) -> Definition:
        """The definition with this content hash; NotFound otherwise."""
        with self._lock:
            self._check_open()
            if hash not in self._definitions:
                raise base.not_found("definition", hash)
            return self._definitions[hash]

    def latest_definition(self, process_id: str) -> Definition:
        """The most recently first-deployed definition containing ``process_id``."""
        with self._lock:
            self._check_open()
            for d in reversed(self._definitions.values()):
                if process_id in d.process_ids:
                    return d
        raise NotFound(
            f"no deployed definition contains process {process_id!r}",
            hint="deploy the diagram first",
        )

    def list_definitions(self) -> list[Definition]:
        """Every definition, oldest first."""
        with self._lock:
            self._check_open()
            return list(self._definitions.values())

    # -- instances -------------------------------------------------------------------------

    def get_instance(self, id: str) -> Instance:
        """An instance by id or unique id prefix."""
        with self._lock:
            self._check_open()
            return _by_prefix("instance", self._instances, id)

    def load_snapshot(self, id: str) -> tuple[Instance, bytes]:
        """The instance and the snapshot committed with its current version."""
        with self._lock:
            instance = self.get_instance(id)
            return instance, self._snapshots[instance.id]

    def list_instances(
        self,
        *,
        status: InstanceStatus | Sequence[InstanceStatus] | None = None,
        process_id: str | None = None,
        limit: int = 100,
    ) -> list[Instance]:
        """Instances, most recently updated first."""
        wanted = _statuses(status)
        with self._lock:
            self._check_open()
            rows = [
                i
                for i in self._instances.values()
                if (wanted is None or str(i.status) in wanted)
                and (process_id is None or i.process_id == process_id)
            ]
        rows.sort(key=lambda i: i.id)
        rows.sort(key=lambda i: i.updated_at, reverse=True)
        return rows[:limit]

    def commit(self, step: Commit) -> Instance:
        """Write one engine step atomically; InstanceChanged if the version moved."""
        base.check_version(step)
        inst = step.instance
        instance = base.as_stored(inst)
        tasks = [self._clean_task(t) for t in step.tasks]
        events = [self._clean_event(e) for e in step.events]
        timers = None if step.timers is None else [self._clean_timer(t) for t in step.timers]
        jobs = [self._clean_job(j) for j in step.jobs]
        with self._lock:
            self._check_open()
            current = self._instances.get(inst.id)
            if step.expected_version is None:
                if current is not None:
                    raise base.changed(inst.id, None)
            elif current is None:
                raise base.not_found("instance", inst.id)
            elif current.version != step.expected_version:
                raise base.changed(inst.id, step.expected_version)
            if step.consumed_message is not None and (
                step.consumed_message not in self._messages
                or step.consumed_message in self._consumed
            ):
                raise base.MessageTaken(
                    f"message {step.consumed_message} was consumed by another step; "
                    f"nothing was written for instance {inst.id}",
                    hint="reload the instance and correlate again",
                )
            # Every check passed: from here on nothing can fail, so the step is all-or-nothing.
            self._instances[inst.id] = instance
            self._snapshots[inst.id] = bytes(step.snapshot)
            self._apply_tasks(inst, tasks, step.completed_tasks)
            for event in events:
                self._events.append(replace(event, seq=len(self._events) + 1))
            if timers is not None:
                self._timers[inst.id] = timers
            if step.subscriptions is not None:
                self._subscriptions[inst.id] = list(step.subscriptions)
            for job in jobs:
                self._jobs[job.id] = job
            if step.consumed_message is not None:
                self._consumed.add(step.consumed_message)
            return instance

    def _apply_tasks(
        self,
        inst: Instance,
        tasks: list[HumanTask],
        completed: Sequence[tuple[str, str | None]],
    ) -> None:
        for task in tasks:
            self._tasks[task.id] = base.merge_task(self._tasks.get(task.id), task)
        keep = {t.id for t in tasks} | {task_id for task_id, _ in completed}
        for task_id, by in completed:
            if task_id in self._tasks:
                self._tasks[task_id] = replace(
                    self._tasks[task_id],
                    status=TaskStatus.COMPLETED,
                    completed_by=by,
                    completed_at=inst.updated_at,
                )
        for task in list(self._tasks.values()):
            if (
                task.instance_id == inst.id
                and task.status in ACTIVE_TASK_STATUSES
                and task.id not in keep
            ):
                self._tasks[task.id] = replace(task, status=TaskStatus.CANCELLED)

    @staticmethod
    def _clean_task(t: HumanTask) -> HumanTask:
        for name in ("created_at", "due_at", "follow_up_at", "completed_at"):
            value = getattr(t, name)
            if value is not None:
                check_time(value, f"task {t.id} {name}")
        form = None if t.form is None else roundtrip(t.form, where=f"task {t.id} form")
        return replace(
            t,
            candidate_users=tuple(t.candidate_users),
            candidate_groups=tuple(t.candidate_groups),
            form=form,
        )

    @staticmethod
    def _clean_event(e: Event) -> Event:
        check_time(e.at, f"event {e.kind} at")
        return replace(e, data=roundtrip(e.data, where=f"event {e.kind} data"), seq=None)

    @staticmethod
    def _clean_timer(t: Timer) -> Timer:
        check_time(t.due_at, f"timer {t.id} due_at")
        return replace(t, data=roundtrip(t.data, where=f"timer {t.id} data"))

    @staticmethod
    def _clean_job(j: Job) -> Job:
        check_time(j.run_at, f"job {j.id} run_at")
        if j.lease_until is not None:
            check_time(j.lease_until, f"job {j.id} lease_until")
        return replace(j, params=roundtrip(j.params, where=f"job {j.id} params"))

    # -- human tasks -----------------------------------------------------------------------

    def get_task(self, id: str) -> HumanTask:
        """A human task by id or unique id prefix."""
        with self._lock:
            self._check_open()
            return _by_prefix("task", self._tasks, id)

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
        """Tasks the user may see, or every task when ``admin``."""
        wanted = {str(s) for s in status}
        mine = set(groups)

        def visible(t: HumanTask) -> bool:
            if admin:
                return True
            if user is not None and t.assignee == user:
                return True
            return t.assignee is None and (
                (user is not None and user in t.candidate_users)
                or bool(mine.intersection(t.candidate_groups))
            )

        with self._lock:
            self._check_open()
            rows = [
                t
                for t in self._tasks.values()
                if str(t.status) in wanted
                and (instance_id is None or t.instance_id == instance_id)
                and (group is None or group in t.candidate_groups)
                and (overdue_at is None or (t.due_at is not None and t.due_at < overdue_at))
                and visible(t)
            ]
        rows.sort(key=lambda t: (-t.priority, t.created_at, t.id))
        return rows[:limit]

    def claim_task(self, id: str, user: str, *, expected_assignee: str | None) -> HumanTask:
        """Give the task to ``user`` if its assignee is still ``expected_assignee``."""
        with self._lock:
            task = self.get_task(id)
            if task.status not in ACTIVE_TASK_STATUSES:
                raise base.task_changed(task.id, f"is {task.status}")
            if task.assignee != expected_assignee:
                raise base.task_changed(task.id, f"is now assigned to {task.assignee or 'nobody'}")
            claimed = replace(task, status=TaskStatus.CLAIMED, assignee=user)
            self._tasks[task.id] = claimed
            return claimed

    def set_assignee(self, id: str, user: str | None) -> HumanTask:
        """Assign an open or claimed task to ``user``, or give it back to the queue (None)."""
        with self._lock:
            task = self.get_task(id)
            if task.status not in ACTIVE_TASK_STATUSES:
                raise base.task_changed(task.id, f"is {task.status}")
            status = TaskStatus.OPEN if user is None else TaskStatus.CLAIMED
            updated = replace(task, status=status, assignee=user)
            self._tasks[task.id] = updated
            return updated

    # -- events ----------------------------------------------------------------------------

    def list_events(self, instance_id: str, *, after_seq: int = 0) -> list[Event]:
        """The instance's events after ``after_seq``, in seq order."""
        with self._lock:
            self._check_open()
            return [
                e
                for e in self._events[after_seq:]
                if e.instance_id == instance_id and (e.seq or 0) > after_seq
            ]

    def append_events(self, events: Sequence[Event]) -> None:
        """Append events outside an engine step."""
        clean = [self._clean_event(e) for e in events]
        with self._lock:
            self._check_open()
            for e in clean:
                if e.instance_id not in self._instances:
                    raise base.not_found("instance", e.instance_id)
            for e in clean:
                self._events.append(replace(e, seq=len(self._events) + 1))

    # -- timers, jobs, leases, messages ----------------------------------------------------

    def due_timers(self, now: datetime, limit: int = 100) -> list[Timer]:
        """Timers due at or before ``now``, earliest first."""
        with self._lock:
            self._check_open()
            rows = [t for ts in self._timers.values() for t in ts if t.due_at <= now]
        rows.sort(key=lambda t: (t.due_at, t.id))
        return rows[:limit]

    def next_timer_due(self) -> datetime | None:
        """When the earliest timer falls due; None without timers."""
        with self._lock:
            self._check_open()
            return min((t.due_at for ts in self._timers.values() for t in ts), default=None)

    @staticmethod
    def _runnable(j: Job, now: datetime) -> bool:
        if j.status is JobStatus.PENDING:
            return j.run_at <= now
        return j.status is JobStatus.RUNNING and (j.lease_until is None or j.lease_until <= now)

    def runnable_jobs(self, now: datetime, limit: int = 100) -> list[Job]:
        """Pending jobs due by ``now`` and running jobs whose lease ran out, earliest first."""
        with self._lock:
            self._check_open()
            rows = [j for j in self._jobs.values() if self._runnable(j, now)]
        rows.sort(key=lambda j: (j.run_at, j.id))
        return rows[:limit]

    def lease_job(self, id: str, owner: str, until: datetime, now: datetime) -> Job | None:
        """Mark a runnable job RUNNING for ``owner``; None if it is not runnable."""
        check_time(until, f"job {id} lease_until")
        with self._lock:
            self._check_open()
            job = self._jobs.get(id)
            if job is None:
                raise base.not_found("job", id)
            if not self._runnable(job, now):
                return None
            leased = replace(job, status=JobStatus.RUNNING, lease_owner=owner, lease_until=until)
            self._jobs[id] = leased
            return leased

    def acquire_lease(self, instance_id: str, owner: str, until: datetime, now: datetime) -> bool:
        """Take or extend the lease on an instance; False if another owner holds it."""
        check_time(until, f"lease on {instance_id}")
        with self._lock:
            self._check_open()
            held = self._leases.get(instance_id)
            if held is not None and held[0] != owner and held[1] > now:
                return False
            self._leases[instance_id] = (owner, until)
            return True

    def release_lease(self, instance_id: str, owner: str) -> None:
        """Drop ``owner``'s lease on the instance; harmless if it holds none."""
        with self._lock:
            self._check_open()
            held = self._leases.get(instance_id)
            if held is not None and held[0] == owner:
                del self._leases[instance_id]

    def put_message(self, m: Message) -> bool:
        """Buffer a message; False if its id is already known."""
        check_time(m.received_at, f"message {m.id} received_at")
        if m.expires_at is not None:
            check_time(m.expires_at, f"message {m.id} expires_at")
        clean = replace(m, data=roundtrip(m.data, where=f"message {m.id} data"))
        with self._lock:
            self._check_open()
            if m.id in self._messages:
                return False
            self._messages[m.id] = clean
            return True

    def take_message(self, name: str, correlation_key: str | None, now: datetime) -> Message | None:
        """The oldest unexpired matching message, left in place until a commit consumes it."""
        with self._lock:
            self._check_open()
            rows = [
                m
                for m in self._messages.values()
                if m.id not in self._consumed
                and m.name == name
                and _key_matches(correlation_key, m.correlation_key)
                and (m.expires_at is None or m.expires_at > now)
            ]
        rows.sort(key=lambda m: (m.received_at, m.id))
        return rows[0] if rows else None

    def find_subscriptions(
        self, kind: str, name: str, correlation_key: str | None
    ) -> list[Subscription]:
        """Subscriptions a message or signal with this name and key would reach."""
        with self._lock:
            self._check_open()
            rows = [
                s
                for subs in self._subscriptions.values()
                for s in subs
                if s.kind == kind
                and s.name == name
                and _key_matches(correlation_key, s.correlation_key)
            ]
        rows.sort(key=lambda s: (s.instance_id, s.element_id))
        return rows

    def close(self) -> None:
        """Forget everything; the store is unusable afterwards."""
        with self._lock:
            self._closed = True
