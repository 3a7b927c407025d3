"""Conditional events, as Camunda 7's engine evaluates them: on entry and on every variable
change, filtered by ``camunda:variableName`` and ``camunda:variableEvents``.

Upstream: engine/src/test/java/org/camunda/bpm/engine/test/bpmn/event/conditional
(IntermediateConditionalEventTest, BoundaryConditionalEventTest,
EventSubProcessStartConditionalEventTest, ConditionalEventWithSpecificVariableEventTest).
``runtimeService.setVariable`` is ``set_data``; a Java delegate setting a variable is a Python
script task.
"""

from __future__ import annotations

import pytest

from tests.conformance.harness import Engine, camunda7, esc, flows, script, user

COND = "${variable == 1}"


def cond_def(expr: str = COND, *, name: str | None = None, events: str | None = None) -> str:
    """A conditional event definition (with the Camunda variable filters when given)."""
    attrs = f' camunda:variableName="{name}"' if name else ""
    attrs += f' camunda:variableEvents="{events}"' if events else ""
    return (
        f"<bpmn:conditionalEventDefinition{attrs}>"
        f'<bpmn:condition xsi:type="bpmn:tFormalExpression">{esc(expr)}</bpmn:condition>'
        "</bpmn:conditionalEventDefinition>"
    )


def cond_catch(cid: str = "conditionalEvent", expr: str = COND, **filters: str) -> str:
    """An intermediate conditional catch event."""
    inner = cond_def(expr, **filters)
    return f'<bpmn:intermediateCatchEvent id="{cid}">{inner}</bpmn:intermediateCatchEvent>'


def cond_boundary(
    bid: str, on: str, expr: str = COND, *, interrupting: bool = True, **filters: str
) -> str:
    """A conditional boundary event on ``on``."""
    cancel = "" if interrupting else ' cancelActivity="false"'
    return (
        f'<bpmn:boundaryEvent id="{bid}" attachedToRef="{on}"{cancel}>'
        f"{cond_def(expr, **filters)}</bpmn:boundaryEvent>"
    )


def cond_esp(
    eid: str, inner: str, expr: str = COND, *, interrupting: bool = True, **filters: str
) -> str:
    """A conditional event subprocess: start ``{eid}_s``, then ``inner`` (chained by caller)."""
    flag = "true" if interrupting else "false"
    return (
        f'<bpmn:subProcess id="{eid}" triggeredByEvent="true">'
        f'<bpmn:startEvent id="{eid}_s" isInterrupting="{flag}">{cond_def(expr, **filters)}'
        f"</bpmn:startEvent>{inner}</bpmn:subProcess>"
    )


def _intermediate(**filters: str) -> str:
    return camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/>'
        + cond_catch(**filters)
        + user("afterConditionId")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->conditionalEvent", "conditionalEvent->afterConditionId", "afterConditionId->e"),
    )


# -- intermediate conditional catch events ---------------------------------------------------


def test_intermediate_true_condition_passes_at_once(engine: Engine) -> None:
    """IntermediateConditionalEventTest.testTrueCondition: ``${true}`` is evaluated on entry;
    the instance goes straight on."""
    xml = camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/>'
        + cond_catch(expr="${true}")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->conditionalEvent", "conditionalEvent->e"),
    )
    assert engine.start(xml).ended


def test_intermediate_false_condition_waits(engine: Engine) -> None:
    """IntermediateConditionalEventTest.testFalseCondition: ``${false}`` waits at the event."""
    xml = camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/>'
        + cond_catch(expr="${false}")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->conditionalEvent", "conditionalEvent->e"),
    )
    run = engine.start(xml)
    assert run.waiting() == [("conditionalEvent", "condition")]


def test_intermediate_waits_until_the_variable_holds(engine: Engine) -> None:
    """IntermediateConditionalEventTest.testVariableValue: with variable=0 the instance waits;
    setting variable=1 passes the event."""
    run = engine.start(_intermediate(), {"variable": 0})
    assert run.waiting() == [("conditionalEvent", "condition")]
    run.set_data({"variable": 2})
    assert run.waiting() == [("conditionalEvent", "condition")]
    run.set_data({"variable": 1})
    assert run.open_tasks() == ["afterConditionId"]
    run.complete("afterConditionId")
    assert run.ended


