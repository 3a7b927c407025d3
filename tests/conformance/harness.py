"""The conformance harness: draw a diagram, deploy it, drive it the way a Camunda test does.

Every case of ``tests/conformance`` reproduces one scenario of Camunda 7's or Camunda 8's own
engine tests. Each draws its own diagram (the ``camunda7`` / ``zeebe`` / ``spiff`` / ``plain``
helpers wrap a process body in the flavour's namespaces), runs it through :class:`seamline.App`
on a SQLite file with a test clock (so every call is a store round trip and timers move only when
the case says so), and asserts what the upstream test asserts.

A case seamline refuses on purpose is marked ``@pytest.mark.refused("why")`` and asserts the
refusal (:meth:`Engine.refused`: a located one-line error naming the element); it passes as a
test, and ``benchmarks/conformance.py`` counts it as not conformant.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from seamline.app import App
from seamline.connectors.registry import ConnectorRegistry
from seamline.engine.step import InstanceView
from seamline.errors import LoadError, SeamlineError
from seamline.services.worker import Worker
from seamline.store.records import HumanTask, InstanceStatus
from seamline.store.sqlite import SqliteStore
from seamline.testing import FakeConnector

#: Where every case's clock starts (a Monday, so cron and business-day cases read naturally).
EPOCH = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)

_NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
_FLAVOUR_NS = {
    "camunda7": ('xmlns:camunda="http://camunda.org/schema/1.0/bpmn"', "Camunda Modeler", "5.31.0"),
    "zeebe": ('xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"', "Camunda Modeler", "5.31.0"),
    "spiff": ('xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"', "", ""),
    "plain": ("", "", ""),
}


def definitions(body: str, flavour: str = "camunda7") -> str:
    """A whole BPMN file around ``body`` (processes, messages, errors, collaborations...)."""
    extra, exporter, version = _FLAVOUR_NS[flavour]
    ns = " ".join(f'xmlns:{k}="{v}"' for k, v in _NS.items())
    exported = f' exporter="{exporter}" exporterVersion="{version}"' if exporter else ""
    platform = ""
    if flavour == "zeebe":
        platform = (
            ' xmlns:modeler="http://camunda.org/schema/modeler/1.0"'
            ' modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0"'
        )
    elif flavour == "camunda7":
        platform = (
            ' xmlns:modeler="http://camunda.org/schema/modeler/1.0"'
            ' modeler:executionPlatform="Camunda Platform"'
            ' modeler:executionPlatformVersion="7.22.0"'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<bpmn:definitions {ns} {extra} id="defs" targetNamespace="http://bpmn.io/schema/bpmn"'
        f"{exported}{platform}>\n{body}\n</bpmn:definitions>\n"
    )


def process(pid: str, body: str, *, flavour: str = "camunda7", extra: str = "") -> str:
    """One executable process ``pid`` (plus top-level ``extra``: messages, errors, signals)."""
    proc = f'<bpmn:process id="{pid}" isExecutable="true">\n{body}\n</bpmn:process>'
    return definitions(f"{extra}\n{proc}", flavour)


def camunda7(pid: str, body: str, extra: str = "") -> str:
    """A Camunda 7 (Camunda Platform) diagram."""
    return process(pid, body, flavour="camunda7", extra=extra)


def zeebe(pid: str, body: str, extra: str = "") -> str:
    """A Camunda 8 (Zeebe) diagram."""
    return process(pid, body, flavour="zeebe", extra=extra)


def plain(pid: str, body: str, extra: str = "") -> str:
    """A plain BPMN 2.0 diagram (no vendor extensions)."""
    return process(pid, body, flavour="plain", extra=extra)


def spiff(pid: str, body: str, extra: str = "") -> str:
    """A SpiffArena diagram."""
    return process(pid, body, flavour="spiff", extra=extra)


def esc(text: str) -> str:
    """XML-escape an expression or script for use in element text or an attribute."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def flows(*pairs: str) -> str:
    """Sequence flows from ``"a->b"`` strings (ids ``f1``, ``f2``...); ``"a->b: cond"`` adds a
    condition expression (written as given, escaped)."""
    out = []
    for n, pair in enumerate(pairs, start=1):
        edge, _, cond = pair.partition(":")
        src, dst = (p.strip() for p in edge.split("->"))
        fid = f"f{n}_{src}_{dst}"
        if cond.strip():
            out.append(
                f'<bpmn:sequenceFlow id="{fid}" sourceRef="{src}" targetRef="{dst}">'
                f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">'
                f"{esc(cond.strip())}</bpmn:conditionExpression></bpmn:sequenceFlow>"
            )
        else:
            out.append(f'<bpmn:sequenceFlow id="{fid}" sourceRef="{src}" targetRef="{dst}"/>')
    return "\n".join(out)


