"""Multi-instance activities as Camunda 7's engine runs them.

Upstream: engine/src/test/java/org/camunda/bpm/engine/test/bpmn/multiinstance/MultiInstanceTest
(diagrams beside it under engine/src/test/resources/...). Groovy scripts that call
``processInstance.setVariable`` are Python scripts assigning the variable (a script's variables
are written where they live, else into the process instance, as ``setVariable`` does); Java
delegates are external service tasks answered by a FakeConnector.
"""

from __future__ import annotations

from seamline.testing import FakeConnector
from tests.conformance.harness import Engine, camunda7, esc, flows, user


def mi(
    attrs: str = "", *, card: str | None = None, cond: str | None = None, inner: str = ""
) -> str:
    """A multiInstanceLoopCharacteristics element (cardinality / completion condition)."""
    body = inner
    if card is not None:
        body += f"<bpmn:loopCardinality>{esc(card)}</bpmn:loopCardinality>"
    if cond is not None:
        body += f"<bpmn:completionCondition>{esc(cond)}</bpmn:completionCondition>"
    tag = "bpmn:multiInstanceLoopCharacteristics"
    return f"<{tag} {attrs}>{body}</{tag}>"


SEQ = 'isSequential="true"'
PAR = 'isSequential="false"'


def timer(tid: str, on: str, duration: str = "PT2H") -> str:
    """An interrupting timer boundary event on ``on``."""
    return (
        f'<bpmn:boundaryEvent id="{tid}" attachedToRef="{on}"><bpmn:timerEventDefinition>'
        f"<bpmn:timeDuration>{duration}</bpmn:timeDuration></bpmn:timerEventDefinition>"
        "</bpmn:boundaryEvent>"
    )


def around(xml_body: str, task: str = "miTasks", after: str = "") -> str:
    """start -> ``task`` -> end, with ``xml_body`` drawing the task (and ``after`` more flows)."""
    return (
        '<bpmn:startEvent id="s"/>'
        + xml_body
        + '<bpmn:endEvent id="e"/>'
        + flows(f"s->{task}", f"{task}->e", *([after] if after else []))
    )


def sum_scripts(pid: str, mi_xml: str, code: str = "sum = sum + loopCounter") -> str:
    """A multi-instance script task adding to ``sum``, then a wait state (a user task)."""
    task = (
        f'<bpmn:scriptTask id="miScriptTask" scriptFormat="python">{mi_xml}'
        f"<bpmn:script>{esc(code)}</bpmn:script></bpmn:scriptTask>"
    )
    return camunda7(
        pid,
        '<bpmn:startEvent id="s"/>'
        + task
        + user("waitState")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->miScriptTask", "miScriptTask->waitState", "waitState->e"),
    )


def two_task_subprocess(sid: str, mi_xml: str, *, end: bool = True) -> str:
    """An embedded subprocess with two parallel user tasks (task one, task two)."""
    inner = (
        '<bpmn:startEvent id="subStart"/><bpmn:parallelGateway id="fork"/>'
        + user("subProcessTask1", 'name="task one"')
        + user("subProcessTask2", 'name="task two"')
        + '<bpmn:parallelGateway id="join"/><bpmn:endEvent id="subEnd"/>'
        + flows(
            "subStart->fork",
            "fork->subProcessTask1",
            "fork->subProcessTask2",
            "subProcessTask1->join",
            "subProcessTask2->join",
            "join->subEnd",
        )
    )
    return f'<bpmn:subProcess id="{sid}">{mi_xml}{inner}</bpmn:subProcess>'


# -- sequential user tasks -------------------------------------------------------------------

SEQUENTIAL_USER_TASKS = camunda7(
    "miSequentialUserTasks",
    '<bpmn:startEvent id="s"/>'
    + user(
        "miTasks",
        'name="My Task" camunda:assignee="kermit_${loopCounter}"',
        mi(SEQ, card="${nrOfLoops}", cond="${nrOfCompletedInstances == 5}"),
    )
    + timer("timer", "miTasks")
    + user("taskAfterTimer")
    + '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
    + flows("s->miTasks", "miTasks->e", "timer->taskAfterTimer", "taskAfterTimer->e2"),
)


def test_sequential_user_tasks(engine: Engine) -> None:
    """MultiInstanceTest.testSequentialUserTasks: one task at a time, assigned kermit_0,
    kermit_1, kermit_2 (loopCounter is 0-based), then the process ends."""
    run = engine.start(SEQUENTIAL_USER_TASKS, {"nrOfLoops": 3})
    for n in range(3):
        tasks = run.tasks()
        assert len(tasks) == 1
        assert tasks[0].assignee == f"kermit_{n}"
        run.complete("miTasks")
    assert run.open_tasks() == []
    assert run.ended