def test_intermediate_parallel_conditions(engine: Engine) -> None:
    """IntermediateConditionalEventTest.testParallelVariableValue: two parallel conditional
    events (``variable == 1`` and ``variable == 2``) each pass when their value is set."""
    xml = camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>'
        + cond_catch("conditionalEvent1", "${variable == 1}")
        + cond_catch("conditionalEvent2", "${variable == 2}")
        + '<bpmn:parallelGateway id="join"/><bpmn:endEvent id="e"/>'
        + flows(
            "s->fork",
            "fork->conditionalEvent1",
            "fork->conditionalEvent2",
            "conditionalEvent1->join",
            "conditionalEvent2->join",
            "join->e",
        ),
    )
    run = engine.start(xml, {"variable": 0})
    assert run.waits_for() == ["conditionalEvent1", "conditionalEvent2"]
    run.set_data({"variable": 1})
    assert run.waits_for() == ["conditionalEvent2"]
    run.set_data({"variable": 2})
    assert run.ended


def test_intermediate_parallel_equal_conditions(engine: Engine) -> None:
    """IntermediateConditionalEventTest.testParallelVariableValueEqualConditions: one change
    makes both parallel conditions true; the instance ends."""
    xml = camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>'
        + cond_catch("conditionalEvent1")
        + cond_catch("conditionalEvent2")
        + '<bpmn:parallelGateway id="join"/><bpmn:endEvent id="e"/>'
        + flows(
            "s->fork",
            "fork->conditionalEvent1",
            "fork->conditionalEvent2",
            "conditionalEvent1->join",
            "conditionalEvent2->join",
            "join->e",
        ),
    )
    run = engine.start(xml, {"variable": 0})
    run.set_data({"variable": 1})
    assert run.ended


def test_intermediate_sees_a_variable_set_on_another_branch(engine: Engine) -> None:
    """IntermediateConditionalEventTest.testParallelVariableValue, the variable set by a task of
    the other branch (a script task after a user task): the waiting event sees the process
    variable change and passes."""
    xml = camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>'
        + cond_catch()
        + user("beforeConditionId")
        + script("setVariable", "variable = 1")
        + user("afterConditionId")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows(
            "s->fork",
            "fork->conditionalEvent",
            "fork->beforeConditionId",
            "beforeConditionId->setVariable",
            "setVariable->e2",
            "conditionalEvent->afterConditionId",
            "afterConditionId->e1",
        ),
    )
    run = engine.start(xml, {"variable": 0})
    assert run.waits_for() == ["beforeConditionId", "conditionalEvent"]
    run.complete("beforeConditionId")
    assert run.open_tasks() == ["afterConditionId"]
    assert run.data["variable"] == 1


def test_intermediate_in_subprocess_sees_a_change_of_the_process(engine: Engine) -> None:
    """IntermediateConditionalEventTest.testSubProcessVariableSetValueOnParent: the event waits
    inside an embedded subprocess; setting the variable on the instance passes it."""
    inner = (
        '<bpmn:startEvent id="ss"/>'
        + cond_catch()
        + '<bpmn:endEvent id="se"/>'
        + flows("ss->conditionalEvent", "conditionalEvent->se")
    )
    xml = camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/>'
        + f'<bpmn:subProcess id="subProcess">{inner}</bpmn:subProcess>'
        + '<bpmn:endEvent id="e"/>'
        + flows("s->subProcess", "subProcess->e"),
    )
    run = engine.start(xml, {"variable": 0})
    assert run.waits_for() == ["conditionalEvent"]
    run.set_data({"variable": 1})
    assert run.ended


