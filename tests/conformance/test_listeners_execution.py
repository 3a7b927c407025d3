"""Execution listeners (``start``, ``end``, ``take``) as Camunda 7's engine runs them.

Upstream: engine/src/test/java/org/camunda/bpm/engine/test/bpmn/executionlistener/
ExecutionListenerTest.java (its diagrams: engine/src/test/resources/.../executionlistener).
Camunda's RecorderExecutionListener (a Java class recording activity and event) is stood in for
by a Python script listener appending ``activity:event`` to the variable ``order``.
"""

from __future__ import annotations

import pytest

from tests.conformance.harness import Engine, camunda7, esc, flows, script, user

REC = "order = order + [execution.activityId + ':' + execution.eventName]"


def ext(*items: str) -> str:
    return "<bpmn:extensionElements>" + "".join(items) + "</bpmn:extensionElements>"


def listen(event: str, expression: str) -> str:
    """An expression execution listener."""
    return f'<camunda:executionListener event="{event}" expression="{esc(expression)}"/>'


def scripted(event: str, code: str, fmt: str = "python", attrs: str = "") -> str:
    """A script execution listener."""
    return (
        f'<camunda:executionListener event="{event}">'
        f'<camunda:script scriptFormat="{fmt}" {attrs}>{esc(code)}</camunda:script>'
        "</camunda:executionListener>"
    )


def rec(*events: str) -> str:
    """Recording listeners for ``events`` (in this order)."""
    return ext(*(scripted(e, REC) for e in events))


def flow(fid: str, src: str, dst: str, inner: str = "") -> str:
    attrs = f'id="{fid}" sourceRef="{src}" targetRef="{dst}"'
    return f"<bpmn:sequenceFlow {attrs}>{inner}</bpmn:sequenceFlow>"


def test_listeners_on_all_possible_elements(engine: Engine) -> None:
    """ExecutionListenerTest.testExecutionListenersOnAllPossibleElements: a process start
    listener sets a variable and reads the business key; a take listener on the flow between
    two tasks sets another; an end listener of the second task sees its event name."""
    xml = camunda7(
        "p",
        ext(
            listen(
                "start", "${execution.setVariable('variableSetInExecutionListener', 'firstValue')}"
            ),
            listen(
                "start",
                "${execution.setVariable('businessKeyInExecution', execution.processBusinessKey)}",
            ),
        )
        + '<bpmn:startEvent id="theStart"/>'
        + user("firstTask")
        + user(
            "secondTask",
            inner=ext(listen("end", "${execution.setVariable('eventName', execution.eventName)}")),
        )
        + user("thirdTask")
        + '<bpmn:endEvent id="theEnd"/>'
        + flows("theStart->firstTask", "secondTask->thirdTask", "thirdTask->theEnd")
        + flow(
            "take",
            "firstTask",
            "secondTask",
            ext(
                listen(
                    "take",
                    "${execution.setVariable('variableSetInExecutionListener', 'secondValue')}",
                )
            ),
        ),
    )
    run = engine.start(xml, business_key="businessKey123")
    assert run.data["variableSetInExecutionListener"] == "firstValue"
    assert run.data["businessKeyInExecution"] == "businessKey123"
    run.complete("firstTask")
    assert run.data["variableSetInExecutionListener"] == "secondValue"
    assert "eventName" not in run.data
    run.complete("secondTask")
    assert run.data["eventName"] == "end"
    run.complete("thirdTask")
    assert run.ended


def test_listeners_on_start_and_end_events(engine: Engine) -> None:
    """ExecutionListenerTest.testExecutionListenersOnStartEndEvents: end of the start event,
    end of a none intermediate throw event, start of a signal throw event, start of the end
    event, in this order."""
    xml = camunda7(
        "p",
        f'<bpmn:startEvent id="theStart">{rec("end")}</bpmn:startEvent>'
        f'<bpmn:intermediateThrowEvent id="noneEvent">{rec("end")}</bpmn:intermediateThrowEvent>'
        f'<bpmn:intermediateThrowEvent id="signalEvent">{rec("start")}'
        '<bpmn:signalEventDefinition signalRef="sig"/></bpmn:intermediateThrowEvent>'
        f'<bpmn:endEvent id="theEnd">{rec("start")}</bpmn:endEvent>'
        + flows("theStart->noneEvent", "noneEvent->signalEvent", "signalEvent->theEnd"),
        extra='<bpmn:signal id="sig" name="alert"/>',
    )
    run = engine.start(xml, {"order": []})
    assert run.ended
    assert run.data["order"] == [
        "theStart:end",
        "noneEvent:end",
        "signalEvent:start",
        "theEnd:start",
    ]