def test_sequential_user_tasks_history(engine: Engine) -> None:
    """MultiInstanceTest.testSequentialUserTasksHistory: four loops run the task four times."""
    run = engine.start(SEQUENTIAL_USER_TASKS, {"nrOfLoops": 4})
    for _ in range(4):
        run.complete("miTasks")
    assert len(run.events("task_completed")) == 4
    assert run.ended


def test_sequential_user_tasks_with_timer(engine: Engine) -> None:
    """MultiInstanceTest.testSequentialUserTasksWithTimer: the timer on the multi-instance body
    interrupts the remaining instances; only taskAfterTimer is left."""
    run = engine.start(SEQUENTIAL_USER_TASKS, {"nrOfLoops": 3})
    run.complete("miTasks")
    engine.advance(hours=2, seconds=1)
    assert run.open_tasks() == ["taskAfterTimer"]
    run.complete("taskAfterTimer")
    assert run.ended


def test_sequential_user_tasks_completion_condition(engine: Engine) -> None:
    """MultiInstanceTest.testSequentialUserTasksCompletionCondition: ten loops, but
    ``${nrOfCompletedInstances == 5}`` stops them after five."""
    run = engine.start(SEQUENTIAL_USER_TASKS, {"nrOfLoops": 10})
    for _ in range(5):
        assert len(run.tasks()) == 1
        run.complete("miTasks")
    assert run.open_tasks() == []
    assert run.ended


def test_nested_sequential_user_tasks(engine: Engine) -> None:
    """MultiInstanceTest.testNestedSequentialUserTasks: a sequential multi-instance task three
    subprocesses deep runs three times, one instance at a time."""
    task = user("miTasks", 'name="My Task" camunda:assignee="kermit"', mi(SEQ, card="${3}"))
    body = task
    for level in (3, 2, 1):
        first = "miTasks" if level == 3 else f"nesting{level + 1}"
        body = (
            f'<bpmn:subProcess id="nesting{level}"><bpmn:startEvent id="subStart{level}"/>'
            + body
            + f'<bpmn:endEvent id="subEnd{level}"/>'
            + flows(f"subStart{level}->{first}", f"{first}->subEnd{level}")
            + "</bpmn:subProcess>"
        )
    xml = camunda7("miNestedSequentialUserTasks", around(body, "nesting1"))
    run = engine.start(xml)
    for _ in range(3):
        tasks = run.tasks()
        assert [t.assignee for t in tasks] == ["kermit"]
        run.complete("miTasks")
    assert run.ended


# -- parallel user tasks ---------------------------------------------------------------------


def test_parallel_user_tasks(engine: Engine) -> None:
    """MultiInstanceTest.testParallelUserTasks: three tasks at once; each completion leaves one
    fewer, the last ends the process."""
    xml = camunda7(
        "miParallelUserTasks",
        around(
            user(
                "miTasks",
                'name="My Task ${loopCounter}" camunda:assignee="kermit_${loopCounter}"',
                mi(PAR, card="${3}"),
            )
        ),
    )
    run = engine.start(xml)
    assert sorted(t.assignee or "" for t in run.tasks()) == ["kermit_0", "kermit_1", "kermit_2"]
    for left in (2, 1, 0):
        run.complete("miTasks")
        assert len(run.tasks()) == left
    assert run.ended


def test_parallel_user_tasks_with_timer(engine: Engine) -> None:
    """MultiInstanceTest.testParallelUserTasksWithTimer: after one of three completes, the timer
    on the body cancels the other two."""
    xml = camunda7(
        "miParallelUserTasksWithTimer",
        '<bpmn:startEvent id="s"/>'
        + user("miTasks", "", mi(PAR, card="${3}"))
        + timer("timer", "miTasks")
        + user("taskAfterTimer")
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
        + flows("s->miTasks", "miTasks->e", "timer->taskAfterTimer", "taskAfterTimer->e2"),
    )
    run = engine.start(xml)
    run.complete("miTasks")
    engine.advance(hours=2, seconds=1)
    assert run.open_tasks() == ["taskAfterTimer"]
    run.complete("taskAfterTimer")
    assert run.ended


