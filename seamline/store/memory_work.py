"""The worker's side of the memory store: state, events, timers, jobs, leases, messages."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from seamline.errors import StoreError
from seamline.store import base, normalize
from seamline.store.base import (
    Definition,
    Event,
    HumanTask,
    Instance,
    Job,
    JobStatus,
    Message,
    Subscription,
    Timer,
)
from seamline.store.codec import check_time


def _key_matches(wanted: str | None, stored: str | None) -> bool:
    return wanted is None or stored is None or wanted == stored


class MemoryWork:
    """The state of a memory store and the methods the worker relies on."""

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
        self._settings: dict[str, str] = {}
        self._closed = False

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("the memory store is closed", hint="open a new store")

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
        clean = [normalize.event(e) for e in events]
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
        clean = normalize.message(m)
        with self._lock:
            self._check_open()
            if m.id in self._messages:
                return False
            self._messages[m.id] = clean
            return True

    def get_setting(self, key: str) -> str | None:
        """The value stored under ``key``; None if there is none."""
        with self._lock:
            self._check_open()
            return self._settings.get(key)

    def put_setting(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``, replacing what was there."""
        with self._lock:
            self._check_open()
            self._settings[key] = value

    def forget_message(self, id: str) -> None:
        """Drop a message nobody took (a rejected one); a consumed message is kept."""
        with self._lock:
            self._check_open()
            if id not in self._consumed:
                self._messages.pop(id, None)

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