def test_listener_current_activity(engine: Engine) -> None:
    """ExecutionListenerTest.testExecutionListenerCurrentActivity: each listener sees its own
    element as the current activity (start event, intermediate event, end event)."""
    body = "${execution.setVariable(execution.currentActivityId, true)}"
    xml = camunda7(
        "p",
        f'<bpmn:startEvent id="theStart">{ext(listen("end", body))}</bpmn:startEvent>'
        f'<bpmn:intermediateThrowEvent id="noneEvent">{ext(listen("end", body))}'
        "</bpmn:intermediateThrowEvent>"
        f'<bpmn:endEvent id="theEnd">{ext(listen("end", body))}</bpmn:endEvent>'
        + flows("theStart->noneEvent", "noneEvent->theEnd"),
    )
    run = engine.start(xml)
    assert run.ended
    assert {k: run.data.get(k) for k in ("theStart", "noneEvent", "theEnd")} == {
        "theStart": True,
        "noneEvent": True,
        "theEnd": True,
    }


def test_listeners_on_boundary_events(engine: Engine) -> None:
    """ExecutionListenerTest.testOnBoundaryEvents: a boundary event's start listener and the
    next boundary event's end listener run when their timers fire, and only then."""
    timer = (
        "<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration>"
        "</bpmn:timerEventDefinition>"
    )
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("task1")
        + f'<bpmn:boundaryEvent id="timer1" attachedToRef="task1">{rec("start")}{timer}'
        "</bpmn:boundaryEvent>"
        + user("task2")
        + f'<bpmn:boundaryEvent id="timer2" attachedToRef="task2">{rec("end")}{timer}'
        "</bpmn:boundaryEvent>"
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows("s->task1", "task1->e1", "timer1->task2", "task2->e2", "timer2->e2"),
    )
    run = engine.start(xml, {"order": []})
    assert run.data["order"] == []
    engine.advance(hours=1, seconds=1)
    assert run.open_tasks() == ["task2"]
    assert run.data["order"] == ["timer1:start"]
    engine.advance(hours=1, seconds=1)
    assert run.ended
    assert run.data["order"] == ["timer1:start", "timer2:end"]


def test_script_listeners(engine: Engine) -> None:
    """ExecutionListenerTest.testScriptListener: script listeners on the process (start, end),
    the start event (end), the flow (take) and the end event (start) each set
    ``<activityId>-<eventName>``: start-start, start-end, start-take, end-start, end-end."""
    code = "execution.setVariable(execution.activityId + '-' + execution.eventName, True)"
    xml = camunda7(
        "p",
        ext(scripted("start", code), scripted("end", code))
        + f'<bpmn:startEvent id="start">{ext(scripted("end", code))}</bpmn:startEvent>'
        + flow("flow", "start", "end", ext(scripted("take", code)))
        + f'<bpmn:endEvent id="end">{ext(scripted("start", code))}</bpmn:endEvent>',
    )
    run = engine.start(xml)
    assert run.ended
    names = ["start-start", "start-end", "start-take", "end-start", "end-end"]
    assert {n: run.data.get(n) for n in names} == dict.fromkeys(names, True)


