"""Claiming, giving back and handing over tasks, and refusing people who may not act."""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from seamline.app import App
from seamline.config import Settings
from seamline.errors import Forbidden, InstanceChanged, NotFound
from seamline.store.records import HumanTask, TaskStatus
from seamline.store.sqlite import SqliteStore
from tests.integration.humans_engine import diagrams as d

GROUP_TASK = d.single_task("camunda7", "claims", d.attrs(camunda_candidateGroups="assistants"))


class MeetAfterRead:
    """A store whose get_task waits until every racer has read the task.

    Both claims then start from the same unassigned row, so the conflict is certain rather
    than a matter of thread scheduling.
    """

    def __init__(self, store: SqliteStore, barrier: threading.Barrier) -> None:
        self._store = store
        self._barrier = barrier

    def get_task(self, id: str) -> HumanTask:
        row = self._store.get_task(id)
        self._barrier.wait(timeout=60)
        return row

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def _sqlite_app(db: Path, store: Any = None) -> App:
    settings = Settings(raw=tomllib.loads(d.USERS_TOML))
    return App(store or SqliteStore(db), settings=settings)


def test_claim_race_one_wins_the_other_is_told_who(tmp_path: Path) -> None:
    db = tmp_path / "queue.db"
    path = tmp_path / "claims.bpmn"
    path.write_text(GROUP_TASK, encoding="utf-8")
    with _sqlite_app(db) as app:
        view = app.run(path, {})
        [task] = app.tasks(user="al")
    barrier = threading.Barrier(2)
    results: dict[str, Any] = {}

    def racer(user: str) -> None:
        app = _sqlite_app(db, MeetAfterRead(SqliteStore(db), barrier))
        try:
            results[user] = app.claim(task.id, user=user)
        except Exception as exc:  # collected and asserted below
            results[user] = exc
        finally:
            app.close()

    threads = [threading.Thread(target=racer, args=(u,)) for u in ("al", "ann")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    winners = [u for u, r in results.items() if isinstance(r, HumanTask)]
    losers = [r for r in results.values() if not isinstance(r, HumanTask)]
    assert len(winners) == 1 and len(losers) == 1
    [loser] = losers
    assert isinstance(loser, InstanceChanged) and loser.exit_code == 3
    assert f"now assigned to {winners[0]}" in str(loser)
    with _sqlite_app(db) as app:
        row = app.task(task.id)
        assert row.status is TaskStatus.CLAIMED and row.assignee == winners[0]
        kinds = [e.kind for e in app.show(view.instance.id).history or ()]
        assert kinds.count("task_claimed") == 1


def test_claimed_task_leaves_the_other_candidates_queues(
    app: App, diagram: Callable[..., Path]
) -> None:
    app.run(diagram(GROUP_TASK), {})
    [task] = app.tasks(user="al")
    app.claim(task.id, user="al")
    assert app.tasks(user="ann") == []
    assert [t.id for t in app.tasks(user="al", mine=True)] == [task.id]
    with pytest.raises(Forbidden, match="assigned to al"):
        app.claim(task.id, user="ann")
    with pytest.raises(Forbidden):
        app.complete(task.id, {}, user="ann")
    assert app.claim(task.id, user="al").assignee == "al"  # claiming again is harmless


def test_unclaim_gives_the_task_back(app: App, diagram: Callable[..., Path]) -> None:
    app.run(diagram(GROUP_TASK), {})
    [task] = app.tasks(user="al")
    app.claim(task.id, user="al")
    with pytest.raises(Forbidden):
        app.unclaim(task.id, user="ann")
    back = app.unclaim(task.id, user="al")
    assert back.status is TaskStatus.OPEN and back.assignee is None
    assert [t.id for t in app.tasks(user="ann")] == [task.id]
    assert app.claim(task.id, user="ann").assignee == "ann"


def test_admin_assigns_and_takes_over(app: App, diagram: Callable[..., Path]) -> None:
    view = app.run(diagram(GROUP_TASK), {})
    [task] = app.tasks(user="al")
    app.claim(task.id, user="al")
    moved = app.assign(task.id, "ann", user="root")
    assert moved.assignee == "ann" and moved.status is TaskStatus.CLAIMED
    assert app.tasks(user="al") == []
    assert app.claim(task.id, user="root").assignee == "root"
    history = app.show(view.instance.id).history or ()
    assigned = [e for e in history if e.kind == "task_assigned"]
    assert assigned and assigned[0].actor == "root" and assigned[0].data["to"] == "ann"
    with pytest.raises(Forbidden, match="unknown user nobody"):
        app.assign(task.id, "nobody", user="root")


def test_holder_hands_the_task_on(app: App, diagram: Callable[..., Path]) -> None:
    app.run(diagram(GROUP_TASK), {})
    [task] = app.tasks(user="al")
    app.claim(task.id, user="al")
    assert app.assign(task.id, "ann", user="al").assignee == "ann"
    assert app.complete(task.id, {}, user="ann").instance.status.value == "completed"
    with pytest.raises((NotFound, InstanceChanged)):
        app.claim(task.id, user="ann")


def test_a_mere_candidate_may_not_assign_an_open_task(
    app: App, diagram: Callable[..., Path]
) -> None:
    app.run(diagram(GROUP_TASK), {})
    [task] = app.tasks(user="al")
    with pytest.raises(Forbidden):
        app.assign(task.id, "bo", user="al")


def test_unauthorized_completion_is_refused_and_recorded(
    app: App, diagram: Callable[..., Path]
) -> None:
    view = app.run(diagram(GROUP_TASK), {})
    [task] = app.tasks(user="al")
    before = app.show(view.instance.id)
    with pytest.raises(Forbidden) as refused:
        app.complete(task.id, {"x": 1}, user="bo")
    assert refused.value.exit_code == 4
    assert "bo may not complete task" in str(refused.value) and "assistants" in str(refused.value)
    after = app.show(view.instance.id)
    assert after.instance.version == before.instance.version
    assert after.instance.data == before.instance.data
    assert app.task(task.id).status is TaskStatus.OPEN
    [event] = [e for e in after.history or () if e.kind == "task_refused"]
    assert event.actor == "bo" and event.data == {"task": task.id, "verb": "complete"}
