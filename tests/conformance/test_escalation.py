"""Escalations as Camunda 7's engine runs them: escalation end and intermediate throw events,
escalation boundary events (interrupting and not) and escalation event subprocesses, matched
by ``escalationCode`` with catch-alls, propagated out of subprocesses, call activities and
multi-instance bodies, with ``camunda:escalationCodeVariable``.

Upstream: engine/src/test/java/org/camunda/bpm/engine/test/bpmn/event/escalation
(EscalationEventTest, EscalationEventSubprocessTest, EscalationEventParseInvalidProcessTest).
"""

from __future__ import annotations

from typing import Any

import pytest

from seamline.spiff import TaskState
from tests.conformance.errorkit import (
    boundary,
    call,
    end,
    escalation,
    escalation_def,
    esp,
    parallel_mi,
    start,
    sub,
    throw,
)
from tests.conformance.harness import Engine, camunda7, flows, user

ESC = escalation("escalation", "escalationCode")


def _throwing_subprocess(thrower: str = "intermediate", ref: str = "escalation") -> str:
    """Inside: an intermediate escalation throw event then ``taskInSubprocess`` (or an
    escalation end event, ``thrower="end"``)."""
    if thrower == "end":
        return (
            start("startSubProcess")
            + end("escalationEndEvent", escalation_def(ref))
            + flows("startSubProcess->escalationEndEvent")
        )
    return (
        start("startSubProcess")
        + throw("escalationThrowingEvent", escalation_def(ref))
        + user("taskInSubprocess")
        + end("endSubProcess")
        + flows(
            "startSubProcess->escalationThrowingEvent",
            "escalationThrowingEvent->taskInSubprocess",
            "taskInSubprocess->endSubProcess",
        )
    )


def _process(inner: str, *catchers: str, loop: str = "", roots: str = ESC) -> str:
    """``subProcess`` holding ``inner`` (and ``loop``), then the end; ``catchers`` beside it."""
    return camunda7(
        "escalationProcess",
        start("start")
        + sub("subProcess", inner, loop=loop)
        + end("theEnd")
        + flows("start->subProcess", "subProcess->theEnd")
        + "".join(catchers),
        roots,
    )


def _on_boundary(bid: str, definition: str, task: str, *, cancel: bool | None = False) -> str:
    return (
        boundary(bid, "subProcess", definition, cancel=cancel)
        + user(task)
        + end(f"{task}End")
        + flows(f"{bid}->{task}", f"{task}->{task}End")
    )