def test_intermediate_cleans_up_its_subscription(engine: Engine) -> None:
    """IntermediateConditionalEventTest.testCleanUpConditionalEventSubscriptions: once passed,
    the event no longer waits; a later change does nothing more."""
    run = engine.start(_intermediate(), {"variable": 0})
    run.set_data({"variable": 1})
    assert run.waiting() == [("afterConditionId", "user_task")]
    run.set_data({"variable": 5})
    assert run.open_tasks() == ["afterConditionId"]
    assert run.visited("conditionalEvent") == 1


def test_intermediate_with_variable_name(engine: Engine) -> None:
    """IntermediateConditionalEventTest.testVariableConditionWithVariableName: a change of
    ``variable1`` is ignored; a change of ``variable`` is evaluated."""
    run = engine.start(_intermediate(name="variable"))
    run.set_data({"variable1": 1})
    assert run.waits_for() == ["conditionalEvent"]
    run.set_data({"variable": 1})
    assert run.open_tasks() == ["afterConditionId"]


def test_intermediate_with_variable_events(engine: Engine) -> None:
    """IntermediateConditionalEventTest.testVariableConditionWithVariableEvent: with
    ``variableEvents="update"`` creating ``variable`` does nothing; updating ``variable1`` then
    evaluates the (now true) condition."""
    run = engine.start(_intermediate(events="update"), {"variable1": 0})
    run.set_data({"variable": 1})
    assert run.waits_for() == ["conditionalEvent"]
    run.set_data({"variable1": 1})
    assert run.open_tasks() == ["afterConditionId"]


def test_intermediate_with_variable_name_and_events(engine: Engine) -> None:
    """IntermediateConditionalEventTest.testVariableConditionWithVariableNameAndEvent:
    ``variableName="variable"`` and ``variableEvents="update"``: creating it does nothing,
    updating it passes the event."""
    run = engine.start(_intermediate(name="variable", events="update"))
    run.set_data({"variable": 1})
    assert run.waits_for() == ["conditionalEvent"]
    run.set_data({"variable1": 1})
    assert run.waits_for() == ["conditionalEvent"]
    run.set_data({"variable": 1})  # setting it again is an update, as in Camunda
    assert run.open_tasks() == ["afterConditionId"]


def test_intermediate_condition_set_by_a_script_before_it(engine: Engine) -> None:
    """IntermediateConditionalEventTest.testTrueCondition with the variable set by a task
    before the event: evaluated on entry, the condition holds and the event passes."""
    xml = camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/>'
        + script("setVariable", "variable = 1")
        + cond_catch()
        + user("afterConditionId")
        + '<bpmn:endEvent id="e"/>'
        + flows(
            "s->setVariable",
            "setVariable->conditionalEvent",
            "conditionalEvent->afterConditionId",
            "afterConditionId->e",
        ),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["afterConditionId"]


def test_intermediate_condition_made_true_by_task_completion(engine: Engine) -> None:
    """IntermediateConditionalEventTest (taskService.complete with variables): a user task of
    a parallel branch completed with ``variable=1`` passes the waiting event."""
    xml = camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>'
        + cond_catch()
        + user("beforeConditionId")
        + user("afterConditionId")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows(
            "s->fork",
            "fork->conditionalEvent",
            "fork->beforeConditionId",
            "beforeConditionId->e2",
            "conditionalEvent->afterConditionId",
            "afterConditionId->e1",
        ),
    )
    run = engine.start(xml, {"variable": 0})
    run.complete("beforeConditionId", {"variable": 1})
    assert run.open_tasks() == ["afterConditionId"]


# -- conditional boundary events --------------------------------------------------------------


def _boundary(expr: str = COND, *, interrupting: bool = True, **filters: str) -> str:
    return camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/>'
        + user("taskWithCondition")
        + cond_boundary(
            "conditionalEvent", "taskWithCondition", expr, interrupting=interrupting, **filters
        )
        + user("afterConditionId")
        + user("afterTask")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows(
            "s->taskWithCondition",
            "taskWithCondition->afterTask",
            "afterTask->e1",
            "conditionalEvent->afterConditionId",
            "afterConditionId->e2",
        ),
    )


