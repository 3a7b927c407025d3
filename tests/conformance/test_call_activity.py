"""Call activities and the variables they pass, as Camunda 7 runs them.

Upstream: engine/src/test/java/org/camunda/bpm/engine/test/bpmn/callactivity/CallActivityTest.java
with the diagrams beside it (``CallActivity.<test>.bpmn20.xml``, ``simpleSubProcess.bpmn20.xml``).
Camunda 7 passes no variables to or from the called process unless ``camunda:in`` /
``camunda:out`` say so.
"""

from __future__ import annotations

from typing import Any

from tests.conformance.harness import Engine, Run, camunda7, esc, flows, user

#: simpleSubProcess.bpmn20.xml: start -> "Task in subprocess" -> end.
SUB = camunda7(
    "simpleSubProcess",
    '<bpmn:startEvent id="subStart"/>'
    + user("task", 'name="Task in subprocess"')
    + '<bpmn:endEvent id="subEnd"/>'
    + flows("subStart->task", "task->subEnd"),
)


def call(cid: str, ext: str = "", called: str = "simpleSubProcess") -> str:
    """A call activity with its camunda:in / camunda:out (and inputOutput) extensions."""
    inner = f"<bpmn:extensionElements>{ext}</bpmn:extensionElements>" if ext else ""
    return (
        f'<bpmn:callActivity id="{cid}" calledElement="{esc(called)}">{inner}</bpmn:callActivity>'
    )


def caller(ext: str = "", *, before: bool = True, called: str = "simpleSubProcess") -> str:
    """start -> (userTask1) -> callSubProcess -> userTask2 -> end."""
    body = '<bpmn:startEvent id="s"/>' + call("callSubProcess", ext, called)
    body += user("userTask2", 'name="Task after subprocess"') + '<bpmn:endEvent id="e"/>'
    if before:
        body += user("userTask1", 'name="Task before subprocess"')
        body += flows("s->userTask1", "userTask1->callSubProcess", "callSubProcess->userTask2",
                      "userTask2->e")  # fmt: skip
    else:
        body += flows("s->callSubProcess", "callSubProcess->userTask2", "userTask2->e")
    return camunda7("caller", body)


def start(
    engine: Engine, xml: str, data: dict[str, Any] | None = None, key: str | None = None
) -> Run:
    engine.deploy(xml, SUB)
    return engine.start("caller", data, business_key=key)


def test_call_simple_sub_process(engine: Engine) -> None:
    """CallActivityTest.testCallSimpleSubProcess: before -> the called task -> after -> ended."""
    run = start(engine, caller())
    assert run.open_tasks() == ["userTask1"]
    run.complete("userTask1")
    assert run.open_tasks() == ["task"]
    run.complete("task")
    assert run.open_tasks() == ["userTask2"]
    run.complete("userTask2")
    assert run.ended


def test_no_mappings_pass_no_variables(engine: Engine) -> None:
    """CallActivityTest.testSubProcessWithNullDataInput (dataSubProcess): without camunda:in
    the called instance does not see the caller's variables, and without camunda:out the caller
    gets none of the called instance's."""
    run = start(engine, caller(before=False), {"superVariable": "Hello"})
    assert "superVariable" not in run.task_data("task")
    run.complete("task", {"subVariable": "from sub"})
    assert run.open_tasks() == ["userTask2"]
    assert run.data.get("superVariable") == "Hello"
    assert "subVariable" not in run.data


DATA_IO = (
    '<camunda:in source="superVariable" target="subVariable"/>'
    '<camunda:out source="subVariable" target="superVariable"/>'
    '<camunda:out source="myLocalVariable" target="hisLocalVariable"/>'
)


def test_sub_process_with_data_input_output(engine: Engine) -> None:
    """CallActivityTest.testSubProcessWithDataInputOutput (first call): ``in source/target``
    copies superVariable into subVariable; ``out`` copies it back when the called process ends,
    and an out source the called process never set arrives as null."""
    run = start(engine, caller(DATA_IO, before=False), {"superVariable": "Hello from super."})
    sub = run.task_data("task")
    assert sub["subVariable"] == "Hello from super."
    assert "superVariable" not in sub
    run.complete("task", {"subVariable": "Hello from sub process."})
    assert run.open_tasks() == ["userTask2"]
    assert run.data["superVariable"] == "Hello from sub process."
    assert run.data["hisLocalVariable"] is None


