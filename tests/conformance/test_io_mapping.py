"""Input and output parameters of activities, as Camunda 7 and Camunda 8 run them.

Upstream (Camunda 7): engine/src/test/java/org/camunda/bpm/engine/test/bpmn/iomapping/
InputOutputTest.java and its ``InputOutputTest.<test>.bpmn`` diagrams. Input parameters are
local variables of the activity; output parameters are set on the parent scope. Camunda's Java
delegates (``camunda:expression="${true}"``) and Groovy scripts are stood in by Python script
tasks and Python ``camunda:script`` values; Camunda's ``receiveTask id="wait"`` by a user task.

Upstream (Camunda 8): zeebe/engine/src/test/java/io/camunda/zeebe/engine/processing/variable/
mapping/UserTaskOutputMappingTest.java: inputs are local, and with output mappings only they
reach the process scope.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.harness import Engine, camunda7, esc, flows, user, zeebe


def io(inputs: str = "", outputs: str = "") -> str:
    """A camunda:inputOutput extension element from parameter snippets."""
    return (
        "<bpmn:extensionElements><camunda:inputOutput>"
        f"{inputs}{outputs}</camunda:inputOutput></bpmn:extensionElements>"
    )


def param(kind: str, name: str, inner: str | None) -> str:
    tag = f"camunda:{kind}Parameter"
    return f'<{tag} name="{name}"/>' if inner is None else f'<{tag} name="{name}">{inner}</{tag}>'


def waiting_with_inputs(*inputs: str) -> str:
    """start -> wait (a user task with the input parameters) -> end."""
    return camunda7(
        "testProcess",
        '<bpmn:startEvent id="s"/>' + user("wait", "", io("".join(inputs)))
        + '<bpmn:endEvent id="e"/>' + flows("s->wait", "wait->e"),
    )  # fmt: skip


def outputs_then_wait(*outputs: str) -> str:
    """start -> run (a script task with the output parameters) -> wait -> end."""
    run = (
        '<bpmn:scriptTask id="run" scriptFormat="python">'
        + io(outputs="".join(outputs))
        + "<bpmn:script>done = True</bpmn:script></bpmn:scriptTask>"
    )
    return camunda7(
        "testProcess",
        '<bpmn:startEvent id="s"/>' + run + user("wait") + '<bpmn:endEvent id="e"/>'
        + flows("s->run", "run->wait", "wait->e"),
    )  # fmt: skip


def py(code: str) -> str:
    return f'<camunda:script scriptFormat="python">{esc(code)}</camunda:script>'


LIST_EL = "<camunda:list>" + "".join(
    f"<camunda:value>${{{n}}}</camunda:value>" for n in ("1+1", "1+2", "1+3")
) + "</camunda:list>"  # fmt: skip
LIST_MIXED = (
    "<camunda:list><camunda:value>constantStringValue</camunda:value>"
    "<camunda:value>${'elValue'}</camunda:value>" + py("'script' + 'Value'") + "</camunda:list>"
)
MAP_EL = "<camunda:map>" + "".join(
    f'<camunda:entry key="{k}">${{{v}}}</camunda:entry>' for k, v in (("a", "1+1"), ("b", "1+2"),
                                                                         ("c", "1+3"))
) + "</camunda:map>"  # fmt: skip
NESTED = (
    '<camunda:map><camunda:entry key="a"><camunda:list>'
    "<camunda:value>stringInListNestedInMap</camunda:value><camunda:value>${ 'b' }</camunda:value>"
    '</camunda:list></camunda:entry><camunda:entry key="${exprKey}">stringValueWithExprKey'
    "</camunda:entry></camunda:map>"
)
NESTED_LIST = (
    "<camunda:list><camunda:value>constantStringValue</camunda:value>"
    "<camunda:value>${ 'elValue' }</camunda:value>" + py("'scriptValue'") + "<camunda:list>"
    "<camunda:list><camunda:value>a</camunda:value><camunda:value>b</camunda:value>"
    "<camunda:value>c</camunda:value></camunda:list><camunda:value>d</camunda:value>"
    '</camunda:list><camunda:map><camunda:entry key="foo">bar</camunda:entry>'
    '<camunda:entry key="hello">world</camunda:entry>'
    '<camunda:entry key="${exprKey}">potato</camunda:entry></camunda:map></camunda:list>'
)
MAP_EL_KEY = (
    '<camunda:map><camunda:entry key="${varExpr1}">potato</camunda:entry>'
    '<camunda:entry key="${varExpr2}">tomato</camunda:entry></camunda:map>'
)
NESTED_LIST_VALUE = [
    "constantStringValue",
    "elValue",
    "scriptValue",
    [["a", "b", "c"], "d"],
    {"foo": "bar", "hello": "world", "potato": "potato"},
]

#: (InputOutputTest method, parameter body, start variables, expected var1)
VALUES: list[tuple[str, str | None, dict[str, Any], Any]] = [
    ("NullValue", None, {}, None),
    ("StringConstantValue", "stringValue", {}, "stringValue"),
    ("ElValue", "${1 + 1}", {}, 2),
    ("ScriptValue", py("1 + 1"), {}, 2),
    ("ListElValues", LIST_EL, {}, [2, 3, 4]),
    ("ListMixedValues", LIST_MIXED, {}, ["constantStringValue", "elValue", "scriptValue"]),
    ("MapElValues", MAP_EL, {}, {"a": 2, "b": 3, "c": 4}),
    ("Nested", NESTED, {"exprKey": "b"},
     {"a": ["stringInListNestedInMap", "b"], "b": "stringValueWithExprKey"}),
    ("NestedListValues", NESTED_LIST, {"exprKey": "potato"}, NESTED_LIST_VALUE),
    ("MapElKey", MAP_EL_KEY, {"varExpr1": "a", "varExpr2": "b"}, {"a": "potato", "b": "tomato"}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "body", "data", "expected"), VALUES, ids=[v[0] for v in VALUES])
def test_input_parameter_value(
    engine: Engine, name: str, body: str | None, data: dict[str, Any], expected: Any
) -> None:
    """InputOutputTest.testInput<name>: the input parameter var1 has the value Camunda gives it,
    as a variable local to the activity (gone once it completes)."""
    if name == "NestedListValues":
        data = {"exprKey": "vegie"}
        expected = [*expected[:4], {"foo": "bar", "hello": "world", "vegie": "potato"}]
    run = engine.start(waiting_with_inputs(param("input", "var1", body)), data)
    seen = run.task_data("wait")
    assert "var1" in seen and seen["var1"] == expected
    run.complete("wait")
    assert run.ended and "var1" not in run.data


@pytest.mark.parametrize(("name", "body", "data", "expected"), VALUES, ids=[v[0] for v in VALUES])
def test_output_parameter_value(
    engine: Engine, name: str, body: str | None, data: dict[str, Any], expected: Any
) -> None:
    """InputOutputTest.testOutput<name>: the output parameter var1 is set on the process
    instance when the activity completes."""
    if name == "NestedListValues":
        data = {"exprKey": "vegie"}
        expected = [*expected[:4], {"foo": "bar", "hello": "world", "vegie": "potato"}]
    run = engine.start(outputs_then_wait(param("output", "var1", body)), data)
    assert run.open_tasks() == ["wait"]
    assert "var1" in run.data and run.data["var1"] == expected


def test_input_multiple_mixed_value(engine: Engine) -> None:
    """InputOutputTest.testInputMultipleMixedValue: an expression and a constant, both local."""
    xml = waiting_with_inputs(
        param("input", "var1", "${1 + 1}"), param("input", "var2", "stringConstantValue")
    )
    seen = engine.start(xml).task_data("wait")
    assert (seen["var1"], seen["var2"]) == (2, "stringConstantValue")


def test_input_map_el_undefined_key(engine: Engine) -> None:
    """InputOutputTest.testInputMapElUndefinedKey: a map key expression naming an unknown
    variable fails the start ("Unknown property used in expression: ${varExpr1}")."""
    run = engine.start(waiting_with_inputs(param("input", "var1", MAP_EL_KEY)))
    assert run.status.value == "incident"
    assert "varExpr1" in (run.error or "")


def test_composite_expression_for_input_value(engine: Engine) -> None:
    """InputOutputTest.testCompositeExpressionForInputValue: ``Hello World${'!'}``."""
    run = engine.start(waiting_with_inputs(param("input", "var", "Hello World${'!'}")))
    assert run.task_data("wait")["var"] == "Hello World!"


def test_composite_expression_for_output_value(engine: Engine) -> None:
    """InputOutputTest.testCompositeExpressionForOutputValue: input var1 = "World!", output
    var2 = ``Hello ${var1}``."""
    task = (
        '<bpmn:scriptTask id="run" scriptFormat="python">'
        + io(param("input", "var1", "World!"), param("output", "var2", "Hello ${var1}"))
        + "<bpmn:script>done = True</bpmn:script></bpmn:scriptTask>"
    )
    xml = camunda7(
        "Process",
        '<bpmn:startEvent id="s"/>' + task + user("wait") + '<bpmn:endEvent id="e"/>'
        + flows("s->run", "run->wait", "wait->e"),
    )  # fmt: skip
    run = engine.start(xml)
    assert run.data["var2"] == "Hello World!"
    assert "var1" not in run.data


def test_subprocess_io_support(engine: Engine) -> None:
    """InputOutputTest.testSubprocessIoSupport: an embedded subprocess's input innerVar is
    local to it; its output outerVar lands on the process instance."""
    sub = (
        '<bpmn:subProcess id="SubProcess_1">'
        + io(param("input", "innerVar", "${processVar}"), param("output", "outerVar",
                                                               "${innerVar}"))
        + '<bpmn:startEvent id="ss"/>' + user("subprocessTask") + '<bpmn:endEvent id="se"/>'
        + flows("ss->subprocessTask", "subprocessTask->se") + "</bpmn:subProcess>"
    )  # fmt: skip
    xml = camunda7(
        "testProcess",
        '<bpmn:startEvent id="s"/>' + sub + user("UserTask_1") + '<bpmn:endEvent id="e"/>'
        + flows("s->SubProcess_1", "SubProcess_1->UserTask_1", "UserTask_1->e"),
    )  # fmt: skip
    run = engine.start(xml, {"processVar": "value"})
    assert run.task_data("subprocessTask")["innerVar"] == "value"
    run.complete("subprocessTask")
    assert run.open_tasks() == ["UserTask_1"]
    assert run.data["outerVar"] == "value"
    assert "innerVar" not in run.data


def test_mi_output_mapping_disallowed(engine: Engine) -> None:
    """InputOutputTest.testMIOutputMappingDisallowed: an output parameter on a multi-instance
    activity does not deploy ("camunda:outputParameter not allowed for multi-instance
    constructs")."""
    task = (
        '<bpmn:userTask id="miTask">'
        + io(outputs=param("output", "counterValue", "${loopCounter}"))
        + '<bpmn:multiInstanceLoopCharacteristics isSequential="false">'
        "<bpmn:loopCardinality>3</bpmn:loopCardinality>"
        "</bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>"
    )
    xml = camunda7(
        "miProcess",
        '<bpmn:startEvent id="s"/>' + task + '<bpmn:endEvent id="e"/>' + flows("s->miTask",
                                                                               "miTask->e"),
    )  # fmt: skip
    engine.refused(xml, element="miTask", says="multi-instance")


def test_interrupting_event_subprocess_io_support(engine: Engine) -> None:
    """InputOutputTest.testInterruptingEventSubprocessIoSupport: camunda:inputOutput on an
    event subprocess does not deploy."""
    event_sub = (
        '<bpmn:subProcess id="SubProcess_1" triggeredByEvent="true">'
        + io(param("input", "innerVar", "x"))
        + '<bpmn:startEvent id="ms"><bpmn:messageEventDefinition messageRef="m"/>'
        "</bpmn:startEvent>" + user("inner") + '<bpmn:endEvent id="me"/>'
        + flows("ms->inner", "inner->me") + "</bpmn:subProcess>"
    )  # fmt: skip
    xml = camunda7(
        "testProcess",
        '<bpmn:startEvent id="s"/>' + user("wait") + '<bpmn:endEvent id="e"/>' + event_sub
        + flows("s->wait", "wait->e"),
        extra='<bpmn:message id="m" name="msg"/>',
    )  # fmt: skip
    engine.refused(xml, element="SubProcess_1", says="event subprocess")


# -- Camunda 8 -------------------------------------------------------------------------------

#: (variables the user task completes with, zeebe:ioMapping body, process scope afterwards);
#: the instance starts with i = 0.
ZEEBE: list[tuple[dict[str, Any], str, dict[str, Any]]] = [
    ({"x": 1}, "", {"x": 1}),
    ({"x": 1}, '<zeebe:output source="=x" target="x"/>', {"x": 1}),
    ({"x": 1}, '<zeebe:output source="=x" target="y"/>', {"y": 1}),
    ({"_x": 1}, '<zeebe:output source="=_x" target="_y"/>', {"_y": 1}),
    ({"x": 1, "y": 2}, '<zeebe:output source="=y" target="z"/>', {"z": 2}),
    ({"x": {"y": 2}}, "", {"x": {"y": 2}}),
    ({"x": {"y": 2}}, '<zeebe:output source="=x" target="y"/>', {"y": {"y": 2}}),
    ({"x": {"y": 2}}, '<zeebe:output source="=x.y" target="y"/>', {"y": 2}),
    ({"x": 1, "y": 2},
     '<zeebe:output source="=x" target="z.x"/><zeebe:output source="=y" target="z.y"/>',
     {"z": {"x": 1, "y": 2}}),
    ({"i": 1}, "", {"i": 1}),
    ({"x": 1}, '<zeebe:output source="=x" target="i"/>', {"i": 1}),
    ({"x": 1}, '<zeebe:input source="=i" target="y"/><zeebe:output source="=y" target="z"/>',
     {"z": 0}),
    ({"x": 1}, '<zeebe:input source="=i" target="x"/><zeebe:output source="=x" target="y"/>',
     {"y": 1}),
    ({"x": 1, "y": 2},
     '<zeebe:input source="=i" target="x"/><zeebe:input source="=i" target="y"/>'
     '<zeebe:output source="=y" target="z"/>', {"z": 2}),
    ({"x": 1}, '<zeebe:input source="=i" target="y"/>', {"x": 1}),
    ({"z": 1, "j": 1}, '<zeebe:input source="=i" target="z"/>', {"j": 1}),
]  # fmt: skip


@pytest.mark.parametrize(("completed", "mapping", "scope"), ZEEBE)
def test_zeebe_user_task_output_mapping(
    engine: Engine, completed: dict[str, Any], mapping: str, scope: dict[str, Any]
) -> None:
    """UserTaskOutputMappingTest.shouldApplyOutputMappings (one parameter set each): after the
    user task completes with ``completed``, the process scope holds i plus ``scope``."""
    ext = "<zeebe:userTask/>" + (f"<zeebe:ioMapping>{mapping}</zeebe:ioMapping>" if mapping else "")
    xml = zeebe(
        "process",
        '<bpmn:startEvent id="s"/>'
        + user("task", "", f"<bpmn:extensionElements>{ext}</bpmn:extensionElements>")
        + '<bpmn:endEvent id="e"/>' + flows("s->task", "task->e"),
    )  # fmt: skip
    run = engine.start(xml, {"i": 0})
    run.complete("task", completed)
    assert run.ended
    assert run.data == {"i": 0, **scope}


def test_zeebe_script_task_result_variable(engine: Engine) -> None:
    """ScriptTaskTest.shouldWriteResultAsProcessInstanceVariable (Zeebe): a FEEL
    ``zeebe:script`` writes its result variable."""
    task = (
        '<bpmn:scriptTask id="task"><bpmn:extensionElements>'
        '<zeebe:script expression="=a + b" resultVariable="result"/>'
        "</bpmn:extensionElements></bpmn:scriptTask>"
    )
    xml = zeebe(
        "process",
        '<bpmn:startEvent id="s"/>' + task + user("wait") + '<bpmn:endEvent id="e"/>'
        + flows("s->task", "task->wait", "wait->e"),
    )  # fmt: skip
    run = engine.start(xml, {"a": 1, "b": 2})
    assert run.data["result"] == 3


def test_script_value_runs_statements(engine: Engine) -> None:
    """InputOutputTest.testInputScriptValue (a script of several statements): the value is the
    script's last expression, as Groovy returns it."""
    xml = waiting_with_inputs(param("input", "var1", py("a = 1\nb = a + 1\nb")))
    assert engine.start(xml).task_data("wait")["var1"] == 2


@pytest.mark.refused("scripts run in Python only: a Groovy or JavaScript parameter is refused")
def test_script_in_another_language_is_refused(engine: Engine) -> None:
    """InputOutputTest.testInputScriptValue as drawn upstream (Groovy): seamline runs Python
    only, so a Groovy parameter is refused where it is drawn rather than run wrongly."""
    body = '<camunda:script scriptFormat="groovy">return 1 + 1</camunda:script>'
    engine.refused(waiting_with_inputs(param("input", "var1", body)), element="wait",
                   says="groovy")  # fmt: skip