def test_boundary_true_condition_interrupts_on_entry(engine: Engine) -> None:
    """BoundaryConditionalEventTest.testTrueCondition: ``${true}`` fires when the task is
    entered; the task is cancelled."""
    run = engine.start(_boundary("${true}"))
    assert run.open_tasks() == ["afterConditionId"]


def test_boundary_non_interrupting_true_condition(engine: Engine) -> None:
    """BoundaryConditionalEventTest.testNonInterruptingTrueCondition: fires once on entry
    beside the task, and stays subscribed."""
    run = engine.start(_boundary("${true}", interrupting=False))
    assert run.open_tasks() == ["afterConditionId", "taskWithCondition"]
    assert ("conditionalEvent", "condition") in run.waiting()


def test_boundary_false_condition(engine: Engine) -> None:
    """BoundaryConditionalEventTest.testFalseCondition: ``${false}`` never fires; completing
    the task removes the subscription."""
    run = engine.start(_boundary("${false}"))
    assert run.open_tasks() == ["taskWithCondition"]
    run.complete("taskWithCondition")
    assert run.open_tasks() == ["afterTask"]
    assert ("conditionalEvent", "condition") not in run.waiting()


def test_boundary_variable_condition(engine: Engine) -> None:
    """BoundaryConditionalEventTest.testVariableCondition: setting variable=1 interrupts the
    task."""
    run = engine.start(_boundary())
    run.set_data({"variable": 1})
    assert run.open_tasks() == ["afterConditionId"]
    assert ("conditionalEvent", "condition") not in run.waiting()


def test_boundary_wrong_variable_condition(engine: Engine) -> None:
    """BoundaryConditionalEventTest.testWrongVariableCondition: a value that does not make the
    condition true leaves the task; the right one then interrupts it."""
    run = engine.start(_boundary())
    run.set_data({"variable": 2})
    assert run.open_tasks() == ["taskWithCondition"]
    run.set_data({"variable": 1})
    assert run.open_tasks() == ["afterConditionId"]


def test_boundary_non_interrupting_variable_condition(engine: Engine) -> None:
    """BoundaryConditionalEventTest.testNonInterruptingVariableCondition: setting the variable
    starts the boundary path beside the task."""
    run = engine.start(_boundary(interrupting=False))
    run.set_data({"variable": 1})
    assert run.open_tasks() == ["afterConditionId", "taskWithCondition"]


def test_boundary_non_interrupting_fires_on_every_change(engine: Engine) -> None:
    """ConditionalEventWithSpecificVariableEventTest.testNonInterruptingVariableConditionWithVariableName:
    each change of the named variable that keeps the condition true fires again; other
    variables do not."""
    run = engine.start(_boundary("${variable >= 1}", interrupting=False, name="variable"))
    run.set_data({"variable": 1})
    run.set_data({"other": 1})
    run.set_data({"variable": 2})
    assert run.open_tasks() == ["afterConditionId", "afterConditionId", "taskWithCondition"]


def test_boundary_non_interrupting_with_variable_events(engine: Engine) -> None:
    """ConditionalEventWithSpecificVariableEventTest.testNonInterruptingVariableConditionWithVariableNameAndEvents:
    ``variableEvents="create"``: only the creation of the variable fires."""
    run = engine.start(
        _boundary("${variable >= 1}", interrupting=False, name="variable", events="create")
    )
    run.set_data({"variable": 1})
    run.set_data({"variable": 2})
    assert run.open_tasks() == ["afterConditionId", "taskWithCondition"]


def test_boundary_set_variable_by_parallel_task(engine: Engine) -> None:
    """BoundaryConditionalEventTest.testParallelSetVariableOnTaskCondition: a task of a
    parallel branch sets the variable; the boundary on the other branch's task fires."""
    xml = camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>'
        + user("taskWithCondition")
        + cond_boundary("conditionalEvent", "taskWithCondition")
        + user("taskBefore")
        + script("setVariable", "variable = 1")
        + user("afterConditionId")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/><bpmn:endEvent id="e3"/>'
        + flows(
            "s->fork",
            "fork->taskWithCondition",
            "fork->taskBefore",
            "taskBefore->setVariable",
            "setVariable->e1",
            "taskWithCondition->e2",
            "conditionalEvent->afterConditionId",
            "afterConditionId->e3",
        ),
    )
    run = engine.start(xml)
    run.complete("taskBefore")
    assert run.open_tasks() == ["afterConditionId"]


