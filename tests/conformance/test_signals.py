"""Signal events, as Camunda 7's engine runs them: a signal reaches every waiting catcher.

Upstream: engine/src/test/java/org/camunda/bpm/engine/test/bpmn/event/signal/SignalEventTest
(and SignalEventPayloadTest for the variables a signal carries).
"""

from __future__ import annotations

from tests.conformance.harness import Engine, camunda7, flows, script, user


def signals(*names: str) -> str:
    """Top-level ``bpmn:signal`` definitions (id ``sig_<name>``)."""
    return "".join(f'<bpmn:signal id="sig_{n}" name="{n}"/>' for n in names)


def sig(name: str) -> str:
    return f'<bpmn:signalEventDefinition signalRef="sig_{name}"/>'


def sig_catch(cid: str, name: str) -> str:
    return f'<bpmn:intermediateCatchEvent id="{cid}">{sig(name)}</bpmn:intermediateCatchEvent>'


def sig_throw(tid: str, name: str) -> str:
    return f'<bpmn:intermediateThrowEvent id="{tid}">{sig(name)}</bpmn:intermediateThrowEvent>'


def sig_boundary(bid: str, on: str, name: str, *, interrupting: bool = True) -> str:
    cancel = "" if interrupting else ' cancelActivity="false"'
    return (
        f'<bpmn:boundaryEvent id="{bid}" attachedToRef="{on}"{cancel}>{sig(name)}'
        "</bpmn:boundaryEvent>"
    )


def _catcher(pid: str = "catchSignal") -> str:
    return camunda7(
        pid,
        '<bpmn:startEvent id="s"/>'
        + sig_catch("signalEvent", "alert")
        + user("userTaskAfterSignalCatch")
        + '<bpmn:endEvent id="e"/>'
        + flows(
            "s->signalEvent", "signalEvent->userTaskAfterSignalCatch", "userTaskAfterSignalCatch->e"
        ),
        signals("alert"),
    )


def _thrower(pid: str = "throwSignal") -> str:
    return camunda7(
        pid,
        '<bpmn:startEvent id="s"/>'
        + sig_throw("signalThrow", "alert")
        + user("afterThrow")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->signalThrow", "signalThrow->afterThrow", "afterThrow->e"),
        signals("alert"),
    )


def test_signal_catch_intermediate(engine: Engine) -> None:
    """SignalEventTest.testSignalCatchIntermediate: a thrown signal moves the waiting
    intermediate catch event of another instance on."""
    catcher = engine.start(_catcher())
    assert catcher.waiting() == [("signalEvent", "signal")]
    engine.start(_thrower())
    assert catcher.open_tasks() == ["userTaskAfterSignalCatch"]


def test_signal_catch_intermediate_from_api(engine: Engine) -> None:
    """SignalEventTest.testSignalCatchIntermediate (signalEventReceived from the API)."""
    catcher = engine.start(_catcher())
    engine.signal("alert")
    assert catcher.open_tasks() == ["userTaskAfterSignalCatch"]


def test_signal_reaches_every_waiting_instance(engine: Engine) -> None:
    """SignalEventTest.testSignalCatchIntermediate with several catchers: a signal is a
    broadcast; every waiting instance moves on."""
    xml = _catcher()
    runs = [engine.start(xml) for _ in range(3)]
    engine.signal("alert")
    assert all(r.open_tasks() == ["userTaskAfterSignalCatch"] for r in runs)


def test_signal_catch_different_signals(engine: Engine) -> None:
    """SignalEventTest.testSignalCatchDifferentSignals: a catcher waiting for ``abort`` is not
    moved by ``alert``."""
    xml = camunda7(
        "catchSignal",
        '<bpmn:startEvent id="s"/>'
        + sig_catch("waitAbort", "abort")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->waitAbort", "waitAbort->e"),
        signals("abort"),
    )
    run = engine.start(xml)
    engine.signal("alert")
    assert run.waiting() == [("waitAbort", "signal")]
    engine.signal("abort")
    assert run.ended


