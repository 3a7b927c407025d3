"""Form validation on completion, and due and follow-up dates, through the engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from seamline.app import App
from seamline.errors import FormInvalid
from tests.integration.humans_engine import diagrams as d
from tests.integration.humans_engine.conftest import START, FakeClock

FORM_TASK = d.single_task("camunda7", "form", d.attrs(camunda_candidateGroups="assistants"), d.FORM)
GOOD = {"name": "Ann", "amount": 5, "ok": True, "when": "2024-02-03", "color": "red"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", None, "name: "),
        ("name", "A", "at least 2"),
        ("name", "Annabel", "at most 5"),
        ("amount", 0, ">= 1"),
        ("amount", 11, "<= 10"),
        ("amount", "many", "amount: "),
        ("ok", "maybe", "true or false"),
        ("when", "yesterday", "date"),
        ("color", "green", "one of red, blue"),
    ],
)
def test_one_message_per_bad_field_and_nothing_committed(
    app: App, diagram: Callable[..., Path], field: str, value: Any, message: str
) -> None:
    view = app.run(diagram(d.single_task("camunda7", "form", extensions=d.FORM)), {})
    [task] = app.tasks(instance_id=view.instance.id)
    data = {**GOOD, field: value}
    if value is None:
        del data[field]
    with pytest.raises(FormInvalid) as refused:
        app.complete(task.id, data)
    [error] = refused.value.errors
    assert error.startswith(f"{field}: ") and message in error
    assert "task" in str(refused.value) or "[task]" in str(refused.value)
    after = app.show(view.instance.id)
    assert after.instance.version == view.instance.version
    assert after.instance.status.value == "waiting"
    assert not any(e.kind == "task_completed" for e in after.history or ())


def test_every_bad_field_is_named_at_once(app: App, diagram: Callable[..., Path]) -> None:
    view = app.run(diagram(FORM_TASK), {})
    [task] = app.tasks(user="al")
    bad = {"name": "A", "amount": 20, "ok": "maybe", "when": "soon", "color": "green"}
    with pytest.raises(FormInvalid) as refused:
        app.complete(task.id, bad, user="al")
    assert [e.split(":")[0] for e in refused.value.errors] == list(bad)
    assert app.show(view.instance.id).instance.version == view.instance.version


def test_valid_form_values_are_typed_into_the_process(
    app: App, diagram: Callable[..., Path]
) -> None:
    app.run(diagram(FORM_TASK), {})
    [task] = app.tasks(user="al")
    done = app.complete(task.id, {**GOOD, "amount": "7", "ok": "yes"}, user="al")
    assert done.instance.status.value == "completed"
    data = done.instance.data
    assert data["amount"] == 7 and data["ok"] is True and data["color"] == "red"


def _dates_task(app: App, diagram: Callable[..., Path], xml: str, data: dict[str, Any]) -> Any:
    view = app.run(diagram(xml), data)
    [task] = app.tasks(instance_id=view.instance.id, user="root")
    return task


def test_camunda_due_and_follow_up_dates(app: App, diagram: Callable[..., Path]) -> None:
    extra = d.attrs(camunda_dueDate="${deadline}", camunda_followUpDate="P2D")
    task = _dates_task(
        app,
        diagram,
        d.single_task("camunda7", "dates", extra),
        {"deadline": "2024-03-05T12:00:00Z"},
    )
    assert task.created_at == START
    assert task.due_at == dt.datetime(2024, 3, 5, 12, tzinfo=dt.UTC)
    assert task.follow_up_at == START + dt.timedelta(days=2)


def test_zeebe_task_schedule(app: App, diagram: Callable[..., Path]) -> None:
    ext = '<zeebe:taskSchedule dueDate="=now_plus" followUpDate="2024-03-02T08:00:00Z"/>'
    task = _dates_task(
        app,
        diagram,
        d.single_task("camunda8", "zdates", extensions=ext),
        {"now_plus": "2024-03-04T00:00:00+01:00"},
    )
    assert task.due_at == dt.datetime(2024, 3, 3, 23, tzinfo=dt.UTC)
    assert task.follow_up_at == dt.datetime(2024, 3, 2, 8, tzinfo=dt.UTC)


def test_duration_counts_from_when_the_task_became_ready(
    app: App, clock: FakeClock, diagram: Callable[..., Path]
) -> None:
    """A later commit of the instance must not push a relative due date further out."""
    xml = d.laned("camunda7", "two", {"Team Assistant": ["first", "second"]}).replace(
        '<bpmn:userTask id="first" name="First"/>',
        '<bpmn:userTask id="first" name="First" camunda:dueDate="PT1H"/>',
    )
    view = app.run(diagram(xml), {})
    [task] = app.tasks(user="al")
    assert task.due_at == START + dt.timedelta(hours=1)
    clock.now = START + dt.timedelta(hours=3)
    app.claim(task.id, user="al")
    # Another commit of the same instance (a refused form would not commit; a resume does).
    app.engine.run_jobs(view.instance.id)
    again = app.task(task.id)
    assert again.due_at == START + dt.timedelta(hours=1) and again.created_at == START
    assert again.assignee == "al"


def test_overdue_filter_follows_the_clock(
    app: App, clock: FakeClock, diagram: Callable[..., Path]
) -> None:
    soon = d.single_task("camunda7", "soon", d.attrs(camunda_dueDate="PT1H"))
    later = d.single_task("camunda7", "later", d.attrs(camunda_dueDate="P1D"))
    never = d.single_task("camunda7", "never")
    for i, xml in enumerate((soon, later, never)):
        app.run(diagram(xml, f"p{i}.bpmn"), {})
    assert app.tasks(user="root", overdue=True) == []
    clock.now = START + dt.timedelta(hours=2)
    assert [t.process_id for t in app.tasks(user="root", overdue=True)] == ["soon"]
    clock.now = START + dt.timedelta(days=2)
    overdue = sorted(t.process_id for t in app.tasks(user="root", overdue=True))
    assert overdue == ["later", "soon"]


def test_bad_due_date_is_a_note_not_a_lost_step(app: App, diagram: Callable[..., Path]) -> None:
    extra = d.attrs(camunda_dueDate="${deadline}")
    task = _dates_task(
        app, diagram, d.single_task("camunda7", "baddue", extra), {"deadline": "next tuesday"}
    )
    assert task.due_at is None
    assert task.note is not None and "dueDate" in task.note and "next tuesday" in task.note
    assert "only administrators" not in task.note
    assert {t.id for t in app.tasks(user="al")} == set()  # no candidates: an open task
    assert app.complete(task.id, {}, user="al").instance.status.value == "completed"
