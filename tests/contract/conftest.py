"""The contract suite's stores and record builders.

Every test that takes ``store`` runs once per entry of STORE_FACTORIES; a new store
implementation joins the suite by adding one entry here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from seamline.store import (
    Commit,
    Definition,
    Event,
    HumanTask,
    Instance,
    InstanceStatus,
    Job,
    JobStatus,
    MemoryStore,
    Message,
    SqliteStore,
    Store,
    Subscription,
    TaskStatus,
    Timer,
)


def _postgres(tmp: Path) -> Store:
    """A PostgresStore in a fresh schema, dropped when the store closes; skips without a server."""
    from tests.integration.postgres.pg import fresh_schema_store

    return fresh_schema_store()


STORE_FACTORIES: dict[str, Callable[[Path], Store]] = {
    "memory": lambda tmp: MemoryStore(),
    "sqlite": lambda tmp: SqliteStore(tmp / "store" / "seamline.db"),
    "postgres": _postgres,
}

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(params=sorted(STORE_FACTORIES))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    made = STORE_FACTORIES[request.param](tmp_path)
    yield made
    made.close()


@pytest.fixture
def raw(store: Store) -> Callable[[str, tuple[Any, ...]], None]:
    """Run one SQL statement behind the store's back (to corrupt rows); skips for memory, and
    for a timestamp where the database's typed columns cannot hold an unreadable one."""
    transaction = getattr(store, "transaction", None)
    if transaction is None:
        pytest.skip("this store has no rows to corrupt")

    def run(sql: str, params: tuple[Any, ...] = ()) -> None:
        if getattr(store, "typed_timestamps", False) and re.search(r"_(at|until) = \?", sql):
            pytest.skip("TIMESTAMPTZ columns refuse an unreadable timestamp")
        with transaction() as cur:
            cur.execute(store.render(sql), params)  # type: ignore[attr-defined]

    return run


@dataclass
class Make:
    """Builders for records with sensible defaults; ids are unique per test."""

    counter: Iterator[int] = field(default_factory=itertools.count)

    def id(self, prefix: str) -> str:
        return f"{prefix}-{next(self.counter):06d}"

    def definition(self, *process_ids: str, at: datetime = T0, **kw: Any) -> Definition:
        values: dict[str, Any] = {
            "hash": self.id("hash"),
            "process_ids": process_ids or ("proc",),
            "name": "Orders",
            "flavour": "camunda7",
            "sources": {"orders.bpmn": b"<definitions/>"},
            "created_at": at,
        }
        values.update(kw)
        return Definition(**values)

    def instance(self, id: str | None = None, *, version: int = 1, **kw: Any) -> Instance:
        values: dict[str, Any] = {
            "id": id or self.id("inst"),
            "process_id": "proc",
            "definition_hash": "hash",
            "business_key": None,
            "status": InstanceStatus.WAITING,
            "version": version,
            "data": {},
            "created_at": T0,
            "updated_at": T0,
        }
        values.update(kw)
        return Instance(**values)

    def task(self, instance_id: str, id: str | None = None, **kw: Any) -> HumanTask:
        values: dict[str, Any] = {
            "id": id or self.id("task"),
            "instance_id": instance_id,
            "process_id": "proc",
            "element_id": "Review",
            "name": "Review the order",
            "status": TaskStatus.OPEN,
            "candidate_users": (),
            "candidate_groups": (),
            "assignee": None,
            "created_at": T0,
            "due_at": None,
            "follow_up_at": None,
            "priority": 50,
            "form": None,
            "business_key": None,
            "lane": None,
        }
        values.update(kw)
        return HumanTask(**values)

    def event(self, instance_id: str, kind: str = "step", **kw: Any) -> Event:
        values: dict[str, Any] = {
            "instance_id": instance_id,
            "kind": kind,
            "at": T0,
            "actor": None,
            "element_id": None,
            "data": {},
        }
        values.update(kw)
        return Event(**values)

    def timer(self, instance_id: str, due_at: datetime, **kw: Any) -> Timer:
        values: dict[str, Any] = {
            "id": self.id("timer"),
            "instance_id": instance_id,
            "element_id": "Wait",
            "due_at": due_at,
            "kind": "duration",
            "data": {},
        }
        values.update(kw)
        return Timer(**values)

    def job(self, instance_id: str, run_at: datetime = T0, **kw: Any) -> Job:
        values: dict[str, Any] = {
            "id": self.id("job"),
            "instance_id": instance_id,
            "element_id": "Call",
            "task_id": self.id("spiff"),
            "connector": "http",
            "idempotency_key": self.id("key"),
            "attempt": 1,
            "status": JobStatus.PENDING,
            "run_at": run_at,
            "params": {"url": "http://127.0.0.1/"},
        }
        values.update(kw)
        return Job(**values)

    def subscription(self, instance_id: str, name: str, key: str | None, **kw: Any) -> Subscription:
        values: dict[str, Any] = {
            "instance_id": instance_id,
            "element_id": "Catch",
            "kind": "message",
            "name": name,
            "correlation_key": key,
        }
        values.update(kw)
        return Subscription(**values)

    def message(self, name: str, key: str | None, **kw: Any) -> Message:
        values: dict[str, Any] = {
            "id": self.id("msg"),
            "name": name,
            "correlation_key": key,
            "data": {"n": 1},
            "received_at": T0,
            "expires_at": None,
        }
        values.update(kw)
        return Message(**values)

    def create(self, store: Store, id: str | None = None, **kw: Any) -> Instance:
        """Commit a new instance at version 1."""
        return store.commit(Commit(self.instance(id, **kw), None, b"v1"))


@pytest.fixture
def make() -> Make:
    return Make()
