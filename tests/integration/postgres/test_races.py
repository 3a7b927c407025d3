"""Several OS processes on one PostgreSQL schema: one winner per version, lease and timer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from seamline.store.base import Commit, Instance, InstanceStatus, Job, JobStatus, Timer
from seamline.store.postgres import PostgresStore
from seamline.store.schema import SCHEMA_VERSION
from tests.integration.postgres.pg import PG_URL, drop_schema, new_schema

RACER = Path(__file__).with_name("racer.py")
RACERS = 4
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def schema() -> Iterator[str]:
    name = new_schema()
    yield name
    drop_schema(name)


@pytest.fixture
def store(schema: str) -> Iterator[PostgresStore]:
    opened = PostgresStore(PG_URL, schema=schema)
    with opened.transaction() as cur:
        cur.execute("CREATE TABLE ready (name TEXT NOT NULL)")
    yield opened
    opened.close()


def _race(mode: str, schema: str, *extra: str, racers: int = RACERS) -> list[dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEAMLINE_")}
    root = str(Path(__file__).parents[3])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    procs = [
        subprocess.Popen(
            [sys.executable, str(RACER), mode, PG_URL, schema, f"racer{n}", *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(racers)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def _instance(id: str) -> Instance:
    return Instance(id, "proc", "hash", None, InstanceStatus.WAITING, 1, {}, T0, T0)


def test_processes_opening_a_fresh_schema_migrate_it_once(schema: str) -> None:
    results = _race("open", schema)
    assert [r["schema_version"] for r in results] == [SCHEMA_VERSION] * RACERS
    with PostgresStore(PG_URL, schema=schema) as store, store.transaction() as cur:
        rows = cur.execute("SELECT version FROM schema_version").fetchall()
    assert rows == [(SCHEMA_VERSION,)]


def test_exactly_one_process_writes_each_version(store: PostgresStore, schema: str) -> None:
    store.commit(Commit(_instance("contested"), None, b"v1"))
    last = 41
    results = _race("commit", schema, str(RACERS), "contested", str(last))
    won = [v for r in results for v in r["won"]]
    assert sorted(won) == list(range(2, last + 1))  # every version once, none twice
    events = store.list_events("contested")
    assert [e.data["version"] for e in events] == list(range(2, last + 1))
    by_version = {e.data["version"]: e.actor for e in events}
    for r in results:
        assert all(by_version[v] == r["name"] for v in r["won"])
    final, snapshot = store.load_snapshot("contested")
    assert final.version == last and snapshot == f"v{last}".encode()
    assert final.data["by"] == by_version[last]


def test_two_workers_never_lease_the_same_job(store: PostgresStore, schema: str) -> None:
    ids = []
    for n in range(30):
        inst = _instance(f"inst-{n:02d}")
        job = Job(
            f"job-{n:02d}", inst.id, "Call", f"t{n}", "http", f"key{n}", 1,
            JobStatus.PENDING, T0 - timedelta(minutes=1), {},
        )  # fmt: skip
        store.commit(Commit(inst, None, b"v1", jobs=[job]))
        ids.append(job.id)
    results = _race("jobs", schema, "2", racers=2)
    leased = [j for r in results for j in r["won"]]
    assert sorted(leased) == ids
    owners = {j.id: j.lease_owner for j in store.runnable_jobs(T0 + timedelta(days=1), 100)}
    for r in results:
        assert all(owners[j] == r["name"] for j in r["won"])


def test_two_workers_never_fire_the_same_timer(store: PostgresStore, schema: str) -> None:
    for n in range(30):
        inst = _instance(f"inst-{n:02d}")
        timer = Timer(f"timer-{n:02d}", inst.id, "Wait", T0 - timedelta(minutes=1), "duration", {})
        store.commit(Commit(inst, None, b"v1", timers=[timer]))
    results = _race("timers", schema, "2", racers=2)
    fired = Counter(t for r in results for t in r["won"])
    assert sorted(fired) == [f"timer-{n:02d}" for n in range(30)]
    assert set(fired.values()) == {1}
    assert store.due_timers(T0) == []
    for n in range(30):
        kinds = [e.kind for e in store.list_events(f"inst-{n:02d}")]
        assert kinds == ["timer_fired"]
