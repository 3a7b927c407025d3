"""Expressions in attributes (topics, job types, called elements, assignees, candidates, dates,
priorities) are evaluated when the activity starts; standard resource assignments set who may
take a user task.

Upstream (Camunda 7): engine/src/test/java/org/camunda/bpm/engine/test/bpmn/usertask/
(TaskAssignmentExtensionsTest, TaskAssigneeTest, TaskCandidateTest, TaskDueDateExtensionsTest,
TaskFollowUpDateExtensionsTest, TaskPriorityExtensionsTest) and bpmn/external/
ExternalTaskParseTest. Upstream (Camunda 8): zeebe/engine/src/test/java/io/camunda/zeebe/engine/
processing/bpmn/activity/ (ServiceTaskTest, UserTaskTest).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from seamline.testing import FakeConnector
from tests.conformance.harness import EPOCH, Engine, camunda7, flows, user, zeebe


def one_task(task: str, *, flavour: str = "camunda7", pid: str = "p") -> str:
    """start -> ``task`` (id "theTask") -> end."""
    wrap = camunda7 if flavour == "camunda7" else zeebe
    return wrap(pid, '<bpmn:startEvent id="s"/>' + task + '<bpmn:endEvent id="e"/>'
                + flows("s->theTask", "theTask->e"))  # fmt: skip


def resource(role: str, expression: str) -> str:
    return (
        f"<bpmn:{role}><bpmn:resourceAssignmentExpression><bpmn:formalExpression>{expression}"
        f"</bpmn:formalExpression></bpmn:resourceAssignmentExpression></bpmn:{role}>"
    )


# -- Camunda 7: topics -----------------------------------------------------------------------


def test_external_task_with_expression_topic(engine: Engine) -> None:
    """ExternalTaskParseTest.testParseExternalTaskWithExpressionTopic: ``camunda:topic=
    "${topicName}"`` is the topic the variable names when the task starts."""
    worker = engine.connector(FakeConnector("testTopicExpression", lambda call: {"done": True}))
    task = '<bpmn:serviceTask id="theTask" camunda:type="external" camunda:topic="${topicName}"/>'
    run = engine.start(one_task(task), {"topicName": "testTopicExpression"})
    assert len(worker.calls) == 1
    assert run.ended and run.data["done"] is True


def test_external_task_with_string_topic(engine: Engine) -> None:
    """ExternalTaskParseTest.testParseExternalTaskWithStringTopic: a literal topic."""
    worker = engine.connector(FakeConnector("testTopic", lambda call: {}))
    task = '<bpmn:serviceTask id="theTask" camunda:type="external" camunda:topic="testTopic"/>'
    assert engine.start(one_task(task)).ended
    assert len(worker.calls) == 1


# -- Camunda 7: assignees and candidates -------------------------------------------------------


def test_assignee_extension(engine: Engine) -> None:
    """TaskAssignmentExtensionsTest.testAssigneeExtension: ``camunda:assignee="kermit"``."""
    run = engine.start(one_task(user("theTask", 'camunda:assignee="kermit"')))
    assert run.task("theTask").assignee == "kermit"


def test_assignee_expression_resolves_per_instance(engine: Engine) -> None:
    """ExpressionManagerTest.testResolvesVariablesFromDifferentScopes: ``camunda:assignee=
    "${assignee}"`` is evaluated for each instance: michael, then johnny."""
    xml = one_task(user("theTask", 'camunda:assignee="${assignee}"'), pid="oneTaskProcess")
    first = engine.start(xml, {"assignee": "michael"})
    second = engine.start("oneTaskProcess", {"assignee": "johnny"})
    assert first.task("theTask").assignee == "michael"
    assert second.task("theTask").assignee == "johnny"


def test_candidate_users_extension(engine: Engine) -> None:
    """TaskAssignmentExtensionsTest.testCandidateUsersExtension: ``kermit, gonzo``."""
    run = engine.start(one_task(user("theTask", 'camunda:candidateUsers="kermit, gonzo"')))
    assert run.task("theTask").candidate_users == ("kermit", "gonzo")


def test_candidate_groups_extension(engine: Engine) -> None:
    """TaskAssignmentExtensionsTest.testCandidateGroupsExtension: ``management, accountancy``."""
    attrs = 'camunda:candidateGroups="management, accountancy"'
    run = engine.start(one_task(user("theTask", attrs)))
    assert run.task("theTask").candidate_groups == ("management", "accountancy")


def test_mixed_candidate_user_definition(engine: Engine) -> None:
    """TaskAssignmentExtensionsTest.testMixedCandidateUserDefinition: ``camunda:candidateUsers=
    "kermit"`` plus a potentialOwner ``user(fozzie), user(gonzo)``: all three are candidates."""
    task = user("theTask", 'camunda:candidateUsers="kermit"',
                resource("potentialOwner", "user(fozzie), user(gonzo)"))  # fmt: skip
    run = engine.start(one_task(task))
    assert set(run.task("theTask").candidate_users) == {"kermit", "fozzie", "gonzo"}
    assert "mispiggy" not in run.task("theTask").candidate_users


def test_duplicate_assignee_declaration(engine: Engine) -> None:
    """TaskAssignmentExtensionsTest.testDuplicateAssigneeDeclaration: ``camunda:assignee`` and
    a humanPerformer on one task do not deploy."""
    task = user("theTask", 'camunda:assignee="kermit"', resource("humanPerformer", "gonzo"))
    engine.refused(one_task(task), element="theTask", says="assignee")


def test_task_assignee_human_performer(engine: Engine) -> None:
    """TaskAssigneeTest.testTaskAssignee: a humanPerformer ``kermit`` is the assignee."""
    run = engine.start(one_task(user("theTask", "", resource("humanPerformer", "kermit"))))
    assert run.task("theTask").assignee == "kermit"


def test_single_candidate_group(engine: Engine) -> None:
    """TaskCandidateTest.testSingleCandidateGroup: a bare potentialOwner name is a group."""
    run = engine.start(one_task(user("theTask", "", resource("potentialOwner", "accountancy"))))
    task = run.task("theTask")
    assert task.candidate_groups == ("accountancy",) and task.assignee is None


def test_multiple_candidate_groups(engine: Engine) -> None:
    """TaskCandidateTest.testMultipleCandidateGroups: ``group(management), group(accountancy)``."""
    owners = resource("potentialOwner", "group(management), group(accountancy)")
    run = engine.start(one_task(user("theTask", "", owners)))
    assert run.task("theTask").candidate_groups == ("management", "accountancy")


def test_multiple_candidate_users(engine: Engine) -> None:
    """TaskCandidateTest.testMultipleCandidateUsers: ``user(gonzo), user(kermit)``."""
    run = engine.start(
        one_task(user("theTask", "", resource("potentialOwner", "user(gonzo), user(kermit)")))
    )
    assert run.task("theTask").candidate_users == ("gonzo", "kermit")


def test_mixed_candidate_user_and_group(engine: Engine) -> None:
    """TaskCandidateTest.testMixedCandidateUserAndGroup: ``user(kermit), group(sales)``."""
    owners = resource("potentialOwner", "user(kermit), group(sales)")
    task = engine.start(one_task(user("theTask", "", owners))).task("theTask")
    assert (task.candidate_users, task.candidate_groups) == (("kermit",), ("sales",))


# -- Camunda 7: dates and priorities ---------------------------------------------------------


def _due(engine: Engine, attr: str, value: Any) -> Any:
    run = engine.start(one_task(user("theTask", f'camunda:{attr}="${{dateVariable}}"')),
                       {"dateVariable": value})  # fmt: skip
    task = run.task("theTask")
    return task.due_at if attr == "dueDate" else task.follow_up_at


def test_due_date_string_extension(engine: Engine) -> None:
    """TaskDueDateExtensionsTest.testDueDateStringExtension: "1986-07-06T12:10:00"."""
    due = _due(engine, "dueDate", "1986-07-06T12:10:00")
    assert due == dt.datetime(1986, 7, 6, 12, 10, tzinfo=dt.UTC)


def test_relative_due_date(engine: Engine) -> None:
    """TaskDueDateExtensionsTest.testRelativeDueDate: "P2DT2H30M" from the task's creation."""
    due = _due(engine, "dueDate", "P2DT2H30M")
    assert due == EPOCH + dt.timedelta(days=2, hours=2, minutes=30)


