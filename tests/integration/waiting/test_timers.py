"""Timers of every kind and position, fired by the worker on an injected clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from seamline.app import App
from tests.integration.waiting import diagrams as d
from tests.integration.waiting.conftest import START

MINUTE = dt.timedelta(minutes=1)


def timers_of(app: App, instance_id: str) -> list[tuple[str, dt.datetime]]:
    far = START + dt.timedelta(days=3650)
    return [
        (t.element_id, t.due_at) for t in app.store.due_timers(far) if t.instance_id == instance_id
    ]


def kinds(app: App, instance_id: str) -> list[str]:
    return [e.kind for e in app.store.list_events(instance_id)]


@pytest.mark.parametrize(
    ("kind", "text", "data", "due"),
    [
        ("timeDuration", "PT5M", {}, START + 5 * MINUTE),
        ("timeDuration", "'PT5M'", {}, START + 5 * MINUTE),
        ("timeDuration", "${delay}", {"delay": "PT5M"}, START + 5 * MINUTE),
        ("timeDate", "2026-01-01T00:05:00Z", {}, START + 5 * MINUTE),
        ("timeDate", "${deadline}", {"deadline": "2026-01-01T00:05:00+00:00"}, START + 5 * MINUTE),
    ],
)
def test_intermediate_timer_waits_until_due(
    app: App,
    now: list[dt.datetime],
    diagram: Callable[..., Path],
    kind: str,
    text: str,
    data: dict[str, str],
    due: dt.datetime,
) -> None:
    view = app.run(diagram(d.timer_catch(text, kind)), data)
    iid = view.instance.id
    # The due time is in the timers table written by the commit that started the instance.
    assert view.instance.version == 1
    assert timers_of(app, iid) == [("wait", due)]
    worker = app.worker()
    now[0] = due - dt.timedelta(seconds=1)
    assert worker.run_once() == 0
    assert app.show(iid).instance.status.value == "waiting"
    now[0] = due + dt.timedelta(seconds=1)
    assert worker.run_once() == 1
    done = app.show(iid)
    assert done.instance.status.value == "completed"
    assert done.instance.data["woke"] is True
    assert kinds(app, iid).count("timer_fired") == 1
    assert timers_of(app, iid) == []
    assert worker.run_once() == 0


def test_cycle_timer_fires_three_times_then_stops(
    app: App, now: list[dt.datetime], diagram: Callable[..., Path]
) -> None:
    view = app.run(diagram(d.boundary_timer("R3/PT1H", interrupting=False, kind="timeCycle")))
    iid = view.instance.id
    assert timers_of(app, iid) == [("late", START + dt.timedelta(hours=1))]
    worker = app.worker()
    for hour in range(1, 6):
        now[0] = START + dt.timedelta(hours=hour, seconds=1)
        worker.run_once()
    chases = [t for t in app.tasks() if t.instance_id == iid and t.element_id == "chase"]
    assert len(chases) == 3
    assert [t.element_id for t in app.tasks() if t.element_id == "work"] == ["work"]
    assert timers_of(app, iid) == []


def test_cycle_timer_history_has_three_firings(
    app: App, now: list[dt.datetime], diagram: Callable[..., Path]
) -> None:
    view = app.run(diagram(d.boundary_timer("R3/PT1H", interrupting=False, kind="timeCycle")))
    worker = app.worker()
    for hour in range(1, 6):
        now[0] = START + dt.timedelta(hours=hour, seconds=1)
        worker.run_once()
    assert kinds(app, view.instance.id).count("timer_fired") == 3


def test_interrupting_boundary_timer_cancels_the_task(
    app: App, now: list[dt.datetime], diagram: Callable[..., Path]
) -> None:
    view = app.run(diagram(d.boundary_timer("PT1M", interrupting=True)))
    iid = view.instance.id
    assert timers_of(app, iid) == [("late", START + MINUTE)]
    now[0] = START + 2 * MINUTE
    assert app.worker().run_once() == 1
    waiting = [w.element for w in app.show(iid).waiting]
    assert waiting == ["chase"]
    assert {t.element_id for t in app.tasks() if t.instance_id == iid} == {"chase"}


def test_non_interrupting_boundary_timer_keeps_the_task(
    app: App, now: list[dt.datetime], diagram: Callable[..., Path]
) -> None:
    view = app.run(diagram(d.boundary_timer("PT1M", interrupting=False)))
    iid = view.instance.id
    now[0] = START + 2 * MINUTE
    assert app.worker().run_once() == 1
    assert sorted(w.element for w in app.show(iid).waiting) == ["chase", "work"]


def test_completing_the_task_first_drops_the_boundary_timer(
    app: App, now: list[dt.datetime], diagram: Callable[..., Path]
) -> None:
    view = app.run(diagram(d.boundary_timer("PT1M", interrupting=True)))
    iid = view.instance.id
    (task,) = app.tasks(instance_id=iid)
    assert app.complete(task.id, {}).instance.status.value == "completed"
    assert timers_of(app, iid) == []
    now[0] = START + 2 * MINUTE
    assert app.worker().run_once() == 0
    assert "timer_fired" not in kinds(app, iid)


def test_start_timer(app: App, now: list[dt.datetime], diagram: Callable[..., Path]) -> None:
    view = app.run(diagram(d.start_timer("PT10M")))
    iid = view.instance.id
    assert [w.kind for w in view.waiting] == ["timer"]
    assert timers_of(app, iid) == [("start", START + 10 * MINUTE)]
    now[0] = START + 9 * MINUTE
    assert app.worker().run_once() == 0
    now[0] = START + 11 * MINUTE
    assert app.worker().run_once() == 1
    assert [w.element for w in app.show(iid).waiting] == ["work"]


def test_non_interrupting_event_subprocess_timer(
    app: App, now: list[dt.datetime], diagram: Callable[..., Path]
) -> None:
    view = app.run(diagram(d.event_subprocess_timer("PT1H", interrupting=False)))
    iid = view.instance.id
    assert timers_of(app, iid) == [("esp_start", START + dt.timedelta(hours=1))]
    now[0] = START + dt.timedelta(hours=1, seconds=1)
    assert app.worker().run_once() == 1
    assert sorted(w.element for w in app.show(iid).waiting) == ["chase", "work"]


def test_interrupting_event_subprocess_timer_cancels_the_main_flow(
    app: App, now: list[dt.datetime], diagram: Callable[..., Path]
) -> None:
    view = app.run(diagram(d.event_subprocess_timer("PT1H", interrupting=True)))
    now[0] = START + dt.timedelta(hours=1, seconds=1)
    app.worker().run_once()
    assert [w.element for w in app.show(view.instance.id).waiting] == ["chase"]


def test_worker_steps_are_history_events(
    app: App, now: list[dt.datetime], diagram: Callable[..., Path]
) -> None:
    view = app.run(diagram(d.boundary_timer("PT1M", interrupting=True)))
    now[0] = START + 2 * MINUTE
    app.worker().run_once()
    history = app.show(view.instance.id).history or ()
    fired = [e for e in history if e.kind == "timer_fired"]
    assert len(fired) == 1
    assert fired[0].actor == "worker"
    assert fired[0].element_id == "late"
    assert fired[0].at == START + 2 * MINUTE
    fired_seq = fired[0].seq
    assert fired_seq is not None
    after = [e.kind for e in history if e.seq is not None and e.seq > fired_seq]
    assert after and after[-1] in ("waiting", "instance_waiting")
