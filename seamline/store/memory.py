"""MemoryStore: the first-class in-memory store for tests and dry runs.

It keeps the same semantics as the SQL stores, down to JSON round-tripping every data field, so
that code tested against it behaves the same against SQLite or PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from seamline.errors import MessageTaken, NotFound, StoreError
from seamline.store import base, inbox, normalize
from seamline.store.base import (
    ACTIVE_TASK_STATUSES,
    MIN_PREFIX,
    Commit,
    Definition,
    Event,
    HumanTask,
    Instance,
    InstanceStatus,
    TaskStatus,
)
from seamline.store.inbox import InboxQuery
from seamline.store.memory_work import MemoryWork
from seamline.store.records import FINAL_STATUSES, JobStatus

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


class MemoryStore(inbox.KeywordInbox, MemoryWork):
    """A Store kept in process memory; thread-safe, lost when the process ends."""

    # -- definitions -----------------------------------------------------------------------

    def put_definition(self, d: Definition) -> bool:
        """Store a definition once per hash; False if it was already stored."""
        clean = normalize.definition(d)
        with self._lock:
            self._check_open()
            if d.hash in self._definitions:
                return False
            self._definitions[d.hash] = clean
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
        instance = normalize.instance(inst)
        tasks = [normalize.task(t) for t in step.tasks]
        events = [normalize.event(e) for e in step.events]
        timers = None if step.timers is None else [normalize.timer(t) for t in step.timers]
        subscriptions = None if step.subscriptions is None else list(step.subscriptions)
        jobs = [normalize.job(j) for j in step.jobs]
        owners = {x.instance_id for x in [*tasks, *events, *(timers or ()), *jobs]}
        owners |= {s.instance_id for s in subscriptions or ()}
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
                raise MessageTaken(
                    f"message {step.consumed_message} was consumed by another step; "
                    f"nothing was written for instance {inst.id}",
                    hint="reload the instance and correlate again",
                )
            unknown = sorted(owners - {inst.id} - set(self._instances))
            if unknown:
                raise StoreError(
                    f"instance {inst.id}: the step refers to unknown instance {unknown[0]}; "
                    "nothing was written",
                    hint="write tasks, events, timers and jobs of existing instances only",
                )
            # Every check passed: from here on nothing can fail, so the step is all-or-nothing.
            self._instances[inst.id] = instance
            self._snapshots[inst.id] = bytes(step.snapshot)
            self._apply_tasks(instance, tasks, step.completed_tasks)
            for event in events:
                self._events.append(replace(event, seq=len(self._events) + 1))
            if timers is not None:
                self._timers[inst.id] = timers
            if subscriptions is not None:
                self._subscriptions[inst.id] = subscriptions
            for job in jobs:
                self._jobs[job.id] = job
            if inst.status in FINAL_STATUSES:
                # A finished instance has nothing left to call: no job of it may stay runnable.
                for job in list(self._jobs.values()):
                    live = job.status in (JobStatus.PENDING, JobStatus.RUNNING)
                    if job.instance_id == inst.id and live:
                        self._jobs[job.id] = replace(
                            job, status=JobStatus.DONE, lease_owner=None, lease_until=None
                        )
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

    # -- human tasks -----------------------------------------------------------------------

    def get_task(self, id: str) -> HumanTask:
        """A human task by id or unique id prefix."""
        with self._lock:
            self._check_open()
            return _by_prefix("task", self._tasks, id)

    def inbox(self, query: InboxQuery) -> list[HumanTask]:
        """The tasks ``query`` may see under the inbox rules; highest priority, oldest first."""
        with self._lock:
            self._check_open()
            rows = [t for t in self._tasks.values() if inbox.matches(query, t)]
        rows.sort(key=inbox.sort_key)
        return rows[: query.limit]

    def claim_task(
        self,
        id: str,
        user: str,
        *,
        expected_assignee: str | None,
        events: Sequence[Event] = (),
    ) -> HumanTask:
        """Give the task to ``user`` if its assignee is still ``expected_assignee``; ``events``
        are appended in the same transaction."""
        with self._lock:
            task = self.get_task(id)
            if task.status not in ACTIVE_TASK_STATUSES:
                raise base.task_changed(task.id, f"is {task.status}")
            if task.assignee != expected_assignee:
                raise base.task_changed(task.id, f"is now assigned to {task.assignee or 'nobody'}")
            claimed = replace(task, status=TaskStatus.CLAIMED, assignee=user)
            self.append_events(events)
            self._tasks[task.id] = claimed
            return claimed

    def set_assignee(self, id: str, user: str | None, *, events: Sequence[Event] = ()) -> HumanTask:
        """Assign an open or claimed task to ``user``, or give it back to the queue (None);
        ``events`` are appended in the same transaction."""
        with self._lock:
            task = self.get_task(id)
            if task.status not in ACTIVE_TASK_STATUSES:
                raise base.task_changed(task.id, f"is {task.status}")
            status = TaskStatus.OPEN if user is None else TaskStatus.CLAIMED
            updated = replace(task, status=status, assignee=user)
            self.append_events(events)
            self._tasks[task.id] = updated
            return updated

    def close(self) -> None:
        """Forget everything; the store is unusable afterwards."""
        with self._lock:
            self._closed = True

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
