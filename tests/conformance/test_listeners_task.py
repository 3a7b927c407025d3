"""Task listeners (``create``, ``assignment``, ``complete``, ``delete``) as Camunda 7 runs them.

Upstream: engine/src/test/java/org/camunda/bpm/engine/test/bpmn/tasklistener/TaskListenerTest.java
and TaskListenerEventLifecycleTest.java. Their Java listener classes are stood in for by Python
script or JUEL expression listeners with the same effect.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conformance.harness import EPOCH, Engine, Run, camunda7, esc, flows, user, zeebe

REC = "order = order + [task.eventName]"


def ext(*items: str) -> str:
    return "<bpmn:extensionElements>" + "".join(items) + "</bpmn:extensionElements>"


def on(event: str, code: str) -> str:
    """A Python script task listener."""
    return (
        f'<camunda:taskListener event="{event}">'
        f'<camunda:script scriptFormat="python">{esc(code)}</camunda:script>'
        "</camunda:taskListener>"
    )


def expr(event: str, expression: str) -> str:
    """An expression task listener."""
    return f'<camunda:taskListener event="{event}" expression="{esc(expression)}"/>'


def one_task(inner: str, attrs: str = 'name="Schedule meeting"', after: str = "") -> str:
    return camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("task", attrs, ext(inner))
        + (after or user("next"))
        + '<bpmn:endEvent id="e"/>'
        + flows("s->task", "task->next", "next->e"),
    )


def test_task_create_listener(engine: Engine) -> None:
    """TaskListenerTest.testTaskCreateListener: a create listener runs when the task is created
    and sees its name (upstream it writes the description)."""
    run = engine.start(one_task(on("create", "note = task.getName() + ' is created'")))
    assert run.open_tasks() == ["task"]
    assert run.data["note"] == "Schedule meeting is created"


def test_task_complete_listener(engine: Engine) -> None:
    """TaskListenerTest.testTaskCompleteListener: the complete listener's variables appear only
    once the task is completed, and the delete listener does not run on completion."""
    xml = one_task(
        on("complete", "greeting = 'Hello from The Process'\nshortName = 'Act'")
        + on("delete", "deleted = True")
    )
    run = engine.start(xml)
    assert "greeting" not in run.data
    run.complete("task")
    assert run.data["greeting"] == "Hello from The Process"
    assert run.data["shortName"] == "Act"
    assert "deleted" not in run.data


def test_task_listener_with_expression(engine: Engine) -> None:
    """TaskListenerTest.testTaskListenerWithExpression: a complete listener expression sets a
    variable from the task (its name)."""
    xml = one_task(
        expr("complete", "${execution.setVariable('greeting2', task.name)}"),
        attrs='name="Write meeting notes"',
    )
    run = engine.start(xml)
    assert "greeting2" not in run.data
    run.complete("task")
    assert run.data["greeting2"] == "Write meeting notes"


def test_complete_listener_sees_the_submitted_data(engine: Engine) -> None:
    """TaskListenerTest.testTaskCompleteListener (variables on complete): the variables passed
    to complete() are visible to the complete listener."""
    run = engine.start(one_task(expr("complete", "${task.setVariable('seen', approved)}")))
    run.complete("task", {"approved": True})
    assert run.data["seen"] is True


def test_task_delete_listener_by_boundary_event(engine: Engine) -> None:
    """TaskListenerTest.testTaskDeleteListenerByBoundaryEvent: a message boundary event
    cancels the task; its delete listener runs once, naming the task's definition key."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user(
            "task",
            inner=ext(
                on("delete", "deletes = deletes + 1\nlastKey = task.getTaskDefinitionKey()"),
                on("complete", "completed = True"),
            ),
        )
        + '<bpmn:boundaryEvent id="b" attachedToRef="task">'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:boundaryEvent>'
        + user("after")
        + '<bpmn:endEvent id="e"/>'
        + flows("s->task", "task->e", "b->after", "after->e"),
        extra='<bpmn:message id="m" name="message"/>',
    )
    run = engine.start(xml, {"deletes": 0})
    assert run.data["deletes"] == 0
    engine.message("message")
    assert run.open_tasks() == ["after"]
    assert run.data["deletes"] == 1
    assert run.data["lastKey"] == "task"
    assert "completed" not in run.data


