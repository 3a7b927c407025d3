"""Two OS processes act on the same task at the same moment: exactly one wins.

The racers meet (a barrier made of files) after both have read the same version, so the
conflict is certain rather than a matter of timing; the free race only starts them together.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from seamline.app import App
from seamline.humans.identity import ConfigDirectory
from seamline.store.records import HumanTask, Instance, TaskStatus
from seamline.store.sqlite import SqliteStore
from tests.integration.durability.child import USERS
from tests.integration.durability.helpers import spawn
from tests.unit.engine import diagrams as d


def _waiting_task(tmp_path: Path) -> tuple[Path, Instance, HumanTask]:
    db = tmp_path / "race.db"
    diagram = tmp_path / "user_loop.bpmn"
    diagram.write_text(d.USER_LOOP, encoding="utf-8")
    with App(SqliteStore(db)) as app:
        view = app.run(diagram, {"i": 0, "n": 5})
        [task] = app.tasks(instance_id=view.instance.id)
    return db, view.instance, task


def _race(*argvs: tuple[str, ...]) -> list[subprocess.CompletedProcess[str]]:
    # Each racer works in the folder of its database, away from any seamline.toml.
    procs = [spawn(*argv, cwd=Path(argv[1]).parent) for argv in argvs]
    out = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=180)
        out.append(subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr))
    return out


def _outcomes(done: list[subprocess.CompletedProcess[str]]) -> list[dict[str, Any]]:
    results = []
    for proc in done:
        assert proc.returncode == 0, proc.stderr
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return results


def _assert_one_step(db: Path, before: Instance, task: HumanTask) -> None:
    """The store holds exactly one completion of ``task``: one event, one version more."""
    with App(SqliteStore(db)) as app:
        after = app.store.get_instance(before.id)
        events = app.store.list_events(before.id)
        done = app.store.get_task(task.id)
        open_tasks = app.tasks(instance_id=before.id)
    kinds = Counter(e.kind for e in events)
    assert kinds["task_completed"] == 1
    assert after.version == before.version + 1
    assert after.data["i"] == 1
    assert done.status is TaskStatus.COMPLETED
    assert len(open_tasks) == 1 and open_tasks[0].id != task.id


def test_two_processes_complete_the_same_task_one_wins(tmp_path: Path) -> None:
    db, instance, task = _waiting_task(tmp_path)
    meet = tmp_path / "meet"
    results = _outcomes(
        _race(
            ("complete", str(db), task.id, str(meet), "a"),
            ("complete", str(db), task.id, str(meet), "b"),
        )
    )
    assert sorted(r.get("error", "won") for r in results) == ["InstanceChanged", "won"]
    [lost] = [r for r in results if "error" in r]
    assert instance.id in lost["message"] and "nothing was written" in lost["message"]
    _assert_one_step(db, instance, task)


def test_free_race_one_wins_the_other_is_refused(tmp_path: Path) -> None:
    db, instance, task = _waiting_task(tmp_path)
    meet = tmp_path / "meet"
    results = _outcomes(
        _race(
            ("free-complete", str(db), task.id, str(meet), "a"),
            ("free-complete", str(db), task.id, str(meet), "b"),
        )
    )
    outcomes = [r.get("error", "won") for r in results]
    assert outcomes.count("won") == 1, results
    # Depending on how far the winner got, the loser sees a moved version or a finished task.
    [lost] = [o for o in outcomes if o != "won"]
    assert lost in ("InstanceChanged", "InvalidState", "NotFound"), results
    _assert_one_step(db, instance, task)


def test_cli_loser_exits_3_with_the_changed_message(tmp_path: Path) -> None:
    db, instance, task = _waiting_task(tmp_path)
    meet = tmp_path / "meet"
    done = _race(
        ("cli-complete", str(db), task.id, str(meet), "a"),
        ("cli-complete", str(db), task.id, str(meet), "b"),
    )
    assert sorted(p.returncode for p in done) == [0, 3], [(p.returncode, p.stderr) for p in done]
    [loser] = [p for p in done if p.returncode == 3]
    [line] = loser.stderr.strip().splitlines()
    assert "changed since it was loaded" in line and instance.id in line
    assert "Traceback" not in loser.stderr
    _assert_one_step(db, instance, task)


def test_two_users_claim_the_same_task_one_wins(tmp_path: Path) -> None:
    db, instance, task = _waiting_task(tmp_path)
    meet = tmp_path / "meet"
    results = _outcomes(
        _race(
            ("claim", str(db), task.id, str(meet), "a", "ann"),
            ("claim", str(db), task.id, str(meet), "b", "bob"),
        )
    )
    assert sorted(r.get("error", "won") for r in results) == ["TaskChanged", "won"], results
    [lost] = [r for r in results if "error" in r]
    assert "is now assigned to" in lost["message"]
    with App(SqliteStore(db), directory=ConfigDirectory(USERS)) as app:
        row = app.store.get_task(task.id)
        claims = [e for e in app.store.list_events(instance.id) if e.kind == "task_claimed"]
    assert row.status is TaskStatus.CLAIMED
    assert row.assignee in ("ann", "bob")
    # Only the winner's claim is on record, and it names the holder.
    assert [e.actor for e in claims] == [row.assignee]
    assert f"is now assigned to {row.assignee}" in lost["message"]


@pytest.mark.parametrize("role", ["complete", "claim"])
def test_a_lone_racer_is_not_held(tmp_path: Path, role: str) -> None:
    # The meeting needs both parties; with the other racer's mark already there, one proceeds
    # and wins, which shows the race tests above would notice a racer that never conflicts.
    db, _, task = _waiting_task(tmp_path)
    meet = tmp_path / "meet"
    meet.mkdir()
    (meet / "ghost.here").write_text("ghost")
    extra = ("ann",) if role == "claim" else ()
    [result] = _outcomes(_race((role, str(db), task.id, str(meet), "a", *extra)))
    assert result == {"won": True}
