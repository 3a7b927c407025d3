"""Third-party diagrams with user tasks and forms, run with their forms and candidates honoured."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from seamline.app import App
from seamline.config import Settings
from seamline.errors import Forbidden, FormInvalid
from seamline.store.memory import MemoryStore
from seamline.store.records import TaskStatus
from tests.corpus.invoice_port import invoice_in_python

USERS = """
[users.demo]
groups = ["management"]

[users.mary]
groups = ["accounting"]

[users.sam]
groups = ["sales"]

[users.req]
groups = ["requesters"]

[users.dev]
groups = ["developers"]

[users.root]
admin = true

[lanes]
A = "requesters"
B = "developers"
"""


@pytest.fixture
def app() -> App:
    return App(MemoryStore(), settings=Settings(raw=tomllib.loads(USERS)))


def test_review_invoice_assignees_and_due_date(app: App, corpus: Path) -> None:
    view = app.run(corpus / "camunda-invoice" / "reviewInvoice.bpmn", {})
    [first] = app.tasks(user="demo")
    assert first.element_id == "assignReviewer" and first.assignee == "demo"
    assert app.tasks(user="mary") == []
    with pytest.raises(Forbidden):
        app.complete(first.id, {"reviewer": "mary"}, user="mary")
    app.complete(first.id, {"reviewer": "mary"}, user="demo")
    [review] = app.tasks(user="mary")
    assert review.element_id == "reviewInvoice" and review.status is TaskStatus.CLAIMED
    assert review.assignee == "mary"  # camunda:assignee="${reviewer}" over the form's data
    # camunda:dueDate="${dateTime().plusDays(2).toDate()}"
    assert review.due_at is not None
    assert abs((review.due_at - review.created_at) - dt.timedelta(days=2)) < dt.timedelta(hours=1)
    done = app.complete(review.id, {"clarified": "yes"}, user="mary")
    assert done.instance.status.value == "completed"
    assert done.instance.id == view.instance.id


@pytest.mark.parametrize(
    ("category", "amount", "groups", "approver"),
    [
        ("Misc", 30.0, ("accounting", "sales"), "sam"),
        ("Software License Costs", 500.0, ("management",), "demo"),
    ],
)
def test_invoice_approver_groups_from_the_decision(
    app: App, corpus: Path, category: str, amount: float, groups: tuple[str, ...], approver: str
) -> None:
    data = {
        "amount": amount,
        "invoiceCategory": category,
        "creditor": "Cafe",
        "invoiceNumber": "I-1",
    }
    view = app.run(invoice_in_python(corpus / "camunda-invoice"), data)
    [task] = app.tasks(user="root", instance_id=view.instance.id)
    assert task.element_id == "approveInvoice" and task.lane == "Approver"
    # candidateGroups="${approverGroups}" is what the DMN decision before it gave
    assert task.candidate_groups == groups
    visible = {u for u in ("demo", "mary", "sam") if app.tasks(user=u)}
    assert visible == {
        u
        for u, g in (("demo", "management"), ("mary", "accounting"), ("sam", "sales"))
        if g in groups
    }
    outsider = next(u for u in ("demo", "sam") if u not in visible)
    with pytest.raises(Forbidden):
        app.complete(task.id, {"approved": True}, user=outsider)
    app.complete(task.id, {"approved": True}, user=approver)
    [bank] = app.tasks(user="mary", instance_id=view.instance.id)
    assert bank.element_id == "prepareBankTransfer" and bank.candidate_groups == ("accounting",)
    assert app.tasks(user="sam", instance_id=view.instance.id) == []


def test_spiff_lanes_with_forms(app: App, corpus: Path) -> None:
    view = app.run(corpus / "spiffworkflow-tests" / "bpmn" / "data" / "lanes.bpmn", {})
    [request] = app.tasks(user="req")
    assert request.element_id == "Activity_A1" and request.candidate_groups == ("requesters",)
    assert request.form is not None and "NewBPMNFeautre" in request.form["properties"]
    assert app.tasks(user="dev") == []
    app.complete(request.id, {"NewBPMNFeautre": "lanes"}, user="req")
    [clarify] = app.tasks(user="dev")
    assert clarify.element_id == "Activity_B1"
    with pytest.raises(FormInvalid, match="NeedClarification"):
        app.complete(clarify.id, {"NeedClarification": "perhaps"}, user="dev")
    app.complete(clarify.id, {"NeedClarification": False}, user="dev")
    # The diagram is a Camunda 7 one: its manual tasks (lanes B and C) pass straight through,
    # as Camunda runs them, and the instance ends.
    assert app.tasks(instance_id=view.instance.id) == []
    assert app.show(view.instance.id).instance.status == "completed"


def test_random_fact_enum_form_then_the_script_is_an_incident(app: App, corpus: Path) -> None:
    path = corpus / "spiffworkflow-tests" / "camunda" / "data" / "random_fact.bpmn"
    view = app.run(path, {})
    [task] = app.tasks(instance_id=view.instance.id)
    assert task.form is not None
    with pytest.raises(FormInvalid) as refused:
        app.complete(task.id, {"type": "dog"}, user="req")
    assert any("type" in e and "norris" in e for e in refused.value.errors)
    assert app.show(view.instance.id).instance.version == view.instance.version
    after = app.complete(task.id, {"type": "cat"}, user="req")
    # The diagram's script calls a service object of SpiffWorkflow's own test harness.
    assert after.instance.status.value == "incident"
    assert "Task_Get_Fact_From_API" in (after.instance.error or "")
