"""The engine's verbs on small diagrams; every step is a load from and a commit to the store."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest

from seamline.app import App
from seamline.errors import InstanceChanged, InvalidState, NotFound
from seamline.store.records import InstanceStatus, TaskStatus
from tests.unit.engine import diagrams as d


def test_user_task_wait_then_complete(app: App, diagram) -> None:
    view = app.run(diagram(d.APPROVAL), {"amount": 21})
    assert view.instance.status is InstanceStatus.WAITING
    assert [(w.element, w.kind) for w in view.waiting] == [("review", "user_task")]
    assert view.instance.data["total"] == 42
    [task] = app.tasks()
    assert task.element_id == "review" and task.status is TaskStatus.OPEN
    done = app.complete(task.id, {"approved": True})
    assert done.instance.status is InstanceStatus.COMPLETED
    assert done.instance.data["booked"] is True
    assert app.tasks() == []
    kinds = [e.kind for e in app.store.list_events(view.instance.id)]
    assert kinds[0] == "instance_started"
    assert "task_completed" in kinds and kinds[-1] == "instance_completed"


def test_default_flow_when_no_condition_holds(app: App, diagram) -> None:
    app.run(diagram(d.APPROVAL), {"amount": 1})
    [task] = app.tasks()
    done = app.complete(task.id, {"approved": False})
    assert done.instance.status is InstanceStatus.COMPLETED
    assert "booked" not in done.instance.data


def test_gateway_loop_runs_to_its_real_end(app: App, diagram) -> None:
    # Stock SpiffWorkflow stops such a loop silently after a few hundred iterations.
    view = app.run(diagram(d.LOOP), {"i": 0, "n": 10_000})
    assert view.instance.status is InstanceStatus.COMPLETED
    assert view.instance.data["i"] == 10_000


def _snapshot_size_after(app: App, diagram, iterations: int) -> int:
    view = app.run(diagram(d.USER_LOOP, f"loop{iterations}.bpmn"), {"i": 0, "n": iterations + 1})
    for _ in range(iterations):
        [task] = app.tasks(instance_id=view.instance.id)
        app.complete(task.id, {})
    _, blob = app.store.load_snapshot(view.instance.id)
    return len(blob)


def test_snapshot_size_does_not_grow_with_history(app: App, diagram) -> None:
    small = _snapshot_size_after(app, diagram, 10)
    large = _snapshot_size_after(app, diagram, 300)
    assert large < small * 1.5, (small, large)


def test_parallel_branches_join(app: App, diagram) -> None:
    view = app.run(diagram(d.PARALLEL), {})
    assert sorted(w.element for w in view.waiting) == ["a", "b"]
    first, second = sorted(app.tasks(), key=lambda t: t.element_id)
    mid = app.complete(first.id, {"from_a": 1})
    assert mid.instance.status is InstanceStatus.WAITING
    assert [w.element for w in mid.waiting] == ["b"]
    done = app.complete(second.id, {"from_b": 2})
    assert done.instance.status is InstanceStatus.COMPLETED
    assert done.instance.data["joined"] is True
    assert done.instance.data["from_a"] == 1 and done.instance.data["from_b"] == 2


def test_script_error_is_an_incident_then_resume(app: App, diagram) -> None:
    view = app.run(diagram(d.FAILING), {"divisor": 0})
    assert view.instance.status is InstanceStatus.INCIDENT
    assert "divide" in (view.instance.error or "")
    assert "ZeroDivisionError" in (view.instance.error or "")
    again = app.resume(view.instance.id)
    assert again.instance.status is InstanceStatus.INCIDENT  # the cause is not fixed yet


def test_cancel_withdraws_tasks(app: App, diagram) -> None:
    view = app.run(diagram(d.APPROVAL), {"amount": 1})
    cancelled = app.cancel(view.instance.id)
    assert cancelled.instance.status is InstanceStatus.CANCELLED
    assert app.tasks() == []
    with pytest.raises(InvalidState):
        app.cancel(view.instance.id)


def test_completing_a_task_twice_is_refused(app: App, diagram) -> None:
    app.run(diagram(d.APPROVAL), {"amount": 1})
    [task] = app.tasks()
    app.complete(task.id, {"approved": False})
    with pytest.raises(InvalidState):
        app.complete(task.id, {"approved": True})


def test_unknown_ids_are_not_found(app: App) -> None:
    with pytest.raises(NotFound):
        app.complete("nope-nope", {})
    with pytest.raises(NotFound):
        app.show("nope-nope")


def test_values_keep_their_types_across_commits(app: App, diagram) -> None:
    data = {
        "amount": Decimal("10.50"),
        "when": dt.date(2026, 1, 2),
        "at": dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC),
        "tags": {"b", "a"},
    }
    view = app.run(diagram(d.APPROVAL), data)
    # `total = amount * 2` ran on a Decimal and came back as one
    assert view.instance.data["total"] == Decimal("21.00")
    [task] = app.tasks()
    done = app.complete(task.id, {"approved": True})
    assert done.instance.data["when"] == dt.date(2026, 1, 2)
    assert done.instance.data["at"] == dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)
    assert done.instance.data["tags"] == ["a", "b"]


def test_second_writer_of_the_same_version_loses(app: App, diagram) -> None:
    view = app.run(diagram(d.PARALLEL), {})
    a, b = sorted(app.tasks(), key=lambda t: t.element_id)
    engine = app.engine
    # Both load version N; the first commit wins, the second must not overwrite it.
    step_a = engine._load(view.instance.id, None)
    step_b = engine._load(view.instance.id, None)
    for step, row in ((step_a, a), (step_b, b)):
        task = engine._find_task(step, row.id)
        task.run()
    engine._advance_and_commit(step_a)
    with pytest.raises(InstanceChanged):
        engine._advance_and_commit(step_b)
    shown = app.show(view.instance.id)
    assert [w.element for w in shown.waiting] == ["b"]


def test_concurrent_completions_one_wins(app: App, diagram) -> None:
    app.run(diagram(d.APPROVAL), {"amount": 1})
    [task] = app.tasks()
    results: list[object] = []

    def complete() -> None:
        try:
            results.append(app.complete(task.id, {"approved": True}).instance.status)
        except Exception as exc:
            results.append(type(exc).__name__)

    threads = [threading.Thread(target=complete) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert InstanceStatus.COMPLETED in results
    assert len([r for r in results if r == InstanceStatus.COMPLETED]) == 1


def test_feel_values_survive_the_snapshot(app: App, diagram) -> None:
    from seamline.expr.values import YearsMonthsDuration

    xml = d.process(
        "feel_values",
        "\n".join(
            [
                '<bpmn:startEvent id="start"/>',
                '<bpmn:userTask id="wait" name="Wait"/>',
                '<bpmn:endEvent id="end"/>',
                d.flow("f1", "start", "wait"),
                d.flow("f2", "wait", "end"),
            ]
        ),
    )
    data = {"term": YearsMonthsDuration(14), "gap": dt.timedelta(days=2, hours=3)}
    view = app.run(diagram(xml, "feel.bpmn"), data)
    [task] = app.tasks(instance_id=view.instance.id)
    restored = app.engine._find_task(app.engine._load(view.instance.id, None), task.id)
    assert restored.data["term"] == YearsMonthsDuration(14)
    assert restored.data["gap"] == dt.timedelta(days=2, hours=3)
    done = app.complete(task.id, {})
    assert done.instance.status is InstanceStatus.COMPLETED
    assert view.instance.data["term"] == "P1Y2M"
    assert view.instance.data["gap"] == "P2DT3H"
    # the snapshot kept the values themselves: the script engine saw them again on completion
    assert done.instance.data["term"] == "P1Y2M"


def test_the_path_taken_is_recorded_and_drawn(app: App, diagram) -> None:
    from seamline.web.overlay import instance_overlay

    view = app.run(diagram(d.APPROVAL), {"amount": 1})
    [task] = app.tasks()
    app.complete(task.id, {"approved": True})
    passed: dict[str, int] = {}
    for event in app.show(view.instance.id).history or ():
        if event.kind == "passed":
            for element, times in event.data["elements"].items():
                passed[element] = passed.get(element, 0) + times
    assert passed == {"start": 1, "decide": 1, "done": 1}
    overlay, *_ = instance_overlay(app, view.instance.id)
    assert {"start", "prepare", "review", "decide", "book", "done"} <= overlay.completed
    assert "rejected" not in overlay.completed
    assert {"f1", "f2", "f3", "f_yes", "f4"} <= overlay.taken_flows
    assert "f_no" not in overlay.taken_flows
