"""Message boundary events and message event subprocesses, as Camunda 7's engine runs them.

Upstream: engine/src/test/java/org/camunda/bpm/engine/test/bpmn/event/message
(MessageBoundaryEventTest, MessageNonInterruptingBoundaryEventTest, MessageEventSubprocessTest).
"""

from __future__ import annotations

from tests.conformance.harness import Engine, camunda7, flows, user, zeebe


def messages(*names: str) -> str:
    """Top-level ``bpmn:message`` definitions (id ``m_<name>``)."""
    return "".join(f'<bpmn:message id="m_{n}" name="{n}"/>' for n in names)


def msg_boundary(bid: str, on: str, name: str, *, interrupting: bool = True) -> str:
    """A message boundary event on ``on`` catching message ``name``."""
    cancel = "" if interrupting else ' cancelActivity="false"'
    return (
        f'<bpmn:boundaryEvent id="{bid}" attachedToRef="{on}"{cancel}>'
        f'<bpmn:messageEventDefinition messageRef="m_{name}"/></bpmn:boundaryEvent>'
    )


def msg_esp(eid: str, name: str, inner: str, *, interrupting: bool = True) -> str:
    """A message event subprocess: start ``{eid}_s`` -> ``inner`` ids chained by the caller."""
    flag = "true" if interrupting else "false"
    return (
        f'<bpmn:subProcess id="{eid}" triggeredByEvent="true">'
        f'<bpmn:startEvent id="{eid}_s" isInterrupting="{flag}">'
        f'<bpmn:messageEventDefinition messageRef="m_{name}"/></bpmn:startEvent>'
        f"{inner}</bpmn:subProcess>"
    )


def _single_boundary(interrupting: bool = True) -> str:
    return camunda7(
        "process",
        '<bpmn:startEvent id="s"/>'
        + user("task")
        + msg_boundary("b", "task", "messageName", interrupting=interrupting)
        + user("taskAfterMessage")
        + user("taskAfterTask")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows(
            "s->task",
            "task->taskAfterTask",
            "b->taskAfterMessage",
            "taskAfterTask->e1",
            "taskAfterMessage->e2",
        ),
        messages("messageName"),
    )


def test_single_boundary_message_event_cancels_the_task(engine: Engine) -> None:
    """MessageBoundaryEventTest.testSingleBoundaryMessageEvent: the message cancels ``task``
    and leads to ``taskAfterMessage``; the subscription is gone."""
    run = engine.start(_single_boundary())
    assert run.open_tasks() == ["task"]
    engine.message("messageName")
    assert run.open_tasks() == ["taskAfterMessage"]
    assert ("b", "message") not in run.waiting()
    run.complete("taskAfterMessage")
    assert run.ended


def test_single_boundary_message_task_completed_first(engine: Engine) -> None:
    """MessageBoundaryEventTest.testSingleBoundaryMessageEvent (second case): completing the
    task removes the subscription and leads to ``taskAfterTask``."""
    run = engine.start(_single_boundary())
    run.complete("task")
    assert run.open_tasks() == ["taskAfterTask"]
    assert all(kind != "message" for _, kind in run.waiting())


def test_non_interrupting_boundary_fires_once_per_message(engine: Engine) -> None:
    """MessageNonInterruptingBoundaryEventTest.testSingleNonInterruptingBoundaryMessageEvent:
    every message while ``task`` is active starts one more ``taskAfterMessage`` branch and
    the subscription stays; completing ``task`` removes it."""
    run = engine.start(_single_boundary(interrupting=False))
    engine.message("messageName")
    assert run.open_tasks() == ["task", "taskAfterMessage"]
    run.complete("taskAfterMessage")
    assert run.open_tasks() == ["task"]
    engine.message("messageName")
    assert run.open_tasks() == ["task", "taskAfterMessage"]
    run.complete("taskAfterMessage")
    run.complete("task")
    assert run.open_tasks() == ["taskAfterTask"]
    assert all(kind != "message" for _, kind in run.waiting())
    run.complete("taskAfterTask")
    assert run.ended


