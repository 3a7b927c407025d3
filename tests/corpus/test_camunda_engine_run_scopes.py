"""Camunda 7 engine test diagrams, continued: parallel gateways, multi-instance, subprocesses,
call activities, links, decisions, errors and escalations, and Camunda's invoice example.

Run like test_camunda_engine_run.py: by path, on the memory store and a SQLite file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from seamline.app import App
from seamline.errors import LoadError
from seamline.store.base import Store
from seamline.store.records import InstanceStatus
from tests.corpus.invoice_port import invoice_in_python
from tests.corpus.runner import Run

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
ENGINE = CORPUS / "camunda-engine-tests"
INVOICE = CORPUS / "camunda-invoice"

pytestmark = pytest.mark.skipif(
    not ENGINE.is_dir(), reason="../shared/corpus is not beside the project"
)


def start(store: Store, name: str, data: dict[str, object] | None = None) -> Run:
    """Run one engine-test diagram by file name."""
    return Run.start(App(store), ENGINE / name, data)


def finish(run: Run, *elements: str) -> None:
    """Complete the given tasks in order, then the instance must be completed."""
    for element in elements:
        run.complete(element)
    assert run.status is InstanceStatus.COMPLETED, run.error
    assert run.open_tasks() == []


# -- parallel gateway ---------------------------------------------------------------------------


def test_fork_join(store: Store) -> None:
    run = start(store, "ParallelGatewayTest.testForkJoin.bpmn20.xml")
    assert run.open_tasks() == ["receivePayment", "shipOrder"]
    run.complete("receivePayment")
    assert run.open_tasks() == ["shipOrder"]
    run.complete("shipOrder")
    assert run.open_tasks() == ["archiveOrder"]
    finish(run, "archiveOrder")


def test_nested_fork_join(store: Store) -> None:
    # Its start and end events are named Start and End, like SpiffWorkflow's own internal tasks.
    run = start(store, "ParallelGatewayTest.testNestedForkJoin.bpmn20.xml")
    assert run.open_tasks() == ["Task_0"]
    run.complete("Task_0")
    assert run.open_tasks() == ["Task_A", "Task_B"]
    run.complete("Task_B")
    assert run.open_tasks() == ["Task_A", "Task_B1", "Task_B2"]
    run.complete("Task_B1")
    run.complete("Task_B2")
    assert run.open_tasks() == ["Task_A"]
    run.complete("Task_A")
    assert run.open_tasks() == ["Task_C"]
    finish(run, "Task_C")


def test_unbalanced_fork_join(store: Store) -> None:
    run = start(store, "ParallelGatewayTest.testUnbalancedForkJoin.bpmn20.xml")
    assert run.open_tasks() == ["task1", "task2", "task3"]
    run.complete("task1")
    run.complete("task2")
    assert run.open_tasks() == ["task3", "task4"]
    run.complete("task3")
    assert run.open_tasks() == ["task4"]
    finish(run, "task4")


def test_unstructured_concurrency_two_forks(store: Store) -> None:
    # Manual tasks pass straight through in Camunda 7: the instance ends at once.
    run = start(store, "ParallelGatewayTest.testUnstructuredConcurrencyTwoForks.bpmn20.xml")
    assert run.status is InstanceStatus.COMPLETED, run.error


def test_complete_after_parallel_gateway(store: Store) -> None:
    # Its task listener is a Java class: refused where it is drawn until Java delegates run.
    with pytest.raises(LoadError) as caught:
        start(store, "UserTaskTest.testCompleteAfterParallelGateway.bpmn20.xml")
    text = str(caught.value)
    assert "UserwithListener" in text and "Java delegate listeners" in text and "\n" not in text


# -- multi-instance -----------------------------------------------------------------------------


def test_parallel_user_tasks_by_cardinality_expression(store: Store) -> None:
    run = start(store, "MultiInstanceTest.testParallelUserTasks.bpmn20.xml")
    assert run.open_tasks() == ["miTasks"] * 3
    run.complete("miTasks")
    assert run.open_tasks() == ["miTasks"] * 2
    finish(run, "miTasks", "miTasks")


def test_parallel_user_tasks_assignee_uses_loop_counter(store: Store) -> None:
    run = start(store, "MultiInstanceTest.testParallelUserTasks.bpmn20.xml")
    assignees = sorted(t.assignee or "" for t in run.app.tasks(instance_id=run.id))
    assert assignees == ["kermit_0", "kermit_1", "kermit_2"]


def test_sequential_user_tasks_end_on_their_completion_condition(store: Store) -> None:
    # ${nrOfCompletedInstances == 5} ends the loop after 5 of the 10 instances.
    run = start(store, "MultiInstanceTest.sequentialUserTasks.bpmn20.xml", {"nrOfLoops": 10})
    for done in range(5):
        assert run.open_tasks() == ["miTasks"], done
        assert ("timer", "timer") in run.waiting()
        run.complete("miTasks")
    assert run.status is InstanceStatus.COMPLETED, run.error
    assert run.waiting() == []


def test_sequential_user_tasks_interrupted_by_the_boundary_timer(store: Store) -> None:
    now = [dt.datetime(2024, 1, 1, 9, tzinfo=dt.UTC)]
    app = App(store, clock=lambda: now[0])
    run = Run.start(
        app, ENGINE / "MultiInstanceTest.sequentialUserTasks.bpmn20.xml", {"nrOfLoops": 3}
    )
    run.complete("miTasks")
    now[0] += dt.timedelta(hours=2, minutes=1)
    app.worker().run_once()
    assert run.open_tasks() == ["taskAfterTimer"]
    finish(run, "taskAfterTimer")


def test_parallel_multi_instance_subprocess(store: Store) -> None:
    run = start(store, "MultiInstanceTest.testParallelSubProcess.bpmn20.xml")
    assert run.open_tasks() == ["subProcessTask1"] * 2 + ["subProcessTask2"] * 2
    run.complete("subProcessTask1")
    run.complete("subProcessTask2")
    assert run.open_tasks() == ["subProcessTask1", "subProcessTask2"]
    finish(run, "subProcessTask1", "subProcessTask2")


# -- subprocesses and call activities -----------------------------------------------------------


def test_simple_subprocess(store: Store) -> None:
    run = start(store, "SubProcessTest.testSimpleSubProcess.bpmn20.xml")
    assert run.open_tasks() == ["subProcessTask"]
    finish(run, "subProcessTask")


def test_nested_simple_subprocess(store: Store) -> None:
    run = start(store, "SubProcessTest.testNestedSimpleSubProcess.bpmn20.xml")
    assert run.open_tasks() == ["innerSubProcessTask"]
    run.complete("innerSubProcessTask")
    assert run.open_tasks() == ["afterSubProcessTask"]
    finish(run, "afterSubProcessTask")


def test_call_simple_subprocess(store: Store) -> None:
    # Two files of the folder define 'simpleSubProcess': the called one is named explicitly.
    app = App(store)
    run = Run.start(
        app,
        ENGINE / "CallActivity.testCallSimpleSubProcess.bpmn20.xml",
        with_files=[ENGINE / "simpleSubProcess.bpmn20.xml"],
        process_id="callSimpleSubProcess",
    )
    assert run.open_tasks() == ["taskBeforeSubProcess"]
    run.complete("taskBeforeSubProcess")
    assert run.open_tasks() == ["task"]
    run.complete("task")
    assert run.open_tasks() == ["taskAfterSubProcess"]
    finish(run, "taskAfterSubProcess")


def test_call_activity_finds_the_file_named_after_the_called_process(store: Store) -> None:
    # Two files of the folder define 'simpleSubProcess'; the one named after it is chosen.
    run = start(store, "CallActivity.testCallSimpleSubProcess.bpmn20.xml")
    assert run.open_tasks() == ["taskBeforeSubProcess"]
    run.complete("taskBeforeSubProcess")
    assert run.open_tasks() == ["task"]


# -- links, decisions, events -------------------------------------------------------------------


def test_valid_event_link(store: Store) -> None:
    # A receive task without a message waits for a message named after it.
    run = start(store, "LinkEventTest.testValidEventLink.bpmn20.xml")
    assert run.waiting() == [("waitAfterLink1", "message")]
    run.app.message("waitAfterLink1")
    assert run.waiting() == [("waitAfterLink2", "message")]
    run.app.message("waitAfterLink2")
    assert run.status is InstanceStatus.COMPLETED, run.error


def test_event_link_multiple_sources(store: Store) -> None:
    run = start(store, "LinkEventTest.testEventLinkMultipleSources.bpmn20.xml")
    # The manual task passes straight through (Camunda 7).
    # Both sources reach the same receive task through links: two tokens wait there.
    assert run.waiting() == [("WaitAfterLink", "message")] * 2
    run.app.message("WaitAfterLink")
    assert run.waiting() == [("WaitAfterLink", "message")]
    run.app.message("WaitAfterLink")
    assert run.status is InstanceStatus.COMPLETED, run.error


def test_decision_ref(store: Store) -> None:
    run = start(store, "DmnBusinessRuleTaskTest.testDecisionRef.bpmn20.xml")
    assert run.status is InstanceStatus.COMPLETED, run.error
    assert run.data["result"] == "okay"


def test_transaction_with_compensation_loads(store: Store) -> None:
    # Compensation and the cancel end event load; the run stops at the diagram's Java delegates.
    [definition] = App(store).deploy(
        [ENGINE / "TransactionSubProcessTest.testSimpleCase.bpmn20.xml"]
    )
    assert definition.process_id == "transactionProcess"


def test_conditional_event_waits_until_its_variable_holds(store: Store) -> None:
    run = start(store, "IntermediateConditionalEventTest.testVariableValue.bpmn20.xml")
    assert run.status is InstanceStatus.WAITING
    assert [kind for _, kind in run.waiting()] == ["condition"]
    app = run.app
    assert app.set_data(run.id, {"variable": 2}).instance.status is InstanceStatus.WAITING
    done = app.set_data(run.id, {"variable": 1})
    assert done.instance.status is InstanceStatus.COMPLETED


# -- errors and escalations ---------------------------------------------------------------------


def test_error_end_event_caught_by_boundary_on_subprocess(store: Store) -> None:
    run = start(store, "BoundaryErrorEventTest.testCatchErrorOnEmbeddedSubprocess.bpmn20.xml")
    assert run.waiting() == [("subprocessTask", "user_task")]
    run.complete("subprocessTask")
    assert run.open_tasks() == ["taskAfterErrorCatch"]
    finish(run, "taskAfterErrorCatch")


def test_error_caught_by_event_subprocess_in_embedded_subprocess(store: Store) -> None:
    run = start(store, "ErrorEventSubProcessTest.testCatchErrorInEmbeddedSubProcess.bpmn20.xml")
    assert run.open_tasks() == ["taskAfterErrorCatch"]
    finish(run, "taskAfterErrorCatch")


def test_escalation_caught_by_non_interrupting_event_subprocess(store: Store) -> None:
    name = "EscalationEventSubprocessTest.testCatchEscalationEventFromEmbeddedSubprocess.bpmn20.xml"
    run = start(store, name)
    assert run.open_tasks() == ["taskAfterCatchedEscalation", "taskInSubprocess"]
    run.complete("taskInSubprocess")
    assert run.open_tasks() == ["taskAfterCatchedEscalation"]
    finish(run, "taskAfterCatchedEscalation")


def test_escalation_end_event_caught_by_non_interrupting_boundary(store: Store) -> None:
    run = start(store, "EscalationEventTest.testEscalationEndEvent.bpmn20.xml")
    assert run.open_tasks() == ["taskAfterCatchedEscalation"]
    finish(run, "taskAfterCatchedEscalation")


def test_interrupting_escalation_boundary_cancels_the_subprocess(store: Store) -> None:
    run = start(store, "EscalationEventTest.testInterruptingEscalationBoundaryEvent.bpmn20.xml")
    assert run.open_tasks() == ["taskAfterCatchedEscalation"]
    finish(run, "taskAfterCatchedEscalation")


# -- Camunda's invoice example ------------------------------------------------------------------

INVOICE_DATA = {"creditor": "Great Pizza", "invoiceCategory": "Misc", "invoiceNumber": "I-1"}


def invoice(store: Store, amount: float) -> Run:
    """invoice.v2 with the review process and the two-decision DMN beside it."""
    return Run.start(App(store), invoice_in_python(INVOICE), {**INVOICE_DATA, "amount": amount})


def test_invoice_approved_goes_to_bank_transfer_then_stops_at_the_java_archive(
    store: Store,
) -> None:
    run = invoice(store, 30.0)
    [task] = run.app.tasks(instance_id=run.id)
    # Misc under 250 is a day-to-day expense: the COLLECT table names accounting and sales.
    assert task.element_id == "approveInvoice"
    assert sorted(task.candidate_groups) == ["accounting", "sales"]
    run.complete("approveInvoice", {"approved": True})
    assert run.open_tasks() == ["prepareBankTransfer"]
    run.complete("prepareBankTransfer")
    # The archive service is a camunda:class (Java): a clear incident, not a crash.
    assert run.status is InstanceStatus.INCIDENT
    error = run.error or ""
    assert "ServiceTask_1" in error and "Java" in error and "\n" not in error


def test_invoice_not_approved_is_reviewed_then_approved(store: Store) -> None:
    run = invoice(store, 600.0)
    [task] = run.app.tasks(instance_id=run.id)
    assert task.candidate_groups == ("management",)
    run.complete("approveInvoice", {"approved": False})
    [assign] = run.app.tasks(instance_id=run.id)
    assert (assign.element_id, assign.assignee) == ("assignReviewer", "demo")
    run.complete("assignReviewer", {"reviewer": "mary"})
    [review] = run.app.tasks(instance_id=run.id)
    assert (review.element_id, review.assignee) == ("reviewInvoice", "mary")
    run.complete("reviewInvoice", {"clarified": True})
    assert run.open_tasks() == ["approveInvoice"]
    run.complete("approveInvoice", {"approved": True})
    assert run.open_tasks() == ["prepareBankTransfer"]


def test_invoice_not_clarified_ends_not_processed(store: Store) -> None:
    run = invoice(store, 1500.0)
    run.complete("approveInvoice", {"approved": False})
    run.complete("assignReviewer", {"reviewer": "demo"})
    run.complete("reviewInvoice", {"clarified": False})
    assert run.status is InstanceStatus.COMPLETED, run.error
    assert run.open_tasks() == [] and run.data["clarified"] is False
