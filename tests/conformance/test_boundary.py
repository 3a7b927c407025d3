"""Boundary events in general, as Camunda 7 runs them: an interrupting boundary event destroys
its activity (a subprocess with everything running in it, a called process), a
non-interrupting one runs beside it, and the process ends only when every path has.

Cases not specific to timers, messages or signals (those are in their own areas); the events
here are errors and escalations. Upstream: engine/src/test/java/org/camunda/bpm/engine/test/
bpmn/event/error/BoundaryErrorEventTest and .../escalation/EscalationEventTest.
"""

from __future__ import annotations

from tests.conformance.errorkit import (
    boundary,
    call,
    caught_path,
    end,
    error,
    error_def,
    escalation,
    escalation_def,
    start,
    sub,
    throw,
)
from tests.conformance.harness import Engine, camunda7, flows, user

ERR = error("myError", "myError")
ESC = escalation("escalation", "escalationCode")
TIMER = (
    "<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration>"
    "</bpmn:timerEventDefinition>"
)


def _fork_error_and_task(extra_inner: str = "") -> str:
    """A subprocess forking into an error end event and a user task (with ``extra_inner``
    beside it); a catch-all interrupting boundary on the subprocess."""
    inner = (
        start("subprocessStart")
        + '<bpmn:parallelGateway id="fork"/>'
        + end("subprocessEndError", error_def("myError"))
        + user("subprocessTask")
        + end("subprocessEnd")
        + flows(
            "subprocessStart->fork",
            "fork->subprocessEndError",
            "fork->subprocessTask",
            "subprocessTask->subprocessEnd",
        )
        + extra_inner
    )
    return camunda7(
        "process",
        start("theStart")
        + sub("subprocess", inner)
        + boundary("catchError", "subprocess", error_def(), cancel=True)
        + end("theEnd")
        + flows("theStart->subprocess", "subprocess->theEnd")
        + caught_path("catchError", "taskAfterErrorCatch", "caughtEnd"),
        ERR,
    )


def test_concurrent_executions_interrupted_on_destroy_scope(engine: Engine) -> None:
    """BoundaryErrorEventTest.testConcurrentExecutionsInterruptedOnDestroyScope: the error of
    one concurrent path destroys the subprocess; the other path's task is gone and does not
    move on; only the task after the boundary is open."""
    run = engine.start(_fork_error_and_task())
    assert run.open_tasks() == ["taskAfterErrorCatch"]
    assert run.visited("subprocessEnd") == 0
    run.complete("taskAfterErrorCatch")
    assert run.ended
    assert run.visited("theEnd") == 0


def test_interrupting_boundary_cancels_the_waits_inside(engine: Engine) -> None:
    """BoundaryErrorEventTest.testConcurrentExecutionsInterruptedOnDestroyScope, with a timer
    boundary on the inner task: destroying the subprocess removes the inner task's timer too,
    so moving the clock past it changes nothing."""
    inner_timer = boundary("innerTimer", "subprocessTask", TIMER) + end("innerTimerEnd")
    inner_timer += flows("innerTimer->innerTimerEnd")
    run = engine.start(_fork_error_and_task(inner_timer))
    assert run.waiting() == [("taskAfterErrorCatch", "user_task")]
    engine.advance(hours=2)
    assert run.open_tasks() == ["taskAfterErrorCatch"]
    assert run.visited("innerTimer") == 0


def test_non_interrupting_boundary_runs_beside_its_activity(engine: Engine) -> None:
    """EscalationEventTest.testThrowEscalationEventFromEmbeddedSubprocess, carried on: the
    non-interrupting boundary path and the subprocess both go on; the process ends once both
    have ended, in either order."""
    inner = (
        start("startSubProcess")
        + throw("escalationThrowingEvent", escalation_def("escalation"))
        + user("taskInSubprocess")
        + end("endSubProcess")
        + flows(
            "startSubProcess->escalationThrowingEvent",
            "escalationThrowingEvent->taskInSubprocess",
            "taskInSubprocess->endSubProcess",
        )
    )
    xml = camunda7(
        "escalationProcess",
        start("start")
        + sub("subProcess", inner)
        + boundary(
            "escalationBoundaryEvent", "subProcess", escalation_def("escalation"), cancel=False
        )
        + end("theEnd")
        + flows("start->subProcess", "subProcess->theEnd")
        + caught_path("escalationBoundaryEvent", "taskAfterCatched", "caughtEnd"),
        ESC,
    )
    first = engine.start(xml)
    first.complete("taskInSubprocess")
    assert first.open_tasks() == ["taskAfterCatched"]
    assert not first.ended
    first.complete("taskAfterCatched")
    assert first.ended
    second = engine.start(xml)
    second.complete("taskAfterCatched")
    assert second.open_tasks() == ["taskInSubprocess"]
    second.complete("taskInSubprocess")
    assert second.ended