def test_follow_up_date_string_extension(engine: Engine) -> None:
    """TaskFollowUpDateExtensionsTest.testUserTaskFollowUpDateStringExtension."""
    when = _due(engine, "followUpDate", "2015-01-01T12:10:00")
    assert when == dt.datetime(2015, 1, 1, 12, 10, tzinfo=dt.UTC)


def test_relative_follow_up_date(engine: Engine) -> None:
    """TaskFollowUpDateExtensionsTest.testUserTaskRelativeFollowUpDate: "P2DT2H30M"."""
    when = _due(engine, "followUpDate", "P2DT2H30M")
    assert when == EPOCH + dt.timedelta(days=2, hours=2, minutes=30)


def test_priority_extension(engine: Engine) -> None:
    """TaskPriorityExtensionsTest.testPriorityExtension: ``camunda:priority="${taskPriority}"``
    with 25 and 75."""
    for priority in (25, 75):
        run = engine.start(one_task(user("theTask", 'camunda:priority="${taskPriority}"')),
                           {"taskPriority": priority})  # fmt: skip
        assert run.task("theTask").priority == priority


def test_priority_extension_string(engine: Engine) -> None:
    """TaskPriorityExtensionsTest.testPriorityExtensionString: ``camunda:priority="42"``."""
    run = engine.start(one_task(user("theTask", 'camunda:priority="42"')))
    assert run.task("theTask").priority == 42


# -- Camunda 8 -----------------------------------------------------------------------------


def _zeebe_user(ext: str) -> str:
    return user("theTask", "", f"<bpmn:extensionElements><zeebe:userTask/>{ext}"
                "</bpmn:extensionElements>")  # fmt: skip


