"""Multi-instance variables and data as Camunda 7, Camunda 8 and BPMN define them.

Camunda 7 (engine/src/test/java/org/camunda/bpm/engine/test/bpmn/multiinstance,
MultiInstanceTest and MultiInstanceVariablesTest; the user guide's "Multiple Instance" section
the tests follow): ``loopCounter`` (0-based) and the element variable are local to each
instance; ``nrOfInstances``, ``nrOfActiveInstances`` and ``nrOfCompletedInstances`` live on the
multi-instance body and are readable from inside the instances; any other variable an instance
sets goes where ``setVariable`` puts it (the process instance). The collection may be given as
``camunda:collection`` or the standard ``loopDataInputRef``, as a variable name or ``${...}``;
the element as ``camunda:elementVariable`` or ``inputDataItem name=...``.

Camunda 8 (zeebe/engine/src/test/java/io/camunda/zeebe/engine/processing/bpmn/multiinstance/
MultiInstanceActivityTest): ``inputCollection`` is a FEEL expression, ``inputElement`` and
``loopCounter`` (1-based) are local to each instance, ``outputCollection`` collects each
instance's ``outputElement`` in the order of the input.
"""

from __future__ import annotations

import pytest

from seamline.connectors.base import ConnectorCall
from seamline.testing import FakeConnector
from tests.conformance.harness import Engine, camunda7, esc, flows, plain, user, zeebe
from tests.conformance.test_multi_instance import PAR, SEQ, around, mi


def c7_collection(kind: str, attrs: str = "", inner: str = "", *, seq: bool = False) -> str:
    """A Camunda 7 multi-instance user task over ``assigneeList`` as ``assignee``."""
    loop = mi(
        f'{SEQ if seq else PAR} camunda:collection="assigneeList" '
        f'camunda:elementVariable="assignee" {attrs}',
        inner=inner,
    )
    return camunda7("p", around(user("miTasks", 'camunda:assignee="${assignee}"', loop)))


# -- Camunda 7: what stays local and what reaches the process --------------------------------


def test_element_variable_and_loop_counter_do_not_leak(engine: Engine) -> None:
    """MultiInstanceTest.testParallelUserTasksBasedOnCollection (variables): the element
    variable ``assignee`` and ``loopCounter`` are local to each instance: after the body ends,
    neither exists in the process, and the collection is unchanged."""
    run = engine.start(c7_collection("par"), {"assigneeList": ["kermit", "gonzo"]})
    for _ in range(2):
        run.complete("miTasks")
    assert run.ended
    data = run.data
    assert "assignee" not in data and "loopCounter" not in data
    assert "nrOfInstances" not in data
    assert data["assigneeList"] == ["kermit", "gonzo"]


def test_variables_set_in_instances_reach_the_process(engine: Engine) -> None:
    """MultiInstanceTest.testSequentialCallActivityWithList (task variables): a variable given
    when an instance's task completes is set with ``setVariable``: it lands in the process
    instance (last writer wins), the element variable does not."""
    run = engine.start(c7_collection("par"), {"assigneeList": ["kermit", "gonzo"]})
    tasks = sorted(run.tasks(), key=lambda t: t.assignee or "")
    engine.app.complete(tasks[0].id, {"x": "y", "who": tasks[0].assignee})
    engine.app.complete(tasks[1].id, {"who": tasks[1].assignee})
    assert run.ended
    assert run.data["x"] == "y"
    assert run.data["who"] == "kermit"
    assert "assignee" not in run.data


def test_changing_the_element_variable_leaves_the_collection_alone(engine: Engine) -> None:
    """MultiInstanceTest (ParallelMultiInstanceActivityBehavior): the element variable is a
    local copy; an instance that overwrites it changes neither the collection nor the process."""
    run = engine.start(c7_collection("par"), {"assigneeList": ["kermit", "gonzo"]})
    for task in run.tasks():
        engine.app.complete(task.id, {"assignee": "someone else"})
    assert run.ended
    assert run.data["assigneeList"] == ["kermit", "gonzo"]
    assert "assignee" not in run.data


