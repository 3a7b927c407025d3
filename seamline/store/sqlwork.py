"""The worker's side of the SQL stores: events, timers, subscriptions, jobs, leases, messages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from seamline.store import base, sqlrows
from seamline.store.base import Commit, Event, Job, Message, Subscription, Timer
from seamline.store.codec import dumps
from seamline.store.records import FINAL_STATUSES
from seamline.store.sql import SqlBase


class SqlWork(SqlBase):
    """Events, schedules and messages in shared SQL."""

    # -- writes that are part of a commit --------------------------------------------------

    def insert_events(self, cur: Any, events: Sequence[Event]) -> None:
        """Append events inside the caller's transaction; the database assigns ``seq``.

        One batched statement: a step through a long loop records thousands of events.
        """
        rows = [
            (
                e.instance_id,
                e.kind,
                self.encode_time(e.at, f"event {e.kind} at"),
                e.actor,
                e.element_id,
                dumps(e.data, where=f"event {e.kind} data"),
            )
            for e in events
        ]
        if rows:
            self.run_many(cur, "insert_event", rows)

    def write_schedule(self, cur: Any, step: Commit) -> None:
        """Replace timers and subscriptions (when given) and upsert jobs of a commit."""
        instance_id = step.instance.id
        if step.timers is not None:
            self.run(cur, "delete_timers", (instance_id,))
            for t in step.timers:
                self.run(
                    cur,
                    "insert_timer",
                    (
                        t.id,
                        t.instance_id,
                        t.element_id,
                        self.encode_time(t.due_at, f"timer {t.id} due_at"),
                        t.kind,
                        dumps(t.data, where=f"timer {t.id} data"),
                    ),
                )
        if step.subscriptions is not None:
            self.run(cur, "delete_subscriptions", (instance_id,))
            for s in step.subscriptions:
                self.run(
                    cur,
                    "insert_subscription",
                    (s.instance_id, s.element_id, s.kind, s.name, s.correlation_key),
                )
        for j in step.jobs:
            self.run(
                cur,
                "upsert_job",
                (
                    j.id,
                    j.instance_id,
                    j.element_id,
                    j.task_id,
                    j.connector,
                    j.idempotency_key,
                    j.attempt,
                    str(j.status),
                    self.encode_time(j.run_at, f"job {j.id} run_at"),
                    dumps(j.params, where=f"job {j.id} params"),
                    j.lease_owner,
                    self.t(j.lease_until, f"job {j.id} lease_until"),
                    j.last_error,
                ),
            )
        if step.instance.status in FINAL_STATUSES:
            # A finished instance has nothing left to call: no job of it may stay runnable.
            self.run(cur, "close_jobs", (instance_id,))

    # -- events ----------------------------------------------------------------------------

    def list_events(self, instance_id: str, *, after_seq: int = 0) -> list[Event]:
        """The instance's events after ``after_seq``, in seq order."""
        with self.transaction(write=False) as cur:
            rows = self.run(cur, "list_events", (instance_id, after_seq)).fetchall()
        return [sqlrows.event(r, self.decode_time) for r in rows]

    def append_events(self, events: Sequence[Event]) -> None:
        """Append events outside an engine step."""
        with self.transaction() as cur:
            for instance_id in dict.fromkeys(e.instance_id for e in events):
                if self.one(cur, "instance_exists", (instance_id,)) is None:
                    raise base.not_found("instance", instance_id)
            self.insert_events(cur, events)

    # -- timers and subscriptions ----------------------------------------------------------

    def due_timers(self, now: datetime, limit: int = 100) -> list[Timer]:
        """Timers due at or before ``now``, earliest first."""
        with self.transaction(write=False) as cur:
            rows = self.run(cur, "due_timers", (self.encode_time(now, "now"), limit)).fetchall()
        return [sqlrows.timer(r, self.decode_time) for r in rows]

    def next_timer_due(self) -> datetime | None:
        """When the earliest timer falls due; None without timers."""
        with self.transaction(write=False) as cur:
            row = self.one(cur, "next_timer_due")
        if row is None or row[0] is None:
            return None
        return self.decode_time(row[0], "timers", "MIN(due_at)")

    def find_subscriptions(
        self, kind: str, name: str, correlation_key: str | None
    ) -> list[Subscription]:
        """Subscriptions a message or signal with this name and key would reach."""
        with self.transaction(write=False) as cur:
            if correlation_key is None:
                rows = self.run(cur, "find_subscriptions_any_key", (kind, name)).fetchall()
            else:
                rows = self.run(
                    cur, "find_subscriptions_key", (kind, name, correlation_key)
                ).fetchall()
        return [sqlrows.subscription(r) for r in rows]

    # -- jobs and leases -------------------------------------------------------------------

    def runnable_jobs(self, now: datetime, limit: int = 100) -> list[Job]:
        """Pending jobs due by ``now`` and running jobs whose lease ran out, earliest first."""
        at = self.encode_time(now, "now")
        with self.transaction(write=False) as cur:
            rows = self.run(cur, "runnable_jobs", (at, at, limit)).fetchall()
        return [sqlrows.job(r, self.decode_time) for r in rows]

    def lease_job(self, id: str, owner: str, until: datetime, now: datetime) -> Job | None:
        """Mark a runnable job RUNNING for ``owner``; None if it is not runnable."""
        at = self.encode_time(now, "now")
        with self.transaction() as cur:
            # Read rowcount before the cursor runs its next statement, which resets it.
            leased = (
                self.run(
                    cur, "lease_job", (owner, self.encode_time(until, "lease until"), id, at, at)
                ).rowcount
                == 1
            )
            row = self.one(cur, "select_job", (id,))
            if row is None:
                raise base.not_found("job", id)
        return sqlrows.job(row, self.decode_time) if leased else None

    def acquire_lease(self, instance_id: str, owner: str, until: datetime, now: datetime) -> bool:
        """Take or extend the lease on an instance; False if another owner holds it."""
        params = (
            instance_id,
            owner,
            self.encode_time(until, f"lease on {instance_id}"),
            self.encode_time(now, "now"),
        )
        with self.transaction() as cur:
            done = self.run(cur, "acquire_lease", params)
            return bool(done.rowcount == 1)

    def release_lease(self, instance_id: str, owner: str) -> None:
        """Drop ``owner``'s lease on the instance; harmless if it holds none."""
        with self.transaction() as cur:
            self.run(cur, "release_lease", (instance_id, owner))

    # -- messages --------------------------------------------------------------------------

    def put_message(self, m: Message) -> bool:
        """Buffer a message; False if its id is already known."""
        params = (
            m.id,
            m.name,
            m.correlation_key,
            dumps(m.data, where=f"message {m.id} data"),
            self.encode_time(m.received_at, f"message {m.id} received_at"),
            self.t(m.expires_at, f"message {m.id} expires_at"),
        )
        with self.transaction() as cur:
            return bool(self.run(cur, "insert_message", params).rowcount == 1)

    def forget_message(self, id: str) -> None:
        """Drop a message nobody took (a rejected one), so that sending it again is not a
        duplicate; a consumed message is kept."""
        with self.transaction() as cur:
            self.run(cur, "forget_message", (id,))

    def get_setting(self, key: str) -> str | None:
        """The value stored under ``key``; None if there is none."""
        with self.transaction(write=False) as cur:
            row = self.one(cur, "get_setting", (key,))
        return None if row is None else str(row[0])

    def put_setting(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``, replacing what was there."""
        with self.transaction() as cur:
            self.run(cur, "put_setting", (key, value))

    def take_message(self, name: str, correlation_key: str | None, now: datetime) -> Message | None:
        """The oldest unexpired matching message, left in place until a commit consumes it."""
        at = self.encode_time(now, "now")
        with self.transaction(write=False) as cur:
            if correlation_key is None:
                row = self.one(cur, "take_message_any_key", (name, at))
            else:
                row = self.one(cur, "take_message_key", (name, correlation_key, at))
        return None if row is None else sqlrows.message(row, self.decode_time)
