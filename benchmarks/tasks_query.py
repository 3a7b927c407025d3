"""How fast `seamline tasks --group G` answers over 100,000 open tasks on SQLite.

    .venv/bin/python benchmarks/tasks_query.py            # 100,000 tasks, 50 runs per query
    .venv/bin/python benchmarks/tasks_query.py --tasks 20000 --runs 20

The store is filled through its own commit (1,000 tasks per instance commit, a 10 KB snapshot
each, which the queue must never read), spread over 50 groups and 1,000 users, 1 in 97 tasks
already claimed and due dates over 30 days. Then the query behind `seamline tasks` is timed
through ``App.tasks`` (the SQL compiled from the rules in seamline/store/inbox.py; median of N
runs, the first run discarded as warm-up), as a group member, as an administrator filtering by
group, with ``--mine`` and with ``--overdue``. Target: the median of ``--group G`` <= 20 ms.
Last, one whole `seamline tasks --group G` process is timed for information (interpreter start
and imports included).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from seamline.app import App
from seamline.config import load_settings
from seamline.store import Commit, HumanTask, Instance, InstanceStatus, SqliteStore, TaskStatus

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
GROUPS = 50
USERS = 1_000
PER_INSTANCE = 1_000
TARGET_MS = 20.0

CONFIG = """
[users.clerk]
groups = ["group-7"]

[users.boss]
admin = true
"""


def _task(n: int, instance_id: str) -> HumanTask:
    claimed = n % 97 == 0
    return HumanTask(
        id=f"task-{n:07d}",
        instance_id=instance_id,
        process_id="bench",
        element_id="Review",
        name="Review",
        status=TaskStatus.CLAIMED if claimed else TaskStatus.OPEN,
        candidate_users=(f"user-{n % USERS}",),
        candidate_groups=(f"group-{n % GROUPS}",),
        assignee=f"user-{n % USERS}" if claimed else None,
        created_at=T0 + timedelta(seconds=n),
        due_at=T0 + timedelta(days=n % 30),
        follow_up_at=None,
        priority=n % 7,
        form={"type": "object", "properties": {"approved": {"type": "boolean"}}},
        business_key=f"bk-{n}",
        lane=None,
    )


def fill(db: Path, tasks: int) -> float:
    """Commit ``tasks`` open tasks into a new store; the seconds it took."""
    start = time.perf_counter()
    with SqliteStore(db) as store:
        for i in range(max(1, tasks // PER_INSTANCE)):
            inst = Instance(
                id=f"inst-{i:04d}",
                process_id="bench",
                definition_hash="h",
                business_key=None,
                status=InstanceStatus.WAITING,
                version=1,
                data={},
                created_at=T0,
                updated_at=T0,
            )
            first = i * PER_INSTANCE
            rows = [_task(n, inst.id) for n in range(first, min(first + PER_INSTANCE, tasks))]
            store.commit(Commit(inst, None, b"x" * 10_000, tasks=rows))
    return time.perf_counter() - start


def median_ms(query: Callable[[], object], runs: int) -> tuple[float, int]:
    """Median wall time of ``query`` in ms over ``runs`` runs after one warm-up, and rows."""
    rows = query()
    assert isinstance(rows, list)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        query()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(rows)


def main() -> int:
    """Fill, time, print; exit 1 if the --group query misses its target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db = root / "bench.db"
        (root / "seamline.toml").write_text(CONFIG, encoding="utf-8")
        took = fill(db, args.tasks)
        print(f"filled {args.tasks:,} tasks in {took:.1f} s ({args.tasks / took:,.0f} tasks/s)")
        settings = load_settings(root / "seamline.toml", db=str(db), cwd=root)
        app = App(SqliteStore(db), settings=settings)
        now = T0 + timedelta(days=10)
        app.clock = lambda: now  # --overdue relative to the filled due dates
        queries: dict[str, Callable[[], object]] = {
            "tasks --group group-7 (as a member)": lambda: app.tasks(user="clerk", group="group-7"),
            "tasks --group group-7 (as admin)": lambda: app.tasks(user="boss", group="group-7"),
            "tasks (as a member)": lambda: app.tasks(user="clerk"),
            "tasks --mine": lambda: app.tasks(user="clerk", mine=True),
            "tasks --overdue (as a member)": lambda: app.tasks(user="clerk", overdue=True),
        }
        results = {name: median_ms(q, args.runs) for name, q in queries.items()}
        app.close()
        width = max(map(len, results))
        for name, (ms, rows) in results.items():
            print(f"{name:<{width}}  median {ms:7.2f} ms  ({rows} rows, {args.runs} runs)")
        seamline = str(Path(sys.executable).parent / "seamline")
        argv = [seamline, "--db", str(db), "--as", "clerk", "tasks", "--group", "group-7", "--json"]
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=root, capture_output=True, text=True, check=False)
        whole = (time.perf_counter() - start) * 1000
        print(
            f"whole `seamline tasks --group group-7` process: {whole:.0f} ms"
            f" (exit {done.returncode})"
        )
    group_ms = results["tasks --group group-7 (as a member)"][0]
    verdict = "meets" if group_ms <= TARGET_MS else "MISSES"
    print(f"--group median {group_ms:.2f} ms {verdict} the {TARGET_MS:.0f} ms target")
    return 0 if group_ms <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