def test_task_delete_listener_by_process_deletion(engine: Engine) -> None:
    """TaskListenerTest.testTaskDeleteListenerByProcessDeletion: cancelling the instance deletes
    its open task, which runs the delete listener once."""
    run = engine.start(one_task(on("delete", "deletes = deletes + 1")), {"deletes": 0})
    assert run.data["deletes"] == 0
    run.cancel()
    assert run.status.value == "cancelled"
    assert run.data["deletes"] == 1


def test_task_script_listeners(engine: Engine) -> None:
    """TaskListenerTest.testScriptListener: script listeners for create, assignment, complete
    and delete each set a variable: create when the task is created, assignment when it is
    given to someone (setAssignee), complete when completed, delete when the instance is
    cancelled at the next task."""
    listeners = "".join(
        on(e, f"task.setVariable('{e}', True)") for e in ("create", "assignment", "complete")
    )
    delete = on("delete", "task.setVariable('delete', True)")
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("task", inner=ext(listeners))
        + user("next", inner=ext(delete))
        + '<bpmn:endEvent id="e"/>'
        + flows("s->task", "task->next", "next->e"),
    )
    run = engine.with_users("test", admins=["demo"]).start(xml)
    assert run.data["create"] is True and "assignment" not in run.data
    engine.app.assign(run.task("task").id, "test", user="demo")
    assert run.data["assignment"] is True
    assert run.task("task").assignee == "test"
    engine.app.complete(run.task("task").id, None, user="test")
    assert run.data["complete"] is True
    engine.app.cancel(run.id, user="demo")
    assert run.data["delete"] is True


def test_assignment_listener_when_a_task_is_claimed(engine: Engine) -> None:
    """TaskListenerTest.testAssignmentTaskListenerWhenSavingTask: changing the assignee of an
    open task (here a claim) runs the assignment listener, which sees the new assignee."""
    xml = one_task(on("assignment", "assignedTo = task.getAssignee()"))
    run = engine.with_users("kermit").start(xml)
    assert "assignedTo" not in run.data
    engine.app.claim(run.task("task").id, user="kermit")
    assert run.data["assignedTo"] == "kermit"
    assert run.task("task").assignee == "kermit"


def test_no_listener_runs_when_the_assignee_does_not_change(engine: Engine) -> None:
    """TaskListenerEventLifecycleTest.shouldNotFireUpdateEventAfterAssignmentTaskListenerUpdates
    Properties (assignment only on a change): claiming a task one already holds runs nothing."""
    xml = one_task(on("assignment", "assignments = assignments + 1"), 'camunda:assignee="kermit"')
    run = engine.with_users("kermit").start(xml, {"assignments": 0})
    assert run.data["assignments"] == 1
    engine.app.claim(run.task("task").id, user="kermit")
    assert run.data["assignments"] == 1


def test_create_and_assignment_events_when_a_task_is_created(engine: Engine) -> None:
    """TaskListenerEventLifecycleTest.shouldOnlyFireCreateAndAssignmentEventsWhenTaskIsCreated:
    a task created with an assignee fires create, then assignment, and nothing else."""
    events = "".join(on(e, REC) for e in ("create", "assignment", "complete", "delete"))
    run = engine.start(one_task(events, 'camunda:assignee="kermit"'), {"order": []})
    assert run.data["order"] == ["create", "assignment"]