def test_throw_escalation_event_from_embedded_subprocess(engine: Engine) -> None:
    """EscalationEventTest.testThrowEscalationEventFromEmbeddedSubprocess: the non-interrupting
    boundary event catches; the subprocess continues to its task."""
    xml = _process(
        _throwing_subprocess(),
        _on_boundary("escalationBoundaryEvent", escalation_def("escalation"), "taskAfterCatched"),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["taskAfterCatched", "taskInSubprocess"]


def test_throw_escalation_event_hierarchical(engine: Engine) -> None:
    """EscalationEventTest.testThrowEscalationEventHierarchical: boundary events on the inner
    and on the outer subprocess; the inner (nearest) one catches, the outer does not."""
    inner = sub("innerSubProcess", _throwing_subprocess()) + end("innerEnd")
    inner += boundary(
        "innerBoundary", "innerSubProcess", escalation_def("escalation"), cancel=False
    )
    inner += user("taskInsideSubprocess") + end("insideEnd")
    inner += flows(
        "outerStart->innerSubProcess",
        "innerSubProcess->innerEnd",
        "innerBoundary->taskInsideSubprocess",
        "taskInsideSubprocess->insideEnd",
    )
    xml = _process(
        start("outerStart") + inner,
        _on_boundary("outerBoundary", escalation_def("escalation"), "taskOutside"),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["taskInSubprocess", "taskInsideSubprocess"]


def _called(pid: str = "throwEscalationProcess") -> str:
    """The called process: an escalation throw event, then a task."""
    return camunda7(
        pid,
        start("start")
        + throw("escalationThrowingEvent", escalation_def("escalation"))
        + user("taskAfterThrown")
        + end("theEnd")
        + flows(
            "start->escalationThrowingEvent",
            "escalationThrowingEvent->taskAfterThrown",
            "taskAfterThrown->theEnd",
        ),
        ESC,
    )


def _calling(definition: str, *, cancel: bool, variable: str = "") -> str:
    attrs = f'camunda:escalationCodeVariable="{variable}"' if variable else ""
    return camunda7(
        "catchEscalationProcess",
        start("start")
        + call("callActivity", "throwEscalationProcess")
        + boundary(
            "escalationBoundaryEvent",
            "callActivity",
            definition.replace("/>", f" {attrs}/>") if attrs else definition,
            cancel=cancel,
        )
        + user("taskAfterCatched")
        + end("theEnd")
        + end("caughtEnd")
        + flows(
            "start->callActivity",
            "callActivity->theEnd",
            "escalationBoundaryEvent->taskAfterCatched",
            "taskAfterCatched->caughtEnd",
        ),
        ESC,
    )


def _task_data(run: Any, element: str) -> dict[str, Any]:
    """The data of the live task of ``element`` (the variables its branch sees)."""
    from seamline.engine import projections as proj

    step = run.app.engine._load(run.id, None)
    for task in proj.all_tasks(step.workflow):
        if proj.element_id(task) == element and not task.has_state(TaskState.FINISHED_MASK):
            return dict(task.data)
    raise AssertionError(f"no live task {element!r}")


def _start_called(engine: Engine, parent: str, *called: str) -> Any:
    ids = engine.deploy(parent, *called)
    return engine.start(ids[0])


def test_throw_escalation_event_from_call_activity(engine: Engine) -> None:
    """EscalationEventTest.testThrowEscalationEventFromCallActivity: the non-interrupting
    boundary on the call activity catches; the called process goes on."""
    run = _start_called(engine, _calling(escalation_def("escalation"), cancel=False), _called())
    assert run.open_tasks() == ["taskAfterCatched", "taskAfterThrown"]


def test_throw_escalation_event_not_caught(engine: Engine) -> None:
    """EscalationEventTest.testThrowEscalationEventNotCaught: nothing catches the escalation;
    the process just goes on to the task after it."""
    run = engine.start(_called())
    assert run.open_tasks() == ["taskAfterThrown"]
    assert run.error is None
    run.complete("taskAfterThrown")
    assert run.ended


def test_boundary_event_with_escalation_code(engine: Engine) -> None:
    """EscalationEventTest.testBoundaryEventWithEscalationCode: two boundary events, codes 1
    and 2; escalation 1 is caught by the first only."""
    roots = escalation("escalation1", "1") + escalation("escalation2", "2")
    xml = _process(
        _throwing_subprocess(ref="escalation1"),
        _on_boundary("escalationBoundaryEvent1", escalation_def("escalation1"), "taskAfter1"),
        _on_boundary("escalationBoundaryEvent2", escalation_def("escalation2"), "taskAfter2"),
        roots=roots,
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["taskAfter1", "taskInSubprocess"]


def test_boundary_event_without_escalation_code(engine: Engine) -> None:
    """EscalationEventTest.testBoundaryEventWithoutEscalationCode: a boundary naming an
    escalation without escalationCode catches every escalation."""
    roots = ESC + escalation("escalationWithoutCode")
    xml = _process(
        _throwing_subprocess(),
        _on_boundary("escalationBoundaryEvent", escalation_def("escalationWithoutCode"), "caught"),
        roots=roots,
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["caught", "taskInSubprocess"]


def test_boundary_event_without_escalation_ref(engine: Engine) -> None:
    """EscalationEventTest.testBoundaryEventWithoutEscalationRef: a boundary with no
    escalationRef catches every escalation."""
    xml = _process(
        _throwing_subprocess(),
        _on_boundary("escalationBoundaryEvent", escalation_def(), "caught"),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["caught", "taskInSubprocess"]


def test_interrupting_escalation_boundary_event_on_multi_instance_subprocess(
    engine: Engine,
) -> None:
    """EscalationEventTest.testInterruptingEscalationBoundaryEventOnMultiInstanceSubprocess:
    the first escalation of five instances is caught and cancels every instance."""
    xml = _process(
        _throwing_subprocess(),
        _on_boundary(
            "escalationBoundaryEvent", escalation_def("escalation"), "caught", cancel=True
        ),
        loop=parallel_mi(5),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["caught"]


def test_non_interrupting_escalation_boundary_event_on_multi_instance_subprocess(
    engine: Engine,
) -> None:
    """EscalationEventTest.testNonInterruptingEscalationBoundaryEventOnMultiInstanceSubprocess:
    each of five instances throws; the non-interrupting boundary catches every escalation and
    every instance continues: ten tasks."""
    xml = _process(
        _throwing_subprocess(),
        _on_boundary("escalationBoundaryEvent", escalation_def("escalation"), "caught"),
        loop=parallel_mi(5),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["caught"] * 5 + ["taskInSubprocess"] * 5


def test_interrupting_escalation_boundary_event(engine: Engine) -> None:
    """EscalationEventTest.testInterruptingEscalationBoundaryEvent: the interrupting boundary
    catches and cancels the subprocess: only the task after it is open."""
    xml = _process(
        _throwing_subprocess(),
        _on_boundary(
            "escalationBoundaryEvent", escalation_def("escalation"), "caught", cancel=True
        ),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["caught"]
    run.complete("caught")
    assert run.ended


def test_interrupting_escalation_boundary_event_on_call_activity(engine: Engine) -> None:
    """EscalationEventTest.testInterruptingEscalationBoundaryEventOnCallActivity: the called
    process is cancelled; only the task after the boundary is open."""
    run = _start_called(engine, _calling(escalation_def("escalation"), cancel=True), _called())
    assert run.open_tasks() == ["taskAfterCatched"]


def test_parallel_escalation_end_event(engine: Engine) -> None:
    """EscalationEventTest.testParallelEscalationEndEvent: one parallel branch of the subprocess
    ends in an escalation end event; the non-interrupting boundary catches it and the other
    branch goes on."""
    inner = (
        start("startSubProcess")
        + '<bpmn:parallelGateway id="fork"/>'
        + end("escalationEndEvent", escalation_def("escalation"))
        + user("taskInSubprocess")
        + end("endSubProcess")
        + flows(
            "startSubProcess->fork",
            "fork->escalationEndEvent",
            "fork->taskInSubprocess",
            "taskInSubprocess->endSubProcess",
        )
    )
    xml = _process(
        inner, _on_boundary("escalationBoundaryEvent", escalation_def("escalation"), "caught")
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["caught", "taskInSubprocess"]


def test_escalation_end_event(engine: Engine) -> None:
    """EscalationEventTest.testEscalationEndEvent: the subprocess ends at its escalation end
    event; the non-interrupting boundary's path is the only one open."""
    xml = _process(
        _throwing_subprocess("end"),
        _on_boundary("escalationBoundaryEvent", escalation_def("escalation"), "caught"),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["caught"]
    run.complete("caught")
    assert run.ended


@pytest.mark.parametrize("with_code", [True, False], ids=["code", "catch-all"])
def test_retrieve_escalation_code_variable_on_boundary_event(
    engine: Engine, with_code: bool
) -> None:
    """EscalationEventTest.testRetrieveEscalationCodeVariableOnBoundaryEvent (and
    ...WithoutEscalationCode): the boundary's camunda:escalationCodeVariable holds the code
    thrown, whether it names the escalation or catches all."""
    attrs = 'camunda:escalationCodeVariable="escalationCodeVar"'
    definition = escalation_def("escalation" if with_code else None, attrs)
    xml = _process(_throwing_subprocess(), _on_boundary("boundary", definition, "caught"))
    run = engine.start(xml)
    assert _task_data(run, "caught")["escalationCodeVar"] == "escalationCode"


@pytest.mark.parametrize("cancel", [True, False], ids=["interrupting", "non-interrupting"])
def test_retrieve_escalation_code_in_super_process(engine: Engine, cancel: bool) -> None:
    """EscalationEventTest.testInterruptingRetrieveEscalationCodeInSuperProcess (and
    testNonInterrupting...): the boundary on the call activity stores the called process's
    escalation code."""
    parent = _calling(escalation_def("escalation"), cancel=cancel, variable="escalationCodeVar")
    run = _start_called(engine, parent, _called())
    assert _task_data(run, "taskAfterCatched")["escalationCodeVar"] == "escalationCode"


# -- escalation event subprocesses ----------------------------------------------------------


def _esp(
    eid: str, definition: str, task: str, *, interrupting: bool = False, rest: str = ""
) -> str:
    start_id = f"{eid}Start"
    inner = user(task) + (rest or end(f"{eid}End")) + flows(f"{start_id}->{task}")
    if not rest:
        inner += flows(f"{task}->{eid}End")
    return esp(eid, start_id, definition, inner, interrupting=interrupting)


def test_catch_escalation_event_inside_subprocess(engine: Engine) -> None:
    """EscalationEventSubprocessTest.testCatchEscalationEventInsideSubprocess: the
    non-interrupting event subprocess inside the subprocess catches; the subprocess goes on."""
    inner = _throwing_subprocess() + _esp("escSub", escalation_def("escalation"), "caught")
    run = engine.start(_process(inner))
    assert run.open_tasks() == ["caught", "taskInSubprocess"]


def test_catch_escalation_event_from_embedded_subprocess(engine: Engine) -> None:
    """EscalationEventSubprocessTest.testCatchEscalationEventFromEmbeddedSubprocess: the
    process-level non-interrupting event subprocess catches the subprocess's escalation."""
    xml = _process(_throwing_subprocess(), _esp("escSub", escalation_def("escalation"), "caught"))
    run = engine.start(xml)
    assert run.open_tasks() == ["caught", "taskInSubprocess"]


def test_catch_escalation_event_from_call_activity(engine: Engine) -> None:
    """EscalationEventSubprocessTest.testCatchEscalationEventFromCallActivity: the caller's
    event subprocess catches the called process's escalation; the called process goes on."""
    parent = camunda7(
        "catchEscalationProcess",
        start("start")
        + call("callActivity", "throwEscalationProcess")
        + end("theEnd")
        + flows("start->callActivity", "callActivity->theEnd")
        + _esp("escSub", escalation_def("escalation"), "caught"),
        ESC,
    )
    run = _start_called(engine, parent, _called())
    assert run.open_tasks() == ["caught", "taskAfterThrown"]


def test_catch_escalation_event_from_top_level_process(engine: Engine) -> None:
    """EscalationEventSubprocessTest.testCatchEscalationEventFromTopLevelProcess: the top-level
    throw is caught by the process's own non-interrupting event subprocess."""
    xml = camunda7(
        "escalationProcess",
        start("start")
        + throw("escalationThrowingEvent", escalation_def("escalation"))
        + user("taskAfterThrown")
        + end("theEnd")
        + flows(
            "start->escalationThrowingEvent",
            "escalationThrowingEvent->taskAfterThrown",
            "taskAfterThrown->theEnd",
        )
        + _esp("escSub", escalation_def("escalation"), "caught"),
        ESC,
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["caught", "taskAfterThrown"]


def test_catch_escalation_event_from_multi_instance_subprocess(engine: Engine) -> None:
    """EscalationEventSubprocessTest.testCatchEscalationEventFromMultiInstanceSubprocess: the
    process-level event subprocess catches each of five instances' escalations: ten tasks."""
    xml = _process(
        _throwing_subprocess(),
        _esp("escSub", escalation_def("escalation"), "caught"),
        loop=parallel_mi(5),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["caught"] * 5 + ["taskInSubprocess"] * 5


def test_prefer_escalation_event_subprocess_to_boundary_event(engine: Engine) -> None:
    """EscalationEventSubprocessTest.testPreferEscalationEventSubprocessToBoundaryEvent: the
    event subprocess inside the subprocess wins over the boundary event on it."""
    inner = _throwing_subprocess() + _esp("escSub", escalation_def("escalation"), "caughtInside")
    xml = _process(
        inner, _on_boundary("escalationBoundaryEvent", escalation_def("escalation"), "onBoundary")
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["caughtInside", "taskInSubprocess"]


def test_escalation_event_subprocess_with_escalation_code(engine: Engine) -> None:
    """EscalationEventSubprocessTest.testEscalationEventSubprocessWithEscalationCode: of two
    event subprocesses (codes 1 and 2), the one for code 1 catches escalation 1."""
    roots = escalation("escalation1", "1") + escalation("escalation2", "2")
    inner = (
        _throwing_subprocess(ref="escalation1")
        + _esp("escSub1", escalation_def("escalation1"), "caught1")
        + _esp("escSub2", escalation_def("escalation2"), "caught2")
    )
    run = engine.start(_process(inner, roots=roots))
    assert run.open_tasks() == ["caught1", "taskInSubprocess"]


def test_escalation_event_subprocess_without_escalation_code(engine: Engine) -> None:
    """EscalationEventSubprocessTest.testEscalationEventSubprocessWithoutEscalationCode: an
    event subprocess naming no escalation catches any."""
    inner = _throwing_subprocess() + _esp("escSub", escalation_def(), "caught")
    run = engine.start(_process(inner))
    assert run.open_tasks() == ["caught", "taskInSubprocess"]


def test_interrupting_escalation_event_subprocess(engine: Engine) -> None:
    """EscalationEventSubprocessTest.testInterruptionEscalationEventSubprocess: the interrupting
    event subprocess inside the subprocess cancels the rest of it."""
    inner = _throwing_subprocess() + _esp(
        "escSub", escalation_def("escalation"), "caught", interrupting=True
    )
    run = engine.start(_process(inner))
    assert run.open_tasks() == ["caught"]
    run.complete("caught")
    assert run.ended


def test_interrupting_escalation_event_subprocess_with_call_activity(engine: Engine) -> None:
    """EscalationEventSubprocessTest.testInterruptingEscalationEventSubprocessWithCallActivity:
    the caller's interrupting event subprocess cancels the called process."""
    parent = camunda7(
        "catchEscalationProcess",
        start("start")
        + call("callActivity", "throwEscalationProcess")
        + end("theEnd")
        + flows("start->callActivity", "callActivity->theEnd")
        + _esp("escSub", escalation_def("escalation"), "caught", interrupting=True),
        ESC,
    )
    run = _start_called(engine, parent, _called())
    assert run.open_tasks() == ["caught"]


def test_interrupting_escalation_event_subprocess_with_multi_instance(engine: Engine) -> None:
    """EscalationEventSubprocessTest.testInterruptionEscalationEventSubprocessWithMultiInstance
    Subprocess: the first instance's escalation starts the interrupting event subprocess,
    which cancels every instance."""
    xml = _process(
        _throwing_subprocess(),
        _esp("escSub", escalation_def("escalation"), "caught", interrupting=True),
        loop=parallel_mi(5),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["caught"]


def _rethrowing(*outside: str, catch_all_boundary: bool = False) -> str:
    rethrow = end("rethrowEscalationEvent", escalation_def("escalation"))
    inner = _throwing_subprocess() + _esp(
        "escSub",
        escalation_def("escalation"),
        "caughtInside",
        rest=rethrow + flows("caughtInside->rethrowEscalationEvent"),
    )
    return _process(inner, *outside)


def test_rethrow_escalation_event_to_boundary_event(engine: Engine) -> None:
    """EscalationEventSubprocessTest.testReThrowEscalationEventToBoundaryEvent: the event
    subprocess re-throws at its end; the boundary on the subprocess catches it."""
    xml = _rethrowing(
        _on_boundary("escalationBoundaryEvent", escalation_def("escalation"), "onBoundary")
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["caughtInside", "taskInSubprocess"]
    run.complete("caughtInside")
    assert run.open_tasks() == ["onBoundary", "taskInSubprocess"]


def test_rethrow_escalation_event_to_boundary_event_without_code(engine: Engine) -> None:
    """EscalationEventSubprocessTest.testReThrowEscalationEventToBoundaryEventWithoutEscalation
    Code: a catch-all boundary on the subprocess catches the re-thrown escalation."""
    xml = _rethrowing(_on_boundary("escalationBoundaryEvent", escalation_def(), "onBoundary"))
    run = engine.start(xml)
    run.complete("caughtInside")
    assert run.open_tasks() == ["onBoundary", "taskInSubprocess"]


def test_rethrow_escalation_event_to_event_subprocess(engine: Engine) -> None:
    """EscalationEventSubprocessTest.testReThrowEscalationEventToEventSubprocess: the process
    level event subprocess catches what the inner one re-throws."""
    xml = _rethrowing(_esp("processEsc", escalation_def("escalation"), "onProcessLevel"))
    run = engine.start(xml)
    run.complete("caughtInside")
    assert run.open_tasks() == ["onProcessLevel", "taskInSubprocess"]


def test_rethrow_escalation_event_is_not_caught(engine: Engine) -> None:
    """EscalationEventSubprocessTest.testReThrowEscalationEventIsNotCatched: an event
    subprocess does not catch its own re-thrown escalation; the subprocess goes on."""
    run = engine.start(_rethrowing())
    run.complete("caughtInside")
    assert run.open_tasks() == ["taskInSubprocess"]
    run.complete("taskInSubprocess")
    assert run.ended


@pytest.mark.parametrize("with_code", [True, False], ids=["code", "catch-all"])
def test_retrieve_escalation_code_variable_on_event_subprocess(
    engine: Engine, with_code: bool
) -> None:
    """EscalationEventSubprocessTest.testRetrieveEscalationCodeVariableOnEventSubprocess (and
    ...WithoutEscalationCode): the event subprocess's start event stores the code."""
    attrs = 'camunda:escalationCodeVariable="escalationCodeVar"'
    definition = escalation_def("escalation" if with_code else None, attrs)
    inner = _throwing_subprocess() + _esp("escSub", definition, "caught")
    run = engine.start(_process(inner))
    assert _task_data(run, "caught")["escalationCodeVar"] == "escalationCode"


# -- what the parser refuses ----------------------------------------------------------------


def test_invalid_escalation_ref_on_boundary_event_is_refused(engine: Engine) -> None:
    """EscalationEventParseInvalidProcessTest (invalidEscalationRefOnBoundaryEvent): "could not
    find escalation with id 'invalid-escalation'"."""
    xml = _process(
        _throwing_subprocess(),
        _on_boundary("escalationBoundaryEvent", escalation_def("invalid-escalation"), "caught"),
    )
    engine.refused(xml, element="escalationBoundaryEvent", says="could not find escalation")


def test_invalid_escalation_ref_on_end_event_is_refused(engine: Engine) -> None:
    """EscalationEventParseInvalidProcessTest (invalidEscalationRefOnEndEvent)."""
    xml = _process(_throwing_subprocess("end", ref="invalid-escalation"))
    engine.refused(xml, element="escalationEndEvent", says="could not find escalation")


def test_missing_escalation_ref_on_intermediate_throw_event_is_refused(engine: Engine) -> None:
    """EscalationEventParseInvalidProcessTest (missingEscalationRefOnIntermediateThrowingEvent):
    a throwing escalation event must name an escalation."""
    xml = camunda7(
        "escalationProcess",
        start("start")
        + throw("escalationThrowingEvent", escalation_def())
        + end("theEnd")
        + flows("start->escalationThrowingEvent", "escalationThrowingEvent->theEnd"),
        ESC,
    )
    engine.refused(xml, element="escalationThrowingEvent", says="escalationRef")


def test_missing_escalation_code_on_escalation_end_event_is_refused(engine: Engine) -> None:
    """EscalationEventParseInvalidProcessTest (missingEscalationCodeOnEscalationEndEvent): the
    escalation a throwing event names must have an escalationCode."""
    xml = _process(_throwing_subprocess("end", ref="noCode"), roots=escalation("noCode"))
    engine.refused(xml, element="escalationEndEvent", says="escalationCode")


def test_escalation_boundary_event_on_a_service_task_is_refused(engine: Engine) -> None:
    """EscalationEventParseInvalidProcessTest (invalidAttachement): "An escalation boundary
    event should only be attached to a subprocess, a call activity or an user task"."""
    xml = camunda7(
        "escalationProcess",
        start("start")
        + '<bpmn:serviceTask id="task" camunda:type="external" camunda:topic="t"/>'
        + boundary("escalationBoundaryEvent", "task", escalation_def("escalation"))
        + end("theEnd")
        + end("caughtEnd")
        + flows("start->task", "task->theEnd", "escalationBoundaryEvent->caughtEnd"),
        ESC,
    )
    engine.refused(xml, element="escalationBoundaryEvent", says="should only be attached")


def _triggered_twice() -> str:
    return camunda7(
        "escalationProcess",
        start("start")
        + throw("escalationThrowingEvent", escalation_def("escalation"))
        + user("TaskInMainprocess")
        + end("escalationEndEvent", escalation_def("escalation"))
        + flows(
            "start->escalationThrowingEvent",
            "escalationThrowingEvent->TaskInMainprocess",
            "TaskInMainprocess->escalationEndEvent",
        )
        + _esp("escalationEventSubprocess", escalation_def("escalation"), "TaskInSubprocess"),
        ESC,
    )


def test_non_interrupting_escalation_triggered_twice_main_task_first(engine: Engine) -> None:
    """EscalationEventSubprocessTest.testNonInterruptingEscalationTriggeredTwiceWithMainTask
    CompletedFirst: the throw event and then the end event each start the non-interrupting
    event subprocess: two of its tasks are open."""
    run = engine.start(_triggered_twice())
    run.complete("TaskInMainprocess")
    assert run.open_tasks() == ["TaskInSubprocess", "TaskInSubprocess"]


def test_non_interrupting_escalation_triggered_twice_subprocess_task_first(
    engine: Engine,
) -> None:
    """EscalationEventSubprocessTest.testNonInterruptingEscalationTriggeredTwiceWithSubprocess
    TaskCompletedFirst: the first event subprocess instance completes before the second
    escalation: one of its tasks is open."""
    run = engine.start(_triggered_twice())
    run.complete("TaskInSubprocess")
    run.complete("TaskInMainprocess")
    assert run.open_tasks() == ["TaskInSubprocess"]
    run.complete("TaskInSubprocess")
    assert run.ended
