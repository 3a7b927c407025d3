"""Sequence flows and plain activities, as Camunda 7's engine runs them.

Upstream: engine/src/test/java/org/camunda/bpm/engine/test/bpmn/sequenceflow and
engine/src/test/java/org/camunda/bpm/engine/test/bpmn/tasks.
"""

from __future__ import annotations

from tests.conformance.harness import Engine, camunda7, flows, script, user


def test_conditional_sequence_flow_takes_the_true_branch(engine: Engine) -> None:
    """ConditionalSequenceFlowTest.testUelExpression: ``${input == 'right'}`` picks task right."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="g"/>'
        + user("left")
        + user("right")
        + flows("s->g", "g->left: ${input == 'left'}", "g->right: ${input == 'right'}"),
    )
    run = engine.start(xml, {"input": "right"})
    assert run.open_tasks() == ["right"]


def test_script_task_sets_a_variable(engine: Engine) -> None:
    """ScriptTaskTest.testSetVariableThroughExecutionInScript: a script's variable is stored."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + script("sc", "myVar = 'test123'")
        + user("u")
        + flows("s->sc", "sc->u"),
    )
    run = engine.start(xml)
    assert run.data["myVar"] == "test123"
    run.complete("u")
    assert run.ended


def test_harness_timer_boundary_fires_when_the_clock_moves(engine: Engine) -> None:
    """BoundaryTimerEventTest.testInterruptingTimerDuration: PT1H later the task is gone."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("u")
        + '<bpmn:boundaryEvent id="t" attachedToRef="u"><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>"
        "</bpmn:boundaryEvent>"
        + user("late")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->u", "u->e", "t->late"),
    )
    run = engine.start(xml)
    engine.advance(minutes=59)
    assert run.open_tasks() == ["u"]
    engine.advance(minutes=1)
    assert run.open_tasks() == ["late"]
