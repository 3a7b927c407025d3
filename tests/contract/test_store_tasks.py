"""The Store contract for human tasks: visibility, claims, assignment, upsert and cancel."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from seamline.errors import CorruptState, InstanceChanged, NotFound, TaskChanged
from seamline.store import Commit, HumanTask, Instance, Store, TaskStatus

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def seed(store: Store, make: Any, *tasks: HumanTask, id: str = "i") -> Instance:
    """Create instance ``id`` with these tasks."""
    return store.commit(Commit(make.instance(id), None, b"", tasks=list(tasks)))


def ids(tasks: list[HumanTask]) -> list[str]:
    return [t.id for t in tasks]


def test_task_reads_back_whole(store: Store, make: Any) -> None:
    task = make.task(
        "i",
        "t-full",
        candidate_users=("ann", "bob"),
        candidate_groups=("sales",),
        due_at=T0 + timedelta(days=1),
        follow_up_at=T0 + timedelta(hours=5),
        priority=80,
        form={"fields": [{"id": "ok", "type": "boolean"}]},
        business_key="order-7",
        lane="Sales",
        note="nobody in group sales",
    )
    seed(store, make, task)
    assert store.get_task("t-full") == task


def test_task_by_unique_prefix(store: Store, make: Any) -> None:
    seed(store, make, make.task("i", "7c1e0a55-1"), make.task("i", "7c1e0b66-2"))
    assert store.get_task("7c1e0a").id == "7c1e0a55-1"
    with pytest.raises(NotFound):
        store.get_task("7c1e0")
    with pytest.raises(NotFound, match="task"):
        store.get_task("does-not-exist")


def test_inbox_shows_what_a_user_may_take(store: Store, make: Any) -> None:
    seed(
        store,
        make,
        make.task("i", "mine", assignee="ann", status=TaskStatus.CLAIMED),
        make.task("i", "offered-to-me", candidate_users=("ann",)),
        make.task("i", "my-group", candidate_groups=("sales",)),
        make.task("i", "other-group", candidate_groups=("legal",)),
        make.task(
            "i", "taken", candidate_groups=("sales",), assignee="bob", status=TaskStatus.CLAIMED
        ),
        make.task("i", "nobody"),
    )
    assert sorted(ids(store.list_tasks(user="ann", groups=["sales", "hr"]))) == [
        "mine",
        "my-group",
        "offered-to-me",
    ]
    assert ids(store.list_tasks(groups=["legal"])) == ["other-group"]
    assert ids(store.list_tasks(user="bob")) == ["taken"]
    assert store.list_tasks() == []
    assert store.list_tasks(user="zed", groups=["none"]) == []
    assert len(store.list_tasks(admin=True)) == 6
    assert ids(store.list_tasks(admin=True, group="sales")) == ["my-group", "taken"]


def test_inbox_filters_and_order(store: Store, make: Any) -> None:
    g = ("ops",)
    seed(store, make, make.task("a", "a1", candidate_groups=g), id="a")
    seed(
        store,
        make,
        make.task("b", "low", candidate_groups=g, priority=10),
        make.task("b", "high", candidate_groups=g, priority=90),
        make.task("b", "old", candidate_groups=g, created_at=T0 - timedelta(hours=1)),
        make.task("b", "late", candidate_groups=g, due_at=T0 - timedelta(minutes=1)),
        id="b",
    )
    assert ids(store.list_tasks(groups=g)) == ["high", "old", "a1", "late", "low"]
    assert ids(store.list_tasks(groups=g, limit=2)) == ["high", "old"]
    assert ids(store.list_tasks(groups=g, instance_id="a")) == ["a1"]
    assert ids(store.list_tasks(groups=g, overdue_at=T0)) == ["late"]
    assert store.list_tasks(groups=g, overdue_at=T0 - timedelta(hours=1)) == []
    assert store.list_tasks(groups=g, status=[TaskStatus.COMPLETED]) == []


def test_claim_and_reassign(store: Store, make: Any) -> None:
    seed(store, make, make.task("i", "t", candidate_groups=("sales",)))
    claimed = store.claim_task("t", "ann", expected_assignee=None)
    assert (claimed.status, claimed.assignee) == (TaskStatus.CLAIMED, "ann")
    with pytest.raises(TaskChanged, match="assigned to ann") as err:
        store.claim_task("t", "bob", expected_assignee=None)
    assert isinstance(err.value, InstanceChanged)
    moved = store.claim_task("t", "bob", expected_assignee="ann")
    assert moved.assignee == "bob"
    released = store.set_assignee("t", None)
    assert (released.status, released.assignee) == (TaskStatus.OPEN, None)
    assigned = store.set_assignee("t", "cy")
    assert (assigned.status, assigned.assignee) == (TaskStatus.CLAIMED, "cy")
    assert store.get_task("t") == assigned


def test_a_claim_and_its_event_are_one_transaction(store: Store, make: Any) -> None:
    seed(store, make, make.task("i", "t", candidate_groups=("sales",)))
    claimed_event = make.event("i", "task_claimed")
    store.claim_task("t", "ann", expected_assignee=None, events=[claimed_event])
    with pytest.raises(TaskChanged):
        store.claim_task("t", "bob", expected_assignee=None, events=[make.event("i", "lost")])
    store.set_assignee("t", None, events=[make.event("i", "task_unclaimed")])
    kinds = [e.kind for e in store.list_events("i")]
    assert "lost" not in kinds
    assert kinds[-2:] == ["task_claimed", "task_unclaimed"]


def test_finished_tasks_cannot_be_claimed_or_assigned(store: Store, make: Any) -> None:
    inst = seed(store, make, make.task("i", "t"))
    store.commit(Commit(replace(inst, version=2), 1, b"", completed_tasks=[("t", "ann")]))
    with pytest.raises(TaskChanged, match="completed"):
        store.claim_task("t", "bob", expected_assignee=None)
    with pytest.raises(TaskChanged, match="completed"):
        store.set_assignee("t", "bob")
    with pytest.raises(NotFound):
        store.claim_task("ghost-task", "bob", expected_assignee=None)


def race(store: Store, task_id: str, users: tuple[str, ...]) -> dict[str, str]:
    """Let every user claim the unassigned task at the same moment; who won, who lost."""
    barrier = threading.Barrier(len(users))
    results: dict[str, str] = {}

    def claim(user: str) -> None:
        barrier.wait()
        try:
            store.claim_task(task_id, user, expected_assignee=None)
            results[user] = "won"
        except TaskChanged:
            results[user] = "lost"

    threads = [threading.Thread(target=claim, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_threads_claiming_at_once_one_wins(store: Store, make: Any) -> None:
    seed(store, make, *[make.task("i", f"race-{n}") for n in range(5)])
    for n in range(5):
        results = race(store, f"race-{n}", ("ann", "bob"))
        assert sorted(results.values()) == ["lost", "won"]
        winner = next(u for u, r in results.items() if r == "won")
        assert store.get_task(f"race-{n}").assignee == winner


def test_claim_survives_an_engine_upsert_of_the_open_task(store: Store, make: Any) -> None:
    task = make.task("i", "t", candidate_groups=("sales",))
    inst = seed(store, make, task)
    store.claim_task("t", "ann", expected_assignee=None)
    store.commit(Commit(replace(inst, version=2), 1, b"", tasks=[replace(task, name="Renamed")]))
    got = store.get_task("t")
    assert (got.status, got.assignee, got.name) == (TaskStatus.CLAIMED, "ann", "Renamed")
    # The engine may still assign explicitly.
    store.commit(
        Commit(
            replace(inst, version=3),
            2,
            b"",
            tasks=[replace(task, status=TaskStatus.CLAIMED, assignee="bob")],
        )
    )
    assert store.get_task("t").assignee == "bob"


def test_upsert_updates_candidates(store: Store, make: Any) -> None:
    task = make.task("i", "t", candidate_groups=("sales",))
    inst = seed(store, make, task)
    moved = replace(task, candidate_groups=("legal",), candidate_users=("zoe",))
    store.commit(Commit(replace(inst, version=2), 1, b"", tasks=[moved]))
    assert store.list_tasks(groups=["sales"]) == []
    assert ids(store.list_tasks(groups=["legal"])) == ["t"]
    assert ids(store.list_tasks(user="zoe")) == ["t"]
    assert store.get_task("t").candidate_users == ("zoe",)


def test_tasks_left_out_are_cancelled_unless_completed(store: Store, make: Any) -> None:
    keep, done, gone = make.task("i", "keep"), make.task("i", "done"), make.task("i", "gone")
    claimed = make.task("i", "claimed")
    inst = seed(store, make, keep, done, gone, claimed)
    seed(store, make, make.task("j", "elsewhere"), id="j")
    store.claim_task("claimed", "ann", expected_assignee=None)
    store.commit(
        Commit(
            replace(inst, version=2, updated_at=T0 + timedelta(hours=1)),
            1,
            b"",
            tasks=[keep],
            completed_tasks=[("done", "bob")],
        )
    )
    statuses = {t.id: t.status for t in store.list_tasks(admin=True, status=list(TaskStatus))}
    assert statuses == {
        "keep": TaskStatus.OPEN,
        "done": TaskStatus.COMPLETED,
        "gone": TaskStatus.CANCELLED,
        "claimed": TaskStatus.CANCELLED,
        "elsewhere": TaskStatus.OPEN,
    }
    finished = store.get_task("done")
    assert (finished.completed_by, finished.completed_at) == ("bob", T0 + timedelta(hours=1))
    assert store.list_tasks(user="ann") == []


def test_task_status_values_are_lowercase() -> None:
    assert [s.value for s in TaskStatus] == ["open", "claimed", "completed", "cancelled"]


def test_corrupt_task_rows_name_table_and_id(store: Store, make: Any, raw: Any) -> None:
    inst = make.instance("i")
    store.commit(Commit(inst, None, b"", tasks=[make.task("i", "t1"), make.task("i", "t2")]))
    raw("UPDATE tasks SET form = ? WHERE id = ?", ("[1,", "t1"))
    raw("UPDATE tasks SET status = ? WHERE id = ?", ("exploded", "t2"))
    with pytest.raises(CorruptState, match="tasks row t1"):
        store.get_task("t1")
    with pytest.raises(CorruptState, match="tasks row t2 holds an unknown status"):
        store.get_task("t2")