def test_script_listener_assignments_persist_like_a_script_task(engine: Engine) -> None:
    """ExecutionListenerTest.testScriptListener (seamline's Python reading): a Python listener
    script's own assignments are stored, as a seamline script task's are."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("u", inner=ext(scripted("start", "greeting = 'hello ' + name")))
        + '<bpmn:endEvent id="e"/>'
        + flows("s->u", "u->e"),
    )
    run = engine.start(xml, {"name": "Kermit"})
    assert run.data["greeting"] == "hello Kermit"


@pytest.mark.refused("listener scripts kept in deployment resources are not resolved")
def test_script_resource_listener_is_refused(engine: Engine) -> None:
    """ExecutionListenerTest.testScriptResourceListener: a listener script kept in a deployed
    resource; seamline runs inline scripts only and refuses it where it is drawn."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("u", inner=ext(scripted("start", "", attrs='resource="executionListener.py"')))
        + flows("s->u"),
    )
    engine.refused(xml, element="u", says="resource")


@pytest.mark.refused("seamline runs Python scripts, not Groovy")
def test_groovy_listener_is_refused(engine: Engine) -> None:
    """ExecutionListenerTest.testScriptListener (as drawn upstream, in Groovy): seamline runs
    Python scripts only, and says so at the element."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("u", inner=ext(scripted("start", "execution.setVariable('a', true)", fmt="groovy")))
        + flows("s->u"),
    )
    engine.refused(xml, element="u", says="groovy")


def test_end_listener_of_a_task_cancelled_by_a_boundary_event(engine: Engine) -> None:
    """ExecutionListenerTest.testOnCancellingBoundaryEvents: an interrupting timer cancels
    UserTask_1; its end listener runs once, and sees that it was cancelled."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user(
            "UserTask_1",
            inner=ext(
                scripted("end", REC + "\ncanceled = execution.isCanceled()"),
            ),
        )
        + '<bpmn:boundaryEvent id="timer" attachedToRef="UserTask_1"><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>"
        + user("after")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->UserTask_1", "UserTask_1->e", "timer->after", "after->e"),
    )
    run = engine.start(xml, {"order": []})
    engine.advance(hours=1, seconds=1)
    assert run.open_tasks() == ["after"]
    assert run.data["order"] == ["UserTask_1:end"]
    assert run.data["canceled"] is True


def test_start_listener_of_the_end_event_after_a_service_task(engine: Engine) -> None:
    """ExecutionListenerTest.testServiceTaskExecutionListenerCall: after the user task and the
    service task (a script stands in for the send task's delegate), the end event's start
    listener is the only one recorded."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("userTask1")
        + script("sendTask", "sent = True")
        + f'<bpmn:endEvent id="endEvent">{rec("start")}</bpmn:endEvent>'
        + flows("s->userTask1", "userTask1->sendTask", "sendTask->endEvent"),
    )
    run = engine.start(xml, {"order": []})
    run.complete("userTask1")
    assert run.ended
    assert run.data["order"] == ["endEvent:start"]


def test_two_start_listeners_on_a_task_and_the_end_event(engine: Engine) -> None:
    """ExecutionListenerTest.testServiceTaskTwoExecutionListenerCall: a start listener on the
    send task and one on the end event run in the order the token reaches them."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("userTask1")
        + script("sendTask", "sent = True", attrs="").replace(
            "<bpmn:script>", rec("start") + "<bpmn:script>"
        )
        + f'<bpmn:endEvent id="endEvent">{rec("start")}</bpmn:endEvent>'
        + flows("s->userTask1", "userTask1->sendTask", "sendTask->endEvent"),
    )
    run = engine.start(xml, {"order": []})
    run.complete("userTask1")
    assert run.data["order"] == ["sendTask:start", "endEvent:start"]


