"""Who may change an instance, through App (the CLI and the web share it)."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from seamline.app import App
from seamline.config import Settings
from seamline.errors import Forbidden
from seamline.store.memory import MemoryStore

REVIEW = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="x">
<bpmn:process id="p" isExecutable="true">
<bpmn:startEvent id="s"/>
<bpmn:userTask id="review" camunda:candidateGroups="clerks"/>
<bpmn:userTask id="anyone"/>
<bpmn:endEvent id="e"/>
<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="review"/>
<bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="anyone"/>
<bpmn:sequenceFlow id="f3" sourceRef="anyone" targetRef="e"/>
</bpmn:process></bpmn:definitions>
"""

USERS = """
[users.ann]
groups = ["clerks"]
[users.bob]
groups = ["clerks"]
[users.sue]
groups = ["sales"]
[users.root]
groups = ["admins"]
"""


@pytest.fixture
def app() -> App:
    return App(MemoryStore(), settings=Settings(raw=tomllib.loads(USERS)))


def test_a_claimed_task_gives_a_part_to_its_assignee_only(
    app: App, diagram: Callable[[str], Path]
) -> None:
    view = app.run(diagram(REVIEW), {}, user="sue")
    iid = view.instance.id
    app.set_data(iid, {"by": "bob"}, user="bob")  # a candidate of the open task
    app.claim(view.waiting[0].task, user="ann")
    with pytest.raises(Forbidden, match="bob may not set instance"):
        app.set_data(iid, {"by": "bob"}, user="bob")
    assert app.set_data(iid, {"by": "ann"}, user="ann").instance.data["by"] == "ann"
    assert app.set_data(iid, {"by": "sue"}, user="sue").instance.data["by"] == "sue"
    refused = [e for e in app.store.list_events(iid) if e.kind == "instance_refused"]
    assert [(e.actor, e.data["verb"]) for e in refused] == [("bob", "set")]


def test_a_task_open_to_anyone_gives_nobody_a_part(
    app: App, diagram: Callable[[str], Path]
) -> None:
    view = app.run(diagram(REVIEW), {}, user="ann")
    moved = app.complete(view.waiting[0].task, {}, user="ann")
    assert [w.element for w in moved.waiting] == ["anyone"]
    with pytest.raises(Forbidden, match="sue may not retry instance"):
        app.retry(view.instance.id, user="sue")
    with pytest.raises(Forbidden, match="only an administrator or the user who started it"):
        app.cancel(view.instance.id, user="bob")
    assert app.cancel(view.instance.id, user="ann").instance.status.value == "cancelled"