def test_interrupting_boundary_on_call_activity_cancels_the_called_process(
    engine: Engine,
) -> None:
    """EscalationEventTest.testInterruptingEscalationBoundaryEventOnCallActivity, with the
    called process waiting on two parallel tasks: both are cancelled with it."""
    child = camunda7(
        "throwEscalationProcess",
        start("start")
        + '<bpmn:parallelGateway id="fork"/>'
        + user("otherTask")
        + end("otherEnd")
        + throw("escalationThrowingEvent", escalation_def("escalation"))
        + user("taskAfterThrown")
        + end("theEnd")
        + flows(
            "start->fork",
            "fork->otherTask",
            "otherTask->otherEnd",
            "fork->escalationThrowingEvent",
            "escalationThrowingEvent->taskAfterThrown",
            "taskAfterThrown->theEnd",
        ),
        ESC,
    )
    parent = camunda7(
        "catchEscalationProcess",
        start("start")
        + call("callActivity", "throwEscalationProcess")
        + boundary(
            "escalationBoundaryEvent", "callActivity", escalation_def("escalation"), cancel=True
        )
        + end("theEnd")
        + flows("start->callActivity", "callActivity->theEnd")
        + caught_path("escalationBoundaryEvent", "taskAfterCatched", "caughtEnd"),
        ESC,
    )
    ids = engine.deploy(parent, child)
    run = engine.start(ids[0])
    assert run.open_tasks() == ["taskAfterCatched"]
    run.complete("taskAfterCatched")
    assert run.ended


def test_error_and_escalation_boundaries_on_one_subprocess(engine: Engine) -> None:
    """BoundaryErrorEventTest.testErrorThrownByJavaDelegateNotCaughtByOtherEventType and
    EscalationEventTest.testThrowEscalationEventFromEmbeddedSubprocess together: the
    escalation takes only the escalation boundary (non-interrupting); the later error takes
    only the error boundary, which then destroys the subprocess."""
    inner = (
        start("startSubProcess")
        + throw("escalationThrowingEvent", escalation_def("escalation"))
        + user("taskInSubprocess")
        + end("errorEnd", error_def("myError"))
        + flows(
            "startSubProcess->escalationThrowingEvent",
            "escalationThrowingEvent->taskInSubprocess",
            "taskInSubprocess->errorEnd",
        )
    )
    xml = camunda7(
        "process",
        start("start")
        + sub("subProcess", inner)
        + boundary("onEscalation", "subProcess", escalation_def("escalation"), cancel=False)
        + boundary("onError", "subProcess", error_def("myError"))
        + end("theEnd")
        + flows("start->subProcess", "subProcess->theEnd")
        + caught_path("onEscalation", "escalated", "escalatedEnd")
        + caught_path("onError", "errored", "erroredEnd"),
        ERR + ESC,
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["escalated", "taskInSubprocess"]
    run.complete("taskInSubprocess")
    assert run.open_tasks() == ["errored", "escalated"]
    run.complete("errored")
    run.complete("escalated")
    assert run.ended


def test_boundary_on_inner_task_does_not_catch_an_error_of_its_sibling(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorInConcurrentEmbeddedSubprocesses, in one
    subprocess: a boundary on task A does not catch the error end event of a parallel path
    (only activities enclosing the thrower can); the boundary on the subprocess does."""
    inner = (
        start("subStart")
        + '<bpmn:parallelGateway id="fork"/>'
        + user("taskA")
        + boundary("onTaskA", "taskA", error_def())
        + user("afterTaskA")
        + end("aEnd")
        + end("afterAEnd")
        + end("errorEnd", error_def("myError"))
        + flows(
            "subStart->fork",
            "fork->taskA",
            "fork->errorEnd",
            "taskA->aEnd",
            "onTaskA->afterTaskA",
            "afterTaskA->afterAEnd",
        )
    )
    xml = camunda7(
        "process",
        start("start")
        + sub("subProcess", inner)
        + boundary("onSubprocess", "subProcess", error_def("myError"))
        + end("theEnd")
        + flows("start->subProcess", "subProcess->theEnd")
        + caught_path("onSubprocess", "caughtOutside", "caughtEnd"),
        ERR,
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["caughtOutside"]
    assert run.visited("onTaskA") == 0