def test_start_listeners_in_a_subprocess(engine: Engine) -> None:
    """ExecutionListenerTest.testServiceTaskExecutionListenerCallAndSubProcess: start listeners
    on an embedded subprocess's start event and task, then on the send task and the end event
    after it, in this order."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + '<bpmn:subProcess id="sub">'
        + f'<bpmn:startEvent id="startSubProcess">{rec("start")}</bpmn:startEvent>'
        + user("subProcessTask", inner=rec("start"))
        + '<bpmn:endEvent id="subEnd"/>'
        + flows("startSubProcess->subProcessTask", "subProcessTask->subEnd")
        .replace("f1_", "sf1_")
        .replace("f2_", "sf2_")
        + "</bpmn:subProcess>"
        + script("sendTask", "sent = True").replace("<bpmn:script>", rec("start") + "<bpmn:script>")
        + f'<bpmn:endEvent id="endEvent">{rec("start")}</bpmn:endEvent>'
        + flows("s->sub", "sub->sendTask", "sendTask->endEvent"),
    )
    run = engine.start(xml, {"order": []})
    assert run.open_tasks() == ["subProcessTask"]
    run.complete("subProcessTask")
    assert run.ended
    assert run.data["order"] == [
        "startSubProcess:start",
        "subProcessTask:start",
        "sendTask:start",
        "endEvent:start",
    ]


def test_end_listener_is_called_only_once(engine: Engine) -> None:
    """ExecutionListenerTest.testEndExecutionListenerIsCalledOnlyOnce: a task's end listener
    runs once when the task completes (not again when the instance moves on or ends)."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("userTask", inner=ext(listen("end", "${execution.setVariable('ends', ends + 1)}")))
        + user("next")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->userTask", "userTask->next", "next->e"),
    )
    run = engine.start(xml, {"ends": 0})
    run.complete("userTask")
    assert run.data["ends"] == 1
    run.complete("next")
    assert run.ended
    assert run.data["ends"] == 1


def test_start_listener_runs_before_the_script_and_end_after(engine: Engine) -> None:
    """ExecutionListenerTest (listener order, as ExecutionListenerTest.testExecutionListenersOn
    AllPossibleElements relies on): a start listener runs before the activity's behaviour, the
    end listener after it."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + script("work", "order = order + ['work:script']").replace(
            "<bpmn:script>", rec("start", "end") + "<bpmn:script>"
        )
        + '<bpmn:endEvent id="e"/>'
        + flows("s->work", "work->e"),
    )
    run = engine.start(xml, {"order": []})
    assert run.data["order"] == ["work:start", "work:script", "work:end"]


def test_listeners_of_one_event_run_in_document_order(engine: Engine) -> None:
    """ExecutionListenerTest (ExecutionListenerOne/Two on one element): several listeners of the
    same event run in the order they are drawn, start before end."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user(
            "u",
            inner=ext(
                scripted("end", "order = order + ['end-1']"),
                scripted("start", "order = order + ['start-1']"),
                scripted("start", "order = order + ['start-2']"),
                listen("end", "${execution.setVariable('order', order)}"),
                scripted("end", "order = order + ['end-2']"),
            ),
        )
        + '<bpmn:endEvent id="e"/>'
        + flows("s->u", "u->e"),
    )
    run = engine.start(xml, {"order": []})
    assert run.data["order"] == ["start-1", "start-2"]
    run.complete("u")
    assert run.data["order"] == ["start-1", "start-2", "end-1", "end-2"]


def test_end_take_start_order_along_a_path(engine: Engine) -> None:
    """ExecutionListenerTest.testScriptListener (the order it implies): leaving an element runs
    its end listeners, then the flow's take listeners, then the next element's start listeners."""
    take = ext(scripted("take", "order = order + ['f:take']"))
    xml = camunda7(
        "p",
        f'<bpmn:startEvent id="a">{rec("end")}</bpmn:startEvent>'
        + f'<bpmn:intermediateThrowEvent id="b">{rec("start", "end")}</bpmn:intermediateThrowEvent>'
        + f'<bpmn:endEvent id="c">{rec("start")}</bpmn:endEvent>'
        + flow("f1", "a", "b", take)
        + flow("f2", "b", "c", take),
    )
    run = engine.start(xml, {"order": []})
    assert run.data["order"] == ["a:end", "f:take", "b:start", "b:end", "f:take", "c:start"]


def test_take_listener_only_on_the_flow_taken(engine: Engine) -> None:
    """ExclusiveGatewayTest / SequenceFlowListener: of a gateway's outgoing flows only the one
    taken runs its take listener; the take listener sees the flow's source as activity."""
    cond = (
        '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{}</bpmn:conditionExpression>'
    )
    take = ext(scripted("take", "taken = taken + [execution.activityId]"))
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="g"/>'
        + user("left")
        + user("right")
        + flows("s->g")
        + flow("toLeft", "g", "left", take + cond.format(esc("${input == 'left'}")))
        + flow(
            "toRight",
            "g",
            "right",
            take.replace("activityId]", "activityId + '!']")
            + cond.format(esc("${input == 'right'}")),
        ),
    )
    run = engine.start(xml, {"input": "right", "taken": []})
    assert run.open_tasks() == ["right"]
    assert run.data["taken"] == ["g!"]