def test_element_variable_shadows_a_process_variable(engine: Engine) -> None:
    """MultiInstanceTest (setLoopVariable is setVariableLocal): a process variable named like
    the element variable is shadowed inside each instance and unchanged after the body."""
    run = engine.start(
        c7_collection("seq", seq=True), {"assigneeList": ["a", "b"], "assignee": "boss"}
    )
    assert [t.assignee for t in run.tasks()] == ["a"]
    run.complete("miTasks")
    assert [t.assignee for t in run.tasks()] == ["b"]
    run.complete("miTasks")
    assert run.ended
    assert run.data["assignee"] == "boss"


def test_counters_are_readable_inside_instances(engine: Engine) -> None:
    """MultiInstanceTest.testParallelUserTasks (``My Task ${loopCounter}``) and the user guide:
    each instance reads its own loopCounter and the body's nrOfInstances."""
    code = "seen = (seen or []) + [[loopCounter, nrOfInstances, nrOfActiveInstances]]"
    task = (
        f'<bpmn:scriptTask id="miScript" scriptFormat="python">{mi(SEQ, card="3")}'
        f"<bpmn:script>{esc(code)}</bpmn:script></bpmn:scriptTask>"
    )
    run = engine.start(
        camunda7(
            "p",
            around(task + user("w"), "miScript").replace("miScript->e", "miScript->w")
            + flows("w->e"),
        ),
        {"seen": None},
    )
    assert run.data["seen"] == [[0, 3, 1], [1, 3, 1], [2, 3, 1]]
    assert "loopCounter" not in run.data and "nrOfInstances" not in run.data


def test_counters_are_readable_inside_a_subprocess_instance(engine: Engine) -> None:
    """MultiInstanceTest.testParallelSubProcess (variables): a task inside an instance of a
    multi-instance subprocess sees its instance's loopCounter and the body's nrOfInstances."""
    inner = (
        '<bpmn:startEvent id="ss"/>'
        + user("t", 'camunda:assignee="u${loopCounter}of${nrOfInstances}"')
        + '<bpmn:endEvent id="se"/>'
        + flows("ss->t", "t->se")
    )
    sub = f'<bpmn:subProcess id="sub">{mi(PAR, card="2")}{inner}</bpmn:subProcess>'
    run = engine.start(camunda7("p", around(sub, "sub")))
    assert sorted(t.assignee or "" for t in run.tasks()) == ["u0of2", "u1of2"]


def test_multi_instance_call_activity_with_all_in_out(engine: Engine) -> None:
    """MultiInstanceVariablesTest.testMultiInstanceWithAllInOutMapping: two calls with
    ``camunda:in/out variables="all"``; each called task sets ``nrOfInstances`` to "3" and
    completes: both called instances and the call activity end regardless."""
    called = camunda7(
        "testProcess",
        '<bpmn:startEvent id="cs"/>'
        + user("userTask")
        + '<bpmn:endEvent id="ce"/>'
        + flows("cs->userTask", "userTask->ce"),
    )
    call = (
        '<bpmn:callActivity id="callActivity" calledElement="testProcess">'
        '<bpmn:extensionElements><camunda:in variables="all"/><camunda:out variables="all"/>'
        f"</bpmn:extensionElements>{mi(PAR, card='2')}</bpmn:callActivity>"
    )
    engine.deploy(called, camunda7("process", around(call, "callActivity")))
    run = engine.start("process")
    tasks = list(engine.app.tasks())
    assert len(tasks) == 2
    for task in tasks:
        engine.app.complete(task.id, {"nrOfInstances": "3"})
    assert list(engine.app.tasks()) == []
    assert run.ended


# -- Camunda 7: the standard elements and expressions ----------------------------------------


def test_standard_loop_data_input_ref_on_a_user_task(engine: Engine) -> None:
    """BpmnParse.parseMultiInstanceLoopCharacteristics: ``loopDataInputRef`` names the collection
    variable and ``inputDataItem name`` the element variable, as camunda:collection /
    camunda:elementVariable do."""
    loop = mi(
        PAR,
        inner="<bpmn:loopDataInputRef>assigneeList</bpmn:loopDataInputRef>"
        '<bpmn:inputDataItem name="assignee"/>',
    )
    xml = camunda7("p", around(user("miTasks", 'camunda:assignee="${assignee}"', loop)))
    run = engine.start(xml, {"assigneeList": ["kermit", "gonzo"]})
    assert sorted(t.assignee or "" for t in run.tasks()) == ["gonzo", "kermit"]
    for _ in range(2):
        run.complete("miTasks")
    assert run.ended and "assignee" not in run.data


