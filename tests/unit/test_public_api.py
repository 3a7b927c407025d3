"""The public surface is deliberate: adding or removing a name must change this test."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest

import seamline

HELLO = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <process id="hello" isExecutable="true">
    <startEvent id="s"/><userTask id="greet" name="Greet"/><endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="greet"/>
    <sequenceFlow id="f2" sourceRef="greet" targetRef="e"/>
  </process>
</definitions>"""

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


def test_the_documented_round_trip(tmp_path: Path) -> None:
    diagram = tmp_path / "hello.bpmn"
    diagram.write_text(HELLO, encoding="utf-8")
    with seamline.App.open(db=str(tmp_path / "s.db"), cwd=tmp_path) as app:
        view = app.run(diagram, {"who": "world"})
        assert view.instance.status.value == "waiting"
        [task] = app.tasks()
        done = app.complete(task.id, {"greeted": True})
    assert done.instance.status.value == "completed"
    assert done.instance.data == {"who": "world", "greeted": True}


# -- App's methods: names and signatures ------------------------------------------------------
#
# Each entry is the signature as released ("name=" has a default; after "*" keyword-only). A
# signature stays compatible when every released parameter keeps its name and kind (positional
# ones also their place) and any parameter added has a default, so existing calls keep working.

APP_METHODS = {
    "__init__": "self, store, *, settings=, connectors=, directory=, secrets=, clock=, sandbox=",
    "open": "db=, *, config=, trusted_scripts=, cwd=, clock=",
    "close": "self",
    "__enter__": "self",
    "__exit__": "self, *exc",
    "user": "self, name",
    "load": "self, paths",
    "deploy": "self, paths",
    "definition": "self, process_id",
    "run": "self, target, data=, *, process_id=, business_key=, user=",
    "show": "self, instance_id, *, history=",
    "instances": "self, *, status=, process_id=, limit=",
    "tasks": "self, *, user=, mine=, group=, overdue=, instance_id=, limit=",
    "task": "self, task_id",
    "claim": "self, task_id, *, user",
    "unclaim": "self, task_id, *, user",
    "assign": "self, task_id, assignee, *, user",
    "complete": "self, task_id, data=, *, user=",
    "message": "self, name, *, key=, data=, message_id=, ttl=, user=",
    "signal": "self, name, *, data=, user=",
    "set_data": "self, instance_id, data, *, user=",
    "resume": "self, instance_id, *, user=",
    "retry": "self, instance_id, *, user=",
    "cancel": "self, instance_id, *, user=",
    "worker": "self, **kwargs",
    "now": "self",
    "clock_init": "self, at=",
    "clock_now": "self",
    "clock_set": "self, at",
    "clock_advance": "self, delta",
}

WORKER_METHODS = {
    "__init__": "self, app, *, owner=, lease_seconds=, batch=, log=",
    "run_once": "self",
    "run": "self, *, interval=",
    "stop": "self, *_",
}

P = inspect.Parameter


def released(spec: str) -> list[tuple[str, Any, bool]]:
    """(name, kind, has a default) for each parameter of a spec string."""
    out: list[tuple[str, Any, bool]] = []
    kind: Any = P.POSITIONAL_OR_KEYWORD
    for token in (t.strip() for t in spec.split(",")):
        if token == "*":
            kind = P.KEYWORD_ONLY
        elif token.startswith("**"):
            out.append((token[2:], P.VAR_KEYWORD, False))
        elif token.startswith("*"):
            out.append((token[1:], P.VAR_POSITIONAL, False))
            kind = P.KEYWORD_ONLY
        else:
            out.append((token.rstrip("="), kind, token.endswith("=")))
    return out


def incompatibilities(function: Any, spec: str) -> list[str]:
    """What keeps a call written against ``spec`` from working with ``function``."""
    actual = list(inspect.signature(function).parameters.values())
    by_name = {p.name: p for p in actual}
    wrong: list[str] = []
    old = released(spec)
    for index, (name, kind, has_default) in enumerate(old):
        now = by_name.get(name)
        if now is None:
            wrong.append(f"{name} is gone")
        elif now.kind != kind:
            wrong.append(f"{name} is {now.kind.description}, was {kind.description}")
        elif has_default and now.default is P.empty:
            wrong.append(f"{name} lost its default")
        elif kind in (P.POSITIONAL_OR_KEYWORD, P.VAR_POSITIONAL) and actual.index(now) != index:
            wrong.append(f"{name} moved from position {index}")
    names = {name for name, _, _ in old}
    for p in actual:
        if (
            p.name not in names
            and p.default is P.empty
            and p.kind in (P.POSITIONAL_OR_KEYWORD, P.KEYWORD_ONLY)
        ):
            wrong.append(f"{p.name} is new and required")
    return wrong


@pytest.mark.parametrize("name", sorted(APP_METHODS))
def test_app_method_keeps_its_signature(name: str) -> None:
    method = getattr(seamline.App, name, None)
    assert callable(method), f"App.{name} is gone"
    assert incompatibilities(method, APP_METHODS[name]) == []


@pytest.mark.parametrize("name", sorted(WORKER_METHODS))
def test_worker_method_keeps_its_signature(name: str) -> None:
    method = getattr(seamline.Worker, name, None)
    assert callable(method), f"Worker.{name} is gone"
    assert incompatibilities(method, WORKER_METHODS[name]) == []


def test_app_open_is_a_classmethod() -> None:
    assert isinstance(inspect.getattr_static(seamline.App, "open"), classmethod)


def test_the_compatibility_check_can_fail() -> None:
    def renamed(self: Any, task: str, *, user: str | None = None) -> None: ...

    def reordered(
        self: Any, data: Any = None, task_id: str = "", *, user: str | None = None
    ) -> None: ...

    def grown(self: Any, task_id: str, data: Any = None, *, user: str | None, why: str) -> None: ...

    spec = APP_METHODS["complete"]
    assert "task_id is gone" in incompatibilities(renamed, spec)
    assert "task_id moved from position 1" in incompatibilities(reordered, spec)
    assert incompatibilities(grown, spec) == ["user lost its default", "why is new and required"]

    def extended(
        self: Any, task_id: str, data: Any = None, *, user: str | None = None, note: str = ""
    ) -> None: ...

    assert incompatibilities(extended, spec) == []


def test_the_to_json_shapes(tmp_path: Path) -> None:
    diagram = tmp_path / "hello.bpmn"
    diagram.write_text(HELLO, encoding="utf-8")
    with seamline.App.open(db=str(tmp_path / "s.db"), cwd=tmp_path) as app:
        [deployed] = app.deploy([diagram])
        assert set(deployed.to_json()) == {"process", "name", "version", "new", "flavour"}
        view = app.run("hello", {"who": "world"}, business_key="k1")
        assert set(view.to_json()) == {
            "instance",
            "process",
            "status",
            "waiting",
            "data",
            "business_key",
        }
        [wait] = view.to_json()["waiting"]
        assert set(wait) == {"task", "element", "name", "kind"}
        shown = app.show(view.instance.id).to_json()
        assert set(shown["history"][0]) == {"step", "seq", "at", "kind", "actor", "element", "data"}
        delivery = app.signal("nobody-listens")
        assert set(delivery.to_json()) == {
            "name",
            "outcome",
            "instances",
            "statuses",
            "message_id",
            "expires_at",
        }