def test_sub_process_with_data_input_output_expressions(engine: Engine) -> None:
    """CallActivityTest.testSubProcessWithDataInputOutput (second call): ``sourceExpression``
    ``${x+5}`` gives the called instance y = 10, ``${y+5}`` gives the caller z = 15."""
    ext = (
        '<camunda:in sourceExpression="${x+5}" target="y"/>'
        '<camunda:out sourceExpression="${y+5}" target="z"/>'
    )
    run = start(engine, caller(ext, before=False), {"x": 5})
    assert run.task_data("task")["y"] == 10
    run.complete("task")
    assert run.data["z"] == 15
    assert "y" not in run.data


def test_sub_process_with_null_data_output(engine: Engine) -> None:
    """CallActivityTest.testSubProcessWithNullDataOutput: the caller had no superVariable; the
    out mappings set superVariable and hisLocalVariable to null, subVariable stays unset."""
    run = start(engine, caller(DATA_IO, before=False))
    assert run.task_data("task")["subVariable"] is None
    run.complete("task")
    data = run.data
    assert "subVariable" not in data
    assert "superVariable" in data and data["superVariable"] is None
    assert "hisLocalVariable" in data and data["hisLocalVariable"] is None


ALL = '<camunda:in variables="all"/><camunda:out variables="all"/>'


def test_sub_process_all_data_input_output(engine: Engine) -> None:
    """CallActivityTest.testSubProcessAllDataInputOutput: ``variables="all"`` both ways."""
    data = {"superVariable": "Hello from the super process.", "testVariable": "Only a test."}
    run = start(engine, caller(ALL), data)
    run.complete("userTask1")
    sub = run.task_data("task")
    assert sub["superVariable"] == "Hello from the super process."
    assert sub["testVariable"] == "Only a test."
    changed = {"superVariable": "Hello from sub process.", "testVariable": "Changed in sub."}
    run.complete("task", changed)
    assert run.open_tasks() == ["userTask2"]
    assert run.data["superVariable"] == "Hello from sub process."
    assert run.data["testVariable"] == "Changed in sub."


def test_sub_process_all_data_with_additional_input_mapping(engine: Engine) -> None:
    """CallActivityTest.testSubProcessAllDataInputOutputWithAdditionalInputMapping: all
    variables plus ``in source="superVariable" target="subVariable"``."""
    ext = (
        '<camunda:in variables="all"/>'
        '<camunda:in source="superVariable" target="subVariable"/>'
        '<camunda:out variables="all"/>'
    )
    data = {"superVariable": "Hello from the super process.", "testVariable": "Only a test."}
    run = start(engine, caller(ext), data)
    run.complete("userTask1")
    sub = run.task_data("task")
    assert sub["superVariable"] == sub["subVariable"] == "Hello from the super process."
    assert sub["testVariable"] == "Only a test."
    run.complete("task", {"superVariable": "Hello from sub process."})
    assert run.data["superVariable"] == "Hello from sub process."


def test_sub_process_all_data_output(engine: Engine) -> None:
    """CallActivityTest.testSubProcessAllDataOutput: ``out variables="all"`` works when the
    super process has no variables at all (CAM-1617)."""
    run = start(engine, caller(ALL))
    run.complete("userTask1")
    run.complete("task", {"superVariable": "Hello from sub process.", "testVariable": "x"})
    assert run.open_tasks() == ["userTask2"]
    assert run.data["superVariable"] == "Hello from sub process."
    assert run.data["testVariable"] == "x"


IO = (
    "<camunda:inputOutput>"
    '<camunda:inputParameter name="inputParameter">${"val2"}</camunda:inputParameter>'
    '<camunda:outputParameter name="outputParameter">OUT</camunda:outputParameter>'
    "</camunda:inputOutput>"
)


def _local(engine: Engine, ext: str) -> Run:
    run = start(engine, caller(ext))
    run.set_data({"callingProcessVar1": "val1"})
    run.complete("userTask1")
    return run