def test_boundary_on_subprocess_variable_condition(engine: Engine) -> None:
    """BoundaryConditionalEventTest.testSubProcessVariableCondition: a boundary on an embedded
    subprocess fires when a variable is set on its task; the subprocess is cancelled."""
    inner = (
        '<bpmn:startEvent id="ss"/>'
        + user("taskInSubProcess")
        + '<bpmn:endEvent id="se"/>'
        + flows("ss->taskInSubProcess", "taskInSubProcess->se")
    )
    xml = camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/>'
        + f'<bpmn:subProcess id="subProcess">{inner}</bpmn:subProcess>'
        + cond_boundary("conditionalEvent", "subProcess")
        + user("afterConditionId")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows(
            "s->subProcess",
            "subProcess->e1",
            "conditionalEvent->afterConditionId",
            "afterConditionId->e2",
        ),
    )
    run = engine.start(xml)
    run.set_data({"variable": 1})
    assert run.open_tasks() == ["afterConditionId"]


def test_boundary_on_subprocess_set_by_inner_task(engine: Engine) -> None:
    """BoundaryConditionalEventTest.testSubProcessSetVariableOnTaskCondition: the task inside
    the subprocess is completed with variable=1; the boundary on the subprocess fires."""
    inner = (
        '<bpmn:startEvent id="ss"/>'
        + user("taskInSubProcess")
        + user("next")
        + '<bpmn:endEvent id="se"/>'
        + flows("ss->taskInSubProcess", "taskInSubProcess->next", "next->se")
    )
    xml = camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/>'
        + f'<bpmn:subProcess id="subProcess">{inner}</bpmn:subProcess>'
        + cond_boundary("conditionalEvent", "subProcess")
        + user("afterConditionId")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows(
            "s->subProcess",
            "subProcess->e1",
            "conditionalEvent->afterConditionId",
            "afterConditionId->e2",
        ),
    )
    run = engine.start(xml)
    run.complete("taskInSubProcess", {"variable": 1})
    assert run.open_tasks() == ["afterConditionId"]


def test_boundary_set_multiple_variables(engine: Engine) -> None:
    """BoundaryConditionalEventTest.testSetMultipleVariables: two interrupting boundaries made
    true by one change: exactly one of them wins."""
    xml = camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/>'
        + user("beforeConditionId")
        + cond_boundary("event1", "beforeConditionId", "${variable1 == 1}")
        + cond_boundary("event2", "beforeConditionId", "${variable2 == 1}")
        + user("afterBoundary1")
        + user("afterBoundary2")
        + user("afterTask")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/><bpmn:endEvent id="e3"/>'
        + flows(
            "s->beforeConditionId",
            "beforeConditionId->afterTask",
            "afterTask->e3",
            "event1->afterBoundary1",
            "afterBoundary1->e1",
            "event2->afterBoundary2",
            "afterBoundary2->e2",
        ),
    )
    run = engine.start(xml, {"variable1": "44", "variable2": "44"})
    run.set_data({"variable1": 1, "variable2": 1})
    tasks = run.open_tasks()
    assert tasks in (["afterBoundary1"], ["afterBoundary2"])


# -- conditional event subprocesses ------------------------------------------------------------


def _esp(expr: str = COND, *, interrupting: bool = True, **filters: str) -> str:
    esp = cond_esp(
        "eventSubProcess",
        user("afterConditionId")
        + '<bpmn:endEvent id="ese"/>'
        + flows("eventSubProcess_s->afterConditionId", "afterConditionId->ese"),
        expr,
        interrupting=interrupting,
        **filters,
    )
    return camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/>'
        + user("taskWithCondition")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->taskWithCondition", "taskWithCondition->e")
        + esp,
    )


