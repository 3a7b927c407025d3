"""BPMN errors as Camunda 7's engine runs them: error end events, error boundary events and
error event subprocesses, matched by ``errorCode``, with catch-alls, the most specific handler
winning, and propagation out of subprocesses, call activities and multi-instance bodies.

Upstream: engine/src/test/java/org/camunda/bpm/engine/test/bpmn/event/error
(BoundaryErrorEventTest, ErrorEventSubProcessTest, ErrorEndEventTest) and the parser rules of
BpmnParse (an errorRef naming no bpmn:error is used as the error code itself; an errorRef to an
error without errorCode catches every error; a throwing event must name an error with a code).

Java delegates throwing ``BpmnError`` are stood in by external service tasks whose connector (a
FakeConnector) raises seamline's BpmnError, as an external task worker's handleBpmnError does.
"""

from __future__ import annotations

from typing import Any

import pytest

from seamline.errors import BpmnError, FatalError
from seamline.testing import FakeConnector
from tests.conformance.errorkit import (
    boundary,
    call,
    caught_path,
    end,
    error,
    error_def,
    esp,
    parallel_mi,
    start,
    sub,
)
from tests.conformance.harness import Engine, camunda7, esc, flows, user

ERR = error("myError", "123")


def _thrower(code: str, message: str | None = None) -> FakeConnector:
    def handler(call: Any) -> Any:
        raise BpmnError(code, message)

    return FakeConnector("thrower", handler)


def _start_called(engine: Engine, parent: str, *called: str) -> Any:
    """Deploy a calling process with the processes it calls (one bundle) and start it."""
    ids = engine.deploy(parent, *called)
    return engine.start(ids[0])


def _service(tid: str, topic: str = "thrower", attrs: str = "") -> str:
    return f'<bpmn:serviceTask id="{tid}" camunda:type="external" camunda:topic="{topic}" {attrs}/>'


def _error_in_subprocess(catch: str, roots: str = ERR, thrown: str = "myError") -> str:
    """An error end event inside an embedded subprocess, after a user task; a boundary
    event holding ``catch`` on the subprocess leads to ``taskAfterErrorCatch``."""
    inner = (
        start("subStart")
        + user("subprocessTask")
        + end("subEnd", error_def(thrown))
        + flows("subStart->subprocessTask", "subprocessTask->subEnd")
    )
    return camunda7(
        "boundaryErrorOnEmbeddedSubprocess",
        start("theStart")
        + sub("subprocess", inner)
        + boundary("catchError", "subprocess", catch)
        + end("theEnd")
        + flows("theStart->subprocess", "subprocess->theEnd")
        + caught_path("catchError", "taskAfterErrorCatch", "caughtEnd"),
        roots,
    )


def _assert_caught_on_subprocess(engine: Engine, xml: str) -> None:
    run = engine.start(xml)
    assert run.open_tasks() == ["subprocessTask"]
    run.complete("subprocessTask")
    assert run.open_tasks() == ["taskAfterErrorCatch"]
    run.complete("taskAfterErrorCatch")
    assert run.ended


