"""Turn SQL rows (in the column order of queries.py) back into records.

Any value that does not fit its record (corrupt JSON, an unknown status, an unreadable
timestamp) raises CorruptState naming the table and the row id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from seamline.errors import CorruptState
from seamline.store.codec import loads
from seamline.store.records import (
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

#: Reads one stored timestamp: (value, table, row id) -> aware UTC datetime.
TimeReader = Callable[[Any, str, str], datetime]

_E = TypeVar("_E", bound=StrEnum)


def _enum(cls: type[_E], value: Any, table: str, row_id: str) -> _E:
    try:
        return cls(value)
    except ValueError as exc:
        raise CorruptState(
            f"{table} row {row_id} holds an unknown status {value!r}",
            hint="restore the row from a backup or delete it",
        ) from exc


def number(value: Any, table: str, row_id: str) -> int:
    """An integer column's value; CorruptState if the row holds anything else."""
    if isinstance(value, int):
        return value
    try:
        return int(str(value))
    except ValueError as exc:
        raise CorruptState(
            f"{table} row {row_id} holds {value!r} where a number belongs",
            hint="restore the row from a backup or delete it",
        ) from exc


def blob(value: Any, table: str, row_id: str) -> bytes:
    """A binary column's value; CorruptState if the row holds text or a number instead."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise CorruptState(
        f"{table} row {row_id} holds {type(value).__name__} where binary content belongs",
        hint="restore the row from a backup",
    )


def _opt_time(read: TimeReader, value: Any, table: str, row_id: str) -> datetime | None:
    return None if value is None else read(value, table, row_id)


def _names(text: str, table: str, row_id: str) -> tuple[str, ...]:
    value = loads(text, table=table, row_id=row_id)
    if not isinstance(value, list):
        raise CorruptState(f"{table} row {row_id} holds a candidate list that is not a list")
    return tuple(str(v) for v in value)


def _mapping(text: str, table: str, row_id: str) -> dict[str, Any]:
    value = loads(text, table=table, row_id=row_id)
    if not isinstance(value, dict):
        raise CorruptState(f"{table} row {row_id} holds JSON that is not an object")
    return value


def instance(row: Sequence[Any], read: TimeReader) -> Instance:
    """An Instance from a row of INSTANCE_COLS."""
    rid = str(row[0])
    return Instance(
        id=rid,
        process_id=row[1],
        definition_hash=row[2],
        business_key=row[3],
        status=_enum(InstanceStatus, row[4], "instances", rid),
        version=number(row[5], "instances", rid),
        data=_mapping(row[6], "instances", rid),
        created_at=read(row[7], "instances", rid),
        updated_at=read(row[8], "instances", rid),
        error=row[9],
        parent_id=row[10],
    )


def task(row: Sequence[Any], read: TimeReader) -> HumanTask:
    """A HumanTask from a row of TASK_COLS."""
    rid = str(row[0])
    form = None if row[13] is None else _mapping(row[13], "tasks", rid)
    return HumanTask(
        id=rid,
        instance_id=row[1],
        process_id=row[2],
        element_id=row[3],
        name=row[4],
        status=_enum(TaskStatus, row[5], "tasks", rid),
        candidate_users=_names(row[6], "tasks", rid),
        candidate_groups=_names(row[7], "tasks", rid),
        assignee=row[8],
        created_at=read(row[9], "tasks", rid),
        due_at=_opt_time(read, row[10], "tasks", rid),
        follow_up_at=_opt_time(read, row[11], "tasks", rid),
        priority=number(row[12], "tasks", rid),
        form=form,
        business_key=row[14],
        lane=row[15],
        completed_by=row[16],
        completed_at=_opt_time(read, row[17], "tasks", rid),
        note=row[18],
    )


def event(row: Sequence[Any], read: TimeReader) -> Event:
    """An Event from a row of EVENT_COLS."""
    rid = str(row[6])
    return Event(
        instance_id=row[0],
        kind=row[1],
        at=read(row[2], "events", rid),
        actor=row[3],
        element_id=row[4],
        data=_mapping(row[5], "events", rid),
        seq=number(row[6], "events", rid),
    )


def timer(row: Sequence[Any], read: TimeReader) -> Timer:
    """A Timer from a row of TIMER_COLS."""
    rid = str(row[0])
    return Timer(
        id=rid,
        instance_id=row[1],
        element_id=row[2],
        due_at=read(row[3], "timers", rid),
        kind=row[4],
        data=_mapping(row[5], "timers", rid),
    )


def job(row: Sequence[Any], read: TimeReader) -> Job:
    """A Job from a row of JOB_COLS."""
    rid = str(row[0])
    return Job(
        id=rid,
        instance_id=row[1],
        element_id=row[2],
        task_id=row[3],
        connector=row[4],
        idempotency_key=row[5],
        attempt=number(row[6], "jobs", rid),
        status=_enum(JobStatus, row[7], "jobs", rid),
        run_at=read(row[8], "jobs", rid),
        params=_mapping(row[9], "jobs", rid),
        lease_owner=row[10],
        lease_until=_opt_time(read, row[11], "jobs", rid),
        last_error=row[12],
    )


def subscription(row: Sequence[Any]) -> Subscription:
    """A Subscription from a row of SUBSCRIPTION_COLS."""
    return Subscription(
        instance_id=row[0], element_id=row[1], kind=row[2], name=row[3], correlation_key=row[4]
    )


def message(row: Sequence[Any], read: TimeReader) -> Message:
    """A Message from a row of MESSAGE_COLS."""
    rid = str(row[0])
    return Message(
        id=rid,
        name=row[1],
        correlation_key=row[2],
        data=_mapping(row[3], "messages", rid),
        received_at=read(row[4], "messages", rid),
        expires_at=_opt_time(read, row[5], "messages", rid),
    )
