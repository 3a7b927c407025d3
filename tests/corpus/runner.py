"""A small driver for running corpus diagrams through the App, one store round trip per call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from seamline.app import App
from seamline.engine.step import InstanceView
from seamline.store.records import InstanceStatus


class Run:
    """One instance of a corpus diagram, driven the way a user drives it: run, then complete."""

    def __init__(self, app: App, view: InstanceView) -> None:
        self.app = app
        self.id = view.instance.id

    @classmethod
    def start(
        cls,
        app: App,
        path: Path,
        data: Mapping[str, Any] | None = None,
        *,
        with_files: Sequence[Path] = (),
        process_id: str | None = None,
    ) -> Run:
        """Start ``path``'s process; ``with_files`` are deployed with it (called processes)."""
        if with_files:
            deployed = app.deploy([path, *with_files])
            chosen = process_id or deployed[0].process_id
            return cls(app, app.run(chosen, data))
        return cls(app, app.run(path, data, process_id=process_id))

    def view(self) -> InstanceView:
        """The instance as stored now."""
        return self.app.show(self.id, history=False)

    @property
    def status(self) -> InstanceStatus:
        """The stored status."""
        return self.view().instance.status

    @property
    def error(self) -> str | None:
        """The stored incident or failure message."""
        return self.view().instance.error

    @property
    def data(self) -> dict[str, Any]:
        """The stored process data summary."""
        return dict(self.view().instance.data)

    def open_tasks(self) -> list[str]:
        """Element ids of the open human tasks, sorted (one entry per task)."""
        return sorted(t.element_id for t in self.app.tasks(instance_id=self.id))

    def waiting(self) -> list[tuple[str, str]]:
        """(element, kind) of everything the instance waits for, sorted."""
        return sorted((w.element, w.kind) for w in self.view().waiting)

    def complete(self, element: str, data: Mapping[str, Any] | None = None) -> InstanceView:
        """Complete one open task of ``element``; AssertionError if there is none."""
        tasks = [t for t in self.app.tasks(instance_id=self.id) if t.element_id == element]
        assert tasks, f"no open task {element!r}; open: {self.open_tasks()}"
        return self.app.complete(tasks[0].id, data)

    def history(self, kind: str) -> list[str | None]:
        """Element ids of the instance's events of one kind, in order."""
        return [e.element_id for e in self.app.store.list_events(self.id) if e.kind == kind]
