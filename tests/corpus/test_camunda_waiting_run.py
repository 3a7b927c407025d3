"""Camunda 7 engine-test diagrams about timers, messages and signals run as their names say."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from seamline.app import App
from seamline.store.memory import MemoryStore

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


class Run:
    """One diagram under an injected clock."""

    def __init__(self, corpus: Path, name: str, **kw: object) -> None:
        self.now = [START]
        self.app = App(MemoryStore(), clock=lambda: self.now[0])
        self.folder = corpus / "camunda-engine-tests"
        self.id = self.app.run(self.folder / name, **kw).instance.id  # type: ignore[arg-type]

    def at(self, delta: dt.timedelta) -> int:
        self.now[0] = START + delta
        return self.app.worker().run_once()

    def waiting(self) -> list[str]:
        return sorted(w.element for w in self.app.show(self.id).waiting)

    def status(self) -> str:
        return self.app.show(self.id).instance.status.value


def test_multiple_timers_on_user_task_earliest_wins(corpus: Path) -> None:
    run = Run(corpus, "BoundaryTimerEventTest.testMultipleTimersOnUserTask.bpmn20.xml")
    assert run.waiting() == [
        "escalationTimer1",
        "escalationTimer2",
        "escalationTimer3",
        "firstTask",
    ]
    assert run.at(HOUR - dt.timedelta(seconds=1)) == 0
    assert run.at(HOUR + dt.timedelta(seconds=1)) == 1
    assert run.waiting() == ["thirdTask"]  # PT1H escalationTimer2, interrupting
    assert run.at(4 * HOUR) == 0


def test_intermediate_catching_timer(corpus: Path) -> None:
    run = Run(corpus, "IntermediateTimerEventTest.testCatchingTimerEvent.bpmn20.xml")
    assert run.at(dt.timedelta(minutes=4)) == 0
    assert run.at(dt.timedelta(minutes=6)) == 1
    assert run.status() == "completed"


def test_duration_start_timer(corpus: Path) -> None:
    run = Run(corpus, "StartTimerEventTest.testDurationStartTimerEvent.bpmn20.xml")
    assert run.waiting() == ["theStart"]
    assert run.at(dt.timedelta(minutes=4)) == 0
    assert run.at(dt.timedelta(minutes=6)) == 1
    assert run.waiting() != ["theStart"]


def test_single_boundary_message(corpus: Path) -> None:
    run = Run(
        corpus,
        "MessageBoundaryEventTest.testSingleBoundaryMessageEvent.bpmn20.xml",
        business_key="k1",
    )
    assert run.waiting() == ["messageBoundary", "task"]
    assert run.app.message("messageName", key="k1").instances == (run.id,)
    assert run.waiting() == ["taskAfterMessage"]


@pytest.mark.parametrize(
    ("send", "after"),
    [(("signal", "alert"), "task2"), (("message", "newInvoice"), "task3")],
)
def test_event_gateway_signal_or_message(corpus: Path, send: tuple[str, str], after: str) -> None:
    run = Run(corpus, "EventBasedGatewayTest.testCatchSignalAndMessageAndTimer.bpmn20.xml")
    # The gateway's PT0S timer falls due only once the clock moves; the event arrives first.
    kind, name = send
    if kind == "signal":
        run.app.signal(name)
    else:
        run.app.message(name)
    assert run.waiting() == [after]


def test_event_gateway_alert_signal(corpus: Path) -> None:
    run = Run(corpus, "EventBasedGatewayTest.testCatchAlertAndTimer.bpmn20.xml")
    run.app.signal("alert")
    assert run.waiting() == ["task2"]  # afterSignal; the timer branch is cancelled


def test_event_gateway_timer(corpus: Path) -> None:
    run = Run(corpus, "EventBasedGatewayTest.testCatchSignalAndMessageAndTimer.bpmn20.xml")
    assert run.at(dt.timedelta(seconds=1)) == 1
    assert run.waiting() == ["task1"]


def test_simple_receive_task_waits(corpus: Path) -> None:
    run = Run(corpus, "ReceiveTaskTest.simpleReceiveTask.bpmn20.xml")
    assert run.waiting() == ["waitState"]
    assert run.app.message("waitState").instances == (run.id,)
    assert run.status() == "completed"


def test_catch_alert_signal(corpus: Path) -> None:
    run = Run(corpus, "SignalEventTests.catchAlertSignal.bpmn20.xml")
    assert run.waiting() == ["signalEvent"]
    assert run.app.signal("alert").instances == (run.id,)
    assert run.status() == "completed"


def test_signal_boundary_on_subprocess_interrupts_it(corpus: Path) -> None:
    run = Run(corpus, "SignalEventTest.testSignalBoundaryOnSubProcess.bpmn20.xml")
    assert run.waiting() == ["timer", "waitStopSignal"]
    run.app.signal("stopSignal")
    assert run.status() == "completed"
    assert run.at(2 * 24 * HOUR) == 0


def test_event_subprocess_message_start(corpus: Path) -> None:
    run = Run(corpus, "InterruptingEventSubProcessTest.testCancelEventSubscriptions.bpmn")
    assert run.app.message("newMessage").instances == (run.id,)
    assert "taskAfterMessageStartEvent" in run.waiting()


def test_interrupting_event_subprocess_cancels_the_rest(corpus: Path) -> None:
    run = Run(corpus, "InterruptingEventSubProcessTest.testCancelEventSubscriptions.bpmn")
    run.app.message("newMessage")
    assert run.waiting() == ["taskAfterMessageStartEvent"]
