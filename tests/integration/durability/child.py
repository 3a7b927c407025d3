"""The other OS process of the durability tests: a worker that gets killed, or a racer.

Run as ``python child.py ROLE ...``; the tests start it with ``subprocess``. It imports only
seamline, so it needs nothing from the test tree on ``sys.path``.

Roles:

- ``crash DB DIAGRAM SEED INSTANCES N``: start INSTANCES instances of DIAGRAM (``i`` counts to N)
  and complete their tasks in random order until all are done; prints ``ready`` once set up so
  the parent can kill it at a random point of real work.
- ``complete DB TASK MEET NAME``: complete TASK, meeting the other racer right after the
  snapshot is loaded (both then hold the same version); prints ``won`` or the error class.
- ``free-complete DB TASK MEET NAME``: the same without the meeting inside the step: both racers
  only start together.
- ``cli-complete DB TASK MEET NAME``: ``seamline --db DB complete TASK`` in this process, with
  the meeting after the load; exits with the CLI's exit code.
- ``claim DB TASK MEET NAME USER``: claim TASK as USER, meeting after the task row is read.
"""

from __future__ import annotations

import contextlib
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from seamline.app import App
from seamline.connectors.base import ConnectorCall
from seamline.connectors.registry import ConnectorRegistry
from seamline.errors import InstanceChanged, InvalidState, NotFound, SeamlineError
from seamline.humans.identity import ConfigDirectory, User
from seamline.store.records import HumanTask, Instance, InstanceStatus
from seamline.store.sqlite import SqliteStore
from seamline.testing import FakeConnector

#: Users of the claim race; both are candidates of every task (no candidates are declared).
USERS = (User("ann"), User("bob"))

#: A meeting that never completes means the other racer died; fail instead of hanging.
MEET_LIMIT_S = 120.0


def meet(folder: Path, name: str, parties: int = 2) -> None:
    """Wait until ``parties`` processes have arrived at ``folder`` (a barrier made of files)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.here").write_text(name)
    give_up = time.monotonic() + MEET_LIMIT_S
    while len(list(folder.glob("*.here"))) < parties:
        if time.monotonic() > give_up:
            raise SystemExit(f"{name}: the other racer never arrived at {folder}")
        time.sleep(0.001)


def _noop(call: ConnectorCall) -> dict[str, Any]:
    # A short pause widens the window between the job's checkpoint and its result, so that
    # some kills land while a call is in flight.
    time.sleep(0.002)
    return {"last_attempt": call.attempt}


def registry() -> ConnectorRegistry:
    """A registry with the no-op connector the crash diagram's service task names."""
    reg = ConnectorRegistry()
    reg.register(FakeConnector("noop", _noop))
    return reg


def crash(db: str, diagram: str, seed: str, instances: str, n: str) -> int:
    """Advance many instances until done; the parent kills this process along the way."""
    rng = random.Random(int(seed))
    app = App(SqliteStore(db), connectors=registry())
    print("ready", flush=True)
    lost = (InstanceChanged, InvalidState, NotFound)  # the other worker got there first
    while True:
        if len(app.instances(limit=10 * int(instances))) < int(instances):
            app.run(diagram, {"i": 0, "n": int(n)})
            continue
        broken = app.instances(status=InstanceStatus.INCIDENT.value)
        if broken:
            print(f"incident: {broken[0].id}: {broken[0].error}", file=sys.stderr)
            return 1
        running = app.instances(status=InstanceStatus.RUNNING.value)
        for inst in running:
            with contextlib.suppress(*lost):
                app.resume(inst.id)
        tasks = app.tasks(limit=1000)
        if not tasks and not running:
            return 0
        if tasks:
            with contextlib.suppress(*lost):
                app.complete(rng.choice(tasks).id, {})


class _MeetAfterLoad(SqliteStore):
    """Holds the step right after its snapshot is read until the other racer has read it too."""

    meeting: tuple[Path, str] | None = None

    def load_snapshot(self, id: str) -> tuple[Instance, bytes]:
        out = super().load_snapshot(id)
        if self.meeting is not None:
            folder, name = self.meeting
            self.meeting = None
            meet(folder, name)
        return out


class _MeetAfterRead(SqliteStore):
    """Holds a claim right after the task row is read until the other racer has read it too."""

    meeting: tuple[Path, str] | None = None

    def get_task(self, id: str) -> HumanTask:
        out = super().get_task(id)
        if self.meeting is not None:
            folder, name = self.meeting
            self.meeting = None
            meet(folder, name)
        return out


def _outcome(action: Any) -> int:
    try:
        action()
    except SeamlineError as exc:
        print(json.dumps({"error": type(exc).__name__, "message": str(exc)}), flush=True)
        return 0
    print(json.dumps({"won": True}), flush=True)
    return 0


def complete(db: str, task: str, folder: str, name: str) -> int:
    """Complete ``task`` after both racers loaded the same version."""
    store = _MeetAfterLoad(db)
    store.meeting = (Path(folder), name)
    app = App(store, connectors=registry())
    return _outcome(lambda: app.complete(task, {}))


def free_complete(db: str, task: str, folder: str, name: str) -> int:
    """Complete ``task`` after both racers are ready, with nothing held inside the step."""
    app = App(SqliteStore(db), connectors=registry())
    meet(Path(folder), name)
    return _outcome(lambda: app.complete(task, {}))


def cli_complete(db: str, task: str, folder: str, name: str) -> int:
    """``seamline complete`` with the meeting after the load; returns the CLI's exit code."""
    from seamline.cli.main import cli

    original = SqliteStore.load_snapshot
    pending = [Path(folder)]  # meet once: the load of the step, not later reads

    def load_then_meet(self: SqliteStore, id: str) -> tuple[Instance, bytes]:
        out = original(self, id)
        if pending:
            meet(pending.pop(), name)
        return out

    SqliteStore.load_snapshot = load_then_meet  # type: ignore[method-assign, assignment]
    try:
        cli.main(args=["--db", db, "complete", task], standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def claim(db: str, task: str, folder: str, name: str, user: str) -> int:
    """Claim ``task`` as ``user`` after both racers read the unclaimed task row."""
    store = _MeetAfterRead(db)
    store.meeting = (Path(folder), name)
    app = App(store, directory=ConfigDirectory(USERS))
    return _outcome(lambda: app.claim(task, user=user))


ROLES: dict[str, Any] = {
    "crash": crash,
    "complete": complete,
    "free-complete": free_complete,
    "cli-complete": cli_complete,
    "claim": claim,
}


def main(argv: list[str]) -> int:
    """Dispatch to a role."""
    role, *args = argv
    code: int = ROLES[role](*args)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