def test_non_interrupting_boundary_branches_run_side_by_side(engine: Engine) -> None:
    """MessageNonInterruptingBoundaryEventTest.testSingleNonInterruptingBoundaryMessageEvent:
    two messages before any branch completes give two ``taskAfterMessage`` tasks."""
    run = engine.start(_single_boundary(interrupting=False))
    engine.message("messageName")
    engine.message("messageName")
    assert run.open_tasks() == ["task", "taskAfterMessage", "taskAfterMessage"]
    run.complete("task")
    run.complete("taskAfterMessage")
    run.complete("taskAfterMessage")
    run.complete("taskAfterTask")
    assert run.ended


def test_double_boundary_message_events_on_one_task(engine: Engine) -> None:
    """MessageBoundaryEventTest.testDoubleBoundaryMessageEvent: two boundary events with
    different messages on ``task``; the first message to arrive wins and removes both."""
    xml = camunda7(
        "process",
        '<bpmn:startEvent id="s"/>'
        + user("task")
        + msg_boundary("b1", "task", "messageName_1")
        + msg_boundary("b2", "task", "messageName_2")
        + user("taskAfterMessage_1")
        + user("taskAfterMessage_2")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->task", "task->e", "b1->taskAfterMessage_1", "b2->taskAfterMessage_2"),
        messages("messageName_1", "messageName_2"),
    )
    run = engine.start(xml)
    assert ("b1", "message") in run.waiting() and ("b2", "message") in run.waiting()
    engine.message("messageName_2")
    assert run.open_tasks() == ["taskAfterMessage_2"]
    assert all(kind != "message" for _, kind in run.waiting())


def test_boundary_message_event_inside_subprocess(engine: Engine) -> None:
    """MessageBoundaryEventTest.testBoundaryMessageEventInsideSubprocess: a boundary event on
    a task inside an embedded subprocess; the message leads inside the subprocess."""
    inner = (
        '<bpmn:startEvent id="ss"/>'
        + user("task")
        + msg_boundary("b", "task", "messageName")
        + user("taskAfterMessage")
        + '<bpmn:endEvent id="se1"/><bpmn:endEvent id="se2"/>'
        + flows("ss->task", "task->se1", "b->taskAfterMessage", "taskAfterMessage->se2")
    )
    xml = camunda7(
        "process",
        '<bpmn:startEvent id="s"/>'
        + f'<bpmn:subProcess id="sub">{inner}</bpmn:subProcess>'
        + user("taskAfterSubprocess")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->sub", "sub->taskAfterSubprocess", "taskAfterSubprocess->e"),
        messages("messageName"),
    )
    run = engine.start(xml)
    engine.message("messageName")
    assert run.open_tasks() == ["taskAfterMessage"]
    run.complete("taskAfterMessage")
    assert run.open_tasks() == ["taskAfterSubprocess"]
    run.complete("taskAfterSubprocess")
    assert run.ended


def _on_subprocess(interrupting: bool = True) -> str:
    inner = '<bpmn:startEvent id="ss"/>' + user("subTask") + '<bpmn:endEvent id="se"/>'
    inner += flows("ss->subTask", "subTask->se")
    return camunda7(
        "process",
        '<bpmn:startEvent id="s"/>'
        + f'<bpmn:subProcess id="sub">{inner}</bpmn:subProcess>'
        + msg_boundary("b", "sub", "messageName", interrupting=interrupting)
        + user("taskAfterSubprocess")
        + user("taskAfterMessage")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows(
            "s->sub",
            "sub->taskAfterSubprocess",
            "b->taskAfterMessage",
            "taskAfterSubprocess->e1",
            "taskAfterMessage->e2",
        ),
        messages("messageName"),
    )


