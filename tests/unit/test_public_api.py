"""The public surface is deliberate: adding or removing a name must change this test."""

from __future__ import annotations

import seamline

EXPECTED = {
    "__version__",
    "App",
    "Connector",
    "ConnectorCall",
    "ConnectorRegistry",
    "ConnectorResult",
    "Deployed",
    "InstanceView",
    "MemoryStore",
    "ProcessDefinition",
    "Problem",
    "SeamlineError",
    "Settings",
    "SqliteStore",
    "Store",
    "Worker",
    "load_files",
    "load_settings",
    "open_store",
}


def test_all_is_exactly_the_public_api() -> None:
    assert set(seamline.__all__) == EXPECTED


def test_every_exported_name_resolves() -> None:
    for name in seamline.__all__:
        assert getattr(seamline, name) is not None, name


def test_the_documented_round_trip(tmp_path) -> None:
    diagram = tmp_path / "hello.bpmn"
    diagram.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <process id="hello" isExecutable="true">
    <startEvent id="s"/><userTask id="greet" name="Greet"/><endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="greet"/>
    <sequenceFlow id="f2" sourceRef="greet" targetRef="e"/>
  </process>
</definitions>""",
        encoding="utf-8",
    )
    with seamline.App.open(db=str(tmp_path / "s.db"), cwd=tmp_path) as app:
        view = app.run(diagram, {"who": "world"})
        assert view.instance.status.value == "waiting"
        [task] = app.tasks()
        done = app.complete(task.id, {"greeted": True})
    assert done.instance.status.value == "completed"
    assert done.instance.data == {"who": "world", "greeted": True}