def script(tid: str, code: str, *, fmt: str = "python", attrs: str = "") -> str:
    """A script task (Python: the script language every flavour of seamline runs)."""
    return (
        f'<bpmn:scriptTask id="{tid}" scriptFormat="{fmt}" {attrs}>'
        f"<bpmn:script>{esc(code)}</bpmn:script></bpmn:scriptTask>"
    )


def user(tid: str, attrs: str = "", inner: str = "") -> str:
    """A user task."""
    return f'<bpmn:userTask id="{tid}" {attrs}>{inner}</bpmn:userTask>'


class TestClock:
    """A clock that moves only when told."""

    def __init__(self, start: dt.datetime = EPOCH) -> None:
        self.at = start

    def __call__(self) -> dt.datetime:
        return self.at


class Run:
    """One process instance, read back from the store on every question."""

    def __init__(self, engine: Engine, instance_id: str) -> None:
        self.engine = engine
        self.id = instance_id

    @property
    def app(self) -> App:
        return self.engine.app

    def view(self) -> InstanceView:
        """The instance as stored now, with its history."""
        return self.app.show(self.id, history=True)

    @property
    def status(self) -> InstanceStatus:
        return self.view().instance.status

    @property
    def ended(self) -> bool:
        """Completed (the process instance ended normally)."""
        return self.status is InstanceStatus.COMPLETED

    @property
    def error(self) -> str | None:
        return self.view().instance.error

    @property
    def data(self) -> dict[str, Any]:
        """The process variables as stored."""
        return dict(self.view().instance.data)

    def tasks(self) -> list[HumanTask]:
        """The open human tasks of this instance."""
        return list(self.app.tasks(instance_id=self.id))

    def open_tasks(self) -> list[str]:
        """Element ids of the open human tasks, sorted (one entry per task)."""
        return sorted(t.element_id for t in self.tasks())

    def task(self, element: str) -> HumanTask:
        """The one open task of ``element`` (AssertionError if there is none)."""
        found = [t for t in self.tasks() if t.element_id == element]
        assert found, f"no open task {element!r}; open: {self.open_tasks()}"
        return found[0]

    def complete(self, element: str, data: Mapping[str, Any] | None = None) -> Run:
        """Complete one open task of ``element``."""
        self.app.complete(self.task(element).id, data)
        return self

    def waiting(self) -> list[tuple[str, str]]:
        """(element, kind) of everything the instance waits for, sorted."""
        return sorted((w.element, w.kind) for w in self.view().waiting)

    def waits_for(self) -> list[str]:
        """Element ids the instance waits at (tasks, events, receive tasks), sorted."""
        return sorted(w.element for w in self.view().waiting)

    def events(self, kind: str | None = None) -> list[tuple[str, str | None, dict[str, Any]]]:
        """(kind, element, data) of the recorded history, in order."""
        return [
            (e.kind, e.element_id, dict(e.data))
            for e in self.app.store.list_events(self.id)
            if kind is None or e.kind == kind
        ]

    def ran(self) -> list[str]:
        """Activities that ran (script, service, user... tasks completed), in order."""
        return [el for _, el, _ in self.events("task_ran") if el]

    def passed(self) -> dict[str, int]:
        """Events and gateways passed, with how many times."""
        counts: dict[str, int] = {}
        for _, _, data in self.events("passed"):
            for el, n in (data.get("elements") or {}).items():
                counts[el] = counts.get(el, 0) + int(n)
        return counts

    def visited(self, element: str) -> int:
        """How many times ``element`` ran or was passed."""
        return self.ran().count(element) + self.passed().get(element, 0)

    def set_data(self, data: Mapping[str, Any]) -> Run:
        """Change variables from outside (conditional events re-evaluate)."""
        self.app.set_data(self.id, data)
        return self

    def cancel(self) -> Run:
        self.app.cancel(self.id)
        return self

    def task_data(self, element: str) -> dict[str, Any]:
        """The variables the live task of ``element`` sees (in a called process: that
        process's variables, as Camunda's ``taskService.getVariables`` gives them)."""
        from seamline.engine import projections
        from seamline.spiff import TaskState

        workflow = self.app.engine._load(self.id, None).workflow
        live = (TaskState.READY, TaskState.STARTED, TaskState.WAITING)
        for task in projections.all_tasks(workflow):
            if projections.element_id(task) == element and task.state in live:
                return dict(task.data)
        raise AssertionError(f"no live task of {element!r}")


