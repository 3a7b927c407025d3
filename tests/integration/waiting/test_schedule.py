"""A process with a timer start event is scheduled when it is deployed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from seamline.app import App
from seamline.store.records import InstanceStatus
from tests.integration.waiting import diagrams as d
from tests.integration.waiting.conftest import START


def test_deploy_schedules_and_the_worker_starts_it(
    app: App, now: list[dt.datetime], diagram: Callable[..., Path]
) -> None:
    [deployed] = app.deploy([diagram(d.start_timer("PT1H"))])
    [scheduled] = app.instances(status="waiting")
    assert scheduled.definition_hash == deployed.hash
    assert [w.kind for w in app.show(scheduled.id).waiting] == ["timer"]
    assert app.store.next_timer_due() == START + dt.timedelta(hours=1)
    assert app.worker().run_once() == 0
    now[0] = START + dt.timedelta(hours=1, seconds=1)
    assert app.worker().run_once() == 1
    started = app.show(scheduled.id)
    assert started.instance.status is not InstanceStatus.CANCELLED
    assert any(e.kind == "timer_fired" for e in started.history or ())


def test_redeploying_the_same_version_schedules_nothing_more(
    app: App, diagram: Callable[..., Path]
) -> None:
    path = diagram(d.start_timer("PT1H"))
    app.deploy([path])
    app.deploy([path])
    assert len(app.instances(status="waiting")) == 1


def test_a_new_version_replaces_the_schedule(app: App, diagram: Callable[..., Path]) -> None:
    app.deploy([diagram(d.start_timer("PT1H"), "v1.bpmn")])
    [old] = app.instances(status="waiting")
    [new] = app.deploy([diagram(d.start_timer("PT2H"), "v1.bpmn")])
    assert app.store.get_instance(old.id).status is InstanceStatus.CANCELLED
    [waiting] = app.instances(status="waiting")
    assert waiting.definition_hash == new.hash