def test_zeebe_job_type_expression(engine: Engine) -> None:
    """ServiceTaskTest.shouldCreateJobFromServiceTaskWithJobTypeExpression: ``type=
    "=&quot;test&quot;"`` (a FEEL expression) gives the job type "test"."""
    worker = engine.connector(FakeConnector("test", lambda call: {"ok": 1}))
    task = (
        '<bpmn:serviceTask id="theTask"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="=&quot;test&quot;"/>'
        "</bpmn:extensionElements></bpmn:serviceTask>"
    )
    run = engine.start(one_task(task, flavour="zeebe"))
    assert len(worker.calls) == 1 and run.ended


def test_zeebe_job_type_expression_over_variables(engine: Engine) -> None:
    """ServiceTaskTest.shouldCreateJobFromServiceTaskWithJobTypeExpression, the type computed
    from a variable (``="test-" + kind``) when the task is activated."""
    worker = engine.connector(FakeConnector("test-type", lambda call: {"ok": 1}))
    task = (
        '<bpmn:serviceTask id="theTask"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="=&quot;test-&quot; + kind"/>'
        "</bpmn:extensionElements></bpmn:serviceTask>"
    )
    run = engine.start(one_task(task, flavour="zeebe"), {"kind": "type"})
    assert len(worker.calls) == 1 and run.ended


def test_zeebe_assignee_expression(engine: Engine) -> None:
    """UserTaskTest.shouldCreateJobWithEvaluatedAssigneeExpressionHeader: ``assignee="=user"``
    with user = "alice"."""
    ext = '<zeebe:assignmentDefinition assignee="=user"/>'
    run = engine.start(one_task(_zeebe_user(ext), flavour="zeebe"), {"user": "alice"})
    assert run.task("theTask").assignee == "alice"


def test_zeebe_empty_assignee_expression_is_ignored(engine: Engine) -> None:
    """UserTaskTest.shouldCreateJobAndIgnoreEmptyEvaluatedAssigneeExpressionHeader: an
    assignee expression giving "" assigns nobody."""
    ext = '<zeebe:assignmentDefinition assignee="=user"/>'
    run = engine.start(one_task(_zeebe_user(ext), flavour="zeebe"), {"user": ""})
    assert run.task("theTask").assignee is None


def test_zeebe_candidate_groups_expression(engine: Engine) -> None:
    """UserTaskTest.shouldCreateJobWithEvaluatedCandidateGroupsExpressionHeader:
    ``candidateGroups="=users"`` giving ["alice", "bob"]."""
    ext = '<zeebe:assignmentDefinition candidateGroups="=users"/>'
    run = engine.start(one_task(_zeebe_user(ext), flavour="zeebe"), {"users": ["alice", "bob"]})
    assert run.task("theTask").candidate_groups == ("alice", "bob")


def test_zeebe_candidate_users_static(engine: Engine) -> None:
    """UserTaskTest.shouldCreateJobWithCandidateUsersHeader: ``candidateUsers="jack,rose"``."""
    ext = '<zeebe:assignmentDefinition candidateUsers="jack,rose"/>'
    run = engine.start(one_task(_zeebe_user(ext), flavour="zeebe"))
    assert run.task("theTask").candidate_users == ("jack", "rose")


def test_zeebe_candidate_users_expression(engine: Engine) -> None:
    """UserTaskTest.shouldCreateJobWithEvaluatedCandidateUsersExpressionHeader."""
    ext = '<zeebe:assignmentDefinition candidateUsers="=users"/>'
    run = engine.start(one_task(_zeebe_user(ext), flavour="zeebe"), {"users": ["jack", "rose"]})
    assert run.task("theTask").candidate_users == ("jack", "rose")


def test_zeebe_due_date_expression(engine: Engine) -> None:
    """UserTaskTest.shouldCreateJobWithEvaluatedDueDateExpressionHeader: ``dueDate=
    "=dueDate"`` with "2023-02-28T09:16:23+02:00"."""
    ext = '<zeebe:taskSchedule dueDate="=dueDate"/>'
    run = engine.start(one_task(_zeebe_user(ext), flavour="zeebe"),
                       {"dueDate": "2023-02-28T09:16:23+02:00"})  # fmt: skip
    assert run.task("theTask").due_at == dt.datetime(2023, 2, 28, 7, 16, 23, tzinfo=dt.UTC)


def test_zeebe_follow_up_date_expression(engine: Engine) -> None:
    """UserTaskTest.shouldCreateJobWithEvaluatedFollowUpDateExpressionHeader: ``followUpDate=
    "=followUpDate"`` with "2023-02-28T08:16:23+02:00"."""
    ext = '<zeebe:taskSchedule followUpDate="=followUpDate"/>'
    run = engine.start(one_task(_zeebe_user(ext), flavour="zeebe"),
                       {"followUpDate": "2023-02-28T08:16:23+02:00"})  # fmt: skip
    assert run.task("theTask").follow_up_at == dt.datetime(2023, 2, 28, 6, 16, 23, tzinfo=dt.UTC)