def test_event_subprocess_true_condition_on_start(engine: Engine) -> None:
    """EventSubProcessStartConditionalEventTest.testTrueCondition: ``${true}`` starts the
    interrupting event subprocess as the process starts; the main task is cancelled."""
    run = engine.start(_esp("${true}"))
    assert run.open_tasks() == ["afterConditionId"]
    run.complete("afterConditionId")
    assert run.ended


def test_event_subprocess_false_condition(engine: Engine) -> None:
    """EventSubProcessStartConditionalEventTest.testFalseCondition: ``${false}`` never starts
    it; the main task ends the instance."""
    run = engine.start(_esp("${false}"))
    assert run.open_tasks() == ["taskWithCondition"]
    run.complete("taskWithCondition")
    assert run.ended


def test_event_subprocess_variable_condition(engine: Engine) -> None:
    """EventSubProcessStartConditionalEventTest.testVariableCondition: setting variable=1
    starts the interrupting event subprocess."""
    run = engine.start(_esp())
    assert run.open_tasks() == ["taskWithCondition"]
    run.set_data({"variable": 1})
    assert run.open_tasks() == ["afterConditionId"]
    run.complete("afterConditionId")
    assert run.ended


def test_event_subprocess_condition_and_starting_with_var(engine: Engine) -> None:
    """EventSubProcessStartConditionalEventTest.testVariableConditionAndStartingWithVar: the
    instance starts with variable=1, so the event subprocess starts at once."""
    run = engine.start(_esp(), {"variable": 1})
    assert run.open_tasks() == ["afterConditionId"]


def test_event_subprocess_wrong_variable_condition(engine: Engine) -> None:
    """EventSubProcessStartConditionalEventTest.testWrongVariableCondition: variable=2 does not
    start it; variable=1 does."""
    run = engine.start(_esp())
    run.set_data({"variable": 2})
    assert run.open_tasks() == ["taskWithCondition"]
    run.set_data({"variable": 1})
    assert run.open_tasks() == ["afterConditionId"]


def test_event_subprocess_non_interrupting_variable_condition(engine: Engine) -> None:
    """EventSubProcessStartConditionalEventTest.testNonInterruptingVariableCondition: the event
    subprocess runs beside the main task; the instance ends when both are done."""
    run = engine.start(_esp(interrupting=False))
    run.set_data({"variable": 1})
    assert run.open_tasks() == ["afterConditionId", "taskWithCondition"]
    run.complete("taskWithCondition")
    assert not run.ended
    run.complete("afterConditionId")
    assert run.ended


def test_event_subprocess_non_interrupting_set_multiple_times(engine: Engine) -> None:
    """EventSubProcessStartConditionalEventTest.testNonInterruptingSetMultipleVariables: every
    change that keeps the condition true starts one more instance of the event subprocess."""
    run = engine.start(_esp("${variable >= 1}", interrupting=False))
    run.set_data({"variable": 1})
    run.set_data({"variable": 2})
    assert run.open_tasks() == ["afterConditionId", "afterConditionId", "taskWithCondition"]


def test_event_subprocess_set_variable_in_script(engine: Engine) -> None:
    """EventSubProcessStartConditionalEventTest.testSetVariableInDelegate: a script task of the
    main flow sets the variable; the interrupting event subprocess starts and the task after
    the script never runs."""
    esp = cond_esp(
        "eventSubProcess",
        user("afterConditionId")
        + '<bpmn:endEvent id="ese"/>'
        + flows("eventSubProcess_s->afterConditionId", "afterConditionId->ese"),
    )
    xml = camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/>'
        + user("beforeConditionId")
        + script("setVariable", "variable = 1")
        + user("afterServiceTask")
        + '<bpmn:endEvent id="e"/>'
        + flows(
            "s->beforeConditionId",
            "beforeConditionId->setVariable",
            "setVariable->afterServiceTask",
            "afterServiceTask->e",
        )
        + esp,
    )
    run = engine.start(xml)
    run.complete("beforeConditionId")
    assert run.open_tasks() == ["afterConditionId"]


