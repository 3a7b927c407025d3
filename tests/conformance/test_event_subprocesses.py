"""Event subprocesses in general, as Camunda 7's engine runs them: interrupting ones cancel
their scope and every other subscription of it, non-interrupting ones run beside it, both
also inside embedded subprocesses; message, signal, conditional and timer starts.

Upstream: engine/src/test/java/org/camunda/bpm/engine/test/bpmn/subprocess/
InterruptingEventSubProcessTest, .../bpmn/event/timer/StartTimerEventTest (event subprocess
cases), .../bpmn/event/message/MessageEventSubprocessTest.
"""

from __future__ import annotations

from tests.conformance.harness import Engine, camunda7, esc, flows, user

_DEFS = '<bpmn:message id="m_new" name="newMessage"/><bpmn:signal id="s_new" name="newSignal"/>'


def _start(kind: str, value: str = "") -> str:
    if kind == "message":
        return '<bpmn:messageEventDefinition messageRef="m_new"/>'
    if kind == "signal":
        return '<bpmn:signalEventDefinition signalRef="s_new"/>'
    if kind == "conditional":
        return (
            '<bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">'
            f"{esc(value)}</bpmn:condition></bpmn:conditionalEventDefinition>"
        )
    tag = "timeCycle" if value.startswith("R") else "timeDuration"
    return (
        f"<bpmn:timerEventDefinition><bpmn:{tag}>{value}</bpmn:{tag}></bpmn:timerEventDefinition>"
    )


def esp(eid: str, kind: str, task: str, *, value: str = "", interrupting: bool = True) -> str:
    """An event subprocess ``eid`` started by a ``kind`` event, running user task ``task``."""
    flag = "true" if interrupting else "false"
    return (
        f'<bpmn:subProcess id="{eid}" triggeredByEvent="true">'
        f'<bpmn:startEvent id="{eid}_s" isInterrupting="{flag}">{_start(kind, value)}'
        f'</bpmn:startEvent>{user(task)}<bpmn:endEvent id="{eid}_e"/>'
        + flows(f"{eid}_s->{task}", f"{task}->{eid}_e")
        + "</bpmn:subProcess>"
    )


def _main(*esps: str, task: str = "taskBeforeInterruptingEventSuprocess") -> str:
    return camunda7(
        "process",
        '<bpmn:startEvent id="s"/>'
        + user(task)
        + '<bpmn:endEvent id="e"/>'
        + flows(f"s->{task}", f"{task}->e")
        + "".join(esps),
        _DEFS,
    )


def _two_esps() -> str:
    return _main(
        esp("messageEsp", "message", "taskAfterMessageStartEvent"),
        esp("signalEsp", "signal", "tastAfterSignalStartEvent"),
    )


def test_cancel_event_subscriptions_when_receiving_a_message(engine: Engine) -> None:
    """InterruptingEventSubProcessTest.testCancelEventSubscriptionsWhenReceivingAMessage: the
    message event subprocess interrupts; the signal one no longer listens."""
    run = engine.start(_two_esps())
    engine.message("newMessage")
    assert run.open_tasks() == ["taskAfterMessageStartEvent"]
    engine.signal("newSignal")
    assert run.open_tasks() == ["taskAfterMessageStartEvent"]
    run.complete("taskAfterMessageStartEvent")
    assert run.ended


def test_cancel_event_subscriptions_when_receiving_a_signal(engine: Engine) -> None:
    """InterruptingEventSubProcessTest.testCancelEventSubscriptionsWhenReceivingASignal: the
    signal event subprocess interrupts; a later message finds no subscription."""
    run = engine.start(_two_esps())
    engine.signal("newSignal")
    assert run.open_tasks() == ["tastAfterSignalStartEvent"]
    delivery = engine.message("newMessage")
    assert run.id not in delivery.instances
    assert run.open_tasks() == ["tastAfterSignalStartEvent"]
    run.complete("tastAfterSignalStartEvent")
    assert run.ended


