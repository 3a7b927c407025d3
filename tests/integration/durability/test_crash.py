"""Workers killed with SIGKILL at random points leave every instance whole and resumable.

Two worker processes advance 30 instances on one SQLite file (user task, script, connector job
per iteration) and are killed mid-work, round after round. What is committed must then be
consistent, step for step: the counter the script increments equals the number of committed
task completions (no step lost, none applied twice), and the work finishes from there.
"""

from __future__ import annotations

import datetime as dt
import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from seamline.app import App
from seamline.store.records import Instance, InstanceStatus
from seamline.store.sqlite import SqliteStore
from tests.integration.durability.child import registry
from tests.integration.durability.helpers import spawn

pytestmark = pytest.mark.slow

INSTANCES = 30
ITERATIONS = 10
ROUNDS = 6
WORKERS = 2


def _wait_ready(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line.strip() != "ready":
        _, err = proc.communicate()
        pytest.fail(f"worker did not start: {line!r} {err}")


def _run_round(db: Path, diagram: Path, rng: random.Random, round_no: int) -> list[int]:
    """Start the workers, let them work a random while, kill them; their return codes."""
    procs = [
        spawn(
            "crash",
            str(db),
            str(diagram),
            str(round_no * 10 + k),
            str(INSTANCES),
            str(ITERATIONS),
            cwd=db.parent,
        )
        for k in range(WORKERS)
    ]
    for proc in procs:
        _wait_ready(proc)
    # A random point in the middle of real work; not an assertion, so a slow machine is fine.
    time.sleep(rng.uniform(0.02, 0.3))
    codes = []
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate()
        if proc.returncode not in (0, -signal.SIGKILL):
            pytest.fail(f"worker failed with {proc.returncode}: {err.strip()}")
        codes.append(proc.returncode)
    return codes


def _check_consistent(app: App, inst: Instance) -> None:
    """The committed history of one instance adds up, and its snapshot deserializes."""
    shown = app.show(inst.id)
    events = shown.history or ()
    seqs = [e.seq or 0 for e in events]
    assert seqs == sorted(set(seqs)), f"{inst.id}: event seq not strictly increasing: {seqs}"
    kinds = Counter(e.kind for e in events)
    assert events[0].kind == "instance_started"
    assert kinds["instance_started"] == 1
    _, blob = app.store.load_snapshot(inst.id)
    definition = app.definitions.get(inst.definition_hash, inst.process_id)
    workflow = app.engine.snapshots.load(blob, definition.spec, definition.subprocess_specs)
    live = [t.data["i"] for t in workflow.get_tasks() if "i" in t.data]
    assert live, f"{inst.id}: snapshot holds no process data"
    i = shown.instance.data["i"]
    assert max(live) == i
    # One committed completion per increment: nothing lost, nothing applied twice.
    assert kinds["task_completed"] == i, (inst.id, i, dict(kinds))
    in_flight = any(w.kind == "connector" for w in shown.waiting)
    if shown.instance.status is InstanceStatus.RUNNING or in_flight:
        # Killed between the job's checkpoint and the connector's result: the call is pending
        # (under a lease, until the killed worker's lease runs out).
        assert kinds["connector_completed"] == i - 1, (inst.id, dict(kinds))
    else:
        assert kinds["connector_completed"] == i, (inst.id, dict(kinds))
    if shown.instance.status is InstanceStatus.COMPLETED:
        assert i == ITERATIONS


def _finish(app: App) -> None:
    """Carry on from the committed state in this process until every instance is done."""
    while True:
        app.worker().run_once()  # calls whose lease ran out are made again
        running = app.instances(status=InstanceStatus.RUNNING.value, limit=1000)
        for inst in running:
            app.resume(inst.id)
        tasks = app.tasks(limit=1000)
        if not tasks and not running and not app.store.runnable_jobs(app.clock(), 10):
            return
        for task in tasks:
            app.complete(task.id, {})


def test_killed_workers_leave_consistent_resumable_instances(
    tmp_path: Path, counting_diagram: Path
) -> None:
    db = tmp_path / "crash.db"
    rng = random.Random(20260101)
    codes: list[int] = []
    seen: Counter[str] = Counter()
    for round_no in range(ROUNDS):
        codes += _run_round(db, counting_diagram, rng, round_no)
        # What the killed workers left must add up after every round, not only at the end.
        with App(SqliteStore(db), connectors=registry()) as app:
            for inst in app.instances(limit=1000):
                assert inst.status is not InstanceStatus.INCIDENT, inst.error
                _check_consistent(app, inst)
                seen[inst.status.value] += 1
    assert -signal.SIGKILL in codes, "no worker was killed mid-work; the test proved nothing"
    assert seen["waiting"] or seen["running"], "every kill came after all the work was done"

    # Connector calls cut off mid-flight hold their job under a lease; an hour on, the leases of
    # the killed workers have run out and the calls are made again with the same keys.
    later = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)  # noqa: E731
    with App(SqliteStore(db), connectors=registry(), clock=later) as app:
        assert len(app.instances(limit=1000)) >= INSTANCES
        _finish(app)
        for inst in app.instances(limit=1000):
            assert inst.status is InstanceStatus.COMPLETED
            _check_consistent(app, inst)
