"""Where instances, snapshots and their queryable projections live.

``open_store(url)`` picks an implementation; every one satisfies :class:`Store` and passes the
same contract suite.
"""

from __future__ import annotations

from seamline.errors import AmbiguousId, MessageTaken, TaskChanged
from seamline.store.base import (
    Commit,
    Definition,
    Event,
    HumanTask,
    Instance,
    InstanceStatus,
    Job,
    JobStatus,
    Message,
    Store,
    Subscription,
    TaskStatus,
    Timer,
)
from seamline.store.factory import open_store
from seamline.store.memory import MemoryStore
from seamline.store.sqlite import SqliteStore

__all__ = [
    "AmbiguousId",
    "Commit",
    "Definition",
    "Event",
    "HumanTask",
    "Instance",
    "InstanceStatus",
    "Job",
    "JobStatus",
    "MemoryStore",
    "Message",
    "MessageTaken",
    "SqliteStore",
    "Store",
    "Subscription",
    "TaskChanged",
    "TaskStatus",
    "Timer",
    "open_store",
]