def test_cancel_timer(engine: Engine) -> None:
    """InterruptingEventSubProcessTest.testCancelTimer: the message event subprocess
    interrupts; the timer event subprocess's timer is gone and never fires."""
    run = engine.start(
        _main(
            esp("timerEsp", "timer", "taskAfterTimer", value="PT1H"),
            esp("messageEsp", "message", "taskAfterMessageStartEvent"),
        )
    )
    assert ("timerEsp_s", "timer") in run.waiting()
    engine.message("newMessage")
    assert run.open_tasks() == ["taskAfterMessageStartEvent"]
    assert all(kind != "timer" for _, kind in run.waiting())
    engine.advance(hours=2)
    assert run.open_tasks() == ["taskAfterMessageStartEvent"]
    run.complete("taskAfterMessageStartEvent")
    assert run.ended


def test_start_timer_event_in_event_subprocess(engine: Engine) -> None:
    """StartTimerEventTest.testStartTimerEventInEventSubProcess: after the duration the
    interrupting timer event subprocess cancels the main task."""
    run = engine.start(_main(esp("timerEsp", "timer", "eventSubProcessTask", value="PT1H")))
    engine.advance(minutes=30)
    assert run.open_tasks() == ["taskBeforeInterruptingEventSuprocess"]
    engine.advance(minutes=31)
    assert run.open_tasks() == ["eventSubProcessTask"]
    run.complete("eventSubProcessTask")
    assert run.ended


def test_non_interrupting_start_timer_event_in_event_subprocess(engine: Engine) -> None:
    """StartTimerEventTest.testNonInterruptingStartTimerEventInEventSubProcess: the timer event
    subprocess runs beside the main task; the instance ends once both are done."""
    run = engine.start(
        _main(esp("timerEsp", "timer", "eventSubProcessTask", value="PT1H", interrupting=False))
    )
    engine.advance(hours=1, minutes=1)
    assert run.open_tasks() == ["eventSubProcessTask", "taskBeforeInterruptingEventSuprocess"]
    run.complete("taskBeforeInterruptingEventSuprocess")
    assert not run.ended
    run.complete("eventSubProcessTask")
    assert run.ended


def test_start_timer_event_sub_process_in_sub_process(engine: Engine) -> None:
    """StartTimerEventTest.testStartTimerEventSubProcessInSubProcess: a timer event subprocess
    inside an embedded subprocess interrupts only that subprocess."""
    inner = (
        '<bpmn:startEvent id="ss"/>'
        + user("subTask")
        + '<bpmn:endEvent id="se"/>'
        + flows("ss->subTask", "subTask->se")
        + esp("timerEsp", "timer", "eventSubProcessTask", value="PT1H")
    )
    xml = camunda7(
        "process",
        '<bpmn:startEvent id="s"/>'
        + f'<bpmn:subProcess id="sub">{inner}</bpmn:subProcess>'
        + user("afterSub")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->sub", "sub->afterSub", "afterSub->e"),
    )
    run = engine.start(xml)
    engine.advance(hours=1, minutes=1)
    assert run.open_tasks() == ["eventSubProcessTask"]
    run.complete("eventSubProcessTask")
    assert run.open_tasks() == ["afterSub"]


def test_start_timer_event_with_two_event_subprocesses(engine: Engine) -> None:
    """StartTimerEventTest.testStartTimerEventWithTwoEventSubProcesses: the earlier timer's
    interrupting event subprocess wins; the later one never fires."""
    run = engine.start(
        _main(
            esp("first", "timer", "firstTask", value="PT1H"),
            esp("second", "timer", "secondTask", value="PT2H"),
        )
    )
    engine.advance(hours=1, minutes=1)
    assert run.open_tasks() == ["firstTask"]
    engine.advance(hours=2)
    assert run.open_tasks() == ["firstTask"]