def test_listeners_on_gateways(engine: Engine) -> None:
    """ExecutionListenerTest (listeners on gateways, ExecutionListenersProcess): start and end
    listeners of an exclusive gateway run when the token passes it."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        f'<bpmn:exclusiveGateway id="g" default="toA">{rec("start", "end")}</bpmn:exclusiveGateway>'
        + user("a")
        + flows("s->g")
        + flow("toA", "g", "a"),
    )
    run = engine.start(xml, {"order": []})
    assert run.data["order"] == ["g:start", "g:end"]


def test_listeners_on_an_embedded_subprocess(engine: Engine) -> None:
    """ExecutionListenerTest (subprocess scope): the subprocess's start listener runs before its
    start event's, its end listener after its inner end event's."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + f'<bpmn:subProcess id="sub">{rec("start", "end")}'
        + f'<bpmn:startEvent id="in">{rec("start")}</bpmn:startEvent>'
        + f'<bpmn:endEvent id="out">{rec("end")}</bpmn:endEvent>'
        + '<bpmn:sequenceFlow id="inner" sourceRef="in" targetRef="out"/>'
        + "</bpmn:subProcess>"
        + '<bpmn:endEvent id="e"/>'
        + flows("s->sub", "sub->e"),
    )
    run = engine.start(xml, {"order": []})
    assert run.ended
    assert run.data["order"] == ["sub:start", "in:start", "out:end", "sub:end"]


def test_process_start_and_end_listeners(engine: Engine) -> None:
    """ExecutionListenerTest.testExecutionListenersOnAllPossibleElements (process level): the
    process's start listener runs before anything else, its end listener after everything."""
    xml = camunda7(
        "p",
        ext(
            scripted("start", "order = order + ['process:start']"),
            scripted("end", "order = order + ['process:end']"),
        )
        + f'<bpmn:startEvent id="s">{rec("start", "end")}</bpmn:startEvent>'
        + f'<bpmn:endEvent id="e">{rec("start", "end")}</bpmn:endEvent>'
        + flows("s->e"),
    )
    run = engine.start(xml, {"order": []})
    assert run.ended
    assert run.data["order"] == [
        "process:start",
        "s:start",
        "s:end",
        "e:start",
        "e:end",
        "process:end",
    ]


def test_intermediate_catch_event_starts_on_arrival_and_ends_when_it_fires(engine: Engine) -> None:
    """ExecutionListenerTest.testExecutionListenersOnStartEndEvents (catch events): an
    intermediate timer event's start listener runs when the token arrives, its end listener
    when the timer fires."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + f'<bpmn:intermediateCatchEvent id="wait">{rec("start", "end")}'
        "<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration>"
        "</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
        + user("u")
        + flows("s->wait", "wait->u"),
    )
    run = engine.start(xml, {"order": []})
    assert run.data["order"] == ["wait:start"]
    engine.advance(hours=1, seconds=1)
    assert run.data["order"] == ["wait:start", "wait:end"]


def test_failing_start_listener_stops_the_task(engine: Engine) -> None:
    """ExecutionListenerTest.testThrowExceptionInStartListenerServiceTaskWithCatch: an exception
    in a start listener makes completing the task before it fail, naming the element; nothing
    changed: the user task is still open and the failing task did not run."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("userTask1")
        + script("serviceTask", "ran = True").replace(
            "<bpmn:script>",
            ext(scripted("start", "raise ValueError('intended')")) + "<bpmn:script>",
        )
        + '<bpmn:endEvent id="e"/>'
        + flows("s->userTask1", "userTask1->serviceTask", "serviceTask->e"),
    )
    run = engine.start(xml)
    error = engine.fails(run.complete, "userTask1")
    assert "intended" in str(error) and "serviceTask" in str(error)
    assert run.open_tasks() == ["userTask1"]
    assert "ran" not in run.data