def test_parallel_user_tasks_completion_condition(engine: Engine) -> None:
    """MultiInstanceTest.testParallelUserTasksCompletionCondition: five tasks; completing three
    makes ``nrOfCompletedInstances/nrOfInstances >= 0.5`` true, which ends the process."""
    xml = camunda7(
        "miParallelUserTasksCompletionCondition",
        around(
            user(
                "miTasks",
                'name="My Task ${loopCounter}"',
                mi(PAR, card="${5}", cond="${nrOfCompletedInstances/nrOfInstances >= 0.5}"),
            )
        ),
    )
    run = engine.start(xml)
    for n in range(3):
        assert len(run.tasks()) == 5 - n
        run.complete("miTasks")
    assert run.open_tasks() == []
    assert run.ended


BASED_ON_COLLECTION = camunda7(
    "miParallelUserTasksBasedOnCollection",
    around(
        user(
            "miTasks",
            'name="My Task ${loopCounter}" camunda:assignee="${assignee}"',
            mi(
                f'{PAR} camunda:collection="assigneeList" camunda:elementVariable="assignee"',
                cond="${nrOfCompletedInstances/nrOfInstances >= 0.6 }",
            ),
        )
    ),
)


def test_parallel_user_tasks_based_on_collection(engine: Engine) -> None:
    """MultiInstanceTest.testParallelUserTasksBasedOnCollection: one task per assignee of the
    list; completing three of five (60%) ends the process."""
    names = ["kermit", "gonzo", "mispiggy", "fozzie", "bubba"]
    run = engine.start(BASED_ON_COLLECTION, {"assigneeList": names})
    tasks = sorted(run.tasks(), key=lambda t: t.assignee or "")
    assert [t.assignee for t in tasks] == sorted(names)
    for task in tasks[:3]:
        engine.app.complete(task.id, None)
    assert run.open_tasks() == []
    assert run.ended


def test_empty_collection_in_mi(engine: Engine) -> None:
    """MultiInstanceTest.testEmptyCollectionInMI: an empty collection makes no instance and the
    process passes straight through to its end."""
    run = engine.start(BASED_ON_COLLECTION, {"assigneeList": []})
    assert run.open_tasks() == []
    assert run.ended


def test_parallel_user_tasks_based_on_collection_expression(engine: Engine) -> None:
    """MultiInstanceTest.testParallelUserTasksBasedOnCollectionExpression: ``camunda:collection``
    as a ``${...}`` expression (a bean method upstream, a property path here)."""
    xml = camunda7(
        "process",
        around(
            user(
                "miTasks",
                'camunda:assignee="${elementVar}"',
                mi(
                    f'{PAR} camunda:elementVariable="elementVar" '
                    'camunda:collection="${team.members}"'
                ),
            )
        ),
    )
    run = engine.start(xml, {"team": {"members": ["a", "b"]}})
    assert sorted(t.assignee or "" for t in run.tasks()) == ["a", "b"]


def test_sequential_user_tasks_based_on_collection_expression(engine: Engine) -> None:
    """MultiInstanceTest.testSequentialUserTasksBasedOnCollectionExpression: a sequential body
    over an expression's list: one task per element, in order."""
    xml = camunda7(
        "process",
        around(
            user(
                "miTasks",
                'camunda:assignee="${elementVar}"',
                mi(
                    f'{SEQ} camunda:elementVariable="elementVar" '
                    'camunda:collection="${team.members}"'
                ),
            )
        ),
    )
    run = engine.start(xml, {"team": {"members": ["a", "b"]}})
    assert [t.assignee for t in run.tasks()] == ["a"]
    run.complete("miTasks")
    assert [t.assignee for t in run.tasks()] == ["b"]
    run.complete("miTasks")
    assert run.ended


# -- script tasks ----------------------------------------------------------------------------


def test_sequential_script_tasks(engine: Engine) -> None:
    """MultiInstanceTest.testSequentialScriptTasks: five loops add loopCounter to sum: 10."""
    run = engine.start(sum_scripts("p", mi(SEQ, card="${nrOfLoops}")), {"sum": 0, "nrOfLoops": 5})
    assert run.data["sum"] == 10
    assert run.open_tasks() == ["waitState"]


def test_sequential_script_tasks_no_stack_overflow(engine: Engine) -> None:
    """MultiInstanceTest.testSequentialScriptTasksNoStackOverflow: 200 loops: sum is 19900."""
    run = engine.start(sum_scripts("p", mi(SEQ, card="${nrOfLoops}")), {"sum": 0, "nrOfLoops": 200})
    assert run.data["sum"] == 19900


