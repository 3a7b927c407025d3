"""The inbox query stays an index lookup with 100,000 open tasks (checked by its plan)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from seamline.store import Commit, HumanTask, Instance, InstanceStatus, SqliteStore, TaskStatus
from seamline.store.inbox import InboxQuery

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
TASKS = 100_000
PER_INSTANCE = 1_000
GROUPS = 200


def task(n: int, instance_id: str) -> HumanTask:
    assigned = n % 97 == 0
    return HumanTask(
        id=f"task-{n:06d}",
        instance_id=instance_id,
        process_id="proc",
        element_id="Review",
        name=None,
        status=TaskStatus.CLAIMED if assigned else TaskStatus.OPEN,
        candidate_users=(f"user-{n % 1000}",),
        candidate_groups=(f"group-{n % GROUPS}",),
        assignee=f"user-{n % 500}" if assigned else None,
        created_at=T0 + timedelta(seconds=n),
        due_at=T0 + timedelta(days=n % 30),
        follow_up_at=None,
        priority=n % 7,
        form=None,
        business_key=None,
        lane=None,
    )


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> SqliteStore:
    store = SqliteStore(tmp_path_factory.mktemp("inbox") / "s.db")
    for i in range(TASKS // PER_INSTANCE):
        inst = Instance(
            id=f"inst-{i:03d}",
            process_id="proc",
            definition_hash="h",
            business_key=None,
            status=InstanceStatus.WAITING,
            version=1,
            data={},
            created_at=T0,
            updated_at=T0,
        )
        tasks = [task(n, inst.id) for n in range(i * PER_INSTANCE, (i + 1) * PER_INSTANCE)]
        # A large snapshot: the inbox must never need to read it.
        store.commit(Commit(inst, None, b"x" * 10_000, tasks=tasks))
    return store


def plan(store: SqliteStore, **kw: object) -> list[str]:
    built = store.inbox_sql(InboxQuery(**kw))  # type: ignore[arg-type]
    assert built is not None
    query, params = built
    with store.transaction(write=False) as cur:
        return [row[3] for row in cur.execute("EXPLAIN QUERY PLAN " + query, params)]


@pytest.mark.parametrize(
    "kw",
    [
        {"user": "user-7", "groups": ["group-7", "group-8"]},
        {"user": "user-7"},
        {"groups": ["group-3"]},
        {"groups": ["group-3", "group-4"]},
        {"admin": True, "group": "group-7"},
        {"user": "user-7", "groups": ["group-7"], "overdue_at": T0 + timedelta(days=3)},
        {"user": "user-7", "groups": ["group-7"], "group": "group-7", "instance_id": "inst-001"},
    ],
)
def test_inbox_query_uses_indexes_only(big: SqliteStore, kw: dict[str, object]) -> None:
    steps = plan(big, **kw)
    joined = "\n".join(steps)
    assert not [s for s in steps if s.startswith("SCAN") and "mine" not in s], joined
    assert any("task_candidates USING" in s and "INDEX" in s for s in steps), joined
    assert any(s.startswith("SEARCH t USING") for s in steps), joined
    assert "snapshots" not in joined


def test_inbox_answers_match_the_rule(big: SqliteStore) -> None:
    got = big.list_tasks(user="user-7", groups=["group-7", "group-8"], limit=TASKS)
    expected = []
    for n in range(TASKS):
        t = task(n, "")
        if t.assignee == "user-7" or (
            t.assignee is None
            and ("user-7" in t.candidate_users or {"group-7", "group-8"} & set(t.candidate_groups))
        ):
            expected.append(t)
    expected.sort(key=lambda t: (-t.priority, t.created_at, t.id))
    assert [t.id for t in got] == [t.id for t in expected]
    assert len(big.list_tasks(user="user-7", groups=["group-7"])) == 100