def test_boundary_message_event_on_subprocess_interrupts_it(engine: Engine) -> None:
    """MessageBoundaryEventTest.testBoundaryMessageEventOnSubprocess: the message cancels the
    whole subprocess (its user task too) and leads to ``taskAfterMessage``."""
    run = engine.start(_on_subprocess())
    assert run.open_tasks() == ["subTask"]
    engine.message("messageName")
    assert run.open_tasks() == ["taskAfterMessage"]
    run.complete("taskAfterMessage")
    assert run.ended


def test_boundary_message_event_on_subprocess_not_triggered(engine: Engine) -> None:
    """MessageBoundaryEventTest.testBoundaryMessageEventOnSubprocess (second case): the
    subprocess completes normally; the subscription is gone."""
    run = engine.start(_on_subprocess())
    run.complete("subTask")
    assert run.open_tasks() == ["taskAfterSubprocess"]
    assert all(kind != "message" for _, kind in run.waiting())


def test_non_interrupting_boundary_on_subprocess_repeats(engine: Engine) -> None:
    """MessageNonInterruptingBoundaryEventTest.testNonInterruptingEventInCombinationWithUserTaskInsideSubProcess:
    a non-interrupting message on a subprocess keeps it running, once per message."""
    run = engine.start(_on_subprocess(interrupting=False))
    engine.message("messageName")
    engine.message("messageName")
    assert run.open_tasks() == ["subTask", "taskAfterMessage", "taskAfterMessage"]
    run.complete("subTask")
    assert all(kind != "message" for _, kind in run.waiting())
    run.complete("taskAfterMessage").complete("taskAfterMessage").complete("taskAfterSubprocess")
    assert run.ended


def test_boundary_message_event_concurrent(engine: Engine) -> None:
    """MessageBoundaryEventTest.testBoundaryMessageEventConcurrent: two parallel tasks, each
    with its own message boundary; each message interrupts only its own task."""
    xml = camunda7(
        "process",
        '<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>'
        + user("task1")
        + user("task2")
        + msg_boundary("b1", "task1", "messageName_1")
        + msg_boundary("b2", "task2", "messageName_2")
        + user("taskAfterMessage_1")
        + user("taskAfterMessage_2")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows(
            "s->fork",
            "fork->task1",
            "fork->task2",
            "task1->e1",
            "task2->e2",
            "b1->taskAfterMessage_1",
            "b2->taskAfterMessage_2",
        ),
        messages("messageName_1", "messageName_2"),
    )
    run = engine.start(xml)
    engine.message("messageName_1")
    assert run.open_tasks() == ["task2", "taskAfterMessage_1"]
    engine.message("messageName_2")
    assert run.open_tasks() == ["taskAfterMessage_1", "taskAfterMessage_2"]


def _on_and_inside_subprocess() -> str:
    inner = (
        '<bpmn:startEvent id="ss"/>'
        + user("task")
        + msg_boundary("bi", "task", "messageName")
        + user("taskAfterMessage")
        + user("taskAfterTask")
        + '<bpmn:endEvent id="se1"/><bpmn:endEvent id="se2"/>'
        + flows(
            "ss->task",
            "task->taskAfterTask",
            "taskAfterTask->se1",
            "bi->taskAfterMessage",
            "taskAfterMessage->se2",
        )
    )
    return camunda7(
        "process",
        '<bpmn:startEvent id="s"/>'
        + f'<bpmn:subProcess id="sub">{inner}</bpmn:subProcess>'
        + msg_boundary("bo", "sub", "messageName2")
        + user("taskAfterOuterMessageBoundary")
        + user("taskAfterSubprocess")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows(
            "s->sub",
            "sub->taskAfterSubprocess",
            "bo->taskAfterOuterMessageBoundary",
            "taskAfterSubprocess->e1",
            "taskAfterOuterMessageBoundary->e2",
        ),
        messages("messageName", "messageName2"),
    )