def test_sequential_script_tasks_completion_condition(engine: Engine) -> None:
    """MultiInstanceTest.testSequentialScriptTasksCompletionCondition: ten loops, stopped when
    half have completed: the script ran five times."""
    cond = "${nrOfCompletedInstances/nrOfInstances >= 0.5}"
    xml = sum_scripts("p", mi(SEQ, card="${10}", cond=cond), "sum = (sum or 0) + 1")
    run = engine.start(xml, {"sum": None})
    assert run.data["sum"] == 5
    assert run.ran().count("miScriptTask") == 5


def test_parallel_script_tasks(engine: Engine) -> None:
    """MultiInstanceTest.testParallelScriptTasks: ten parallel instances add their loopCounter to
    the same process variable: sum is 45."""
    run = engine.start(sum_scripts("p", mi(PAR, card="${nrOfLoops}")), {"sum": 0, "nrOfLoops": 10})
    assert run.data["sum"] == 45


def test_parallel_script_tasks_history(engine: Engine) -> None:
    """MultiInstanceTest.testParallelScriptTasksHistory: four loops run the script four times."""
    run = engine.start(sum_scripts("p", mi(PAR, card="${nrOfLoops}")), {"sum": 0, "nrOfLoops": 4})
    assert run.ran().count("miScriptTask") == 4


def test_parallel_script_tasks_completion_condition(engine: Engine) -> None:
    """MultiInstanceTest.testParallelScriptTasksCompletionCondition: eight instances, the body
    completes after two (``${nrOfCompletedInstances == 2}``): sum is 2."""
    xml = sum_scripts(
        "p", mi(PAR, card="${8}", cond="${nrOfCompletedInstances == 2}"), "sum = (sum or 0) + 1"
    )
    run = engine.start(xml, {"sum": None})
    assert run.data["sum"] == 2
    assert run.ran().count("miScriptTask") == 2


# -- embedded subprocesses -------------------------------------------------------------------


def test_sequential_sub_process(engine: Engine) -> None:
    """MultiInstanceTest.testSequentialSubProcess: four runs of a subprocess with two tasks,
    one run at a time."""
    xml = camunda7(
        "miSequentialSubprocess",
        around(two_task_subprocess("miSubProcess", mi(SEQ, card="4")), "miSubProcess"),
    )
    run = engine.start(xml)
    for _ in range(4):
        assert run.open_tasks() == ["subProcessTask1", "subProcessTask2"]
        run.complete("subProcessTask1").complete("subProcessTask2")
    assert run.ended


def test_sequential_sub_process_end_event(engine: Engine) -> None:
    """MultiInstanceTest.testSequentialSubProcessEndEvent (ACT-1185): an end event in the
    subprocess ends one instance, not the body: four runs of task one."""
    inner = (
        '<bpmn:startEvent id="subStart"/>'
        + user("subProcessTask1", 'name="task one"')
        + '<bpmn:endEvent id="subEnd"/>'
        + flows("subStart->subProcessTask1", "subProcessTask1->subEnd")
    )
    sub = f'<bpmn:subProcess id="miSubProcess">{mi(SEQ, card="4")}{inner}</bpmn:subProcess>'
    run = engine.start(camunda7("miSequentialSubprocess", around(sub, "miSubProcess")))
    for _ in range(4):
        assert run.open_tasks() == ["subProcessTask1"]
        run.complete("subProcessTask1")
    assert run.ended


def test_sequential_sub_process_with_timer(engine: Engine) -> None:
    """MultiInstanceTest.testSequentialSubProcessWithTimer: the timer on the body ends the
    second run of the subprocess and leads to taskAfterTimer."""
    xml = camunda7(
        "miSequentialSubprocessWithTimer",
        '<bpmn:startEvent id="s"/>'
        + two_task_subprocess("miSubProcess", mi(SEQ, card="3"))
        + timer("timer", "miSubProcess")
        + user("taskAfterTimer")
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
        + flows(
            "s->miSubProcess", "miSubProcess->e", "timer->taskAfterTimer", "taskAfterTimer->e2"
        ),
    )
    run = engine.start(xml)
    run.complete("subProcessTask1").complete("subProcessTask2")
    assert run.open_tasks() == ["subProcessTask1", "subProcessTask2"]
    engine.advance(hours=2, seconds=1)
    assert run.open_tasks() == ["taskAfterTimer"]
    run.complete("taskAfterTimer")
    assert run.ended


def test_sequential_sub_process_completion_condition(engine: Engine) -> None:
    """MultiInstanceTest.testSequentialSubProcessCompletionCondition: four runs drawn,
    ``${nrOfCompletedInstances == 3}`` stops after three."""
    sub = two_task_subprocess(
        "miSubProcess", mi(SEQ, card="4", cond="${nrOfCompletedInstances == 3}")
    )
    run = engine.start(camunda7("p", around(sub, "miSubProcess")))
    for _ in range(3):
        assert run.open_tasks() == ["subProcessTask1", "subProcessTask2"]
        run.complete("subProcessTask1").complete("subProcessTask2")
    assert run.ended