@pytest.mark.refused("Java delegate listeners come in a later release")
def test_java_delegate_listener_is_refused(engine: Engine) -> None:
    """ExecutionListenerTest.testExecutionListenerFieldInjection: Java listener classes (with
    injected fields) come in a later release; until then the diagram is refused at the
    element."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user(
            "u",
            inner=ext(
                '<camunda:executionListener event="start"'
                ' class="org.example.ExampleFieldInjectedExecutionListener">'
                '<camunda:field name="fixedValue" stringValue="Yes, I am "/>'
                "</camunda:executionListener>"
            ),
        )
        + flows("s->u"),
    )
    engine.refused(xml, element="u", says="Java delegate listeners are not supported yet")


@pytest.mark.refused("Java delegate listeners come in a later release")
def test_delegate_expression_listener_is_refused(engine: Engine) -> None:
    """ExecutionListenerTest (delegateExpression listeners, DelegateExpressionExecutionListener):
    refused at the element until Java delegates are supported."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + flow("f", "s", "u", ext('<camunda:executionListener delegateExpression="${recorder}"/>'))
        + user("u"),
    )
    engine.refused(xml, element="f", says="use an expression or a script")


def test_sequential_multi_instance_listeners_run_per_instance(engine: Engine) -> None:
    """MultiInstanceTest.testSequentialMITasksExecutionListener: a sequential multi-instance
    user task (2 loops) runs its start listener when each instance starts and its end listener
    when each instance ends."""
    count = ext(
        listen("start", "${execution.setVariable('starts', starts + 1)}"),
        listen("end", "${execution.setVariable('ends', ends + 1)}"),
    )
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="theStart"/>'
        + user(
            "miTasks",
            'name="My Task"',
            count + '<bpmn:multiInstanceLoopCharacteristics isSequential="true">'
            "<bpmn:loopCardinality>${nrOfLoops}</bpmn:loopCardinality>"
            "</bpmn:multiInstanceLoopCharacteristics>",
        )
        + user("taskAfterMI")
        + '<bpmn:endEvent id="theEnd"/>'
        + flows("theStart->miTasks", "miTasks->taskAfterMI", "taskAfterMI->theEnd"),
    )
    run = engine.start(xml, {"nrOfLoops": 2, "starts": 0, "ends": 0})
    assert (run.data["starts"], run.data["ends"]) == (1, 0)
    run.complete("miTasks")
    assert (run.data["starts"], run.data["ends"]) == (2, 1)
    run.complete("miTasks")
    assert run.open_tasks() == ["taskAfterMI"]
    assert (run.data["starts"], run.data["ends"]) == (2, 2)


def test_take_listeners_on_the_flows_into_a_parallel_join(engine: Engine) -> None:
    """ParallelGatewayTest.testExplicitParallelGatewayAfterSignalBehavior (SequenceFlowListener
    on every flow): each flow's take listener runs once, when its token crosses it."""
    take = ext(scripted("take", "execution.setVariable('took_' + execution.activityId, True)"))
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>'
        + user("a")
        + user("b")
        + '<bpmn:parallelGateway id="join"/>'
        + user("after")
        + flows("s->fork", "fork->a", "fork->b", "join->after")
        + flow("aj", "a", "join", take)
        + flow("bj", "b", "join", take),
    )
    run = engine.start(xml)
    run.complete("b")
    run.complete("a")
    assert run.open_tasks() == ["after"]
    assert (run.data.get("took_a"), run.data.get("took_b")) == (True, True)


