"""Call activities and their variables, as Camunda 8 (Zeebe) runs them.

Upstream: zeebe/engine/src/test/java/io/camunda/zeebe/engine/processing/bpmn/activity/
CallActivityTest.java (camunda/camunda). The child's job is stood in by a user task completed
with the job's variables. Zeebe copies every variable to the child and back unless
``propagateAllParentVariables`` / ``propagateAllChildVariables`` are false or output mappings say
what comes back.
"""

from __future__ import annotations

from typing import Any

from tests.conformance.harness import Engine, Run, flows, user, zeebe

CHILD = zeebe(
    "wf-child",
    '<bpmn:startEvent id="cs"/>' + user("child-task") + '<bpmn:endEvent id="ce"/>'
    + flows("cs->child-task", "child-task->ce"),
)  # fmt: skip


def parent(called: str = "", io: str = "", process_id: str = "wf-child") -> str:
    """start -> call (zeebe:calledElement processId=... plus attributes) -> after -> end."""
    ext = f'<zeebe:calledElement processId="{process_id}" {called}/>'
    if io:
        ext += f"<zeebe:ioMapping>{io}</zeebe:ioMapping>"
    return zeebe(
        "wf-parent",
        '<bpmn:startEvent id="s"/>'
        f'<bpmn:callActivity id="call"><bpmn:extensionElements>{ext}'
        "</bpmn:extensionElements></bpmn:callActivity>"
        + user("after") + '<bpmn:endEvent id="e"/>'
        + flows("s->call", "call->after", "after->e"),
    )  # fmt: skip


def start(engine: Engine, xml: str, data: dict[str, Any] | None = None) -> Run:
    engine.deploy(xml, CHILD)
    return engine.start("wf-parent", data)


def test_should_complete_call_activity(engine: Engine) -> None:
    """CallActivityTest.shouldCompleteCallActivity: the child's end completes the call
    activity and the parent moves on."""
    run = start(engine, parent())
    assert run.open_tasks() == ["child-task"]
    run.complete("child-task")
    assert run.open_tasks() == ["after"]
    run.complete("after")
    assert run.ended


def test_should_copy_variables_to_child(engine: Engine) -> None:
    """CallActivityTest.shouldCopyVariablesToChild: x and y are the child's variables."""
    run = start(engine, parent(), {"x": 1, "y": 2})
    assert run.task_data("child-task") == {"x": 1, "y": 2}


def test_should_propagate_variables_to_parent(engine: Engine) -> None:
    """CallActivityTest.shouldPropagateVariablesToParent: what the child set reaches the
    parent's process scope."""
    run = start(engine, parent())
    run.complete("child-task", {"y": 2})
    assert run.data == {"y": 2}


def test_should_not_propagate_variables_to_parent_if_disabled(engine: Engine) -> None:
    """CallActivityTest.shouldNotPropagateVariablesToParentIfDisabled:
    ``propagateAllChildVariables="false"``: y stays in the child."""
    run = start(engine, parent('propagateAllChildVariables="false"'))
    run.complete("child-task", {"y": 2})
    assert run.open_tasks() == ["after"]
    assert "y" not in run.data


def test_should_apply_input_mappings(engine: Engine) -> None:
    """CallActivityTest.shouldApplyInputMappings: input ``=x`` -> y; the child gets x and y."""
    run = start(engine, parent(io='<zeebe:input source="=x" target="y"/>'), {"x": 1})
    assert run.task_data("child-task") == {"x": 1, "y": 1}


def test_should_propagate_all_variables_when_enabled_explicitly(engine: Engine) -> None:
    """CallActivityTest.shouldPropagateAllVariablesWhenEnablingPropagateAllParentVariables
    Explicitly: ``propagateAllParentVariables="true"`` with an input mapping: x and y."""
    xml = parent('propagateAllParentVariables="true"', '<zeebe:input source="=x" target="y"/>')
    run = start(engine, xml, {"x": 1})
    assert run.task_data("child-task") == {"x": 1, "y": 1}


def test_should_only_propagate_variables_defined_via_input_mappings(engine: Engine) -> None:
    """CallActivityTest.shouldOnlyPropagateVariablesDefinedViaInputMappings: with
    ``propagateAllParentVariables="false"`` the child gets only y."""
    xml = parent('propagateAllParentVariables="false"', '<zeebe:input source="=x" target="y"/>')
    run = start(engine, xml, {"x": 1})
    assert run.task_data("child-task") == {"y": 1}


def test_should_not_propagate_any_variable(engine: Engine) -> None:
    """CallActivityTest.shouldNotPropagateAnyVariable: ``propagateAllParentVariables="false"``
    and no input mappings: the child starts with no variables."""
    run = start(engine, parent('propagateAllParentVariables="false"'), {"x": 1})
    assert run.task_data("child-task") == {}


def test_should_apply_output_mappings(engine: Engine) -> None:
    """CallActivityTest.shouldApplyOutputMappings: ``propagateAllChildVariables="false"`` and
    output ``=x`` -> y: the parent gets y = 2, x stays on the call activity."""
    xml = parent('propagateAllChildVariables="false"', '<zeebe:output source="=x" target="y"/>')
    run = start(engine, xml)
    run.complete("child-task", {"x": 2})
    assert run.data == {"y": 2}


def test_should_apply_output_mappings_ignoring_the_propagate_all_property(engine: Engine) -> None:
    """CallActivityTest.shouldApplyOutputMappingsIgnoringThePropagateAllProperty: with an
    output mapping x -> x only x reaches the parent, y stays on the call activity."""
    xml = parent('propagateAllChildVariables="true"', '<zeebe:output source="=x" target="x"/>')
    run = start(engine, xml)
    run.complete("child-task", {"x": 1, "y": 2})
    assert run.data == {"x": 1}


def test_should_create_instance_of_called_element_with_expression(engine: Engine) -> None:
    """CallActivityTest.shouldCreateInstanceOfCalledElementWithExpression: ``processId=
    "=processId"`` calls the process the variable names."""
    run = start(engine, parent(process_id="=processId"), {"processId": "wf-child"})
    assert run.open_tasks() == ["child-task"]
    run.complete("child-task")
    run.complete("after")
    assert run.ended