def test_boundary_on_subprocess_and_inside_subprocess(engine: Engine) -> None:
    """MessageBoundaryEventTest.testBoundaryMessageEventOnSubprocessAndInsideSubprocess: with
    no message, the inner subscription goes with ``task``, the outer one with the subprocess."""
    run = engine.start(_on_and_inside_subprocess())
    assert {("bi", "message"), ("bo", "message")} <= set(run.waiting())
    run.complete("task")
    assert run.open_tasks() == ["taskAfterTask"]
    assert ("bi", "message") not in run.waiting() and ("bo", "message") in run.waiting()
    run.complete("taskAfterTask")
    assert run.open_tasks() == ["taskAfterSubprocess"]
    assert ("bo", "message") not in run.waiting()


def test_boundary_on_subprocess_and_inside_subprocess_messages(engine: Engine) -> None:
    """MessageBoundaryEventTest.testBoundaryMessageEventOnSubprocessAndInsideSubprocess
    (message cases): the inner message leads inside the subprocess, the outer one then cancels
    the subprocess."""
    run = engine.start(_on_and_inside_subprocess())
    engine.message("messageName")
    assert run.open_tasks() == ["taskAfterMessage"]
    engine.message("messageName2")
    assert run.open_tasks() == ["taskAfterOuterMessageBoundary"]
    run.complete("taskAfterOuterMessageBoundary")
    assert run.ended


def test_boundary_message_with_payload_sets_variables(engine: Engine) -> None:
    """MessageBoundaryEventTest (correlateMessage with variables): the message's payload becomes
    process variables on the boundary path."""
    run = engine.start(_single_boundary())
    engine.message("messageName", {"answer": 42, "who": "boundary"})
    assert run.open_tasks() == ["taskAfterMessage"]
    assert run.data["answer"] == 42 and run.data["who"] == "boundary"


def test_boundary_message_correlates_by_business_key(engine: Engine) -> None:
    """MessageBoundaryEventTest with correlateMessage(name, businessKey): only the instance
    with that business key receives the message."""
    xml = _single_boundary()
    one = engine.start(xml, business_key="order-1")
    two = engine.start("process", business_key="order-2")
    engine.message("messageName", key="order-2")
    assert one.open_tasks() == ["task"]
    assert two.open_tasks() == ["taskAfterMessage"]


def _esp_process(interrupting: bool) -> str:
    esp = msg_esp(
        "eventSubProcess",
        "newMessage",
        user("eventSubProcessTask")
        + '<bpmn:endEvent id="ese"/>'
        + flows("eventSubProcess_s->eventSubProcessTask", "eventSubProcessTask->ese"),
        interrupting=interrupting,
    )
    return camunda7(
        "process",
        '<bpmn:startEvent id="s"/>'
        + user("task")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->task", "task->e")
        + esp,
        messages("newMessage"),
    )


def test_interrupting_message_event_subprocess_under_process(engine: Engine) -> None:
    """MessageEventSubprocessTest.testInterruptingUnderProcessDefinition: the message cancels
    ``task`` and runs the event subprocess; the instance ends with it."""
    run = engine.start(_esp_process(True))
    engine.message("newMessage")
    assert run.open_tasks() == ["eventSubProcessTask"]
    run.complete("eventSubProcessTask")
    assert run.ended


def test_interrupting_message_event_subprocess_not_triggered(engine: Engine) -> None:
    """MessageEventSubprocessTest.testInterruptingUnderProcessDefinition (first case):
    completing ``task`` ends the instance and removes the subscription."""
    run = engine.start(_esp_process(True))
    run.complete("task")
    assert run.ended


def test_non_interrupting_message_event_subprocess_under_process(engine: Engine) -> None:
    """MessageEventSubprocessTest.testNonInterruptingUnderProcessDefinition: each message
    starts one more event subprocess instance beside ``task``; the instance ends when all
    are done."""
    run = engine.start(_esp_process(False))
    engine.message("newMessage")
    engine.message("newMessage")
    assert run.open_tasks() == ["eventSubProcessTask", "eventSubProcessTask", "task"]
    run.complete("task")
    assert not run.ended
    run.complete("eventSubProcessTask").complete("eventSubProcessTask")
    assert run.ended