def test_parallel_sub_process(engine: Engine) -> None:
    """MultiInstanceTest.testParallelSubProcess: two parallel runs of a two-task subprocess:
    four tasks at once; completing all ends the process."""
    run = engine.start(
        camunda7(
            "miParallelSubprocess",
            around(two_task_subprocess("miSubProcess", mi(PAR, card="2")), "miSubProcess"),
        )
    )
    assert len(run.tasks()) == 4
    for task in run.tasks():
        engine.app.complete(task.id, None)
    assert run.ended


def test_parallel_sub_process_with_timer(engine: Engine) -> None:
    """MultiInstanceTest.testParallelSubProcessWithTimer: six tasks (three runs); after two are
    done the timer on the body cancels everything and leads to taskAfterTimer."""
    xml = camunda7(
        "miParallelSubprocessWithTimer",
        '<bpmn:startEvent id="s"/>'
        + two_task_subprocess("miSubProcess", mi(PAR, card="3"))
        + timer("timer", "miSubProcess")
        + user("taskAfterTimer")
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
        + flows(
            "s->miSubProcess", "miSubProcess->e", "timer->taskAfterTimer", "taskAfterTimer->e2"
        ),
    )
    run = engine.start(xml)
    tasks = run.tasks()
    assert len(tasks) == 6
    engine.app.complete(tasks[0].id, None)
    engine.app.complete(tasks[1].id, None)
    engine.advance(hours=2, seconds=1)
    assert run.open_tasks() == ["taskAfterTimer"]
    run.complete("taskAfterTimer")
    assert run.ended


def test_parallel_sub_process_completion_condition(engine: Engine) -> None:
    """MultiInstanceTest.testParallelSubProcessCompletionCondition: two runs; when both tasks of
    one run are done, ``${nrOfCompletedInstances == 1}`` ends the other run and the process."""
    sub = two_task_subprocess(
        "miSubProcess", mi(PAR, card="2", cond="${nrOfCompletedInstances == 1}")
    )
    run = engine.start(camunda7("p", around(sub, "miSubProcess")))
    assert len(run.tasks()) == 4
    run.complete("subProcessTask1")
    run.complete("subProcessTask2")
    assert run.open_tasks() == ["subProcessTask1", "subProcessTask2"] or run.ended
    if not run.ended:
        # The two completed tasks belonged to different runs: finish one run.
        run.complete("subProcessTask1")
        run.complete("subProcessTask2") if not run.ended else None
    assert run.ended
    assert run.open_tasks() == []


def test_nested_parallel_sub_process(engine: Engine) -> None:
    """MultiInstanceTest.testNestedParallelSubProcess: a parallel body (two runs) around an
    embedded subprocess holding a parallel two-run body of two tasks: eight tasks."""
    inner = two_task_subprocess("miSubProcess", mi(PAR, card="2"))
    outer = (
        f'<bpmn:subProcess id="outer">{mi(PAR, card="2")}<bpmn:startEvent id="os"/>{inner}'
        '<bpmn:endEvent id="oe"/>'
        + flows("os->miSubProcess", "miSubProcess->oe")
        + "</bpmn:subProcess>"
    )
    run = engine.start(camunda7("miNestedParallelSubProcess", around(outer, "outer")))
    assert len(run.tasks()) == 8
    for task in run.tasks():
        engine.app.complete(task.id, None)
    assert run.ended


def test_nested_sequential_sub_process(engine: Engine) -> None:
    """MultiInstanceTest.testNestedSequentialSubProcess: a sequential body inside a sequential
    body runs its two tasks once per inner and outer loop (three times here)."""
    inner = two_task_subprocess("miSubProcess", mi(SEQ, card="${1}"))
    outer = (
        f'<bpmn:subProcess id="outer">{mi(SEQ, card="3")}<bpmn:startEvent id="os"/>{inner}'
        '<bpmn:endEvent id="oe"/>'
        + flows("os->miSubProcess", "miSubProcess->oe")
        + "</bpmn:subProcess>"
    )
    run = engine.start(camunda7("miNestedSequentialSubProcess", around(outer, "outer")))
    for _ in range(3):
        assert run.open_tasks() == ["subProcessTask1", "subProcessTask2"]
        run.complete("subProcessTask1").complete("subProcessTask2")
    assert run.ended


# -- call activities and service tasks -------------------------------------------------------