def test_catch_error_on_embedded_subprocess(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorOnEmbeddedSubprocess: the error end event in the
    subprocess is caught by the boundary event naming the same error."""
    _assert_caught_on_subprocess(engine, _error_in_subprocess(error_def("myError")))


def test_catch_error_on_embedded_subprocess_without_error_code(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorOnEmbeddedSubprocessWithoutErrorCode: a boundary
    event with no errorRef catches any error (code 23 here)."""
    roots = error("myError") + error("myThrownError", "23")
    xml = _error_in_subprocess(error_def(), roots, thrown="myThrownError")
    _assert_caught_on_subprocess(engine, xml)


def test_catch_error_by_reference_to_an_error_without_code(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorOnEmbeddedSubprocessWithoutErrorCode, with the
    boundary naming ``myError`` (no errorCode): BpmnParse sets a null code, a catch-all."""
    roots = error("myError") + error("myThrownError", "23")
    xml = _error_in_subprocess(error_def("myError"), roots, thrown="myThrownError")
    _assert_caught_on_subprocess(engine, xml)


def test_boundary_error_ref_naming_no_error_uses_it_as_the_code(engine: Engine) -> None:
    """BpmnParse.parseBoundaryErrorEventDefinition: an errorRef naming no bpmn:error is the
    error code itself; the error end event names the same missing error, and is caught."""
    xml = _error_in_subprocess(error_def("undeclared"), "", thrown="undeclared")
    _assert_caught_on_subprocess(engine, xml)


def test_boundary_error_ref_naming_no_error_does_not_catch_other_codes(engine: Engine) -> None:
    """BpmnParse.parseBoundaryErrorEventDefinition: the boundary naming an undeclared error
    (code "undeclared") does not catch error 123; the uncaught error end event ends its path
    as a none end event would (Camunda 7's default, enableExceptionsAfterUnhandledBpmnError
    off), so the subprocess and the process complete."""
    run = engine.start(_error_in_subprocess(error_def("undeclared")))
    run.complete("subprocessTask")
    assert run.open_tasks() == []
    assert run.ended
    assert run.visited("taskAfterErrorCatch") == 0


def test_throw_error_without_error_code_is_refused(engine: Engine) -> None:
    """BoundaryErrorEventTest.testThrowErrorWithoutErrorCode: deploying fails with "'errorCode'
    is mandatory on errors referenced by throwing error event definitions" at theEnd."""
    xml = camunda7(
        "p",
        start("theStart") + end("theEnd", error_def("myError")) + flows("theStart->theEnd"),
        error("myError"),
    )
    engine.refused(xml, element="theEnd", says="errorCode")


def test_throw_error_with_empty_error_code_is_refused(engine: Engine) -> None:
    """BoundaryErrorEventTest.testThrowErrorWithEmptyErrorCode: an errorCode of "" is refused
    on a throwing event as a missing one is."""
    xml = camunda7(
        "p",
        start("theStart") + end("theEnd", error_def("myError")) + flows("theStart->theEnd"),
        error("myError", ""),
    )
    engine.refused(xml, element="theEnd", says="errorCode")


def test_error_end_event_without_error_ref_is_refused(engine: Engine) -> None:
    """BpmnParse.parseEndEvents: "'errorRef' attribute is mandatory on error end event"."""
    xml = camunda7(
        "p", start("theStart") + end("theEnd", error_def()) + flows("theStart->theEnd"), ERR
    )
    engine.refused(xml, element="theEnd", says="errorRef")


def test_catch_error_of_inner_subprocess_on_outer_subprocess(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorOfInnerSubprocessOnOuterSubprocess: two parallel
    tasks in an inner subprocess; task 2 leads to error 123, caught on the OUTER subprocess:
    both inner tasks are gone and only the task outside is open."""
    inner = (
        start("innerStart")
        + '<bpmn:parallelGateway id="fork"/>'
        + user("innerTask1")
        + user("innerTask2")
        + end("innerEnd1")
        + end("innerError", error_def("myError"))
        + flows(
            "innerStart->fork",
            "fork->innerTask1",
            "fork->innerTask2",
            "innerTask1->innerEnd1",
            "innerTask2->innerError",
        )
    )
    outer = (
        start("outerStart")
        + sub("innerSubprocess", inner)
        + end("outerEnd")
        + flows("outerStart->innerSubprocess", "innerSubprocess->outerEnd")
    )
    xml = camunda7(
        "boundaryErrorTest",
        start("theStart")
        + sub("outerSubprocess", outer)
        + boundary("catchError", "outerSubprocess", error_def("myError"))
        + end("theEnd")
        + flows("theStart->outerSubprocess", "outerSubprocess->theEnd")
        + caught_path("catchError", "taskOutside", "afterEnd"),
        ERR,
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["innerTask1", "innerTask2"]
    run.complete("innerTask2")
    assert run.open_tasks() == ["taskOutside"]
    run.complete("taskOutside")
    assert run.ended


def _concurrent_subprocesses() -> str:
    """An outer subprocess forks into two inner subprocesses: inner 1 (task A) ends in error1,
    caught on the OUTER subprocess (task D); inner 2 (task B) ends in error2, caught on inner 2
    itself (task C)."""
    inner1 = start("inner1Start") + user("taskA") + end("inner1End", error_def("error1"))
    inner1 += flows("inner1Start->taskA", "taskA->inner1End")
    inner2 = start("inner2Start") + user("taskB") + end("inner2End", error_def("error2"))
    inner2 += flows("inner2Start->taskB", "taskB->inner2End")
    outer = (
        start("outerStart")
        + '<bpmn:parallelGateway id="fork"/>'
        + sub("innerSubProcess1", inner1)
        + sub("innerSubProcess2", inner2)
        + end("subProcessEnd1")
        + end("subProcessEnd2")
        + boundary("catchError2", "innerSubProcess2", error_def("error2"))
        + caught_path("catchError2", "taskC", "subProcessEnd3")
        + flows(
            "outerStart->fork",
            "fork->innerSubProcess1",
            "fork->innerSubProcess2",
            "innerSubProcess1->subProcessEnd1",
            "innerSubProcess2->subProcessEnd2",
        )
    )
    return camunda7(
        "boundaryEventTestConcurrentSubprocesses",
        start("theStart")
        + sub("outerSubProcess", outer)
        + end("end1")
        + boundary("catchError1", "outerSubProcess", error_def("error1"))
        + caught_path("catchError1", "taskD", "end2")
        + flows("theStart->outerSubProcess", "outerSubProcess->end1"),
        error("error1", "error1") + error("error2", "error2"),
    )


def test_catch_error_in_concurrent_embedded_subprocesses_a_first(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorInConcurrentEmbeddedSubprocesses (first half):
    completing task A throws error1, caught on the outer subprocess: task B is cancelled with
    it, task D is open; completing D ends the instance."""
    run = engine.start(_concurrent_subprocesses())
    assert run.open_tasks() == ["taskA", "taskB"]
    run.complete("taskA")
    assert run.open_tasks() == ["taskD"]
    run.complete("taskD")
    assert run.ended


def test_catch_error_in_concurrent_embedded_subprocesses_b_first(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorInConcurrentEmbeddedSubprocesses (second half):
    completing task B throws error2, caught on inner subprocess 2 only (task C), task A stays;
    then A throws error1 to the outer boundary (task D)."""
    run = engine.start(_concurrent_subprocesses())
    run.complete("taskB")
    assert run.open_tasks() == ["taskA", "taskC"]
    run.complete("taskC")
    assert run.open_tasks() == ["taskA"]
    run.complete("taskA")
    assert run.open_tasks() == ["taskD"]


def _deeply_nested(*, automatic: bool) -> str:
    """Three nested subprocesses; in the innermost, input 1 throws error1 and input 2 throws
    error2. error1 is caught on the middle subprocess (then a path to the process end), error2
    on the outermost subprocess (a task after catch)."""
    first = "" if automatic else user("nestedTask")
    lead = "nestedStart->nestedTask" if not automatic else None
    inner = (
        start("nestedStart")
        + first
        + '<bpmn:exclusiveGateway id="choose"/>'
        + end("throw1", error_def("error1"))
        + end("throw2", error_def("error2"))
    )
    inner += flows(
        *([lead] if lead else []),
        ("nestedTask->choose" if not automatic else "nestedStart->choose"),
        "choose->throw1: ${input == 1}",
        "choose->throw2: ${input == 2}",
    )
    middle = (
        start("midStart")
        + sub("nested", inner)
        + end("midEnd")
        + boundary("catch1", "nested", error_def("error1"))
        + end("midCaught")
        + flows("midStart->nested", "nested->midEnd", "catch1->midCaught")
    )
    outer = (
        start("outStart")
        + sub("middle", middle)
        + end("outEnd")
        + flows("outStart->middle", "middle->outEnd")
    )
    return camunda7(
        "deeplyNestedErrorThrown",
        start("theStart")
        + sub("outer", outer)
        + boundary("catch2", "outer", error_def("error2"))
        + end("processEnd1")
        + flows("theStart->outer", "outer->processEnd1")
        + caught_path("catch2", "taskAfterCatch", "processEnd2"),
        error("error1", "e1") + error("error2", "e2"),
    )


@pytest.mark.parametrize(("given", "open_after"), [(1, []), (2, ["taskAfterCatch"])])
def test_deeply_nested_error_thrown(engine: Engine, given: int, open_after: list[str]) -> None:
    """BoundaryErrorEventTest.testDeeplyNestedErrorThrown: input 1 throws error1, caught one
    level up, and the instance ends; input 2 throws error2, caught on the outermost
    subprocess, leading to the task after catch."""
    run = engine.start(_deeply_nested(automatic=False))
    assert run.open_tasks() == ["nestedTask"]
    run.complete("nestedTask", {"input": given})
    assert run.open_tasks() == open_after
    if open_after:
        run.complete("taskAfterCatch")
    assert run.ended


def test_deeply_nested_error_thrown_only_automatic_steps(engine: Engine) -> None:
    """BoundaryErrorEventTest.testDeeplyNestedErrorThrownOnlyAutomaticSteps: with input 1
    and no wait state the error is caught one level up and the instance ends at processEnd1."""
    run = engine.start(_deeply_nested(automatic=True), {"input": 1})
    assert run.ended
    assert run.visited("processEnd1") == 1
    assert run.visited("catch2") == 0


def _child_throwing(pid: str = "simpleSubProcess") -> str:
    """The called process: a task, then an error end event with error myError (code myError)."""
    return camunda7(
        pid,
        start("theStart")
        + user("taskInSubprocess")
        + end("theEnd", error_def("myError"))
        + flows("theStart->taskInSubprocess", "taskInSubprocess->theEnd"),
        error("myError", "myError"),
    )


def _parent_catching(pid: str, called: str, roots: str = "") -> str:
    return camunda7(
        pid,
        start("theStart")
        + call("callSubProcess", called)
        + boundary("catchError", "callSubProcess", error_def("myError"))
        + end("theEnd")
        + flows("theStart->callSubProcess", "callSubProcess->theEnd")
        + caught_path("catchError", "escalatedTask", "escalatedEnd"),
        roots or error("myError", "myError"),
    )


def test_catch_error_on_call_activity(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorOnCallActivity: the error end event of the called
    process is caught by the boundary event on the call activity."""
    parent = _parent_catching("catchErrorOnCallActivity", "simpleSubProcess")
    run = _start_called(engine, parent, _child_throwing())
    assert run.open_tasks() == ["taskInSubprocess"]
    run.complete("taskInSubprocess")
    assert run.open_tasks() == ["escalatedTask"]
    run.complete("escalatedTask")
    assert run.ended


def test_uncaught_error_ends_like_a_none_end_event(engine: Engine) -> None:
    """BoundaryErrorEventTest.testUncaughtError: nothing catches error myError; with Camunda 7's
    default configuration the error end event only ends its path, so the instance ends."""
    run = engine.start(_child_throwing())
    run.complete("taskInSubprocess")
    assert run.ended
    assert run.error is None


def test_catch_error_thrown_by_call_activity_on_subprocess(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorThrownByCallActivityOnSubprocess: the call activity
    sits in an embedded subprocess; the boundary on the subprocess catches the called
    process's error."""
    inner = (
        start("subStart")
        + call("callSubProcess", "simpleSubProcess")
        + end("subEnd")
        + flows("subStart->callSubProcess", "callSubProcess->subEnd")
    )
    xml = camunda7(
        "catchErrorOnSubprocess",
        start("theStart")
        + sub("subprocess", inner)
        + boundary("catchError", "subprocess", error_def("myError"))
        + end("theEnd")
        + flows("theStart->subprocess", "subprocess->theEnd")
        + caught_path("catchError", "escalatedTask", "escalatedEnd"),
        error("myError", "myError"),
    )
    run = _start_called(engine, xml, _child_throwing())
    run.complete("taskInSubprocess")
    assert run.open_tasks() == ["escalatedTask"]
    run.complete("escalatedTask")
    assert run.ended


def test_catch_error_thrown_by_call_activity_on_call_activity(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorThrownByCallActivityOnCallActivity: the error
    crosses two call activities (the middle process has no handler) to the top's boundary."""
    middle = camunda7(
        "simpleSubProcess2ndLevel",
        start("midStart")
        + call("callSubProcess", "simpleSubProcess")
        + end("midEnd")
        + flows("midStart->callSubProcess", "callSubProcess->midEnd"),
    )
    parent = _parent_catching("catchErrorOnCallActivity2ndLevel", "simpleSubProcess2ndLevel")
    run = _start_called(engine, parent, middle, _child_throwing())
    run.complete("taskInSubprocess")
    assert run.open_tasks() == ["escalatedTask"]
    run.complete("escalatedTask")
    assert run.ended


def _error_on_multi_instance(sequential: bool) -> str:
    inner = (
        start("subStart")
        + user("task")
        + '<bpmn:exclusiveGateway id="throwOrNot" default="f_none"/>'
        + end("errorEnd", error_def("myError"))
        + end("subEnd")
        + flows("subStart->task", "task->throwOrNot", "throwOrNot->errorEnd: ${throwError}")
        + '<bpmn:sequenceFlow id="f_none" sourceRef="throwOrNot" targetRef="subEnd"/>'
    )
    n = 3 if sequential else 5
    return camunda7(
        "catchErrorOnMi",
        start("theStart")
        + sub("subprocess", inner, loop=parallel_mi(n, sequential))
        + boundary("catchError", "subprocess", error_def("myError"))
        + end("theEnd")
        + end("errorCaughtEnd")
        + flows("theStart->subprocess", "subprocess->theEnd", "catchError->errorCaughtEnd"),
        ERR,
    )


def test_catch_error_on_parallel_multi_instance(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorOnParallelMultiInstance: five instances; two
    complete normally, the third throws: every remaining instance is cancelled and the
    boundary path ends the process."""
    run = engine.start(_error_on_multi_instance(sequential=False))
    tasks = run.tasks()
    assert len(tasks) == 5
    engine.app.complete(tasks[2].id, {"throwError": False})
    engine.app.complete(tasks[3].id, {"throwError": False})
    engine.app.complete(tasks[1].id, {"throwError": True})
    assert run.open_tasks() == []
    assert run.ended
    assert run.visited("errorCaughtEnd") == 1


def test_catch_error_on_sequential_multi_instance(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorOnSequentialMultiInstance: the first instance
    completes, the second throws, the boundary ends the process (no third instance is left)."""
    run = engine.start(_error_on_multi_instance(sequential=True))
    run.complete("task", {"throwError": False})
    run.complete("task", {"throwError": True})
    assert run.ended
    assert run.visited("errorCaughtEnd") == 1


def _service_with_boundary(
    catch: str, roots: str, attrs: str = "", cancel: bool | None = None
) -> str:
    return camunda7(
        "catchErrorThrownByJavaDelegateOnServiceTask",
        start("theStart")
        + _service("serviceTask", attrs=attrs)
        + boundary("catchError", "serviceTask", catch, cancel=cancel)
        + end("theEnd")
        + flows("theStart->serviceTask", "serviceTask->theEnd")
        + caught_path("catchError", "escalatedTask", "escalatedEnd"),
        roots,
    )


def _assert_service_error_caught(engine: Engine, run: Any) -> None:
    engine.work()
    assert run.open_tasks() == ["escalatedTask"]
    run.complete("escalatedTask")
    assert run.ended
    assert run.visited("theEnd") == 0


def test_catch_error_thrown_by_delegate_on_service_task(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorThrownByJavaDelegateOnServiceTask: the worker's
    BpmnError 23 is caught by the boundary naming error 23 on the service task."""
    engine.connector(_thrower("23"))
    run = engine.start(_service_with_boundary(error_def("myError"), error("myError", "23")))
    _assert_service_error_caught(engine, run)


def test_catch_error_thrown_by_delegate_not_cancel_activity(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorThrownByJavaDelegateOnServiceTaskNotCancelActivity:
    cancelActivity="false" on the error boundary; the task that threw does not continue."""
    engine.connector(_thrower("23"))
    xml = _service_with_boundary(error_def("myError"), error("myError", "23"), cancel=False)
    run = engine.start(xml)
    _assert_service_error_caught(engine, run)


def test_catch_error_thrown_by_delegate_with_catch_all(engine: Engine) -> None:
    """ErrorEventDefinition.catchesError (as BoundaryErrorEventTest.testCatchErrorOnEmbedded
    SubprocessWithoutErrorCode, for a worker): a boundary without errorRef catches the worker's
    BpmnError 23 too."""
    engine.connector(_thrower("23"))
    run = engine.start(_service_with_boundary(error_def(), ""))
    _assert_service_error_caught(engine, run)


def test_catch_error_thrown_by_delegate_on_service_task_with_error_code(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorThrownByJavaDelegateOnServiceTaskWithErrorCode: of
    two boundaries (errors 42 and 23) on the service task, only the one for 23 catches."""
    engine.connector(_thrower("23"))
    xml = camunda7(
        "catchErrorThrownByJavaDelegateOnServiceTaskWithErrorCode",
        start("theStart")
        + _service("serviceTask")
        + boundary("ignoreError42", "serviceTask", error_def("error42"))
        + boundary("catchError", "serviceTask", error_def("error23"))
        + end("theEnd")
        + end("ignoredEnd")
        + flows("theStart->serviceTask", "serviceTask->theEnd", "ignoreError42->ignoredEnd")
        + caught_path("catchError", "escalatedTask", "escalatedEnd"),
        error("error42", "42") + error("error23", "23"),
    )
    run = engine.start(xml)
    _assert_service_error_caught(engine, run)
    assert run.visited("ignoreError42") == 0


def test_catch_error_thrown_by_delegate_on_embedded_subprocess(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorThrownByJavaDelegateOnEmbeddedSubProcess: the
    service task in the subprocess throws; the boundary on the subprocess catches."""
    engine.connector(_thrower("23"))
    inner = start("subStart") + _service("serviceTask") + end("subEnd")
    inner += flows("subStart->serviceTask", "serviceTask->subEnd")
    xml = camunda7(
        "catchErrorThrownByJavaDelegateOnEmbeddedSubProcess",
        start("theStart")
        + sub("subprocess", inner)
        + boundary("catchError", "subprocess", error_def("myError"))
        + end("theEnd")
        + flows("theStart->subprocess", "subprocess->theEnd")
        + caught_path("catchError", "escalatedTask", "escalatedEnd"),
        error("myError", "23"),
    )
    run = engine.start(xml)
    _assert_service_error_caught(engine, run)


def test_catch_error_thrown_by_delegate_on_call_activity(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorThrownByJavaDelegateOnCallActivity: the called
    process's service task throws 23; the boundary on the call activity catches."""
    engine.connector(_thrower("23"))
    child = camunda7(
        "catchErrorThrownByJavaDelegateOnCallActivity-child",
        start("theStart")
        + _service("serviceTask")
        + end("theEnd")
        + flows("theStart->serviceTask", "serviceTask->theEnd"),
    )
    parent = _parent_catching(
        "catchErrorThrownByJavaDelegateOnCallActivity-parent",
        "catchErrorThrownByJavaDelegateOnCallActivity-child",
        error("myError", "23"),
    )
    run = _start_called(engine, parent, child)
    _assert_service_error_caught(engine, run)


@pytest.mark.parametrize("sequential", [True, False], ids=["sequential", "parallel"])
def test_catch_error_thrown_by_delegate_on_multi_instance_service_task(
    engine: Engine, sequential: bool
) -> None:
    """BoundaryErrorEventTest.testCatchErrorThrownByJavaDelegateOnMultiInstanceServiceTask
    Sequential / Parallel: the third call of the worker throws 23; the boundary on the
    multi-instance service task catches it and the remaining instances are cancelled."""
    calls: list[Any] = []

    def handler(call: Any) -> Any:
        calls.append(call)
        if len(calls) > 2:
            raise BpmnError("23")
        return {}

    engine.connector(FakeConnector("thrower", handler))
    loop = parallel_mi(5, sequential)
    xml = camunda7(
        "catchErrorThrownByJavaDelegateOnMultiInstanceServiceTask",
        start("theStart")
        + f'<bpmn:serviceTask id="serviceTask" camunda:type="external" camunda:topic="thrower">'
        f"{loop}</bpmn:serviceTask>"
        + boundary("catchError", "serviceTask", error_def("myError"))
        + end("theEnd")
        + flows("theStart->serviceTask", "serviceTask->theEnd")
        + caught_path("catchError", "escalatedTask", "escalatedEnd"),
        error("myError", "23"),
    )
    run = engine.start(xml)
    _assert_service_error_caught(engine, run)
    if sequential:  # parallel instances all start at once; Camunda orders them no further
        assert len(calls) == 3


def test_error_not_caught_by_other_event_type(engine: Engine) -> None:
    """BoundaryErrorEventTest.testErrorThrownByJavaDelegateNotCaughtByOtherEventType: the task
    has a timer boundary and an error boundary; the error takes the error boundary only."""
    engine.connector(_thrower("23"))
    timer = (
        "<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration>"
        "</bpmn:timerEventDefinition>"
    )
    xml = camunda7(
        "testErrorThrownByJavaDelegateNotCaughtByOtherEventType",
        start("theStart")
        + _service("serviceTask")
        + boundary("catchTimer", "serviceTask", timer)
        + boundary("catchError", "serviceTask", error_def("myError"))
        + end("theEnd")
        + user("timerTask")
        + flows("theStart->serviceTask", "serviceTask->theEnd", "catchTimer->timerTask")
        + caught_path("catchError", "escalatedTask", "escalatedEnd"),
        error("myError", "23"),
    )
    run = engine.start(xml)
    _assert_service_error_caught(engine, run)


def test_uncaught_runtime_exception_is_not_caught_by_a_catch_all(engine: Engine) -> None:
    """BoundaryErrorEventTest.testUncaughtRuntimeException: a technical failure (not a BPMN
    error) is not caught by an error boundary, even a catch-all; the task fails (an incident)."""

    def handler(call: Any) -> Any:
        raise FatalError("This should not be caught!")

    engine.connector(FakeConnector("thrower", handler))
    run = engine.start(_service_with_boundary(error_def(), ""))
    engine.work()
    assert run.status.value == "incident"
    assert run.visited("catchError") == 0
    assert "This should not be caught!" in (run.error or "")


def test_uncaught_business_error_wrong_error_code(engine: Engine) -> None:
    """BoundaryErrorEventTest.testUncaughtBusinessExceptionWrongErrorCode, for a worker's BPMN
    error: the boundary waits for another code and does not catch it; as BpmnExceptionHandler
    does by default for an unhandled BPMN error, the task's path ends (no incident)."""
    engine.connector(_thrower("23"))
    run = engine.start(_service_with_boundary(error_def("other"), error("other", "99")))
    engine.work()
    assert run.visited("catchError") == 0
    assert run.open_tasks() == []
    # Camunda 7's default (no exception after an unhandled BPMN error): the path just ends.
    assert run.ended
    assert run.visited("theEnd") == 0


def test_catch_error_on_subprocess_sets_error_variables(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorOnSubprocessSetsErrorVariables: the boundary's
    camunda:errorCodeVariable holds the caught code (error1)."""
    inner = start("subStart") + end("subError", error_def("e1")) + flows("subStart->subError")
    xml = camunda7(
        "Process_1",
        start("theStart")
        + sub("subprocess", inner)
        + boundary(
            "catchError", "subprocess", error_def("e1", 'camunda:errorCodeVariable="errorVariable"')
        )
        + end("theEnd")
        + flows("theStart->subprocess", "subprocess->theEnd")
        + caught_path("catchError", "afterCatch", "caughtEnd"),
        error("e1", "error1"),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["afterCatch"]
    assert run.data["errorVariable"] == "error1"


def test_catch_error_thrown_by_call_activity_sets_error_variables(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorThrownByCallActivityOnSubprocessSetsErrorVariables:
    the called process throws code "error"; the catch-all boundary on the subprocess around the
    call activity stores it in errorVariable."""
    child = camunda7(
        "ThrowErrorProcess",
        start("s") + end("throwError", error_def("e")) + flows("s->throwError"),
        error("e", "error"),
    )
    inner = start("subStart") + call("callActivity", "ThrowErrorProcess") + end("subEnd")
    inner += flows("subStart->callActivity", "callActivity->subEnd")
    xml = camunda7(
        "Process_1",
        start("theStart")
        + sub("subprocess", inner)
        + boundary(
            "catchError", "subprocess", error_def(None, 'camunda:errorCodeVariable="errorVariable"')
        )
        + end("theEnd")
        + flows("theStart->subprocess", "subprocess->theEnd")
        + caught_path("catchError", "afterCatch", "caughtEnd"),
    )
    run = _start_called(engine, xml, child)
    assert run.open_tasks() == ["afterCatch"]
    assert run.data["errorVariable"] == "error"


def test_catch_error_thrown_by_multi_instance_subprocess_sets_error_variables(
    engine: Engine,
) -> None:
    """BoundaryErrorEventTest.testCatchErrorThrownByMultiInstanceSubProcessSetsErrorVariables:
    an error end event inside a multi-instance subprocess; the boundary on it stores "error"."""
    inner = start("subStart") + end("subError", error_def("e")) + flows("subStart->subError")
    xml = camunda7(
        "Process_1",
        start("theStart")
        + sub("subprocess", inner, loop=parallel_mi(3))
        + boundary(
            "catchError", "subprocess", error_def("e", 'camunda:errorCodeVariable="errorVariable"')
        )
        + end("theEnd")
        + flows("theStart->subprocess", "subprocess->theEnd")
        + caught_path("catchError", "afterCatch", "caughtEnd"),
        error("e", "error"),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["afterCatch"]
    assert run.data["errorVariable"] == "error"


def test_catch_bpmn_error_from_delegate_in_call_activity_sets_error_variables(
    engine: Engine,
) -> None:
    """BoundaryErrorEventTest.testCatchBpmnErrorThrownByJavaDelegateInCallActivityOnSubprocess
    SetsErrorVariables: after a user task the called process's worker throws errorCode with
    message "ouch!"; the boundary stores both in errorCode and errorMessageVariable."""
    engine.connector(_thrower("errorCode", "ouch!"))
    child = camunda7(
        "subProcessWithThrownError",
        start("s")
        + user("task")
        + _service("serviceTask")
        + end("e")
        + flows("s->task", "task->serviceTask", "serviceTask->e"),
    )
    inner = start("subStart") + call("callActivity", "subProcessWithThrownError") + end("subEnd")
    inner += flows("subStart->callActivity", "callActivity->subEnd")
    attrs = (
        'camunda:errorCodeVariable="errorCode" camunda:errorMessageVariable="errorMessageVariable"'
    )
    xml = camunda7(
        "Process_1",
        start("theStart")
        + sub("subprocess", inner)
        + boundary("catchError", "subprocess", error_def("e", attrs))
        + end("theEnd")
        + flows("theStart->subprocess", "subprocess->theEnd")
        + caught_path("catchError", "afterCatch", "caughtEnd"),
        error("e", "errorCode"),
    )
    run = _start_called(engine, xml, child)
    run.complete("task")
    engine.work()
    assert run.open_tasks() == ["afterCatch"]
    assert run.data["errorCode"] == "errorCode"
    assert run.data["errorMessageVariable"] == "ouch!"


def test_review_sales_lead_process(engine: Engine) -> None:
    """BoundaryErrorEventTest.testReviewSalesLeadProcess: an error thrown after one of two
    parallel reviews cancels the review subprocess; the details task loops back into it, and
    the second time both reviews complete and the process ends."""
    review = (
        start("subStart")
        + '<bpmn:parallelGateway id="fork"/><bpmn:parallelGateway id="join"/>'
        + user("reviewCustomerRating")
        + user("reviewProfitability")
        + '<bpmn:exclusiveGateway id="enoughInfo" default="f_enough"/>'
        + end("notEnoughInfoEnd", error_def("notEnoughInfoError"))
        + end("subEnd")
        + flows(
            "subStart->fork",
            "fork->reviewCustomerRating",
            "fork->reviewProfitability",
            "reviewCustomerRating->join",
            "reviewProfitability->enoughInfo",
            "enoughInfo->notEnoughInfoEnd: ${notEnoughInformation}",
            "join->subEnd",
        )
        + '<bpmn:sequenceFlow id="f_enough" sourceRef="enoughInfo" targetRef="join"/>'
    )
    xml = camunda7(
        "reviewSaledLead",
        start("theStart")
        + user("provideNewSalesLead")
        + sub("reviewSalesLeadSubProcess", review)
        + boundary(
            "catchNotEnoughInformationError",
            "reviewSalesLeadSubProcess",
            error_def("notEnoughInfoError"),
        )
        + user("provideAdditionalDetails")
        + end("theEnd")
        + flows(
            "theStart->provideNewSalesLead",
            "provideNewSalesLead->reviewSalesLeadSubProcess",
            "reviewSalesLeadSubProcess->theEnd",
            "catchNotEnoughInformationError->provideAdditionalDetails",
            "provideAdditionalDetails->reviewSalesLeadSubProcess",
        ),
        error("notEnoughInfoError", "not_enough_info"),
    )
    run = engine.start(xml, {"details": "very interesting", "customerName": "Alfresco"})
    run.complete("provideNewSalesLead")
    assert run.open_tasks() == ["reviewCustomerRating", "reviewProfitability"]
    run.complete("reviewProfitability", {"notEnoughInformation": True})
    assert run.open_tasks() == ["provideAdditionalDetails"]
    run.complete("provideAdditionalDetails")
    assert run.open_tasks() == ["reviewCustomerRating", "reviewProfitability"]
    run.complete("reviewCustomerRating")
    run.complete("reviewProfitability", {"notEnoughInformation": False})
    assert run.ended


# -- error event subprocesses ---------------------------------------------------------------


def _esp_in_subprocess(*esps: str, boundary_def: str | None = None) -> str:
    inner = start("subprocessStart") + end("subprocessEnd", error_def("myError"))
    inner += flows("subprocessStart->subprocessEnd") + "".join(esps)
    body = start("theStart") + sub("subprocess", inner) + end("theEnd")
    body += flows("theStart->subprocess", "subprocess->theEnd")
    if boundary_def is not None:
        body += boundary("catchErrorBoundary", "subprocess", boundary_def)
        body += caught_path("catchErrorBoundary", "boundaryTask", "boundaryEnd")
    return camunda7("CatchErrorInEmbeddedSubProcess", body, ERR)


def _catching_esp(eid: str, start_id: str, definition: str, task: str) -> str:
    inner = user(task, 'name="Escalated Task"') + flows(f"{start_id}->{task}")
    return esp(eid, start_id, definition, inner)


def test_error_event_subprocess_takes_precedence_over_boundary(engine: Engine) -> None:
    """ErrorEventSubProcessTest.testEventSubprocessTakesPrecedence: a catch-all error event
    subprocess inside the subprocess wins over the catch-all boundary event on it."""
    xml = _esp_in_subprocess(
        _catching_esp("eventSubProcess", "catchError", error_def(), "taskAfterErrorCatch"),
        boundary_def=error_def(),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["taskAfterErrorCatch"]
    run.complete("taskAfterErrorCatch")
    assert run.ended
    assert run.visited("catchErrorBoundary") == 0


def test_error_code_takes_precedence(engine: Engine) -> None:
    """ErrorEventSubProcessTest.testErrorCodeTakesPrecedence: of two error event subprocesses,
    the one naming error 123 wins over the catch-all."""
    xml = _esp_in_subprocess(
        _catching_esp("eventSubProcess", "catchError", error_def(), "taskAfterErrorCatch"),
        _catching_esp(
            "eventSubProcess2", "catchError2", error_def("myError"), "taskAfterErrorCatch2"
        ),
        boundary_def=error_def(),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["taskAfterErrorCatch2"]
    run.complete("taskAfterErrorCatch2")
    assert run.ended


def test_catch_error_in_embedded_subprocess_by_event_subprocess(engine: Engine) -> None:
    """ErrorEventSubProcessTest.testCatchErrorInEmbeddedSubProcess: the event subprocess drawn
    in the embedded subprocess catches its error; the process then ends normally."""
    xml = _esp_in_subprocess(
        _catching_esp("eventSubProcess", "catchError", error_def("myError"), "taskAfterErrorCatch")
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["taskAfterErrorCatch"]
    run.complete("taskAfterErrorCatch")
    assert run.ended


def test_catch_error_thrown_in_top_level_process(engine: Engine) -> None:
    """ErrorEventSubProcessTest.testCatchErrorThrownByScriptTaskInTopLevelProcess: the top-level
    task throws (here a worker's BpmnError); the top-level error event subprocess catches it
    and the main path does not continue."""
    engine.connector(_thrower("myError"))
    xml = camunda7(
        "CatchErrorThrownByScriptTaskInTopLevelProcess",
        start("theStart")
        + _service("serviceTask")
        + user("neverReached")
        + end("theEnd")
        + flows("theStart->serviceTask", "serviceTask->neverReached", "neverReached->theEnd")
        + _catching_esp(
            "eventSubProcess", "catchError", error_def("myError"), "taskAfterErrorCatch"
        ),
        error("myError", "myError"),
    )
    run = engine.start(xml)
    engine.work()
    assert run.open_tasks() == ["taskAfterErrorCatch"]
    run.complete("taskAfterErrorCatch")
    assert run.ended


def test_catch_error_thrown_inside_subprocess_in_top_level_process(engine: Engine) -> None:
    """ErrorEventSubProcessTest.testCatchErrorThrownByScriptTaskInsideSubProcessInTopLevelProcess:
    the error of an embedded subprocess with no handler of its own reaches the top-level error
    event subprocess."""
    engine.connector(_thrower("myError"))
    inner = start("subStart") + _service("serviceTask") + end("subEnd")
    inner += flows("subStart->serviceTask", "serviceTask->subEnd")
    xml = camunda7(
        "CatchErrorThrownByScriptTaskInsideSubProcessInTopLevelProcess",
        start("theStart")
        + sub("subprocess", inner)
        + user("neverReached")
        + end("theEnd")
        + flows("theStart->subprocess", "subprocess->neverReached", "neverReached->theEnd")
        + _catching_esp(
            "eventSubProcess", "catchError", error_def("myError"), "taskAfterErrorCatch"
        ),
        error("myError", "myError"),
    )
    run = engine.start(xml)
    engine.work()
    assert run.open_tasks() == ["taskAfterErrorCatch"]
    run.complete("taskAfterErrorCatch")
    assert run.ended


def test_error_in_call_activity_caught_by_top_level_event_subprocess(engine: Engine) -> None:
    """ErrorEventSubProcessTest.testThrowErrorInScriptTaskInsideCallActivitiCatchInTopLevel
    Process: the called process's error reaches the caller's top-level event subprocess."""
    xml = camunda7(
        "catchErrorThrownByCallActivityInTopLevel",
        start("theStart")
        + call("callSubProcess", "simpleSubProcess")
        + end("theEnd")
        + flows("theStart->callSubProcess", "callSubProcess->theEnd")
        + _catching_esp(
            "eventSubProcess", "catchError", error_def("myError"), "taskAfterErrorCatch"
        ),
        error("myError", "myError"),
    )
    run = _start_called(engine, xml, _child_throwing())
    run.complete("taskInSubprocess")
    assert run.open_tasks() == ["taskAfterErrorCatch"]
    run.complete("taskAfterErrorCatch")
    assert run.ended


def test_catch_error_event_subprocess_sets_error_variables(engine: Engine) -> None:
    """ErrorEventSubProcessTest.testCatchErrorEventSubprocessSetErrorVariables: the event
    subprocess's start event stores the code in camunda:errorCodeVariable."""
    engine.connector(_thrower("error", "the message"))
    attrs = 'camunda:errorCodeVariable="errorCode" camunda:errorMessageVariable="errorMessage2"'
    xml = camunda7(
        "Process_1",
        start("theStart")
        + _service("serviceTask")
        + end("theEnd")
        + flows("theStart->serviceTask", "serviceTask->theEnd")
        + _catching_esp("eventSubProcess", "catchError", error_def(None, attrs), "afterCatch"),
    )
    run = engine.start(xml)
    engine.work()
    assert run.open_tasks() == ["afterCatch"]
    assert run.data["errorCode"] == "error"
    assert run.data["errorMessage2"] == "the message"


def test_catch_error_from_call_activity_sets_error_variable(engine: Engine) -> None:
    """ErrorEventSubProcessTest.testCatchErrorFromCallActivitySetsErrorVariable: the called
    process's error end event (code "error") reaches the caller's event subprocess, which
    stores the code."""
    child = camunda7(
        "ThrowErrorProcess",
        start("s") + end("throwError", error_def("e")) + flows("s->throwError"),
        error("e", "error"),
    )
    xml = camunda7(
        "Process_1",
        start("theStart")
        + call("callActivity", "ThrowErrorProcess")
        + end("theEnd")
        + flows("theStart->callActivity", "callActivity->theEnd")
        + _catching_esp(
            "eventSubProcess",
            "catchError",
            error_def(None, 'camunda:errorCodeVariable="errorVariable"'),
            "afterCatch",
        ),
    )
    run = _start_called(engine, xml, child)
    assert run.open_tasks() == ["afterCatch"]
    assert run.data["errorVariable"] == "error"


# -- error end events -------------------------------------------------------------------------


def _error_end_with_message(message: str) -> str:
    inner = start("subStart") + end("errorEnd", error_def("e")) + flows("subStart->errorEnd")
    attrs = 'camunda:errorCodeVariable="errorCode" camunda:errorMessageVariable="errorMessage"'
    return camunda7(
        "testErrorMessage",
        start("theStart")
        + sub("subprocess", inner)
        + boundary("catchError", "subprocess", error_def("e", attrs))
        + end("theEnd")
        + flows("theStart->subprocess", "subprocess->theEnd")
        + caught_path("catchError", "afterCatch", "caughtEnd"),
        error("e", "123", message),
    )


def test_error_end_event_error_message(engine: Engine) -> None:
    """ErrorEndEventTest.testErrorMessage: the error's camunda:errorMessage reaches the
    catching boundary's errorMessageVariable."""
    run = engine.start(_error_end_with_message("Error message"))
    assert run.open_tasks() == ["afterCatch"]
    assert run.data["errorCode"] == "123"
    assert run.data["errorMessage"] == "Error message"


def test_error_end_event_error_message_expression(engine: Engine) -> None:
    """ErrorEndEventTest.testErrorMessageExpression: camunda:errorMessage is an expression,
    evaluated over the variables where the error is thrown."""
    run = engine.start(
        _error_end_with_message(esc("${errorMessageText}")), {"errorMessageText": "Dynamic"}
    )
    assert run.open_tasks() == ["afterCatch"]
    assert run.data["errorMessage"] == "Dynamic"


def test_error_end_event_propagates_output_variables(engine: Engine) -> None:
    """ErrorEndEventTest.testPropagateOutputVariablesWhileThrowError: a variable set in the
    called process before its error end event is passed out (camunda:out) to the caller, where
    the boundary event on the call activity caught the error."""
    child = camunda7(
        "ErrorEndEventTestCalled",
        start("s")
        + '<bpmn:scriptTask id="setOutput" scriptFormat="python"><bpmn:script>output = 42'
        "</bpmn:script></bpmn:scriptTask>"
        + end("throwError", error_def("e"))
        + flows("s->setOutput", "setOutput->throwError"),
        error("e", "1234"),
    )
    out = (
        '<bpmn:extensionElements><camunda:out source="output" target="output"/>'
        "</bpmn:extensionElements>"
    )
    xml = camunda7(
        "ErrorParentProcess",
        start("theStart")
        + f'<bpmn:callActivity id="callActivity" calledElement="ErrorEndEventTestCalled">{out}'
        "</bpmn:callActivity>"
        + boundary("catchError", "callActivity", error_def("e"))
        + end("theEnd")
        + flows("theStart->callActivity", "callActivity->theEnd")
        + caught_path("catchError", "afterCatch", "caughtEnd"),
        error("e", "1234"),
    )
    run = _start_called(engine, xml, child)
    assert run.open_tasks() == ["afterCatch"]
    assert run.data["output"] == 42