def test_loop_data_input_ref_expression(engine: Engine) -> None:
    """BpmnParse.parseMultiInstanceLoopCharacteristics: a ``loopDataInputRef`` holding ``${...}``
    is an expression evaluated when the body starts."""
    loop = mi(
        SEQ,
        inner="<bpmn:loopDataInputRef>${order.lines}</bpmn:loopDataInputRef>"
        '<bpmn:inputDataItem name="line"/>',
    )
    xml = camunda7("p", around(user("miTasks", 'camunda:assignee="${line}"', loop)))
    run = engine.start(xml, {"order": {"lines": ["l1", "l2"]}})
    assert [t.assignee for t in run.tasks()] == ["l1"]
    run.complete("miTasks")
    assert [t.assignee for t in run.tasks()] == ["l2"]


@pytest.mark.parametrize("card", ["3", "${3}", "${n}"])
def test_loop_cardinality_number_or_expression(engine: Engine, card: str) -> None:
    """MultiInstanceActivityBehavior.resolveLoopCardinality: a number, a constant expression or
    a variable expression gives the number of instances."""
    xml = camunda7("p", around(user("miTasks", 'camunda:assignee="x"', mi(PAR, card=card))))
    run = engine.start(xml, {"n": 3})
    assert len(run.tasks()) == 3


def test_cardinality_wins_over_the_collection(engine: Engine) -> None:
    """MultiInstanceActivityBehavior.resolveNrOfInstances: with a loopCardinality and a
    collection, the cardinality gives the number of instances; elements come from the
    collection by loopCounter."""
    loop = mi(f'{PAR} camunda:collection="names" camunda:elementVariable="name"', card="2")
    xml = camunda7("p", around(user("miTasks", 'camunda:assignee="${name}"', loop)))
    run = engine.start(xml, {"names": ["a", "b", "c"]})
    assert sorted(t.assignee or "" for t in run.tasks()) == ["a", "b"]


def test_zero_cardinality_passes_through(engine: Engine) -> None:
    """MultiInstanceTest.testEmptyCollectionInMI (cardinality form): no instance, the process
    goes on at once."""
    xml = camunda7("p", around(user("miTasks", 'camunda:assignee="x"', mi(PAR, card="${n}"))))
    run = engine.start(xml, {"n": 0})
    assert run.ended


def test_missing_collection_is_an_incident_naming_the_activity(engine: Engine) -> None:
    """MultiInstanceActivityBehavior.resolveNrOfInstances ("Variable 'assigneeList' is not of the
    expected type 'Collection'"): no collection variable, no instances: an incident at the
    multi-instance activity that names the variable."""
    run = engine.start(c7_collection("par"), {})
    assert run.status.value == "incident"
    assert run.error is not None
    assert "miTasks" in run.error and "assigneeList" in run.error


def test_collection_that_is_not_a_list_is_an_incident(engine: Engine) -> None:
    """MultiInstanceActivityBehavior.resolveNrOfInstances: a collection variable that is not a
    collection is an incident at the activity."""
    run = engine.start(c7_collection("par"), {"assigneeList": "kermit"})
    assert run.status.value == "incident"
    assert run.error is not None and "miTasks" in run.error and "not a list" in run.error


def test_element_variable_without_collection_is_refused(engine: Engine) -> None:
    """BpmnParse.parseMultiInstanceLoopCharacteristics ("LoopDataInputRef/activiti:collection
    must be set when using inputDataItem or activiti:elementVariable"): refused at deploy."""
    loop = mi(f'{PAR} camunda:elementVariable="item"', card="3")
    xml = camunda7("p", around(user("miTasks", 'camunda:assignee="x"', loop)))
    engine.refused(xml, element="miTasks", says="collection")