def test_signal_catch_boundary(engine: Engine) -> None:
    """SignalEventTest.testSignalCatchBoundary: an interrupting signal boundary cancels the
    task and takes its own path."""
    xml = camunda7(
        "catchSignal",
        '<bpmn:startEvent id="s"/>'
        + user("task")
        + sig_boundary("b", "task", "alert")
        + user("afterSignal")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows("s->task", "task->e1", "b->afterSignal", "afterSignal->e2"),
        signals("alert"),
    )
    run = engine.start(xml)
    engine.signal("alert")
    assert run.open_tasks() == ["afterSignal"]


def test_signal_catch_boundary_with_variables(engine: Engine) -> None:
    """SignalEventTest.testSignalCatchBoundaryWithVariables: the signal's variables are set
    on the instance it reaches."""
    xml = camunda7(
        "catchSignal",
        '<bpmn:startEvent id="s"/>'
        + user("task")
        + sig_boundary("b", "task", "alert")
        + user("afterSignal")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows("s->task", "task->e1", "b->afterSignal", "afterSignal->e2"),
        signals("alert"),
    )
    run = engine.start(xml, {"processName": "catchSignal"})
    engine.signal("alert", {"processName": "throwSignal"})
    assert run.open_tasks() == ["afterSignal"]
    assert run.data["processName"] == "throwSignal"


def test_signal_boundary_on_subprocess(engine: Engine) -> None:
    """SignalEventTest.testSignalBoundaryOnSubProcess: the signal cancels the embedded
    subprocess."""
    inner = (
        '<bpmn:startEvent id="ss"/>'
        + user("subTask")
        + '<bpmn:endEvent id="se"/>'
        + flows("ss->subTask", "subTask->se")
    )
    xml = camunda7(
        "signalEventOnSubprocess",
        '<bpmn:startEvent id="s"/>'
        + f'<bpmn:subProcess id="sub">{inner}</bpmn:subProcess>'
        + sig_boundary("b", "sub", "stopSignal")
        + user("afterSignal")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows("s->sub", "sub->e1", "b->afterSignal", "afterSignal->e2"),
        signals("stopSignal"),
    )
    run = engine.start(xml)
    engine.signal("stopSignal")
    assert run.open_tasks() == ["afterSignal"]


def _non_interrupting(on_subprocess: bool = False) -> str:
    if on_subprocess:
        inner = (
            '<bpmn:startEvent id="ss"/>'
            + user("myUserTask")
            + '<bpmn:endEvent id="se"/>'
            + flows("ss->myUserTask", "myUserTask->se")
        )
        body = f'<bpmn:subProcess id="sub">{inner}</bpmn:subProcess>'
        attached = "sub"
    else:
        body = user("myUserTask")
        attached = "myUserTask"
    return camunda7(
        "nonInterruptingSignalEvent",
        '<bpmn:startEvent id="s"/>'
        + body
        + sig_boundary("b", attached, "alert", interrupting=False)
        + user("mySecondUserTask")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows("s->" + attached, attached + "->e1", "b->mySecondUserTask", "mySecondUserTask->e2"),
        signals("alert"),
    )


def test_non_interrupting_signal(engine: Engine) -> None:
    """SignalEventTest.testNonInterruptingSignal: the signal adds ``mySecondUserTask`` beside
    ``myUserTask``; completing ``myUserTask`` leaves the second one."""
    run = engine.start(_non_interrupting())
    engine.signal("alert")
    assert run.open_tasks() == ["mySecondUserTask", "myUserTask"]
    run.complete("myUserTask")
    assert run.open_tasks() == ["mySecondUserTask"]


def test_non_interrupting_signal_fires_per_signal(engine: Engine) -> None:
    """SignalEventTest.testNonInterruptingSignal, signalled twice: each signal while the task
    is active starts one more branch."""
    run = engine.start(_non_interrupting())
    engine.signal("alert")
    engine.signal("alert")
    assert run.open_tasks() == ["mySecondUserTask", "mySecondUserTask", "myUserTask"]