def test_non_interrupting_message_esp_and_main_flow_data(engine: Engine) -> None:
    """MessageEventSubprocessTest.testNonInterruptingUnderProcessDefinition (with variables):
    the message payload is visible to the event subprocess's task."""
    run = engine.start(
        _main(esp("messageEsp", "message", "eventSubProcessTask", interrupting=False))
    )
    engine.message("newMessage", {"orderId": 7})
    assert run.open_tasks() == ["eventSubProcessTask", "taskBeforeInterruptingEventSuprocess"]
    assert run.task("eventSubProcessTask") is not None
    assert run.data.get("orderId", 7) == 7


def test_event_subprocess_ends_with_main_flow_done(engine: Engine) -> None:
    """MessageEventSubprocessTest.testNonInterruptingUnderProcessDefinition (main task first):
    completing the main task with a non-interrupting event subprocess still running leaves
    the instance running until that one ends."""
    run = engine.start(_main(esp("signalEsp", "signal", "eventSubProcessTask", interrupting=False)))
    engine.signal("newSignal")
    run.complete("taskBeforeInterruptingEventSuprocess")
    assert run.open_tasks() == ["eventSubProcessTask"]
    run.complete("eventSubProcessTask")
    assert run.ended


def test_conditional_and_message_event_subprocesses(engine: Engine) -> None:
    """EventSubProcessStartConditionalEventTest.testTriggerAnotherEventSubprocess (simplified):
    a message event subprocess sets nothing; the conditional one starts once its variable is
    set, interrupting the main flow and the message subscription."""
    run = engine.start(
        _main(
            esp("messageEsp", "message", "afterMessage", interrupting=False),
            esp("condEsp", "conditional", "afterCondition", value="${variable == 1}"),
        )
    )
    engine.message("newMessage")
    assert run.open_tasks() == ["afterMessage", "taskBeforeInterruptingEventSuprocess"]
    run.set_data({"variable": 1})
    assert run.open_tasks() == ["afterCondition"]
    run.complete("afterCondition")
    assert run.ended


def test_nested_event_subprocess_levels(engine: Engine) -> None:
    """MessageEventSubprocessTest.testNonInterruptingOutsideEmbeddedSubProcessWithReceiveTaskInsideEmbeddedSubProcess
    (simplified): a message event subprocess of the process and one of the embedded
    subprocess listen for different messages at the same time."""
    inner = (
        '<bpmn:startEvent id="ss"/>'
        + user("subTask")
        + '<bpmn:endEvent id="se"/>'
        + flows("ss->subTask", "subTask->se")
        + esp("innerEsp", "signal", "innerTask", interrupting=False)
    )
    xml = camunda7(
        "process",
        '<bpmn:startEvent id="s"/>'
        + f'<bpmn:subProcess id="sub">{inner}</bpmn:subProcess>'
        + '<bpmn:endEvent id="e"/>'
        + flows("s->sub", "sub->e")
        + esp("outerEsp", "message", "outerTask", interrupting=False),
        _DEFS,
    )
    run = engine.start(xml)
    engine.signal("newSignal")
    engine.message("newMessage")
    assert run.open_tasks() == ["innerTask", "outerTask", "subTask"]
    run.complete("subTask").complete("innerTask")
    assert run.open_tasks() == ["outerTask"]
    run.complete("outerTask")
    assert run.ended


def test_non_interrupting_time_cycle_in_event_subprocess(engine: Engine) -> None:
    """StartTimerEventTest.testNonInterruptingTimeCycleInEventSubProcess: a non-interrupting
    timer-cycle event subprocess fires, and a new timer waits for the next cycle (here
    ``R3/PT1H``: one event subprocess instance per hour while the main task is active)."""
    run = engine.start(
        _main(
            esp("timerEsp", "timer", "userTask2", value="R3/PT1H", interrupting=False),
            task="userTask",
        )
    )
    engine.advance(hours=1, minutes=1)
    assert run.open_tasks() == ["userTask", "userTask2"]
    assert ("timerEsp_s", "timer") in run.waiting()
    engine.advance(hours=1)
    assert run.open_tasks() == ["userTask", "userTask2", "userTask2"]