def test_event_subprocess_in_subprocess_variable_condition(engine: Engine) -> None:
    """EventSubProcessStartConditionalEventTest.testSubProcessVariableCondition: a conditional
    event subprocess inside an embedded subprocess starts on the variable change and cancels
    the subprocess's task."""
    esp = cond_esp(
        "eventSubProcess",
        user("afterConditionId")
        + '<bpmn:endEvent id="ese"/>'
        + flows("eventSubProcess_s->afterConditionId", "afterConditionId->ese"),
    )
    inner = (
        '<bpmn:startEvent id="ss"/>'
        + user("taskInSubProcess")
        + '<bpmn:endEvent id="se"/>'
        + flows("ss->taskInSubProcess", "taskInSubProcess->se")
        + esp
    )
    xml = camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/>'
        + f'<bpmn:subProcess id="subProcess">{inner}</bpmn:subProcess>'
        + user("afterSub")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->subProcess", "subProcess->afterSub", "afterSub->e"),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["taskInSubProcess"]
    run.set_data({"variable": 1})
    assert run.open_tasks() == ["afterConditionId"]
    run.complete("afterConditionId")
    assert run.open_tasks() == ["afterSub"]


def test_event_subprocess_with_variable_name(engine: Engine) -> None:
    """ConditionalEventWithSpecificVariableEventTest.testVariableConditionWithVariableName
    (event subprocess): a change of another variable is ignored."""
    run = engine.start(_esp(name="variable"), {"variable": 0})
    run.set_data({"variable1": 1})
    assert run.open_tasks() == ["taskWithCondition"]
    run.set_data({"variable": 1})
    assert run.open_tasks() == ["afterConditionId"]


def test_event_subprocess_with_variable_event_update(engine: Engine) -> None:
    """ConditionalEventWithSpecificVariableEventTest.testVariableConditionWithVariableEvent
    (event subprocess): with ``variableEvents="update"`` creating the variable is ignored."""
    run = engine.start(_esp("${variable == 1}", events="update"))
    run.set_data({"variable": 1})
    assert run.open_tasks() == ["taskWithCondition"]
    run.set_data({"variable": 0})
    run.set_data({"variable": 1})
    assert run.open_tasks() == ["afterConditionId"]


def test_event_subprocess_condition_from_message_payload(engine: Engine) -> None:
    """EventSubProcessStartConditionalEventTest (variables from a correlated message): a
    message whose payload sets variable=1 starts the conditional event subprocess."""
    esp = cond_esp(
        "eventSubProcess",
        user("afterConditionId")
        + '<bpmn:endEvent id="ese"/>'
        + flows("eventSubProcess_s->afterConditionId", "afterConditionId->ese"),
    )
    xml = camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/>'
        + '<bpmn:intermediateCatchEvent id="msg"><bpmn:messageEventDefinition messageRef="m"/>'
        + "</bpmn:intermediateCatchEvent>"
        + user("afterMessage")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->msg", "msg->afterMessage", "afterMessage->e")
        + esp,
        '<bpmn:message id="m" name="go"/>',
    )
    run = engine.start(xml)
    engine.message("go", {"variable": 1})
    assert run.open_tasks() == ["afterConditionId"]


# -- event-based gateways ---------------------------------------------------------------------


def _gateway(first: str = COND, second: str | None = None) -> str:
    second_branch = (
        cond_catch("conditionalEvent2", second)
        if second
        else '<bpmn:intermediateCatchEvent id="msg"><bpmn:messageEventDefinition messageRef="m"/>'
        "</bpmn:intermediateCatchEvent>"
    )
    other = "conditionalEvent2" if second else "msg"
    return camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/><bpmn:eventBasedGateway id="gw"/>'
        + cond_catch("conditionalEvent1", first)
        + second_branch
        + user("afterCondition1")
        + user("afterOther")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows(
            "s->gw",
            "gw->conditionalEvent1",
            f"gw->{other}",
            "conditionalEvent1->afterCondition1",
            f"{other}->afterOther",
            "afterCondition1->e1",
            "afterOther->e2",
        ),
        '<bpmn:message id="m" name="go"/>',
    )


