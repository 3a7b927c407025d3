"""Timer scenarios scripted end to end through the `seamline` binary and its test clock.

Each case reproduces one of Camunda 7's timer tests (engine/src/test/java/org/camunda/bpm/
engine/test/bpmn/event/timer) the way a user scripts it: `seamline clock init` on a fresh
database, deploy or run, `seamline clock advance|set` (which fires what became due and prints
it), then the ordinary commands. Camunda's ``ClockUtil.setCurrentTime`` is the test clock here.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conformance.harness import camunda7, flows, user
from tests.conformance.test_timers import boundary, catch, timer_start
from tests.processes import HANG_GUARD_SECONDS, child_env, seamline_binary

START = "2026-01-05T09:00:00+00:00"


class Cli:
    """The seamline binary on one database of the case's directory."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.db = tmp / "clock.db"
        self.binary = seamline_binary()

    def __call__(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [self.binary, "--db", str(self.db), *args],
            capture_output=True,
            text=True,
            env=child_env(),
            cwd=self.tmp,
            timeout=HANG_GUARD_SECONDS,
            check=False,
        )
        if ok:
            assert done.returncode == 0, done.stderr
        return done

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json").stdout)

    def write(self, xml: str, name: str = "process.bpmn") -> str:
        path = self.tmp / name
        path.write_text(xml, encoding="utf-8")
        return str(path)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """A fresh database with a test clock at the harness epoch (Monday 09:00 UTC)."""
    made = Cli(tmp_path)
    assert made.json("clock", "init", "--at", START) == {"now": START, "test_clock": True}
    return made


def _started(cli: Cli, process: str) -> list[dict[str, Any]]:
    """Instances that started: the schedule waiting at the start timer is not one yet."""
    tasks = {t["instance"] for t in cli.json("tasks")}
    return [i for i in cli.json("instances") if i["process"] == process and i["instance"] in tasks]


def test_cli_start_cycle_starts_one_instance_per_advance(cli: Cli) -> None:
    """StartTimerEventTest.testCycleWithLimitStartTimerEvent through the binary: each
    `clock advance 5m` fires the start timer once and prints it; two instances in all."""
    cli(
        "deploy",
        cli.write(camunda7("p", timer_start("timeCycle", "R2/PT5M") + user("u") + flows("s->u"))),
    )
    moved = cli.json("clock", "advance", "5m")
    assert moved["now"] == "2026-01-05T09:05:00+00:00"
    assert [(f["process"], f["element"]) for f in moved["fired"]] == [("p", "s")]
    assert len(_started(cli, "p")) == 1
    assert len(cli.json("clock", "advance", "PT5M")["fired"]) == 1
    assert len(_started(cli, "p")) == 2
    assert cli.json("clock", "advance", "PT5M")["fired"] == []


def test_cli_interrupting_boundary_timer(cli: Cli) -> None:
    """BoundaryTimerEventTest.testInterruptingTimerDuration through the binary: an hour after
    `run`, `clock advance PT1H` fires the timer and the escalation task is the one open."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("firstLine")
        + boundary("t", "firstLine", "timeDuration", "PT1H")
        + user("secondLine")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->firstLine", "firstLine->e", "t->secondLine"),
    )
    cli("run", cli.write(xml))
    assert cli.json("clock", "advance", "59m")["fired"] == []
    assert [t["element"] for t in cli.json("tasks")] == ["firstLine"]
    fired = cli.json("clock", "advance", "1m")["fired"]
    assert [f["element"] for f in fired] == ["t"]
    assert [t["element"] for t in cli.json("tasks")] == ["secondLine"]


def test_cli_intermediate_timer_by_clock_set(cli: Cli) -> None:
    """IntermediateTimerEventTest.testCatchingTimerEvent through the binary: `clock set` to
    the due instant fires the catch event and the instance completes."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + catch("timer", "timeDuration", "PT50M")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->timer", "timer->e"),
    )
    cli("run", cli.write(xml))
    moved = cli.json("clock", "set", "2026-01-05T09:50:00Z")
    assert [f["element"] for f in moved["fired"]] == ["timer"]
    assert [i["status"] for i in cli.json("instances")] == ["completed"]


def test_cli_non_interrupting_cycle_keeps_its_branches(cli: Cli) -> None:
    """BoundaryTimerNonInterruptingEventTest.testTimerWithCycle through the binary: one
    `clock advance 3h` fires ``R3/PT1H`` three times (three rows printed); the task completed
    after leaves the three escalation tasks open."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("task")
        + boundary("t", "task", "timeCycle", "R3/PT1H", cancel=False)
        + user("fired")
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
        + flows("s->task", "task->e", "t->fired", "fired->e2"),
    )
    cli("run", cli.write(xml))
    table = cli("clock", "advance", "3h").stdout
    assert "fired (3)" in table
    (main,) = [t["task"] for t in cli.json("tasks") if t["element"] == "task"]
    cli("complete", main)
    assert sorted(t["element"] for t in cli.json("tasks")) == ["fired", "fired", "fired"]


def test_cli_commands_run_on_the_stored_time(cli: Cli) -> None:
    """ClockUtil.setCurrentTime: every command opening the database runs on the test clock —
    an instance started after `clock advance` is created at the clock's time."""
    cli("clock", "advance", "P1DT2H")
    assert cli.json("clock", "show")["now"] == "2026-01-06T11:00:00+00:00"
    cli("run", cli.write(camunda7("p", '<bpmn:startEvent id="s"/>' + user("u") + flows("s->u"))))
    assert [i["created"] for i in cli.json("instances")] == ["2026-01-06T11:00:00+00:00"]


@pytest.mark.parametrize(
    "args",
    [("clock", "show"), ("clock", "set", START), ("clock", "advance", "1h")],
    ids=["show", "set", "advance"],
)
def test_cli_clock_refused_without_a_test_clock(tmp_path: Path, args: tuple[str, ...]) -> None:
    """The engine's real clock cannot be read or moved: a database not created with a test
    clock refuses `clock show|set|advance` with one line and exit code 2."""
    cli = Cli(tmp_path)
    done = cli(*args, ok=False)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "no test clock" in lines[0] and "clock init" in lines[0]


def test_cli_clock_init_needs_a_fresh_database(tmp_path: Path) -> None:
    """A test clock is only created on a fresh database (its timers were set by the real clock
    otherwise): `clock init` after a deploy is refused with one line, exit code 2."""
    cli = Cli(tmp_path)
    cli("deploy", cli.write(camunda7("p", '<bpmn:startEvent id="s"/>' + user("u") + flows("s->u"))))
    done = cli("clock", "init", ok=False)
    assert done.returncode == 2 and "fresh database" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_cli_clock_rejects_unreadable_durations(cli: Cli) -> None:
    """`clock advance` reads ISO 8601 durations and 1h/90m forms; anything else (or a step
    back) is a usage error naming what it could not read."""
    assert cli("clock", "advance", "soon", ok=False).returncode == 2
    assert cli("clock", "advance", "PT0S", ok=False).returncode == 2
    assert cli.json("clock", "show")["now"] == START
