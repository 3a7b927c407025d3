"""Records as a store gives them back: data JSON round-tripped, times checked and in UTC.

The memory store applies these on the way in, so that it answers exactly like a SQL store.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from seamline.store.codec import check_time, roundtrip
from seamline.store.records import (
    Definition,
    Event,
    HumanTask,
    Instance,
    Job,
    Message,
    Subscription,
    Timer,
)


def _opt(value: datetime | None, where: str) -> datetime | None:
    return None if value is None else check_time(value, where)


def definition(d: Definition) -> Definition:
    """A definition with a tuple of process ids, a plain dict of sources and a UTC time."""
    return replace(
        d,
        process_ids=tuple(d.process_ids),
        sources={name: bytes(content) for name, content in d.sources.items()},
        created_at=check_time(d.created_at, f"definition {d.hash} created_at"),
    )


def instance(i: Instance) -> Instance:
    """An instance with round-tripped data and UTC times."""
    return replace(
        i,
        data=roundtrip(i.data, where=f"instance {i.id} data"),
        created_at=check_time(i.created_at, f"instance {i.id} created_at"),
        updated_at=check_time(i.updated_at, f"instance {i.id} updated_at"),
    )


def task(t: HumanTask) -> HumanTask:
    """A task with tuple candidates, a round-tripped form and UTC times."""
    where = f"task {t.id}"
    return replace(
        t,
        candidate_users=tuple(str(u) for u in t.candidate_users),
        candidate_groups=tuple(str(g) for g in t.candidate_groups),
        form=None if t.form is None else roundtrip(t.form, where=f"{where} form"),
        created_at=check_time(t.created_at, f"{where} created_at"),
        due_at=_opt(t.due_at, f"{where} due_at"),
        follow_up_at=_opt(t.follow_up_at, f"{where} follow_up_at"),
        completed_at=_opt(t.completed_at, f"{where} completed_at"),
    )


def event(e: Event) -> Event:
    """An event without a seq (the store assigns it) and with round-tripped data."""
    return replace(
        e,
        at=check_time(e.at, f"event {e.kind} at"),
        data=roundtrip(e.data, where=f"event {e.kind} data"),
        seq=None,
    )


def timer(t: Timer) -> Timer:
    """A timer with a UTC due time and round-tripped data."""
    return replace(
        t,
        due_at=check_time(t.due_at, f"timer {t.id} due_at"),
        data=roundtrip(t.data, where=f"timer {t.id} data"),
    )


def job(j: Job) -> Job:
    """A job with UTC times and round-tripped parameters."""
    return replace(
        j,
        run_at=check_time(j.run_at, f"job {j.id} run_at"),
        lease_until=_opt(j.lease_until, f"job {j.id} lease_until"),
        params=roundtrip(j.params, where=f"job {j.id} params"),
    )


def subscription(s: Subscription) -> Subscription:
    """A subscription (nothing to convert; kept for symmetry)."""
    return s


def message(m: Message) -> Message:
    """A message with UTC times and round-tripped data."""
    return replace(
        m,
        data=roundtrip(m.data, where=f"message {m.id} data"),
        received_at=check_time(m.received_at, f"message {m.id} received_at"),
        expires_at=_opt(m.expires_at, f"message {m.id} expires_at"),
    )