@pytest.mark.refused("SpiffWorkflow's event-based gateway waits on timers, messages and signals")
def test_event_based_gateway_with_conditional_branch(engine: Engine) -> None:
    """IntermediateConditionalEventTest.testEventBasedGateway: a conditional branch of an
    event-based gateway is refused at load, naming the event (never run silently wrong)."""
    engine.refused(_gateway(), element="conditionalEvent1", says="event-based gateway")


@pytest.mark.refused("Camunda starts these only through runtimeService.evaluateStartConditions")
def test_conditional_start_event_of_a_process(engine: Engine) -> None:
    """ConditionalStartEventTest.testSingleConditionalStartEvent: a process whose own start
    event is conditional is refused at load, naming the start event."""
    xml = camunda7(
        "conditionalStartEventProcess",
        f'<bpmn:startEvent id="start">{cond_def("${temperature > 10}")}</bpmn:startEvent>'
        + user("task")
        + '<bpmn:endEvent id="e"/>'
        + flows("start->task", "task->e"),
    )
    engine.refused(xml, element="start", says="conditional start")


def _script_with_boundary(interrupting: bool) -> str:
    return camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/>'
        + user("beforeConditionId")
        + script("taskWithCondition", "variable = 1")
        + cond_boundary("conditionalEvent", "taskWithCondition", interrupting=interrupting)
        + user("afterConditionId")
        + user("afterServiceTask")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows(
            "s->beforeConditionId",
            "beforeConditionId->taskWithCondition",
            "taskWithCondition->afterServiceTask",
            "afterServiceTask->e1",
            "conditionalEvent->afterConditionId",
            "afterConditionId->e2",
        ),
    )


def test_boundary_non_interrupting_set_variable_in_script(engine: Engine) -> None:
    """BoundaryConditionalEventTest.testNonInterruptingSetVariableInDelegate: the activity's
    own work sets the variable; its non-interrupting boundary fires, and the activity goes on
    too (two tasks)."""
    run = engine.start(_script_with_boundary(interrupting=False))
    run.complete("beforeConditionId")
    assert run.open_tasks() == ["afterConditionId", "afterServiceTask"]


@pytest.mark.refused("a script's own variable changes cannot cancel the script task yet")
def test_boundary_set_variable_in_script(engine: Engine) -> None:
    """BoundaryConditionalEventTest.testSetVariableInDelegate: an interrupting conditional
    boundary on a script task is refused at load, naming the boundary event (Camunda would
    cancel the activity from within its own variable change)."""
    engine.refused(
        _script_with_boundary(interrupting=True), element="conditionalEvent", says="script task"
    )


def test_boundary_not_triggered_by_variable_set_in_call_activity(engine: Engine) -> None:
    """BoundaryConditionalEventTest.testSetVariableInCallActivity: the called process sets
    ``variable``; that is another process instance's variable, so the conditional boundary on
    the call activity does not fire and the flow goes on after the call."""
    delegated = camunda7(
        "delegatedProcess",
        '<bpmn:startEvent id="ds"/>'
        + script("setVariable", "variable = 1")
        + '<bpmn:endEvent id="de"/>'
        + flows("ds->setVariable", "setVariable->de"),
    )
    xml = camunda7(
        "conditionalEventProcess",
        '<bpmn:startEvent id="s"/>'
        + user("beforeConditionId")
        + '<bpmn:callActivity id="taskWithCondition" calledElement="delegatedProcess"/>'
        + cond_boundary("conditionalEvent", "taskWithCondition")
        + user("afterConditionId")
        + user("afterServiceTask")
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows(
            "s->beforeConditionId",
            "beforeConditionId->taskWithCondition",
            "taskWithCondition->afterServiceTask",
            "afterServiceTask->e1",
            "conditionalEvent->afterConditionId",
            "afterConditionId->e2",
        ),
    )
    engine.deploy(delegated, xml)
    run = engine.start("conditionalEventProcess")
    run.complete("beforeConditionId")
    assert run.open_tasks() == ["afterServiceTask"]
