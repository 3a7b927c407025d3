"""samples/escalation: an unanswered ticket goes to a manager after one minute."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from seamline.app import App
from tests.integration.waiting.conftest import START

SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "escalation" / "escalation.bpmn"


def test_unanswered_ticket_escalates_to_a_manager(app: App, now: list[dt.datetime]) -> None:
    view = app.run(SAMPLE)
    iid = view.instance.id
    (task,) = app.tasks(instance_id=iid)
    assert (task.element_id, task.candidate_groups) == ("answer", ("agents",))
    now[0] = START + dt.timedelta(seconds=59)
    assert app.worker().run_once() == 0
    now[0] = START + dt.timedelta(minutes=1, seconds=1)
    assert app.worker().run_once() == 1
    (task,) = app.tasks(instance_id=iid)
    assert (task.element_id, task.candidate_groups) == ("take_over", ("managers",))
    assert app.complete(task.id, {}).instance.status.value == "completed"


def test_answered_in_time_never_escalates(app: App, now: list[dt.datetime]) -> None:
    iid = app.run(SAMPLE).instance.id
    (task,) = app.tasks(instance_id=iid)
    assert app.complete(task.id, {}).instance.status.value == "completed"
    now[0] = START + dt.timedelta(minutes=5)
    assert app.worker().run_once() == 0
