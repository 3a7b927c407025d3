"""Where instances, snapshots and their queryable projections live.

``open_store(url)`` picks an implementation; every one satisfies :class:`Store` (the
composition of the role protocols in protocols.py) and passes the same contract suite. The
inbox rules live in inbox.py.
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
from seamline.store.inbox import InboxQuery
from seamline.store.memory import MemoryStore
from seamline.store.protocols import (
    CorrelationStore,
    DefinitionStore,
    EventStore,
    InstanceStore,
    TaskStore,
    WorkStore,
)
from seamline.store.sqlite import SqliteStore

__all__ = [
    "AmbiguousId",
    "Commit",
    "CorrelationStore",
    "Definition",
    "DefinitionStore",
    "Event",
    "EventStore",
    "HumanTask",
    "InboxQuery",
    "Instance",
    "InstanceStatus",
    "InstanceStore",
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
    "TaskStore",
    "Timer",
    "WorkStore",
    "open_store",
]