def test_no_assignment_event_without_an_assignee(engine: Engine) -> None:
    """TaskListenerEventLifecycleTest.shouldOnlyFireCreateAndAssignmentEventsWhenTaskIsCreated
    (no assignee): only create fires."""
    events = "".join(on(e, REC) for e in ("create", "assignment"))
    run = engine.start(one_task(events), {"order": []})
    assert run.data["order"] == ["create"]


def test_complete_event_fires_last_when_the_task_is_completed(engine: Engine) -> None:
    """TaskListenerEventLifecycleTest.shouldFireCompleteEventLastWhenTaskCompleted: create,
    assignment, then complete; the task's execution end listener runs after complete."""
    events = "".join(on(e, REC) for e in ("create", "assignment", "complete", "delete"))
    end = (
        '<camunda:executionListener event="end"><camunda:script scriptFormat="python">'
        "order = order + ['end']</camunda:script></camunda:executionListener>"
    )
    run = engine.start(one_task(end + events, 'camunda:assignee="kermit"'), {"order": []})
    run.complete("task")
    assert run.data["order"] == ["create", "assignment", "complete", "end"]


def test_create_listener_sets_the_assignee(engine: Engine) -> None:
    """TaskListenerTest (AssigneeAssignment, CustomTaskAssignmentTest): a create listener's
    task.setAssignee() decides whom the task is created for."""
    run = engine.start(one_task(expr("create", "${task.setAssignee('kermit')}")))
    assert run.task("task").assignee == "kermit"


def test_create_listener_overwrites_the_assignee_from_a_variable(engine: Engine) -> None:
    """TaskListenerTest (AssigneeOverwriteFromVariable): the create listener replaces the drawn
    assignee with the one a variable names, and the assignment listener sees the new one."""
    inner = on("create", "task.setAssignee(task.getVariable('assignee'))") + on(
        "assignment", "assignedTo = task.getAssignee()"
    )
    run = engine.start(one_task(inner, 'camunda:assignee="fozzie"'), {"assignee": "gonzo"})
    assert run.task("task").assignee == "gonzo"
    assert run.data["assignedTo"] == "gonzo"


def test_task_listener_variable_reaches_the_next_task(engine: Engine) -> None:
    """TaskListenerTest.testTaskCreateListener (variables): what a create listener sets is a
    process variable the rest of the process reads (here the next task's assignee)."""
    after = user("next", 'camunda:assignee="${reviewer}"')
    run = engine.start(
        one_task(expr("create", "${task.setVariable('reviewer', 'mary')}"), after=after)
    )
    run.complete("task")
    assert run.task("next").assignee == "mary"


TIMEOUT = (
    "timeouts = timeouts + 1\n"
    "task.setVariable('timeout-status', 'fired' + (str(timeouts) if timeouts > 1 else ''))"
)


def timeout(timer: str, tid: str = "timeout-friendly", code: str = TIMEOUT) -> str:
    """A timeout task listener (TimeoutTaskListener's effect, in Python)."""
    return (
        f'<camunda:taskListener event="timeout" id="{tid}">'
        f'<camunda:script scriptFormat="python">{esc(code)}</camunda:script>'
        f'<bpmn:timerEventDefinition><bpmn:{timer.split(":")[0]} xsi:type="bpmn:tFormalExpression">'
        f"{timer.split(':', 1)[1]}</bpmn:{timer.split(':')[0]}></bpmn:timerEventDefinition>"
        "</camunda:taskListener>"
    )


def test_timeout_task_listener_duration(engine: Engine) -> None:
    """TaskListenerTest.testTimeoutTaskListenerDuration: 70 minutes after the task is created
    its PT1H timeout listener has fired; the task stays open."""
    run = engine.start(one_task(timeout("timeDuration:PT1H")), {"timeouts": 0})
    engine.advance(minutes=59)
    assert "timeout-status" not in run.data
    engine.advance(minutes=11)
    assert run.data["timeout-status"] == "fired"
    assert run.open_tasks() == ["task"]