def test_sub_process_local_input_all_variables(engine: Engine) -> None:
    """CallActivityTest.testSubProcessLocalInputAllVariables: ``in variables="all"
    local="true"`` passes only the call activity's input parameter; out all brings back what
    the called instance set, the input parameter stays local, the output parameter arrives."""
    ext = IO.replace("OUT", "${43}") + '<camunda:in variables="all" local="true"/>'
    ext += '<camunda:out variables="all"/>'
    run = _local(engine, ext)
    assert run.task_data("task") == {"inputParameter": "val2"}
    run.complete("task", {"calledProcessVar1": 42})
    assert run.data == {"callingProcessVar1": "val1", "calledProcessVar1": 42,
                        "outputParameter": 43}  # fmt: skip


def test_sub_process_local_input_single_variable(engine: Engine) -> None:
    """CallActivityTest.testSubProcessLocalInputSingleVariable: ``in source="inputParameter"
    target="mappedInputParameter" local="true"``; out all brings mappedInputParameter back."""
    ext = IO.replace("OUT", "${43}")
    ext += '<camunda:in source="inputParameter" target="mappedInputParameter" local="true"/>'
    ext += '<camunda:out variables="all"/>'
    run = _local(engine, ext)
    assert run.task_data("task") == {"mappedInputParameter": "val2"}
    run.complete("task", {"calledProcessVar1": 42})
    assert run.data == {"callingProcessVar1": "val1", "mappedInputParameter": "val2",
                        "calledProcessVar1": 42, "outputParameter": 43}  # fmt: skip


def test_sub_process_local_input_single_variable_expression(engine: Engine) -> None:
    """CallActivityTest.testSubProcessLocalInputSingleVariableExpression: a local
    ``sourceExpression`` resolves the call activity's own input (42 + 1), but not a process
    variable: the second call fails ("Cannot resolve identifier 'globalVariable'")."""
    first = call(
        "callSubProcess",
        "<camunda:inputOutput>"
        '<camunda:inputParameter name="inputParameter">${42}</camunda:inputParameter>'
        "</camunda:inputOutput>"
        '<camunda:in sourceExpression="${inputParameter + 1}" target="mappedInputParameter"'
        ' local="true"/>',
    )
    second = call(
        "callSubProcess2",
        '<camunda:in sourceExpression="${globalVariable + 1}" target="mappedInputParameter"'
        ' local="true"/>',
    )
    xml = camunda7(
        "caller",
        '<bpmn:startEvent id="s"/>' + user("userTask1") + first + user("userTask2") + second
        + '<bpmn:endEvent id="e"/>'
        + flows("s->userTask1", "userTask1->callSubProcess", "callSubProcess->userTask2",
                "userTask2->callSubProcess2", "callSubProcess2->e"),
    )  # fmt: skip
    run = start(engine, xml)
    run.complete("userTask1")
    assert run.task_data("task") == {"mappedInputParameter": 43}
    run.complete("task")
    run.set_data({"globalVariable": 42})
    failed = engine.fails(run.complete, "userTask2")
    assert "globalVariable" in str(failed)
    assert run.open_tasks() == ["userTask2"]


def test_sub_process_local_output_all_variables(engine: Engine) -> None:
    """CallActivityTest.testSubProcessLocalOutputAllVariables: ``out variables="all"
    local="true"`` keeps what comes back on the call activity, where the output parameter
    reads it; only the output parameter reaches the caller."""
    ext = IO.replace("OUT", "${calledProcessVar1 + 1}") + '<camunda:in variables="all"/>'
    ext += '<camunda:out variables="all" local="true"/>'
    run = _local(engine, ext)
    assert run.task_data("task") == {"callingProcessVar1": "val1", "inputParameter": "val2"}
    run.complete("task", {"calledProcessVar1": 42})
    assert run.data == {"callingProcessVar1": "val1", "outputParameter": 43}


def test_sub_process_local_output_single_variable(engine: Engine) -> None:
    """CallActivityTest.testSubProcessLocalOutputSingleVariable: ``out source target
    local="true"``: outVar is local to the call activity; outputParameter = outVar + 1."""
    ext = IO.replace("OUT", "${outVar + 1}") + '<camunda:in variables="all"/>'
    ext += '<camunda:out source="calledProcessVar1" target="outVar" local="true"/>'
    run = _local(engine, ext)
    assert run.task_data("task") == {"callingProcessVar1": "val1", "inputParameter": "val2"}
    run.complete("task", {"calledProcessVar1": 42})
    assert run.data == {"callingProcessVar1": "val1", "outputParameter": 43}