def test_neither_cardinality_nor_collection_is_refused(engine: Engine) -> None:
    """BpmnParse.parseMultiInstanceLoopCharacteristics ("Either loopCardinality or
    loopDataInputRef/activiti:collection must be set"): refused at deploy."""
    xml = camunda7("p", around(user("miTasks", 'camunda:assignee="x"', mi(PAR))))
    engine.refused(xml, element="miTasks", says="cardinality")


def test_error_boundary_on_multi_instance_service_task(engine: Engine) -> None:
    """MultiInstanceTest.testCatchErrorThrownByExecuteOfParallelDelegateExpression: a BPMN error
    thrown by one instance's work is caught by the error boundary on the body, which ends every
    instance."""
    from seamline.errors import BpmnError  # the connector's way to throw a BPMN error

    def work(call: ConnectorCall) -> dict[str, object]:
        raise BpmnError("myError")

    engine.connector(FakeConnector("work", work))
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        '<bpmn:serviceTask id="miTasks" camunda:type="external" camunda:topic="work">'
        f"{mi(PAR, card='3')}</bpmn:serviceTask>"
        '<bpmn:boundaryEvent id="catch" attachedToRef="miTasks">'
        '<bpmn:errorEventDefinition errorRef="err"/></bpmn:boundaryEvent>'
        + user("escalated")
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
        + flows("s->miTasks", "miTasks->e", "catch->escalated", "escalated->e2"),
        extra='<bpmn:error id="err" errorCode="myError"/>',
    )
    run = engine.start(xml)
    engine.work()
    assert run.open_tasks() == ["escalated"]


# -- Camunda 8 -------------------------------------------------------------------------------


def zeebe_task(loop_attrs: str, *, seq: bool = False, inner: str = "", kind: str = "user") -> str:
    """A Camunda 8 multi-instance task with zeebe:loopCharacteristics."""
    ordering = ' isSequential="true"' if seq else ""
    loop = (
        f"<bpmn:multiInstanceLoopCharacteristics{ordering}><bpmn:extensionElements>"
        f"<zeebe:loopCharacteristics {loop_attrs}/></bpmn:extensionElements>{inner}"
        "</bpmn:multiInstanceLoopCharacteristics>"
    )
    if kind == "service":
        return (
            '<bpmn:serviceTask id="task"><bpmn:extensionElements>'
            '<zeebe:taskDefinition type="work"/></bpmn:extensionElements>'
            f"{loop}</bpmn:serviceTask>"
        )
    assign = (
        '<bpmn:extensionElements><zeebe:assignmentDefinition assignee="=&quot;user&quot; + '
        'string(item)"/></bpmn:extensionElements>'
        if "inputElement" in loop_attrs
        else ""
    )
    return f'<bpmn:userTask id="task">{assign}{loop}</bpmn:userTask>'


ZEEBE_IO = (
    'inputCollection="=items" inputElement="item" outputCollection="results" '
    'outputElement="=result"'
)


@pytest.mark.parametrize("seq", [False, True], ids=["parallel", "sequential"])
def test_zeebe_activates_one_instance_per_element(engine: Engine, seq: bool) -> None:
    """MultiInstanceActivityTest.shouldActivateActivitiesForEachElement: one job per element of
    ``items`` (all at once when parallel, one after the other when sequential); the body
    completes when all are done."""
    seen: list[object] = []

    def work(call: ConnectorCall) -> dict[str, object]:
        seen.append(call.params)
        return {}

    engine.connector(FakeConnector("work", work))
    run = engine.start(
        zeebe("process", around(zeebe_task(ZEEBE_IO, seq=seq, kind="service"), "task")),
        {"items": [10, 20, 30]},
    )
    engine.work()
    assert run.ended
    assert len(seen) == 3