def test_process_listeners_of_a_called_process(engine: Engine) -> None:
    """CallActivityTest (with ExecutionListenerTest's process listeners): the called process's
    own start and end listeners run when the called instance starts and ends, inside the call
    (the variables pass both ways through ``camunda:in`` / ``camunda:out variables="all"``)."""
    called = camunda7(
        "called",
        ext(
            scripted("start", "order = order + ['called:start']"),
            scripted("end", "order = order + ['called:end']"),
        )
        + '<bpmn:startEvent id="cs"/>'
        + script("work", "order = order + ['work']")
        + '<bpmn:endEvent id="ce"/>'
        + flows("cs->work", "work->ce"),
    )
    caller = camunda7(
        "caller",
        '<bpmn:startEvent id="s"/>'
        '<bpmn:callActivity id="call" calledElement="called">'
        + ext(
            scripted("start", REC),
            scripted("end", REC),
            '<camunda:in variables="all"/><camunda:out variables="all"/>',
        )
        + "</bpmn:callActivity>"
        + user("after")
        + flows("s->call", "call->after"),
    )
    engine.deploy(called, caller)
    run = engine.start("caller", {"order": []})
    assert run.open_tasks() == ["after"]
    assert run.data["order"] == ["call:start", "called:start", "work", "called:end", "call:end"]


def test_execution_listener_on_a_terminate_end_event(engine: Engine) -> None:
    """ExecutionListenerTest.testExecutionListenerOnTerminateEndEvent: a terminate end event's
    start and end listeners both run (start, then end) as it ends the instance."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>'
        + user("waiting")
        + f'<bpmn:endEvent id="terminate">{rec("start", "end")}'
        "<bpmn:terminateEventDefinition/></bpmn:endEvent>"
        + flows("s->fork", "fork->waiting", "fork->terminate"),
    )
    run = engine.start(xml, {"order": []})
    assert run.status.value in ("completed", "terminated")
    assert run.open_tasks() == []
    assert run.data["order"] == ["terminate:start", "terminate:end"]


def test_set_variable_in_start_listener_triggers_a_conditional_boundary_event(
    engine: Engine,
) -> None:
    """ConditionalEventTriggeredByExecutionListenerTest.testSetVariableInStartListener (boundary
    variant): the start listener of the task with the condition sets ``variable`` to 1, and the
    interrupting conditional boundary event ``${variable == 1}`` fires at once."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("before", 'name="Before Condition"')
        + user(
            "withCondition",
            'name="Task with condition"',
            ext(listen("start", '${execution.setVariable("variable", 1)}')),
        )
        + '<bpmn:boundaryEvent id="cond" attachedToRef="withCondition">'
        '<bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">'
        "${variable == 1}</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:boundaryEvent>"
        + user("after", 'name="After Condition"')
        + '<bpmn:endEvent id="e"/>'
        + flows(
            "s->before", "before->withCondition", "withCondition->e", "cond->after", "after->e"
        ),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["before"]
    run.complete("before")
    assert run.open_tasks() == ["after"]


def test_events_after_an_event_based_gateway_start_when_they_fire(engine: Engine) -> None:
    """ExecutionListenerTest.testOnBoundaryEvents (the same rule for an event-based gateway's
    events): the gateway waits, and only the event that fires is started and ended."""
    timer = (
        "<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration>"
        "</bpmn:timerEventDefinition>"
    )
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/><bpmn:eventBasedGateway id="g"/>'
        + f'<bpmn:intermediateCatchEvent id="message">{rec("start", "end")}'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>'
        + f'<bpmn:intermediateCatchEvent id="timer">{rec("start", "end")}{timer}'
        "</bpmn:intermediateCatchEvent>"
        + user("afterMessage")
        + user("afterTimer")
        + flows("s->g", "g->message", "g->timer", "message->afterMessage", "timer->afterTimer"),
        extra='<bpmn:message id="m" name="go"/>',
    )
    run = engine.start(xml, {"order": []})
    assert run.data["order"] == []
    engine.advance(hours=1, seconds=1)
    assert run.open_tasks() == ["afterTimer"]
    assert run.data["order"] == ["timer:start", "timer:end"]


def test_listener_expression_that_does_not_parse_is_refused(engine: Engine) -> None:
    """ExecutionListenerTest (Camunda parses listener expressions at deployment): an expression
    listener that is not valid JUEL is refused at the element, not found at run time."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("u", inner=ext(listen("start", "${execution.setVariable('x', }")))
        + flows("s->u"),
    )
    engine.refused(xml, element="u", says="execution listener (start)")