def test_non_interrupting_signal_with_subprocess(engine: Engine) -> None:
    """SignalEventTest.testNonInterruptingSignalWithSubProcess: a non-interrupting signal on an
    embedded subprocess keeps it running."""
    run = engine.start(_non_interrupting(on_subprocess=True))
    engine.signal("alert")
    assert run.open_tasks() == ["mySecondUserTask", "myUserTask"]
    run.complete("myUserTask")
    assert run.open_tasks() == ["mySecondUserTask"]
    run.complete("mySecondUserTask")
    assert run.ended


def test_signal_start_event(engine: Engine) -> None:
    """SignalEventTest.testSignalStartEvent: a signal starts one new instance of the process
    whose start event catches it."""
    xml = camunda7(
        "processWithSignalStart",
        '<bpmn:startEvent id="start">'
        + sig("alert")
        + "</bpmn:startEvent>"
        + user("task")
        + '<bpmn:endEvent id="e"/>'
        + flows("start->task", "task->e"),
        signals("alert"),
    )
    engine.deploy(xml)
    engine.signal("alert")
    runs = engine.instances("processWithSignalStart")
    assert len(runs) == 1 and runs[0].open_tasks() == ["task"]
    engine.signal("alert")
    assert len(engine.instances("processWithSignalStart")) == 2


def test_multiple_processes_with_same_signal_start_event(engine: Engine) -> None:
    """SignalEventTest.testMultipleProcessesWithSameSignalStartEvent: one signal starts an
    instance of every process whose start event catches it."""
    for pid in ("p1", "p2", "p3"):
        engine.deploy(
            camunda7(
                pid,
                '<bpmn:startEvent id="start">'
                + sig("alert")
                + "</bpmn:startEvent>"
                + user("task")
                + '<bpmn:endEvent id="e"/>'
                + flows("start->task", "task->e"),
                signals("alert"),
            )
        )
    engine.signal("alert")
    assert [len(engine.instances(p)) for p in ("p1", "p2", "p3")] == [1, 1, 1]


def test_start_process_instance_by_signal_from_throwing_event(engine: Engine) -> None:
    """SignalEventTest.testStartProcessInstanceBySignalFromIntermediateThrowingSignalEvent: an
    intermediate throw event starts an instance of the process with the signal start event."""
    engine.deploy(
        camunda7(
            "started",
            '<bpmn:startEvent id="start">'
            + sig("alert")
            + "</bpmn:startEvent>"
            + user("task")
            + '<bpmn:endEvent id="e"/>'
            + flows("start->task", "task->e"),
            signals("alert"),
        )
    )
    thrower = engine.start(_thrower())
    assert thrower.open_tasks() == ["afterThrow"]
    started = engine.instances("started")
    assert len(started) == 1 and started[0].open_tasks() == ["task"]


def test_signal_end_event_broadcasts(engine: Engine) -> None:
    """SignalEventTest (signal end event): an instance ending with a signal end event moves
    every instance waiting for that signal."""
    catchers = [engine.start(_catcher()) for _ in range(2)]
    xml = camunda7(
        "throwSignalEnd",
        '<bpmn:startEvent id="s"/><bpmn:endEvent id="end">'
        + sig("alert")
        + "</bpmn:endEvent>"
        + flows("s->end"),
        signals("alert"),
    )
    thrower = engine.start(xml)
    assert thrower.ended
    assert all(c.open_tasks() == ["userTaskAfterSignalCatch"] for c in catchers)


def test_throw_signal_multiple_cancelling_receivers(engine: Engine) -> None:
    """SignalEventTest.testThrowSignalMultipleCancellingReceivers: two parallel catchers of one
    instance both receive the signal; the first to reach the terminate end event ends the
    instance, the other branch does not run it again."""
    xml = camunda7(
        "catchAlertTwiceAndTerminate",
        '<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>'
        + sig_catch("c1", "alert")
        + sig_catch("c2", "alert")
        + '<bpmn:endEvent id="t"><bpmn:terminateEventDefinition/></bpmn:endEvent>'
        + flows("s->fork", "fork->c1", "fork->c2", "c1->t", "c2->t"),
        signals("alert"),
    )
    run = engine.start(xml)
    assert run.waits_for() == ["c1", "c2"]
    engine.signal("alert")
    assert run.ended