def test_timeout_task_listener_date(engine: Engine) -> None:
    """TaskListenerTest.testTimeoutTaskListenerDate: a timeDate timeout fires once the clock
    passes the date."""
    run = engine.start(one_task(timeout("timeDate:2026-01-05T12:00:00Z")), {"timeouts": 0})
    engine.advance(hours=2)
    assert "timeout-status" not in run.data
    engine.advance(hours=2)
    assert run.data["timeout-status"] == "fired"
    assert run.open_tasks() == ["task"]


def test_timeout_task_listener_cycle(engine: Engine) -> None:
    """TaskListenerTest.testTimeoutTaskListenerCycle: an R/PT1H timeout fires after 70 minutes
    and again after 130 (the listener counts: fired, fired2)."""
    run = engine.start(one_task(timeout("timeCycle:R/PT1H")), {"timeouts": 0})
    engine.advance(minutes=70)
    assert run.data["timeout-status"] == "fired"
    engine.advance(minutes=60)
    assert run.data["timeout-status"] == "fired2"
    assert run.open_tasks() == ["task"]


def test_multiple_timeout_task_listeners(engine: Engine) -> None:
    """TaskListenerTest.testMultipleTimeoutTaskListeners: of two timeouts (PT1H, PT2H) only the
    first has fired after 70 minutes; one timer is left."""
    inner = timeout("timeDuration:PT1H") + timeout("timeDuration:PT2H", "timeout-hard")
    run = engine.start(one_task(inner), {"timeouts": 0})
    assert len([t for t in engine.store.due_timers(EPOCH + dt.timedelta(days=1), 10)]) == 2
    engine.advance(minutes=70)
    assert run.data["timeout-status"] == "fired" and run.data["timeouts"] == 1
    assert len([t for t in engine.store.due_timers(EPOCH + dt.timedelta(days=1), 10)]) == 1


def test_timeout_task_listener_not_called_when_task_completed(engine: Engine) -> None:
    """TaskListenerTest.testTimeoutTaskListenerNotCalledWhenTaskCompleted: completing the task
    removes its timeout timer; the listener never runs."""
    run = engine.start(one_task(timeout("timeDuration:PT1H")), {"timeouts": 0})
    run.complete("task")
    engine.advance(hours=2)
    assert "timeout-status" not in run.data
    assert run.open_tasks() == ["next"]
    assert [t for t in engine.store.due_timers(EPOCH + dt.timedelta(days=1), 10)] == []