def test_sub_process_business_key_input(engine: Engine) -> None:
    """CallActivityTest.testSubProcessBusinessKeyInput: ``camunda:in
    businessKey="#{execution.processBusinessKey}"`` gives the called instance the caller's
    business key."""
    ext = '<camunda:in businessKey="#{execution.processBusinessKey}"/>'
    run = start(engine, caller(ext), key="myBusinessKey")
    run.complete("userTask1")
    assert run.task("task").business_key == "myBusinessKey"
    run.complete("task")
    run.complete("userTask2")
    assert run.ended


def test_called_instance_without_business_key(engine: Engine) -> None:
    """CallActivityTest.testSubProcessBusinessKeyInput (its premise): without ``camunda:in
    businessKey`` the called instance has no business key of its own."""
    run = start(engine, caller(), key="myBusinessKey")
    run.complete("userTask1")
    assert run.task("task").business_key is None
    run.complete("task")
    assert run.task("userTask2").business_key == "myBusinessKey"


def test_call_simple_sub_process_with_expressions(engine: Engine) -> None:
    """CallActivityTest.testCallSimpleSubProcessWithExpressions: ``calledElement=
    "${simpleSubProcessExpression}"`` is resolved when the call activity starts."""
    run = start(engine, caller(called="${simpleSubProcessExpression}"))
    run.complete("userTask1", {"simpleSubProcessExpression": "simpleSubProcess"})
    assert run.open_tasks() == ["task"]
    run.complete("task")
    assert run.open_tasks() == ["userTask2"]
    run.complete("userTask2")
    assert run.ended


def test_call_simple_sub_process_with_hash_expressions(engine: Engine) -> None:
    """CallActivityTest.testCallSimpleSubProcessWithHashExpressions: ``#{...}`` too."""
    run = start(engine, caller(called="#{simpleSubProcessExpression}"))
    run.complete("userTask1", {"simpleSubProcessExpression": "simpleSubProcess"})
    assert run.open_tasks() == ["task"]
    run.complete("task")
    run.complete("userTask2")
    assert run.ended


LITERAL = (
    '<camunda:in sourceExpression="inLiteralValue" target="inLiteralVariable"/>'
    '<camunda:out sourceExpression="outLiteralValue" target="outLiteralVariable"/>'
)


def test_input_parameter_literal_source_expression(engine: Engine) -> None:
    """CallActivityTest.testInputParameterLiteralSourceExpression: a ``sourceExpression``
    without ``${}`` is a literal."""
    run = start(engine, caller(LITERAL, before=False))
    assert run.task_data("task")["inLiteralVariable"] == "inLiteralValue"


def test_output_parameter_literal_source_expression(engine: Engine) -> None:
    """CallActivityTest.testOutputParameterLiteralSourceExpression: the same on the way out."""
    run = start(engine, caller(LITERAL, before=False))
    run.complete("task")
    assert run.data["outLiteralVariable"] == "outLiteralValue"


def test_sub_process_ends_super_process(engine: Engine) -> None:
    """CallActivityTest.testSubProcessEndsSuperProcess: the called process's end leads to the
    caller's end event; the whole instance ends."""
    xml = camunda7(
        "caller",
        '<bpmn:startEvent id="s"/>' + call("callSubProcess") + '<bpmn:endEvent id="e"/>'
        + flows("s->callSubProcess", "callSubProcess->e"),
    )  # fmt: skip
    run = start(engine, xml)
    assert run.open_tasks() == ["task"]
    run.complete("task")
    assert run.ended


def test_sub_process_data_input_output_without_target_is_refused(engine: Engine) -> None:
    """CallActivityTest.testSubProcessWithDataInputOutputWithoutTarget: a ``camunda:in`` with a
    source but no target does not deploy."""
    xml = caller('<camunda:in source="superVariable"/>', before=False)
    both = xml.replace("</bpmn:definitions>", _process_of(SUB) + "</bpmn:definitions>")
    engine.refused(both, element="callSubProcess", says="target")


def _process_of(xml: str) -> str:
    return xml[xml.index("<bpmn:process") : xml.index("</bpmn:process>") + len("</bpmn:process>")]
