"""Task listeners (``create``, ``assignment``, ``complete``, ``delete``) as Camunda 7 runs them.

Upstream: engine/src/test/java/org/camunda/bpm/engine/test/bpmn/tasklistener/TaskListenerTest.java
and TaskListenerEventLifecycleTest.java. Their Java listener classes are stood in for by Python
script or JUEL expression listeners with the same effect.
"""

from __future__ import annotations

import pytest

from tests.conformance.harness import Engine, camunda7, esc, flows, user, zeebe

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
    and delete each set a variable; the assignment event comes from the task's assignee (upstream
    setAssignee(); here camunda:assignee), delete from cancelling the instance at the next task."""
    listeners = "".join(on(e, f"task.setVariable('{e}', True)") for e in ("create", "assignment"))
    listeners += on("complete", "task.setVariable('complete', True)")
    delete = on("delete", "task.setVariable('delete', True)")
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="s"/>'
        + user("task", 'camunda:assignee="test"', ext(listeners))
        + user("next", inner=ext(delete))
        + '<bpmn:endEvent id="e"/>'
        + flows("s->task", "task->next", "next->e"),
    )
    run = engine.start(xml)
    assert run.data["create"] is True and run.data["assignment"] is True
    run.complete("task")
    assert run.data["complete"] is True
    run.cancel()
    assert run.data["delete"] is True


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


@pytest.mark.refused("timeout task listeners are not run yet")
def test_timeout_task_listener_duration(engine: Engine) -> None:
    """TaskListenerTest.testTimeoutTaskListenerDuration: a timeout listener with a PT1H timer
    fires while the task stays; seamline refuses it at the element until it runs them."""
    timeout = (
        '<camunda:taskListener event="timeout" id="timeout-friendly"'
        " expression=\"${execution.setVariable('timeout-status', 'fired')}\">"
        '<bpmn:timerEventDefinition id="t1"><bpmn:timeDuration>PT1H</bpmn:timeDuration>'
        "</bpmn:timerEventDefinition></camunda:taskListener>"
    )
    engine.refused(one_task(timeout), element="task", says="timeout")


@pytest.mark.refused("update task listeners: seamline raises no update events")
def test_update_task_listener_on_assign(engine: Engine) -> None:
    """TaskListenerTest.testUpdateTaskListenerOnAssign: update listeners need task update events,
    which seamline does not raise; refused at the element."""
    engine.refused(one_task(expr("update", "${true}")), element="task", says="update")


def test_java_task_listener_is_refused(engine: Engine) -> None:
    """TaskListenerTest.testTaskCreateListener (as drawn upstream, a Java TaskCreateListener):
    Java delegate listeners come later; refused at the element with what to use instead."""
    listener = '<camunda:taskListener event="create" class="org.example.TaskCreateListener"/>'
    engine.refused(one_task(listener), element="task", says="use an expression or a script")


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
