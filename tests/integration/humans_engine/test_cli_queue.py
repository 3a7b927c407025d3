"""`seamline tasks/claim/unclaim/assign/complete` as different users on one SQLite file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from seamline.app import App
from seamline.cli.main import cli
from tests.integration.humans_engine import diagrams as d

SEAMLINE = str(Path(sys.executable).parent / "seamline")

#: process id -> the user task's attributes (dates far in the past or future: real clock).
PROCESSES = {
    "assist": d.attrs(camunda_candidateGroups="assistants", camunda_dueDate="2000-01-01T00:00:00Z"),
    "approve": d.attrs(camunda_candidateGroups="approvers", camunda_dueDate="2999-01-01T00:00:00Z"),
    "named": d.attrs(camunda_candidateUsers="bo, al"),
    "held": d.attrs(camunda_assignee="bo"),
    "legal": d.attrs(camunda_candidateGroups="legal"),
}


class World:
    """A project folder: seamline.toml, one diagram per process, one instance of each."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.db = root / "queue.db"
        self.config = root / "seamline.toml"
        self.config.write_text(d.USERS_TOML, encoding="utf-8")
        self.instances: dict[str, str] = {}
        self.tasks: dict[str, str] = {}
        with self.open() as app:
            for pid, extra in PROCESSES.items():
                path = root / f"{pid}.bpmn"
                xml = d.single_task("camunda7", pid, extra, d.FORM if pid == "assist" else "")
                path.write_text(xml, encoding="utf-8")
                view = app.run(path, {})
                self.instances[pid] = view.instance.id
                [task] = app.tasks(user="root", instance_id=view.instance.id)
                self.tasks[pid] = task.id

    def open(self) -> App:
        return App.open(str(self.db), config=self.config, cwd=self.root)

    def cli(self, *args: str, user: str | None = None) -> Any:
        """Run a command in-process; the result's JSON output parsed when --json was given."""
        who = ["--as", user] if user else []
        argv = ["--db", str(self.db), "--config", str(self.config), *who, *args]
        result = CliRunner().invoke(cli, argv, catch_exceptions=False)
        if "--json" in args and result.exit_code == 0:
            return json.loads(result.output)
        return result

    def run(
        self, *args: str, user: str, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run a command in its own process, as a user at a terminal would."""
        argv = [SEAMLINE, "--db", str(self.db), "--as", user, *args]
        return subprocess.run(
            argv, cwd=self.root, input=stdin, capture_output=True, text=True, timeout=120
        )

    def queue(self, *args: str, user: str | None) -> set[str]:
        """The process ids of the tasks `seamline tasks ARGS` lists for ``user``."""
        return {row["process"] for row in self.cli("tasks", *args, "--json", user=user)}


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


def test_each_user_sees_their_queue(world: World) -> None:
    assert world.queue(user="al") == {"assist", "named"}
    assert world.queue(user="ann") == {"assist"}
    assert world.queue(user="bo") == {"approve", "named", "held"}
    assert world.queue(user="root") == set(PROCESSES)


def test_mine_is_what_names_me(world: World) -> None:
    assert world.queue("--mine", user="bo") == {"named", "held"}
    assert world.queue("--mine", user="ann") == set()


def test_group_overdue_and_instance_filters(world: World) -> None:
    assert world.queue("--group", "approvers", user="root") == {"approve"}
    assert world.queue("--group", "approvers", user="al") == set()
    assert world.queue("--overdue", user="root") == {"assist"}
    assert world.queue("--overdue", user="bo") == set()
    prefix = world.instances["held"][:8]
    assert world.queue("--instance", prefix, user="root") == {"held"}


def test_admin_sees_why_nobody_can_take_a_task(world: World) -> None:
    rows = world.cli("tasks", "--json", user="root")
    [legal] = [r for r in rows if r["process"] == "legal"]
    assert "candidate groups legal" in legal["note"]
    assert all(r["note"] is None for r in rows if r["process"] != "legal")
    shown = world.run("tasks", "--group", "legal", user="root")
    assert shown.returncode == 0 and "only administrators can take it" in shown.stdout


def test_unknown_user_is_refused(world: World) -> None:
    result = world.cli("tasks", user="mallory")
    assert result.exit_code == 4


def test_claim_unclaim_assign_through_the_cli(world: World) -> None:
    task = world.tasks["assist"][:8]
    claimed = world.cli("claim", task, "--json", user="al")
    assert claimed["assignee"] == "al" and claimed["status"] == "claimed"
    assert world.queue(user="ann") == set()
    assert world.cli("claim", task, user="ann").exit_code == 4
    assert world.cli("unclaim", task, "--json", user="al")["assignee"] is None
    assert world.cli("assign", task, "ann", "--json", user="root")["assignee"] == "ann"
    assert world.queue("--mine", user="ann") == {"assist"}


def test_completion_across_processes_by_the_right_user(world: World) -> None:
    task = world.tasks["approve"]
    claimed = world.run("claim", task[:8], user="bo")
    assert claimed.returncode == 0, claimed.stderr
    refused = world.run("complete", task[:8], "--data", '{"approved": true}', user="al")
    assert refused.returncode == 4
    assert refused.stderr.count("\n") == 1 and "al may not complete task" in refused.stderr
    assert "Traceback" not in refused.stderr
    done = world.run("complete", task[:8], "--data", '{"approved": true}', "--json", user="bo")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "completed"
    with world.open() as app:
        view = app.show(world.instances["approve"])
        kinds = [e.kind for e in view.history or ()]
        assert view.instance.data["approved"] is True
        assert kinds.count("task_refused") == 1 and "task_completed" in kinds
        [completed] = [e for e in view.history or () if e.kind == "task_completed"]
        assert completed.actor == "bo"


def test_invalid_form_data_exits_1_with_one_line_per_field(world: World) -> None:
    task = world.tasks["assist"][:8]
    bad = json.dumps({"name": "A", "amount": 99, "ok": "maybe"})
    result = world.run("complete", task, "--data", bad, user="al")
    assert result.returncode == 1
    fields = [line.strip()[2:].split(":")[0] for line in result.stderr.splitlines()[1:]]
    assert fields == ["name", "amount", "ok"]
    with world.open() as app:
        assert app.show(world.instances["assist"]).instance.status.value == "waiting"


def test_interactive_form_asks_again_until_valid(world: World) -> None:
    task = world.tasks["assist"][:8]
    # name too short first, then valid; amount out of range first; then the rest.
    answers = "A\nAnn\n42\n7\nyes\n2024-02-03\n2\n"
    result = world.run("complete", task, "--form", "--json", user="ann", stdin=answers)
    assert result.returncode == 0, result.stderr + result.stdout
    out = result.stdout
    view = json.loads(out[out.index("{") :])
    assert view["status"] == "completed"
    data = view["data"]
    assert (data["name"], data["amount"], data["ok"], data["when"], data["color"]) == (
        "Ann",
        7,
        True,
        "2024-02-03",
        "blue",
    )
    assert "at least 2" in out and "<= 10" in out