def _esp_in_sub(interrupting: bool) -> str:
    esp = msg_esp(
        "eventSubProcess",
        "newMessage",
        user("eventSubProcessTask")
        + '<bpmn:endEvent id="ese"/>'
        + flows("eventSubProcess_s->eventSubProcessTask", "eventSubProcessTask->ese"),
        interrupting=interrupting,
    )
    inner = (
        '<bpmn:startEvent id="ss"/>'
        + user("task")
        + '<bpmn:endEvent id="se"/>'
        + flows("ss->task", "task->se")
        + esp
    )
    return camunda7(
        "process",
        '<bpmn:startEvent id="s"/>'
        + f'<bpmn:subProcess id="sub">{inner}</bpmn:subProcess>'
        + '<bpmn:endEvent id="e"/>'
        + flows("s->sub", "sub->e"),
        messages("newMessage"),
    )


def test_non_interrupting_message_event_subprocess_in_embedded_subprocess(engine: Engine) -> None:
    """MessageEventSubprocessTest.testNonInterruptingInEmbeddedSubprocess: the subprocess
    subscribes; the message runs the event subprocess beside ``task``; the instance ends once
    both are completed (main task first)."""
    run = engine.start(_esp_in_sub(False))
    engine.message("newMessage")
    assert run.open_tasks() == ["eventSubProcessTask", "task"]
    run.complete("task")
    assert not run.ended
    run.complete("eventSubProcessTask")
    assert run.ended


def test_non_interrupting_esp_in_embedded_subprocess_other_order(engine: Engine) -> None:
    """MessageEventSubprocessTest.testNonInterruptingInEmbeddedSubprocess (the other way
    around): the event subprocess completes first, then ``task`` ends the instance."""
    run = engine.start(_esp_in_sub(False))
    engine.message("newMessage")
    run.complete("eventSubProcessTask")
    assert run.open_tasks() == ["task"]
    run.complete("task")
    assert run.ended


def test_non_interrupting_esp_in_embedded_subprocess_unused(engine: Engine) -> None:
    """MessageEventSubprocessTest.testNonInterruptingInEmbeddedSubprocess (first case): no
    message; completing ``task`` ends the instance and the subscription is gone."""
    run = engine.start(_esp_in_sub(False))
    run.complete("task")
    assert run.ended


def test_interrupting_message_event_subprocess_in_embedded_subprocess(engine: Engine) -> None:
    """MessageEventSubprocessTest (interrupting, in an embedded subprocess): the message
    cancels ``task``; the subprocess ends with its event subprocess, then the instance."""
    run = engine.start(_esp_in_sub(True))
    engine.message("newMessage")
    assert run.open_tasks() == ["eventSubProcessTask"]
    run.complete("eventSubProcessTask")
    assert run.ended


def test_non_interrupting_event_in_combination_with_receive_task(engine: Engine) -> None:
    """MessageNonInterruptingBoundaryEventTest.testNonInterruptingEventInCombinationWithReceiveTask:
    the first message fires the non-interrupting boundary on the subprocess (``task1``), the
    second one is taken by the receive task inside it, which ends the subprocess (``task2``);
    no subscription is left."""
    inner = (
        '<bpmn:startEvent id="innerStart"/>'
        '<bpmn:receiveTask id="receiveTask" messageRef="m_secondMessage"/>'
        '<bpmn:endEvent id="innerEnd"/>' + flows("innerStart->receiveTask", "receiveTask->innerEnd")
    )
    xml = camunda7(
        "process",
        '<bpmn:startEvent id="theStart"/>'
        + f'<bpmn:subProcess id="subProcess">{inner}</bpmn:subProcess>'
        + msg_boundary("messageBoundary", "subProcess", "firstMessage", interrupting=False)
        + user("task1")
        + user("task2")
        + '<bpmn:endEvent id="theEnd1"/><bpmn:endEvent id="theEnd2"/>'
        + flows(
            "theStart->subProcess",
            "messageBoundary->task1",
            "task1->theEnd1",
            "subProcess->task2",
            "task2->theEnd2",
        ),
        messages("firstMessage", "secondMessage"),
    )
    run = engine.start(xml)
    engine.message("firstMessage")
    assert run.open_tasks() == ["task1"]
    engine.message("secondMessage")
    assert run.open_tasks() == ["task1", "task2"]
    assert all(kind != "message" for _, kind in run.waiting())
    run.complete("task1").complete("task2")
    assert run.ended