def test_signal_start_event_in_event_subprocess(engine: Engine) -> None:
    """SignalEventTest.testSignalStartEventInEventSubProcess: an interrupting signal event
    subprocess cancels the main task when the signal arrives."""
    run = engine.start(_signal_esp(True))
    engine.signal("alert")
    assert run.open_tasks() == ["eventSubProcessTask"]
    run.complete("eventSubProcessTask")
    assert run.ended


def test_non_interrupting_signal_start_event_in_event_subprocess(engine: Engine) -> None:
    """SignalEventTest.testNonInterruptingSignalStartEventInEventSubProcess: the event
    subprocess runs beside the main task, once per signal."""
    run = engine.start(_signal_esp(False))
    engine.signal("alert")
    assert run.open_tasks() == ["eventSubProcessTask", "task"]
    engine.signal("alert")
    assert run.open_tasks() == ["eventSubProcessTask", "eventSubProcessTask", "task"]


def test_thrown_signal_in_event_subprocess_in_subprocess(engine: Engine) -> None:
    """SignalEventTest.testThrownSignalInEventSubprocessInSubprocess: a signal thrown inside an
    embedded subprocess starts the signal event subprocess drawn in that subprocess."""
    esp = (
        '<bpmn:subProcess id="esp" triggeredByEvent="true">'
        '<bpmn:startEvent id="esp_s" isInterrupting="true">'
        + sig("alert")
        + "</bpmn:startEvent>"
        + user("eventSubProcessTask")
        + '<bpmn:endEvent id="ese"/>'
        + flows("esp_s->eventSubProcessTask", "eventSubProcessTask->ese")
        + "</bpmn:subProcess>"
    )
    inner = (
        '<bpmn:startEvent id="ss"/>'
        + sig_throw("throw", "alert")
        + user("never")
        + '<bpmn:endEvent id="se"/>'
        + flows("ss->throw", "throw->never", "never->se")
        + esp
    )
    xml = camunda7(
        "process",
        '<bpmn:startEvent id="s"/>'
        + f'<bpmn:subProcess id="sub">{inner}</bpmn:subProcess>'
        + user("afterSub")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->sub", "sub->afterSub", "afterSub->e"),
        signals("alert"),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["eventSubProcessTask"]


def _signal_esp(interrupting: bool) -> str:
    flag = "true" if interrupting else "false"
    esp = (
        '<bpmn:subProcess id="esp" triggeredByEvent="true">'
        f'<bpmn:startEvent id="esp_s" isInterrupting="{flag}">'
        + sig("alert")
        + "</bpmn:startEvent>"
        + user("eventSubProcessTask")
        + '<bpmn:endEvent id="ese"/>'
        + flows("esp_s->eventSubProcessTask", "eventSubProcessTask->ese")
        + "</bpmn:subProcess>"
    )
    return camunda7(
        "process",
        '<bpmn:startEvent id="s"/>'
        + user("task")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->task", "task->e")
        + esp,
        signals("alert"),
    )


def test_signal_payload_from_script_throw(engine: Engine) -> None:
    """SignalEventPayloadTest (signal without payload definition): the catcher runs on after a
    script-driven thrower; the thrower goes on too."""
    catcher = engine.start(_catcher())
    xml = camunda7(
        "throwSignal",
        '<bpmn:startEvent id="s"/>'
        + script("prep", "ready = True")
        + sig_throw("t", "alert")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->prep", "prep->t", "t->e"),
        signals("alert"),
    )
    assert engine.start(xml).ended
    assert catcher.open_tasks() == ["userTaskAfterSignalCatch"]
