"""Activities as Camunda runs them: plain and manual tasks, embedded subprocesses, receive tasks.

Upstream: engine/src/test/java/org/camunda/bpm/engine/test/bpmn/subprocess/SubProcessTest.java,
engine/src/test/java/org/camunda/bpm/engine/test/bpmn/receivetask/ReceiveTaskTest.java, and
the manual tasks of ParallelGatewayTest / LinkEventTest (Camunda 7) and Camunda 8's manual and
undefined tasks, which pass straight through.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conformance.harness import Engine, camunda7, flows, plain, script, spiff, user, zeebe

START = '<bpmn:startEvent id="s"/>'
END = '<bpmn:endEvent id="e"/>'


def sub(sid: str, body: str, attrs: str = "") -> str:
    """An embedded subprocess."""
    return f'<bpmn:subProcess id="{sid}" {attrs}>{body}</bpmn:subProcess>'


def timer_boundary(bid: str, on: str, duration: str = "PT1H") -> str:
    return (
        f'<bpmn:boundaryEvent id="{bid}" attachedToRef="{on}"><bpmn:timerEventDefinition>'
        f"<bpmn:timeDuration>{duration}</bpmn:timeDuration></bpmn:timerEventDefinition>"
        "</bpmn:boundaryEvent>"
    )


def receive(rid: str, ref: str) -> str:
    return f'<bpmn:receiveTask id="{rid}" messageRef="{ref}"/>'


MESSAGE = '<bpmn:message id="newInvoice" name="newInvoiceMessage"/>'

# -- plain and manual tasks ----------------------------------------------------------------------

_FLAVOURS: dict[str, Callable[..., str]] = {"camunda7": camunda7, "zeebe": zeebe, "plain": plain}


@pytest.mark.parametrize("kind", ["task", "manualTask"])
@pytest.mark.parametrize("flavour", sorted(_FLAVOURS))
def test_task_and_manual_task_pass_straight_through(
    engine: Engine, flavour: str, kind: str
) -> None:
    """ParallelGatewayTest.testUnstructuredConcurrencyTwoForks (Camunda 7: its manual tasks do
    not wait, the instance ends at once) and Camunda 8's manual and undefined tasks: a
    ``bpmn:task`` or ``bpmn:manualTask`` is left as soon as it is entered; nobody is asked."""
    xml = _FLAVOURS[flavour](
        "p", START + f'<bpmn:{kind} id="t"/>' + user("after") + flows("s->t", "t->after")
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["after"]
    assert run.ran()[:1] == ["t"]


@pytest.mark.parametrize("kind", ["task", "manualTask"])
def test_spiff_manual_tasks_wait_for_a_person(engine: Engine, kind: str) -> None:
    """SpiffArena's meaning of a manual (and an undefined) task: a person confirms it is done
    (SpiffWorkflow ManualTask / NoneTask specs are manual), so the instance waits there."""
    ext = (
        "<bpmn:extensionElements><spiffworkflow:instructionsForEndUser>Sign the form"
        "</spiffworkflow:instructionsForEndUser></bpmn:extensionElements>"
    )
    xml = spiff(
        "p", START + f'<bpmn:{kind} id="t">{ext}</bpmn:{kind}>' + END + flows("s->t", "t->e")
    )
    run = engine.start(xml)
    assert run.waiting() == [("t", "manual_task")]
    run.complete("t")
    assert run.ended


# -- embedded subprocesses -----------------------------------------------------------------------


def test_simple_subprocess(engine: Engine) -> None:
    """SubProcessTest.testSimpleSubProcess: the task inside the subprocess opens first; once
    completed, the subprocess ends and the task after it opens."""
    inner = (
        '<bpmn:startEvent id="subStart"/>'
        + user("subTask")
        + '<bpmn:endEvent id="subEnd"/>'
        + flows("subStart->subTask", "subTask->subEnd")
    )
    xml = camunda7(
        "simpleSubProcess",
        START
        + sub("subProcess", inner)
        + user("taskAfter")
        + END
        + flows("s->subProcess", "subProcess->taskAfter", "taskAfter->e"),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["subTask"]
    run.complete("subTask")
    assert run.open_tasks() == ["taskAfter"]
    run.complete("taskAfter")
    assert run.ended


def test_simple_automatic_subprocess(engine: Engine) -> None:
    """SubProcessTest.testSimpleAutomaticSubProcess: a subprocess of scripts only runs to its
    end in the start call; the instance ends."""
    inner = (
        '<bpmn:startEvent id="subStart"/>'
        + script("subScript", "inside = True")
        + '<bpmn:endEvent id="subEnd"/>'
        + flows("subStart->subScript", "subScript->subEnd")
    )
    xml = camunda7(
        "simpleSubProcessAutomatic",
        START + sub("subProcess", inner) + END + flows("s->subProcess", "subProcess->e"),
    )
    run = engine.start(xml)
    assert run.ended, run.error
    assert run.data["inside"] is True


def test_subprocess_with_timer_boundary(engine: Engine) -> None:
    """SubProcessTest.testSimpleSubProcessWithTimer: an hour later the interrupting timer on
    the subprocess fires: the task inside is gone and the escalation task opens."""
    inner = (
        '<bpmn:startEvent id="subStart"/>'
        + user("subTask")
        + '<bpmn:endEvent id="subEnd"/>'
        + flows("subStart->subTask", "subTask->subEnd")
    )
    xml = camunda7(
        "simpleSubProcessWithTimer",
        START
        + sub("subProcess", inner)
        + timer_boundary("timer", "subProcess")
        + user("taskAfter")
        + user("escalation")
        + END
        + flows("s->subProcess", "subProcess->taskAfter", "timer->escalation"),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["subTask"]
    engine.advance(hours=1, seconds=1)
    assert run.open_tasks() == ["escalation"]


def test_nested_subprocesses(engine: Engine) -> None:
    """SubProcessTest.testNestedSimpleSubProcess: a subprocess inside a subprocess; completing
    the inner task ends both and the task after them opens."""
    innermost = (
        '<bpmn:startEvent id="innerStart"/>'
        + user("innerTask")
        + '<bpmn:endEvent id="innerEnd"/>'
        + flows("innerStart->innerTask", "innerTask->innerEnd")
    )
    outer = (
        '<bpmn:startEvent id="outerStart"/>'
        + sub("inner", innermost)
        + '<bpmn:endEvent id="outerEnd"/>'
        + flows("outerStart->inner", "inner->outerEnd")
    )
    xml = camunda7(
        "nestedSimpleSubProcess",
        START
        + sub("outer", outer)
        + user("afterTask")
        + END
        + flows("s->outer", "outer->afterTask", "afterTask->e"),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["innerTask"]
    run.complete("innerTask")
    assert run.open_tasks() == ["afterTask"]


def test_timer_on_inner_subprocess(engine: Engine) -> None:
    """SubProcessTest.testNestedSimpleSubprocessWithTimerOnInnerSubProcess: the timer on the
    inner subprocess fires: the escalated task opens inside the outer subprocess; completing it
    ends the outer subprocess and the task after it opens."""
    innermost = (
        '<bpmn:startEvent id="innerStart"/>'
        + user("innerSubProcessTask")
        + '<bpmn:endEvent id="innerEnd"/>'
        + flows("innerStart->innerSubProcessTask", "innerSubProcessTask->innerEnd")
    )
    outer = (
        '<bpmn:startEvent id="outerStart"/>'
        + sub("innerSubProcess", innermost)
        + timer_boundary("escalationTimer", "innerSubProcess")
        + user("escalationTask")
        + '<bpmn:endEvent id="outerEnd"/><bpmn:endEvent id="outerEnd1"/>'
        + flows(
            "outerStart->innerSubProcess",
            "innerSubProcess->outerEnd",
            "escalationTimer->escalationTask",
            "escalationTask->outerEnd1",
        )
    )
    xml = camunda7(
        "nestedSubProcessWithTimer",
        START
        + sub("outerSubProcess", outer)
        + user("afterSubProcessTask")
        + END
        + flows(
            "s->outerSubProcess",
            "outerSubProcess->afterSubProcessTask",
            "afterSubProcessTask->e",
        ),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["innerSubProcessTask"]
    engine.advance(hours=1, seconds=1)
    assert run.open_tasks() == ["escalationTask"]
    run.complete("escalationTask")
    assert run.open_tasks() == ["afterSubProcessTask"]
    run.complete("afterSubProcessTask")
    assert run.ended


def test_parallel_inside_subprocess(engine: Engine) -> None:
    """SubProcessTest.testSimpleParallelSubProcess: a fork and join inside the subprocess; both
    tasks open, and only after both the task after the subprocess."""
    inner = (
        '<bpmn:startEvent id="subStart"/><bpmn:parallelGateway id="subFork"/>'
        '<bpmn:parallelGateway id="subJoin"/><bpmn:endEvent id="subEnd"/>'
        + user("task1")
        + user("task2")
        + flows(
            "subStart->subFork",
            "subFork->task1",
            "subFork->task2",
            "task1->subJoin",
            "task2->subJoin",
            "subJoin->subEnd",
        )
    )
    xml = camunda7(
        "simpleParallelSubProcess",
        START
        + sub("subProcess", inner)
        + user("taskAfterSubProcess")
        + END
        + flows("s->subProcess", "subProcess->taskAfterSubProcess", "taskAfterSubProcess->e"),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["task1", "task2"]
    run.complete("task1")
    assert run.open_tasks() == ["task2"]
    run.complete("task2")
    assert run.open_tasks() == ["taskAfterSubProcess"]


def test_two_subprocesses_in_parallel(engine: Engine) -> None:
    """SubProcessTest.testTwoSubProcessInParallel: a fork into two subprocesses; each one's
    completion opens its own following task independently of the other."""

    def inner(tag: str) -> str:
        return (
            f'<bpmn:startEvent id="sub{tag}Start"/>'
            + user(f"sub{tag}Task")
            + f'<bpmn:endEvent id="sub{tag}End"/>'
            + flows(f"sub{tag}Start->sub{tag}Task", f"sub{tag}Task->sub{tag}End")
        )

    xml = camunda7(
        "twoSubProcessInParallel",
        START
        + '<bpmn:parallelGateway id="fork"/>'
        + sub("subProcessA", inner("A"))
        + sub("subProcessB", inner("B"))
        + user("afterA")
        + user("afterB")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows(
            "s->fork",
            "fork->subProcessA",
            "fork->subProcessB",
            "subProcessA->afterA",
            "subProcessB->afterB",
            "afterA->e1",
            "afterB->e2",
        ),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["subATask", "subBTask"]
    run.complete("subATask")
    assert run.open_tasks() == ["afterA", "subBTask"]
    run.complete("subBTask")
    assert run.open_tasks() == ["afterA", "afterB"]
    run.complete("afterA").complete("afterB")
    assert run.ended


def test_subprocess_without_end_event(engine: Engine) -> None:
    """SubProcessTest.testSimpleSubProcessWithoutEndEvent: the subprocess ends when its last
    task completes, even without an end event."""
    inner = '<bpmn:startEvent id="subStart"/>' + user("subTask") + flows("subStart->subTask")
    xml = camunda7(
        "subProcessWithoutEndEvent",
        START
        + sub("subProcess", inner)
        + user("after")
        + flows("s->subProcess", "subProcess->after"),
    )
    run = engine.start(xml)
    run.complete("subTask")
    assert run.open_tasks() == ["after"]


def test_nested_subprocesses_without_end_events(engine: Engine) -> None:
    """SubProcessTest.testNestedSubProcessesWithoutEndEvents: neither level has an end event;
    completing the innermost task ends both and then the instance."""
    innermost = (
        '<bpmn:startEvent id="innerStart"/>' + user("innerTask") + flows("innerStart->innerTask")
    )
    outer = (
        '<bpmn:startEvent id="outerStart"/>' + sub("inner", innermost) + flows("outerStart->inner")
    )
    xml = camunda7(
        "nestedSubProcessesWithoutEndEvents", START + sub("outer", outer) + flows("s->outer")
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["innerTask"]
    run.complete("innerTask")
    assert run.ended, run.error


def test_subprocess_variables_are_the_process_variables(engine: Engine) -> None:
    """SubProcessTest.testSimpleSubProcess (variables): an embedded subprocess shares the
    process scope: a variable set inside is visible after it, and one set before is visible
    inside."""
    inner = (
        '<bpmn:startEvent id="subStart"/>'
        + script("inside", "seen = before + 1")
        + flows("subStart->inside")
    )
    xml = camunda7(
        "subProcessVariables",
        START
        + script("first", "before = 41")
        + sub("subProcess", inner)
        + user("after")
        + flows("s->first", "first->subProcess", "subProcess->after"),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["after"]
    assert run.data["seen"] == 42


# -- receive tasks -------------------------------------------------------------------------------


def single_receive() -> str:
    return camunda7(
        "testProcess",
        START + receive("waitState", "newInvoice") + END + flows("s->waitState", "waitState->e"),
        extra=MESSAGE,
    )


def test_receive_task_correlate_message(engine: Engine) -> None:
    """ReceiveTaskTest.testSupportsCorrelateMessageOnSingleReceiveTask: the instance waits in
    the receive task for its message; correlating it ends the instance."""
    run = engine.start(single_receive())
    assert run.waiting() == [("waitState", "message")]
    engine.message("newInvoiceMessage")
    assert run.ended


def test_receive_task_correlate_by_business_key(engine: Engine) -> None:
    """ReceiveTaskTest.testSupportsCorrelateMessageByBusinessKeyOnSingleReceiveTask: two
    instances (keys 23 and 42) wait; the message for 23 ends only that one, then 42's."""
    engine.deploy(single_receive())
    run23 = engine.start("testProcess", business_key="23")
    run42 = engine.start("testProcess", business_key="42")
    engine.message("newInvoiceMessage", key="23")
    assert run23.ended
    assert run42.waiting() == [("waitState", "message")]
    engine.message("newInvoiceMessage", key="42")
    assert run42.ended