def test_multiple_non_interrupting_in_embedded_subprocess(engine: Engine) -> None:
    """MessageEventSubprocessTest.testMultipleNonInterruptingInEmbeddedSubprocess: two
    messages start two instances of the non-interrupting event subprocess inside the
    embedded subprocess; all three tasks must complete before the instance ends."""
    run = engine.start(_esp_in_sub(False))
    engine.message("newMessage")
    engine.message("newMessage")
    assert run.open_tasks() == ["eventSubProcessTask", "eventSubProcessTask", "task"]
    run.complete("eventSubProcessTask").complete("task")
    assert not run.ended
    run.complete("eventSubProcessTask")
    assert run.ended


def test_non_interrupting_with_receive_task(engine: Engine) -> None:
    """MessageEventSubprocessTest.testNonInterruptingWithReceiveTask: the main flow waits in a
    receive task for one message while a non-interrupting event subprocess listens for
    another; each message goes to its own catcher."""
    esp = msg_esp(
        "eventSubProcess",
        "newMessage",
        user("eventSubProcessTask")
        + '<bpmn:endEvent id="ese"/>'
        + flows("eventSubProcess_s->eventSubProcessTask", "eventSubProcessTask->ese"),
        interrupting=False,
    )
    xml = camunda7(
        "process",
        '<bpmn:startEvent id="s"/><bpmn:receiveTask id="receiveTask" messageRef="m_firstMessage"/>'
        + user("userTask")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->receiveTask", "receiveTask->userTask", "userTask->e")
        + esp,
        messages("firstMessage", "newMessage"),
    )
    run = engine.start(xml)
    engine.message("newMessage")
    assert run.open_tasks() == ["eventSubProcessTask"]
    assert ("receiveTask", "message") in run.waiting()
    engine.message("firstMessage")
    assert run.open_tasks() == ["eventSubProcessTask", "userTask"]
    run.complete("eventSubProcessTask").complete("userTask")
    assert run.ended


def test_message_esp_correlates_by_business_key(engine: Engine) -> None:
    """MessageEventSubprocessTest with correlateMessage(name, businessKey): only the instance
    with that business key starts its event subprocess."""
    xml = _esp_process(False)
    one = engine.start(xml, business_key="a")
    two = engine.start("process", business_key="b")
    engine.message("newMessage", key="b")
    assert one.open_tasks() == ["task"]
    assert two.open_tasks() == ["eventSubProcessTask", "task"]


def test_zeebe_non_interrupting_boundary_correlates_by_key(engine: Engine) -> None:
    """Camunda 8 BoundaryEventTest (non-interrupting message boundary,
    zeebe/engine/.../processing/bpmn/boundary): the subscription's correlation key
    ``=orderId`` is evaluated per instance; each message with that key fires the boundary
    again, a message with another key does not."""
    xml = zeebe(
        "process",
        '<bpmn:startEvent id="s"/>'
        + user("task")
        + msg_boundary("b", "task", "update", interrupting=False)
        + user("taskAfterMessage")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows("s->task", "task->e1", "b->taskAfterMessage", "taskAfterMessage->e2"),
        '<bpmn:message id="m_update" name="update"><bpmn:extensionElements>'
        '<zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements></bpmn:message>',
    )
    one = engine.start(xml, {"orderId": "o-1"})
    two = engine.start("process", {"orderId": "o-2"})
    engine.message("update", key="o-1")
    engine.message("update", key="o-1")
    assert one.open_tasks() == ["task", "taskAfterMessage", "taskAfterMessage"]
    assert two.open_tasks() == ["task"]