EXTERNAL = camunda7(
    "externalSubProcess",
    '<bpmn:startEvent id="xs"/><bpmn:parallelGateway id="xf"/>'
    + user("task1", 'name="task one"')
    + user("task2", 'name="task two"')
    + '<bpmn:parallelGateway id="xj"/><bpmn:endEvent id="xe"/>'
    + flows("xs->xf", "xf->task1", "xf->task2", "task1->xj", "task2->xj", "xj->xe"),
)


def _call(mi_xml: str) -> str:
    return (
        '<bpmn:callActivity id="miCall" calledElement="externalSubProcess">'
        f"{mi_xml}</bpmn:callActivity>"
    )


def test_sequential_call_activity(engine: Engine) -> None:
    """MultiInstanceTest.testSequentialCallActivity: three calls of the external process, one
    after the other, each with task one and task two."""
    engine.deploy(
        EXTERNAL, camunda7("miSequentialCallActivity", around(_call(mi(SEQ, card="3")), "miCall"))
    )
    run = engine.start("miSequentialCallActivity")
    for _ in range(3):
        assert sorted(t.element_id for t in engine.app.tasks()) == ["task1", "task2"]
        for task in engine.app.tasks():
            engine.app.complete(task.id, None)
    assert run.ended


def test_parallel_call_activity(engine: Engine) -> None:
    """MultiInstanceTest.testParallelCallActivity: two parallel calls: four tasks; completing
    them all ends the caller."""
    engine.deploy(
        EXTERNAL, camunda7("miParallelCallActivity", around(_call(mi(PAR, card="2")), "miCall"))
    )
    run = engine.start("miParallelCallActivity")
    tasks = list(engine.app.tasks())
    assert len(tasks) == 4
    for task in tasks:
        engine.app.complete(task.id, None)
    assert run.ended


def _doubling(engine: Engine) -> FakeConnector:
    """MultiInstanceDelegate: result = result * (item or 2)."""
    return engine.connector(
        FakeConnector(
            "multiply",
            lambda call: {"result": call.params["result"] * (call.params.get("item") or 2)},
        )
    )


def _service(mi_xml: str, item: bool) -> str:
    params = '<camunda:inputParameter name="result">${result}</camunda:inputParameter>'
    if item:
        params += '<camunda:inputParameter name="item">${item}</camunda:inputParameter>'
    return (
        '<bpmn:serviceTask id="servicetask1" camunda:type="external" camunda:topic="multiply">'
        f"<bpmn:extensionElements><camunda:inputOutput>{params}</camunda:inputOutput>"
        f"</bpmn:extensionElements>{mi_xml}</bpmn:serviceTask>"
    )


def test_sequential_service_task(engine: Engine) -> None:
    """MultiInstanceTest.testSequentialServiceTaskWithClass (ACT-764): five sequential calls each
    doubling ``result``: 5 becomes 160."""
    _doubling(engine)
    xml = camunda7(
        "multiInstanceServiceTask",
        '<bpmn:startEvent id="s"/>'
        + _service(mi(SEQ, card="5"), False)
        + user("wait")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->servicetask1", "servicetask1->wait", "wait->e"),
    )
    run = engine.start(xml, {"result": 5})
    engine.work()
    assert run.data["result"] == 160
    run.complete("wait")
    assert run.ended


def test_sequential_service_task_with_collection(engine: Engine) -> None:
    """MultiInstanceTest.testSequentialServiceTaskWithClassAndCollection: one call per item of
    ``${items}``, each multiplying ``result`` by its item: 1 becomes 720."""
    _doubling(engine)
    loop = mi(f'{SEQ} camunda:collection="${{items}}" camunda:elementVariable="item"')
    xml = camunda7(
        "multiInstanceServiceTask",
        '<bpmn:startEvent id="s"/>'
        + _service(loop, True)
        + user("wait")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->servicetask1", "servicetask1->wait", "wait->e"),
    )
    run = engine.start(xml, {"result": 1, "items": [1, 2, 3, 4, 5, 6]})
    engine.work()
    assert run.data["result"] == 720
    assert "item" not in run.data


# -- errors, nesting, receive tasks ----------------------------------------------------------

THROWING = camunda7(
    "callActivityProcess",
    '<bpmn:startEvent id="cs"/>'
    + user("usertask1", 'name="Inner User Task"')
    + '<bpmn:exclusiveGateway id="gw"/><bpmn:endEvent id="ce"/>'
    + '<bpmn:endEvent id="errorEnd"><bpmn:errorEventDefinition errorRef="errorId1"/>'
    "</bpmn:endEvent>"
    + flows("cs->usertask1", "usertask1->gw", "gw->ce: ${done}", "gw->errorEnd: ${!done}"),
    extra='<bpmn:error id="errorId1" errorCode="errorId1"/>',
)