class Engine:
    """An App on a SQLite file with a test clock and fake connectors, for one case."""

    def __init__(self, tmp: Path, *, connectors: Sequence[FakeConnector] = ()) -> None:
        self.tmp = tmp
        self.clock = TestClock()
        self.registry = ConnectorRegistry.default({})
        for connector in connectors:
            self.registry.register(connector)
        self.store = SqliteStore(tmp / "conformance.db")
        self.app = App(self.store, connectors=self.registry, clock=self.clock)
        self._names = itertools.count(1)

    def close(self) -> None:
        self.app.close()

    def connector(self, connector: FakeConnector) -> FakeConnector:
        """Register a fake connector (a service task's worker) and return it."""
        self.registry.register(connector)
        return connector

    def write(self, xml: str, name: str | None = None) -> Path:
        """Write a diagram into the case's directory."""
        path = self.tmp / (name or f"diagram{next(self._names)}.bpmn")
        path.write_text(xml, encoding="utf-8")
        return path

    def deploy(self, *xml: str) -> list[str]:
        """Deploy diagrams (XML text or written paths); returns the deployed process ids."""
        paths = [self.write(x) if x.lstrip().startswith("<") else Path(x) for x in xml]
        return [d.process_id for d in self.app.deploy(paths)]

    def start(
        self,
        xml_or_process: str,
        data: Mapping[str, Any] | None = None,
        *,
        business_key: str | None = None,
        process_id: str | None = None,
    ) -> Run:
        """Start an instance of a diagram (XML text: deployed first) or of a deployed id."""
        if xml_or_process.lstrip().startswith("<"):
            ids = self.deploy(xml_or_process)
            xml_or_process = process_id or ids[0]
        view = self.app.run(xml_or_process, data, business_key=business_key)
        return Run(self, view.instance.id)

    def refused(self, xml: str, *, element: str, says: str = "") -> str:
        """The diagram is refused at load, in one line naming the file line and ``element``."""
        path = self.write(xml)
        try:
            self.app.deploy([path])
        except LoadError as exc:
            message = str(exc)
        else:
            raise AssertionError(f"{path.name} was accepted; expected a refusal at {element}")
        assert "\n" not in message.strip(), message
        assert element in message, f"{element!r} not named in: {message}"
        assert re.search(rf"{re.escape(path.name)}:\d+", message), f"no file:line in: {message}"
        assert "Traceback" not in message and "TypeError" not in message, message
        if says:
            assert says.lower() in message.lower(), f"{says!r} not in: {message}"
        return message

    def fails(self, action: Any, *args: Any, **kwargs: Any) -> SeamlineError:
        """Call ``action``; it must raise a SeamlineError (returned)."""
        try:
            action(*args, **kwargs)
        except SeamlineError as exc:
            return exc
        raise AssertionError(f"{action!r} did not fail")

    # -- time and the outside world ------------------------------------------------------------

    def work(self) -> int:
        """Run the worker until nothing is due (timers fired, jobs run); returns steps taken."""
        worker = Worker(self.app.engine)
        total = 0
        for _ in range(1000):
            steps = worker.run_once()
            total += steps
            if steps == 0:
                return total
        raise AssertionError("the worker never ran out of due work")

    def advance(self, **delta: float) -> int:
        """Move the clock (``hours=1``, ``minutes=5``...) and do what became due."""
        self.clock.at += dt.timedelta(**delta)
        return self.work()

    def advance_to(self, when: dt.datetime) -> int:
        """Move the clock to ``when`` and do what became due."""
        self.clock.at = when
        return self.work()

    def message(
        self, name: str, data: Mapping[str, Any] | None = None, *, key: str | None = None
    ) -> Any:
        """Correlate a message (by business key / correlation key when given)."""
        return self.app.message(name, key=key, data=data)

    def signal(self, name: str, data: Mapping[str, Any] | None = None) -> Any:
        """Broadcast a signal."""
        return self.app.signal(name, data=data)

    def instances(self, process_id: str | None = None) -> list[Run]:
        """Every instance (of ``process_id``), oldest first."""
        rows = self.app.instances(process_id=process_id, limit=10_000)
        return [Run(self, r.id) for r in reversed(rows)]

    def with_users(self, *names: str, admins: Sequence[str] = ()) -> Engine:
        """Rebuild the App with these users (``admins`` among them), on the same store."""
        from seamline.humans.identity import ConfigDirectory, User

        directory = ConfigDirectory(User(n, admin=n in admins) for n in [*names, *admins])
        self.app = App(self.store, connectors=self.registry, clock=self.clock, directory=directory)
        return self
