"""Several OS processes sharing one SQLite file: no lost update, one winner per version."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from seamline.store import Commit, Instance, InstanceStatus, SqliteStore

PROCESSES = 4
WINS_EACH = 40

# Each process commits its own instance, and races the others for versions of a shared one,
# reloading whenever it loses. It prints the shared versions it won.
# (the sleep loop below only waits for the start signal; nothing is timed)
WORKER = """
import json, os, sys, time
from dataclasses import replace
from seamline.errors import InstanceChanged
from seamline.store import Commit, Event, SqliteStore

path, me, wins_wanted = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = SqliteStore(path)
own = store.get_instance("own-" + me)
open(path + ".ready-" + me, "w").close()
while not os.path.exists(path + ".go"):
    time.sleep(0.0005)
won, lost = [], 0
while len(won) < wins_wanted:
    shared, _ = store.load_snapshot("shared")
    nxt = replace(shared, version=shared.version + 1, data={"by": me})
    event = Event("shared", "step", nxt.updated_at, me, None, {"version": nxt.version})
    try:
        store.commit(Commit(nxt, shared.version, me.encode(), events=[event]))
        won.append(nxt.version)
    except InstanceChanged:
        lost += 1
    own = store.commit(Commit(replace(own, version=own.version + 1), own.version, b"own"))
store.close()
print(json.dumps({"won": won, "lost": lost, "own": own.version}))
"""


def instance(id: str) -> Instance:
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    return Instance(id, "proc", "h", None, InstanceStatus.RUNNING, 1, {}, t0, t0)


def test_processes_commit_concurrently_without_lost_updates(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    store = SqliteStore(path)  # SqlBase.__enter__ is typed as returning the base class
    with store:
        store.commit(Commit(instance("shared"), None, b"start"))
        for n in range(PROCESSES):
            store.commit(Commit(instance(f"own-{n}"), None, b"own"))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path), str(n), str(WINS_EACH)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    # Start racing only once every process is up, so that they overlap.
    for _ in range(240_000):
        if all(Path(f"{path}.ready-{n}").exists() for n in range(PROCESSES)):
            break
        if any(p.poll() is not None for p in procs):
            break
        time.sleep(0.001)
    Path(f"{path}.go").touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
        results.append(json.loads(out))

    won = sorted(v for r in results for v in r["won"])
    total = PROCESSES * WINS_EACH
    assert won == list(range(2, total + 2))  # every version won exactly once
    assert all(r["own"] == WINS_EACH + 1 + r["lost"] for r in results)
    store = SqliteStore(path)
    with store:
        shared, snapshot = store.load_snapshot("shared")
        assert shared.version == total + 1
        assert snapshot == shared.data["by"].encode()
        events = store.list_events("shared")
        assert [e.data["version"] for e in events] == list(range(2, total + 2))
        for n, r in enumerate(results):
            assert store.get_instance(f"own-{n}").version == r["own"]