def _error_caller(ordering: str) -> str:
    loop = mi(f'{ordering} camunda:collection="assignees" camunda:elementVariable="assignee"')
    return camunda7(
        "process",
        '<bpmn:startEvent id="s"/>'
        f'<bpmn:callActivity id="callActivity1" calledElement="callActivityProcess">{loop}'
        "</bpmn:callActivity>"
        '<bpmn:boundaryEvent id="boundaryerror1" attachedToRef="callActivity1">'
        '<bpmn:errorEventDefinition errorRef="errorId1"/></bpmn:boundaryEvent>'
        + user("handleErrorTask")
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
        + flows(
            "s->callActivity1",
            "callActivity1->e",
            "boundaryerror1->handleErrorTask",
            "handleErrorTask->e2",
        ),
        extra='<bpmn:error id="errorId1" errorCode="errorId1"/>',
    )


def test_multi_instance_call_activity_with_error_boundary_event(engine: Engine) -> None:
    """MultiInstanceTest.testMultiInstanceCallActivityWithErrorBoundaryEvent: two parallel
    calls; the first ends with an error end event: the boundary on the body cancels the other
    call and leaves handleErrorTask alone; completing it ends the process."""
    engine.deploy(THROWING, _error_caller(PAR))
    run = engine.start("process", {"assignees": ["kermit", "gonzo"]})
    tasks = list(engine.app.tasks())
    assert len(tasks) == 2
    engine.app.complete(tasks[0].id, {"done": False})
    tasks = list(engine.app.tasks())
    assert [t.element_id for t in tasks] == ["handleErrorTask"]
    engine.app.complete(tasks[0].id, None)
    assert run.ended
    assert [r for r in engine.instances() if not r.ended] == []


def test_sequential_multi_instance_call_activity_with_error_boundary_event(engine: Engine) -> None:
    """MultiInstanceTest.testSequentialMultiInstanceCallActivityWithErrorBoundaryEvent: the first
    of two sequential calls throws: the second never starts; handleErrorTask ends the process."""
    engine.deploy(THROWING, _error_caller(SEQ))
    run = engine.start("process", {"assignees": ["kermit", "gonzo"]})
    tasks = list(engine.app.tasks())
    assert len(tasks) == 1
    engine.app.complete(tasks[0].id, {"done": False})
    tasks = list(engine.app.tasks())
    assert [t.element_id for t in tasks] == ["handleErrorTask"]
    engine.app.complete(tasks[0].id, None)
    assert run.ended


def test_nested_multi_instance_tasks(engine: Engine) -> None:
    """MultiInstanceTest.testNestedMultiInstanceTasks: a parallel subprocess over two processes
    holding a parallel user task over two assignees: four tasks; completing them ends it."""
    inner_loop = mi(f'{PAR} camunda:collection="assignees" camunda:elementVariable="assignee"')
    task = user("miTasks", 'camunda:assignee="${subProcess}/${assignee}"', inner_loop)
    outer_loop = mi(f'{PAR} camunda:collection="subProcesses" camunda:elementVariable="subProcess"')
    sub = (
        f'<bpmn:subProcess id="subprocess1">{outer_loop}<bpmn:startEvent id="ss"/>{task}'
        '<bpmn:endEvent id="se"/>' + flows("ss->miTasks", "miTasks->se") + "</bpmn:subProcess>"
    )
    xml = camunda7("miNestedMultiInstanceTasks", around(sub, "subprocess1"))
    run = engine.start(xml, {"subProcesses": ["A", "B"], "assignees": ["kermit", "gonzo"]})
    tasks = run.tasks()
    assert sorted(t.assignee or "" for t in tasks) == ["A/gonzo", "A/kermit", "B/gonzo", "B/kermit"]
    for t in tasks:
        engine.app.complete(t.id, None)
    assert run.ended
    assert "subProcess" not in run.data and "assignee" not in run.data


def test_parallel_receive_tasks(engine: Engine) -> None:
    """MultiInstanceTest.testParallelReceiveTasks / ...AssertEventSubscriptionRemoval: three
    receive task instances wait for the message; each message ends one of them (two left after
    the first), the third ends the process."""
    xml = camunda7(
        "miParallelReceiveTasks",
        around(
            f'<bpmn:receiveTask id="miTasks" messageRef="message1">{mi(PAR, card="${3}")}'
            "</bpmn:receiveTask>"
        ),
        extra='<bpmn:message id="message1" name="message"/>',
    )
    run = engine.start(xml)
    assert run.waits_for() == ["miTasks", "miTasks", "miTasks"]
    engine.message("message")
    assert run.waits_for() == ["miTasks", "miTasks"]
    engine.message("message")
    engine.message("message")
    assert run.ended