@pytest.mark.parametrize("seq", [False, True], ids=["parallel", "sequential"])
def test_zeebe_collects_output_in_input_order(engine: Engine, seq: bool) -> None:
    """MultiInstanceActivityTest.shouldCollectOutputInMultiInstanceBody (parameterized): each
    instance's ``result`` lands at its element's index in ``results`` (11, 22, 33), whatever
    the order the instances complete in."""
    run = engine.start(
        zeebe("process", around(zeebe_task(ZEEBE_IO, seq=seq), "task")), {"items": [10, 20, 30]}
    )
    if not seq:
        # Complete the instances last element first: each result goes to its element's index.
        for item in (30, 10, 20):
            task = next(t for t in run.tasks() if t.assignee == f"user{item}")
            engine.app.complete(task.id, {"result": item + item // 10})
    else:
        for value in (11, 22, 33):
            run.complete("task", {"result": value})
    assert run.ended
    assert run.data["results"] == [11, 22, 33]
    assert "item" not in run.data and "result" not in run.data


def test_zeebe_output_element_expression_reads_loop_counter(engine: Engine) -> None:
    """MultiInstanceActivityTest.shouldCollectOutputElementsFromExpression: the output element
    ``number(string(loopCounter) + string(loopCounter))`` gives 11, 22, 33: loopCounter is
    1-based in Camunda 8."""
    attrs = (
        'inputCollection="=items" inputElement="item" outputCollection="results" '
        'outputElement="=number(string(loopCounter) + string(loopCounter))"'
    )
    engine.connector(FakeConnector("work", lambda call: {}))
    run = engine.start(
        zeebe("process", around(zeebe_task(attrs, kind="service"), "task")), {"items": [10, 20, 30]}
    )
    engine.work()
    assert run.ended
    assert run.data["results"] == [11, 22, 33]


def test_zeebe_iterates_over_a_nested_input_collection(engine: Engine) -> None:
    """MultiInstanceActivityTest.shouldIterateOverNestedInputCollection: inputCollection
    ``=nested.items`` is a FEEL path; each job sees its element as ``item``."""
    seen: list[object] = []

    def work(call: ConnectorCall) -> dict[str, object]:
        seen.append(call.params.get("item"))
        return {}

    engine.connector(FakeConnector("work", work))
    attrs = 'inputCollection="=nested.items" inputElement="item"'
    task = zeebe_task(attrs, kind="service", seq=True).replace(
        '<zeebe:taskDefinition type="work"/>',
        '<zeebe:taskDefinition type="work"/><zeebe:ioMapping>'
        '<zeebe:input source="=item" target="item"/></zeebe:ioMapping>',
    )
    run = engine.start(zeebe("process", around(task, "task")), {"nested": {"items": [10, 20, 30]}})
    engine.work()
    assert run.ended
    assert seen == [10, 20, 30]


def test_zeebe_skips_an_empty_collection(engine: Engine) -> None:
    """MultiInstanceActivityTest.shouldSkipIfCollectionIsEmpty: no instance; the body completes
    at once and the process ends."""
    run = engine.start(zeebe("process", around(zeebe_task(ZEEBE_IO), "task")), {"items": []})
    assert run.ended
    assert run.data["results"] == []


def test_zeebe_does_not_propagate_the_input_element(engine: Engine) -> None:
    """MultiInstanceActivityTest.shouldNotPropagateInputElementVariable: ``item`` never becomes
    a variable of the process instance."""
    run = engine.start(
        zeebe(
            "process", around(zeebe_task('inputCollection="=items" inputElement="item"'), "task")
        ),
        {"items": [1, 2]},
    )
    for _ in range(2):
        run.complete("task")
    assert run.ended
    assert "item" not in run.data and "loopCounter" not in run.data


@pytest.mark.parametrize("seq", [False, True], ids=["parallel", "sequential"])
def test_zeebe_completion_condition(engine: Engine, seq: bool) -> None:
    """MultiInstanceActivityTest.shouldCompleteBodyWhenCompleteConditionEvaluateTrue: with
    ``=x`` true, the body completes after the first instance; parallel siblings are
    terminated, sequential ones never start."""
    loop = zeebe_task(
        ZEEBE_IO, seq=seq, inner="<bpmn:completionCondition>=x</bpmn:completionCondition>"
    )
    run = engine.start(zeebe("process", around(loop, "task")), {"items": [10, 20, 30], "x": True})
    run.complete("task", {"result": 1})
    assert run.ended
    assert run.open_tasks() == []


def test_zeebe_completion_condition_reads_the_input_element(engine: Engine) -> None:
    """MultiInstanceActivityTest.shouldCompleteBodyWhenCompleteConditionAccessInputDataItem
    EvaluateTrue (sequential): ``= item = 20`` holds after the second instance."""
    inner = "<bpmn:completionCondition>= item = 20</bpmn:completionCondition>"
    run = engine.start(
        zeebe("process", around(zeebe_task(ZEEBE_IO, seq=True, inner=inner), "task")),
        {"items": [10, 20, 30]},
    )
    run.complete("task")
    assert not run.ended
    run.complete("task")
    assert run.ended


def test_zeebe_completion_condition_counts_instances(engine: Engine) -> None:
    """Camunda 8 completion condition over the body's counters (feat #9334):
    ``= numberOfCompletedInstances / numberOfInstances >= 0.5`` ends four instances after two."""
    inner = (
        "<bpmn:completionCondition>= numberOfCompletedInstances / numberOfInstances &gt;= 0.5"
        "</bpmn:completionCondition>"
    )
    run = engine.start(
        zeebe("process", around(zeebe_task(ZEEBE_IO, inner=inner), "task")), {"items": [1, 2, 3, 4]}
    )
    run.complete("task")
    assert len(run.tasks()) == 3
    run.complete("task")
    assert run.ended


# -- plain BPMN 2.0 --------------------------------------------------------------------------


def test_plain_loop_data_input_and_output(engine: Engine) -> None:
    """BPMN 2.0 10.3.8 (the semantics SpiffWorkflow implements): ``loopDataInputRef`` /
    ``inputDataItem`` feed each instance one element, ``loopDataOutputRef`` / ``outputDataItem``
    collect one result per instance, in input order."""
    task = (
        '<bpmn:scriptTask id="sc" scriptFormat="python"><bpmn:multiInstanceLoopCharacteristics>'
        "<bpmn:loopDataInputRef>items</bpmn:loopDataInputRef>"
        "<bpmn:loopDataOutputRef>results</bpmn:loopDataOutputRef>"
        '<bpmn:inputDataItem id="item"/><bpmn:outputDataItem id="out"/>'
        "</bpmn:multiInstanceLoopCharacteristics><bpmn:script>out = item * 2</bpmn:script>"
        "</bpmn:scriptTask>"
    )
    run = engine.start(plain("p", around(task, "sc")), {"items": [1, 2, 3]})
    assert run.ended
    assert run.data["results"] == [2, 4, 6]
    assert "item" not in run.data and "out" not in run.data


def test_plain_loop_data_input_ref_through_the_io_specification(engine: Engine) -> None:
    """BPMN 2.0 10.3.8: ``loopDataInputRef`` naming a data input of the activity's
    ioSpecification reads that input (SpiffWorkflow refused every such diagram)."""
    task = (
        '<bpmn:scriptTask id="sc" scriptFormat="python"><bpmn:ioSpecification>'
        '<bpmn:dataInput id="items"/><bpmn:dataOutput id="results"/>'
        "<bpmn:inputSet><bpmn:dataInputRefs>items</bpmn:dataInputRefs></bpmn:inputSet>"
        "<bpmn:outputSet><bpmn:dataOutputRefs>results</bpmn:dataOutputRefs></bpmn:outputSet>"
        "</bpmn:ioSpecification><bpmn:multiInstanceLoopCharacteristics>"
        "<bpmn:loopDataInputRef>items</bpmn:loopDataInputRef>"
        "<bpmn:loopDataOutputRef>results</bpmn:loopDataOutputRef>"
        '<bpmn:inputDataItem id="item"/><bpmn:outputDataItem id="out"/>'
        "</bpmn:multiInstanceLoopCharacteristics><bpmn:script>out = item + 1</bpmn:script>"
        "</bpmn:scriptTask>"
    )
    run = engine.start(plain("p", around(task, "sc")), {"items": [1, 2]})
    assert run.ended, run.error
    assert run.data["results"] == [2, 3]


def test_plain_both_cardinality_and_collection_is_refused(engine: Engine) -> None:
    """BPMN 2.0 10.3.8 leaves a loopCardinality beside a loopDataInputRef undefined: refused
    at load with a located error."""
    loop = mi(PAR, card="2", inner="<bpmn:loopDataInputRef>items</bpmn:loopDataInputRef>")
    engine.refused(plain("p", around(user("t", "", loop), "t")), element="t", says="not both")


@pytest.mark.parametrize("where", ["collection", "loopDataInputRef"])
def test_invalid_collection_expression_is_refused(engine: Engine, where: str) -> None:
    """BpmnParse.parseMultiInstanceLoopCharacteristics (``expressionManager.createExpression``
    parses ``${...}`` at deploy): a collection expression that does not parse is refused at
    deploy, located at the activity."""
    if where == "collection":
        loop = mi(f'{PAR} camunda:collection="${{a +}}" camunda:elementVariable="v"')
    else:
        loop = mi(PAR, inner="<bpmn:loopDataInputRef>${a +}</bpmn:loopDataInputRef>")
    xml = camunda7("p", around(user("miTasks", 'camunda:assignee="x"', loop)))
    engine.refused(xml, element="miTasks", says="expression")


def _zeebe_jobs(engine: Engine, attrs: str, *, seq: bool, inner: str = "") -> tuple[Engine, str]:
    """A Camunda 8 multi-instance service task whose jobs answer ``result = item + item/10``."""
    engine.connector(FakeConnector("work", lambda call: {"result": call.params["item"] * 11 // 10}))
    task = zeebe_task(attrs, kind="service", seq=seq, inner=inner).replace(
        '<zeebe:taskDefinition type="work"/>',
        '<zeebe:taskDefinition type="work"/><zeebe:ioMapping>'
        '<zeebe:input source="=item" target="item"/></zeebe:ioMapping>',
    )
    return engine, zeebe("process", around(task, "task"))


@pytest.mark.parametrize(
    ("output", "results"),
    [("=item", [10, 20, 30]), ("=loopCounter", [1, 2, 3]), ("=result", [11, 22, 33])],
    ids=["input-element", "loop-counter", "result"],
)
def test_zeebe_output_element_variants(engine: Engine, output: str, results: list[int]) -> None:
    """MultiInstanceActivityTest.shouldNotInitializeOutputElementVariableIfSameNameAsInputElement
    / ...IfSetToLoopCounter / shouldSetOutputElementVariable: an output element naming the input
    element or loopCounter is not reset to null first; the jobs' ``result`` is collected only
    when the output element names it."""
    attrs = (
        'inputCollection="=items" inputElement="item" outputCollection="results" '
        f'outputElement="{output}"'
    )
    engine, xml = _zeebe_jobs(engine, attrs, seq=False)
    run = engine.start(xml, {"items": [10, 20, 30]})
    engine.work()
    assert run.ended, run.error
    assert run.data["results"] == results
    if output == "=result":  # shouldNotPropagateOutputElementVariable
        assert "result" not in run.data
    else:  # a job variable that is no output element reaches the process
        assert "result" in run.data


@pytest.mark.parametrize(
    ("seq", "condition", "jobs"),
    [
        (True, "= numberOfInstances = 2", 2),
        (False, "= numberOfInstances = 3", 1),
        (True, "= numberOfActiveInstances = 0", 1),
        (False, "= numberOfActiveInstances = 1", 2),
    ],
    ids=["instances-seq", "instances-par", "active-seq", "active-par"],
)
def test_zeebe_completion_condition_reads_the_body_counters(
    engine: Engine, seq: bool, condition: str, jobs: int
) -> None:
    """MultiInstanceActivityTest.shouldCompleteBodyWhenCompleteConditionAccessNumberOfInstances
    EvaluateTrue / ...NumberOfActiveInstances...: sequentially, numberOfInstances counts the
    instances created so far; the body completes after as many instances as the test says."""
    inner = f"<bpmn:completionCondition>{esc(condition)}</bpmn:completionCondition>"
    run = engine.start(
        zeebe(
            "process",
            around(
                zeebe_task('inputCollection="=items" inputElement="item"', seq=seq, inner=inner),
                "task",
            ),
        ),
        {"items": [10, 20, 30]},
    )
    for n in range(jobs):
        assert not run.ended, f"completed after {n} instances"
        run.complete("task")
    assert run.ended