def test_receive_task_message_variables(engine: Engine) -> None:
    """ReceiveTaskTest (correlateMessage with variables): the message's variables become
    process variables of the receiving instance."""
    xml = camunda7(
        "testProcess",
        START
        + receive("waitState", "newInvoice")
        + user("after")
        + flows("s->waitState", "waitState->after"),
        extra=MESSAGE,
    )
    run = engine.start(xml)
    engine.message("newInvoiceMessage", {"amount": 12})
    assert run.open_tasks() == ["after"]
    assert run.data["amount"] == 12


def test_receive_tasks_behind_parallel_gateway(engine: Engine) -> None:
    """ReceiveTaskTest.testSupportsCorrelateMessageOnReceiveTaskBehindParallelGateway: two
    receive tasks with different messages wait side by side; each message ends its own branch
    and the join then ends the instance."""
    xml = camunda7(
        "testProcess",
        START
        + '<bpmn:parallelGateway id="fork"/><bpmn:parallelGateway id="join"/>'
        + receive("waitState1", "m1")
        + receive("waitState2", "m2")
        + END
        + flows(
            "s->fork",
            "fork->waitState1",
            "fork->waitState2",
            "waitState1->join",
            "waitState2->join",
            "join->e",
        ),
        extra='<bpmn:message id="m1" name="newInvoiceMessage"/>'
        '<bpmn:message id="m2" name="newCustomerMessage"/>',
    )
    run = engine.start(xml)
    assert run.waiting() == [("waitState1", "message"), ("waitState2", "message")]
    engine.message("newInvoiceMessage")
    assert run.waiting() == [("waitState2", "message")]
    engine.message("newCustomerMessage")
    assert run.ended


