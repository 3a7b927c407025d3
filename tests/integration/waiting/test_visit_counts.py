"""The instance diagram's counts: an element that waited and then ran once counts once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from seamline.app import App
from seamline.web.overlay import instance_overlay
from tests.integration.waiting import diagrams as d
from tests.integration.waiting.conftest import START


def counts(app: App, instance_id: str) -> dict[str, int]:
    overlay, _file, _process, status = instance_overlay(app, instance_id)
    assert status == "completed"
    return dict(overlay.counts)


def test_a_timer_that_fired_counts_once(
    app: App, now: list[dt.datetime], diagram: Callable[..., Path]
) -> None:
    iid = app.run(diagram(d.timer_catch("PT1M"))).instance.id
    now[0] = START + dt.timedelta(minutes=2)
    app.worker().run_once()
    assert counts(app, iid) == {"start": 1, "wait": 1, "after": 1, "end": 1}


def test_a_message_and_a_signal_received_count_once(app: App, diagram: Callable[..., Path]) -> None:
    paid = app.run(diagram(d.zeebe_message_catch()), {"orderId": "A1"}).instance.id
    app.message("paid", key="A1")
    assert counts(app, paid) == {"start": 1, "await_payment": 1, "end": 1}
    stopped = app.run(diagram(d.signal_catch(), "signal.bpmn")).instance.id
    app.signal("stop")
    assert counts(app, stopped) == {"start": 1, "await_stop": 1, "after": 1, "end": 1}


def test_a_receive_task_counts_once(app: App, diagram: Callable[..., Path]) -> None:
    iid = app.run(diagram(d.receive_task())).instance.id
    app.message("documents")
    assert counts(app, iid) == {"start": 1, "await_docs": 1, "end": 1}