def test_timeout_task_listener_not_called_when_task_completed_by_boundary_event(
    engine: Engine,
) -> None:
    """TaskListenerTest.testTimeoutTaskListenerNotCalledWhenTaskCompletedByBoundaryEvent: a PT1H
    timer boundary event cancels the task before its PT2H timeout; the listener never runs."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("task", inner=ext(timeout("timeDuration:PT2H")))
        + '<bpmn:boundaryEvent id="timer" attachedToRef="task"><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>"
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flows("s->task", "task->e1", "timer->e2"),
    )
    run = engine.start(xml, {"timeouts": 0})
    engine.advance(minutes=70)
    assert run.ended
    engine.advance(hours=2)
    assert "timeout-status" not in run.data
    assert [t for t in engine.store.due_timers(EPOCH + dt.timedelta(days=1), 10)] == []


def test_create_fires_before_timeout(engine: Engine) -> None:
    """TaskListenerEventLifecycleTest.shouldFireCreateEventBeforeTimeoutEventWhenTaskCreated:
    create runs when the task is created, timeout later, when its timer is due."""
    inner = on("create", REC) + timeout("timeDuration:PT1H", code=REC)
    run = engine.start(one_task(inner), {"order": []})
    assert run.data["order"] == ["create"]
    engine.advance(hours=1, minutes=1)
    assert run.data["order"] == ["create", "timeout"]


@pytest.mark.refused("update task listeners: seamline raises no update events")
def test_update_task_listener_on_assign(engine: Engine) -> None:
    """TaskListenerTest.testUpdateTaskListenerOnAssign: update listeners need task update events,
    which seamline does not raise; refused at the element."""
    engine.refused(one_task(expr("update", "${true}")), element="task", says="update")


@pytest.mark.refused("Camunda 8 job-worker execution listeners are not run yet")
def test_zeebe_execution_listeners_are_refused(engine: Engine) -> None:
    """Camunda 8 ExecutionListenerTest (zeebe): job-worker execution listeners are refused at
    the element until seamline runs them as jobs."""
    xml = zeebe(
        "p",
        '<bpmn:startEvent id="s"/>' + '<bpmn:serviceTask id="work"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="work"/>'
        '<zeebe:executionListeners><zeebe:executionListener eventType="start" type="audit"/>'
        "</zeebe:executionListeners></bpmn:extensionElements></bpmn:serviceTask>"
        + flows("s->work"),
    )
    engine.refused(xml, element="work", says="job worker listeners")


@pytest.mark.refused("Camunda 8 job-worker task listeners are not run yet")
def test_zeebe_task_listeners_are_refused(engine: Engine) -> None:
    """Camunda 8 TaskListenerTest (zeebe): job-worker task listeners are refused at the user
    task."""
    xml = zeebe(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user(
            "review",
            inner="<bpmn:extensionElements><zeebe:userTask/><zeebe:taskListeners>"
            '<zeebe:taskListener eventType="completing" type="check"/></zeebe:taskListeners>'
            "</bpmn:extensionElements>",
        )
        + flows("s->review"),
    )
    engine.refused(xml, element="review", says="job worker listeners")


def called_with_task(inner: str) -> str:
    return camunda7(
        "called",
        '<bpmn:startEvent id="cs"/>'
        + user("calledTask", inner=ext(inner))
        + '<bpmn:endEvent id="ce"/>'
        + flows("cs->calledTask", "calledTask->ce"),
    )


CALLING = camunda7(
    "calling",
    '<bpmn:startEvent id="s"/><bpmn:callActivity id="call" calledElement="called">'
    '<bpmn:extensionElements><camunda:in variables="all"/></bpmn:extensionElements>'
    "</bpmn:callActivity>"
    '<bpmn:endEvent id="e"/>' + flows("s->call", "call->e"),
)


def listened(run: Run) -> list[tuple[str | None, str]]:
    """(element, event) of every listener run, in order (the history records each)."""
    return [(el, data["event"]) for _, el, data in run.events("listener_ran")]


def test_delete_listener_in_a_called_process(engine: Engine) -> None:
    """TaskListenerTest.testActivityInstanceIdOnDeleteInCalledProcess: cancelling the calling
    instance deletes the called process's task: its create and delete listeners each ran once,
    for the same task."""
    inner = on("create", "created = True") + on("delete", "deleted = True")
    engine.deploy(called_with_task(inner), CALLING)
    run = engine.start("calling")
    assert run.open_tasks() == ["calledTask"]
    run.cancel()
    assert listened(run) == [("calledTask", "create"), ("calledTask", "delete")]
    # The called instance's variables are its own, as in Camunda: the caller never sees them.
    assert "created" not in run.data and "deleted" not in run.data


def test_variable_access_on_delete_in_a_called_process(engine: Engine) -> None:
    """TaskListenerTest.testVariableAccessOnDeleteInCalledProcess: the delete listener of a task
    in the called process reads the variable the caller passed in (foo = bar)."""
    code = "if foo != 'bar':\n    raise ValueError(foo)"
    engine.deploy(called_with_task(on("delete", code)), CALLING)
    run = engine.start("calling", {"foo": "bar"})
    run.cancel()
    assert run.status.value == "cancelled"
    assert listened(run) == [("calledTask", "delete")]
