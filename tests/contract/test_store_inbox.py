"""The inbox rules agree across stores: a generated matrix of tasks (assignees, candidate users
and groups, due dates, statuses) queried by a matrix of users, groups, admin, --mine, --group,
--overdue and --instance, each answer compared with an in-memory store and with the rules
written out plainly here, independently of seamline.store.inbox."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from seamline.store import Commit, HumanTask, InboxQuery, MemoryStore, Store, TaskStatus
from seamline.store.records import ACTIVE_TASK_STATUSES

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=1)
INSTANCES = ("inst-a", "inst-b")

ASSIGNEES = (None, "u1", "u2")
CANDIDATE_USERS: tuple[tuple[str, ...], ...] = ((), ("u1",), ("u2", "u3"))
CANDIDATE_GROUPS: tuple[tuple[str, ...], ...] = ((), ("g1",), ("g2", "g3"))
DUE = (None, NOW - timedelta(hours=1), NOW, NOW + timedelta(days=1))


def matrix_tasks(make: Any) -> list[HumanTask]:
    """One task per combination; every 7th finished, every 11th cancelled."""
    out = []
    combos = itertools.product(ASSIGNEES, CANDIDATE_USERS, CANDIDATE_GROUPS, DUE)
    for n, (assignee, users, groups, due) in enumerate(combos):
        status = TaskStatus.CLAIMED if assignee else TaskStatus.OPEN
        if n % 7 == 6:
            status = TaskStatus.COMPLETED
        elif n % 11 == 10:
            status = TaskStatus.CANCELLED
        out.append(
            make.task(
                INSTANCES[n % 2],
                f"task-{n:03d}",
                status=status,
                assignee=assignee,
                candidate_users=users,
                candidate_groups=groups,
                due_at=due,
                priority=n % 3,
                created_at=T0 + timedelta(seconds=n % 5),
            )
        )
    return out


def fill(store: Store, make: Any, tasks: list[HumanTask]) -> None:
    for instance_id in INSTANCES:
        mine = [t for t in tasks if t.instance_id == instance_id]
        store.commit(Commit(make.instance(instance_id), None, b"", tasks=mine))


def queries() -> Iterator[InboxQuery]:
    statuses: tuple[Sequence[TaskStatus], ...] = (
        ACTIVE_TASK_STATUSES,
        (TaskStatus.COMPLETED, TaskStatus.CANCELLED),
    )
    for user, groups, admin, mine, group, overdue_at, instance_id, status in itertools.product(
        (None, "u1", "u2", "u3"),
        ((), ("g1",), ("g2", "g3"), ("g3", "g1", "g3")),
        (False, True),
        (False, True),
        (None, "g1", "g3"),
        (None, NOW),
        (None, "inst-a"),
        statuses,
    ):
        yield InboxQuery(
            user=user,
            groups=groups,
            admin=admin,
            mine=mine,
            group=group,
            overdue_at=overdue_at,
            instance_id=instance_id,
            status=status,
            limit=1000,
        )


def plainly_visible(q: InboxQuery, t: HumanTask) -> bool:
    """The inbox rules as the README states them, written without seamline.store.inbox."""
    groups, group, admin = (q.groups, q.group, q.admin) if not q.mine else ((), None, False)
    if str(t.status) not in {str(s) for s in q.status}:
        return False
    if q.instance_id is not None and t.instance_id != q.instance_id:
        return False
    if group is not None and group not in t.candidate_groups:
        return False
    if q.overdue_at is not None and (t.due_at is None or t.due_at >= q.overdue_at):
        return False
    if admin:
        return True
    if q.user is not None and t.assignee == q.user:
        return True
    offered = (q.user is not None and q.user in t.candidate_users) or bool(
        set(groups) & set(t.candidate_groups)
    )
    return t.assignee is None and offered


def expected(q: InboxQuery, tasks: list[HumanTask]) -> list[str]:
    rows = [t for t in tasks if plainly_visible(q, t)]
    rows.sort(key=lambda t: (-t.priority, t.created_at, t.id))
    return [t.id for t in rows[: q.limit]]


def test_inbox_matrix_agrees_with_memory_and_the_plain_rules(store: Store, make: Any) -> None:
    tasks = matrix_tasks(make)
    fill(store, make, tasks)
    reference = MemoryStore()
    fill(reference, make, tasks)
    wrong = []
    count = 0
    for q in queries():
        count += 1
        got = [t.id for t in store.inbox(q)]
        want = expected(q, tasks)
        if got != want or [t.id for t in reference.inbox(q)] != want:
            wrong.append((q, got, want))
    assert count > 1000
    assert wrong[:3] == []


def test_inbox_matrix_is_not_trivial(make: Any) -> None:
    # The matrix above proves little if every answer were empty or everything.
    tasks = matrix_tasks(make)
    sizes = [len(expected(q, tasks)) for q in queries()]
    active = sum(1 for t in tasks if t.status in ACTIVE_TASK_STATUSES)
    assert min(sizes) == 0
    assert max(sizes) == active
    assert len(set(sizes)) > 20


def test_list_tasks_is_the_inbox_without_mine(store: Store, make: Any) -> None:
    tasks = matrix_tasks(make)
    fill(store, make, tasks)
    for q in itertools.islice((q for q in queries() if not q.mine), 0, None, 37):
        got = store.list_tasks(
            user=q.user,
            groups=q.groups,
            status=q.status,
            instance_id=q.instance_id,
            group=q.group,
            overdue_at=q.overdue_at,
            admin=q.admin,
            limit=q.limit,
        )
        assert [t.id for t in got] == expected(q, tasks)


def test_inbox_limit_keeps_the_order(store: Store, make: Any) -> None:
    tasks = matrix_tasks(make)
    fill(store, make, tasks)
    for q in (InboxQuery(admin=True, limit=7), InboxQuery(user="u1", groups=("g1",), limit=3)):
        assert [t.id for t in store.inbox(q)] == expected(q, tasks)
        assert len(expected(q, tasks)) == q.limit


def test_no_status_and_nobody_see_nothing(store: Store, make: Any) -> None:
    fill(store, make, matrix_tasks(make))
    assert store.inbox(InboxQuery(admin=True, status=())) == []
    assert store.inbox(InboxQuery()) == []
    assert store.inbox(InboxQuery(user=None, groups=(), mine=True)) == []
    assert store.inbox(InboxQuery(user="nobody", groups=("nothing",))) == []