def _error_mi(ordering: str) -> str:
    inner = (
        '<bpmn:startEvent id="ss"/>'
        + user("subProcessTask")
        + '<bpmn:exclusiveGateway id="gw" default="normal"/><bpmn:endEvent id="normalEnd"/>'
        '<bpmn:endEvent id="errorEnd"><bpmn:errorEventDefinition errorRef="myError"/>'
        "</bpmn:endEvent>"
        '<bpmn:sequenceFlow id="normal" sourceRef="gw" targetRef="normalEnd"/>'
        + flows("ss->subProcessTask", "subProcessTask->gw", "gw->errorEnd: ${throwError}")
    )
    return camunda7(
        "catchErrorOnMi",
        '<bpmn:startEvent id="s"/>'
        f'<bpmn:subProcess id="miSubProcess">{mi(ordering, card="5")}{inner}</bpmn:subProcess>'
        '<bpmn:boundaryEvent id="catchError" attachedToRef="miSubProcess">'
        "<bpmn:errorEventDefinition/></bpmn:boundaryEvent>"
        + user("taskAfterSubProcess")
        + '<bpmn:endEvent id="processEnd"/><bpmn:endEvent id="e"/>'
        + flows(
            "s->miSubProcess",
            "catchError->processEnd",
            "miSubProcess->taskAfterSubProcess",
            "taskAfterSubProcess->e",
        ),
        extra='<bpmn:error id="myError" errorCode="myError"/>',
    )


def test_catch_error_on_parallel_multi_instance(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorOnParallelMultiInstance: five subprocess instances;
    two end normally, the third throws: the catch-all error boundary on the body ends every
    instance and the process."""
    run = engine.start(_error_mi(PAR))
    tasks = run.tasks()
    assert len(tasks) == 5
    engine.app.complete(tasks[2].id, {"throwError": False})
    engine.app.complete(tasks[3].id, {"throwError": False})
    engine.app.complete(tasks[1].id, {"throwError": True})
    assert run.open_tasks() == []
    assert run.ended


def test_catch_error_on_sequential_multi_instance(engine: Engine) -> None:
    """BoundaryErrorEventTest.testCatchErrorOnSequentialMultiInstance: the first instance ends
    normally, the second throws: the boundary ends the body and the process."""
    run = engine.start(_error_mi(SEQ))
    run.complete("subProcessTask", {"throwError": False})
    run.complete("subProcessTask", {"throwError": True})
    assert run.open_tasks() == []
    assert run.ended


def _escalation_mi(interrupting: bool) -> str:
    inner = (
        '<bpmn:startEvent id="ss"/><bpmn:intermediateThrowEvent id="throw">'
        '<bpmn:escalationEventDefinition escalationRef="escalation"/>'
        "</bpmn:intermediateThrowEvent>"
        + user("taskInSubprocess")
        + '<bpmn:endEvent id="se"/>'
        + flows("ss->throw", "throw->taskInSubprocess", "taskInSubprocess->se")
    )
    cancel = "true" if interrupting else "false"
    return camunda7(
        "escalationProcess",
        '<bpmn:startEvent id="s"/>'
        f'<bpmn:subProcess id="subProcess">{mi(PAR, card="5")}{inner}</bpmn:subProcess>'
        f'<bpmn:boundaryEvent id="caught" attachedToRef="subProcess" cancelActivity="{cancel}">'
        '<bpmn:escalationEventDefinition escalationRef="escalation"/></bpmn:boundaryEvent>'
        + user("taskAfterCatchedEscalation")
        + '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
        + flows(
            "s->subProcess",
            "subProcess->e",
            "caught->taskAfterCatchedEscalation",
            "taskAfterCatchedEscalation->e2",
        ),
        extra='<bpmn:escalation id="escalation" escalationCode="ESC"/>',
    )


def test_interrupting_escalation_boundary_on_multi_instance_subprocess(engine: Engine) -> None:
    """EscalationEventTest.testInterruptingEscalationBoundaryEventOnMultiInstanceSubprocess: the
    first escalation thrown inside the instances is caught by the interrupting boundary on the
    body: every instance is cancelled, one task after the escalation is left."""
    run = engine.start(_escalation_mi(True))
    assert run.open_tasks() == ["taskAfterCatchedEscalation"]