def test_receive_task_inside_subprocess(engine: Engine) -> None:
    """ReceiveTaskTest.testSupportsMessageEventReceivedOnSubProcessReceiveTask: a receive task
    inside an embedded subprocess waits; its message ends the subprocess and the instance."""
    inner = (
        '<bpmn:startEvent id="subStart"/>'
        + receive("waitState", "newInvoice")
        + '<bpmn:endEvent id="subEnd"/>'
        + flows("subStart->waitState", "waitState->subEnd")
    )
    xml = camunda7(
        "testProcess",
        START + sub("subProcess", inner) + END + flows("s->subProcess", "subProcess->e"),
        extra=MESSAGE,
    )
    run = engine.start(xml)
    assert run.waiting() == [("waitState", "message")]
    engine.message("newInvoiceMessage")
    assert run.ended


def test_receive_task_with_timer_boundary(engine: Engine) -> None:
    """ReceiveTaskTest.testWaitStateBehavior (a receive task is a wait state) with a boundary
    timer: no message arrives within the hour; the timer cancels the receive task."""
    xml = camunda7(
        "testProcess",
        START
        + receive("waitState", "newInvoice")
        + timer_boundary("timeout", "waitState")
        + user("late")
        + END
        + flows("s->waitState", "waitState->e", "timeout->late"),
        extra=MESSAGE,
    )
    run = engine.start(xml)
    engine.advance(hours=1, seconds=1)
    assert run.open_tasks() == ["late"]
    engine.message("newInvoiceMessage")
    assert run.open_tasks() == ["late"]
