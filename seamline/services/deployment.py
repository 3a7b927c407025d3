"""Deploying processes and finding the one to run: definitions in, schedules kept.

A deploy stores each file bundle once per content hash; a process with a timer start event
gets a waiting instance for its timer, and the waiting start instances of its older versions
are cancelled (a redeploy replaces the schedule). A start cycle hands the rest of its schedule
to a new waiting instance at every firing (``seamline.engine.start_timers``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seamline.bpmn.definition import ProcessDefinition
from seamline.bpmn.discover import companions, with_linked_forms
from seamline.engine.engine import Engine
from seamline.engine.waiting import starts, timer_started
from seamline.errors import UsageError
from seamline.services.validator import Check, load_checked
from seamline.store.base import Store
from seamline.store.records import Definition, InstanceStatus


@dataclass(frozen=True)
class Deployed:
    """One process stored by :meth:`seamline.App.deploy`."""

    process_id: str
    name: str | None
    hash: str
    new: bool
    flavour: str

    def to_json(self) -> dict[str, Any]:
        """The shape `seamline deploy --json` prints."""
        return {
            "process": self.process_id,
            "name": self.name,
            "version": self.hash,
            "new": self.new,
            "flavour": self.flavour,
        }


class Deployments:
    """Loads, stores and schedules definitions for one engine and store."""

    def __init__(
        self,
        engine: Engine,
        store: Store,
        checks: Sequence[Check],
        clock: Callable[[], dt.datetime],
    ) -> None:
        self.engine = engine
        self.store = store
        self.checks = tuple(checks)
        self.clock = clock

    def load(self, paths: Sequence[str | Path]) -> dict[str, ProcessDefinition]:
        """Load diagram files through the checks; LoadError naming the first error."""
        return load_checked(paths, self.checks)

    def deploy(self, paths: Sequence[str | Path]) -> list[Deployed]:
        """Store the processes of ``paths`` (and the forms they link); schedule timer starts."""
        definitions = self.load(with_linked_forms(paths))
        deployed = self.store_all(definitions)
        for d in deployed:
            if d.new and timer_started(definitions[d.process_id]):
                self._schedule(definitions[d.process_id])
        return deployed

    def _schedule(self, definition: ProcessDefinition) -> None:
        for old in self.store.list_instances(
            status=InstanceStatus.WAITING, process_id=definition.process_id, limit=1000
        ):
            if old.definition_hash == definition.content_hash:
                continue
            waits = self.engine.view(old.id).waiting
            if waits and all(w.kind == "timer" and w.element in starts(definition) for w in waits):
                self.engine.cancel(old.id, actor="deploy")
        self.engine.start(definition, {}, actor="deploy")

    def store_all(self, definitions: Mapping[str, ProcessDefinition]) -> list[Deployed]:
        """Store one loaded bundle (once per content hash) and remember its definitions."""
        first = next(iter(definitions.values()))
        record = Definition(
            hash=first.content_hash,
            process_ids=tuple(definitions),
            name=first.name,
            flavour=first.flavour.value,
            sources=dict(first.sources),
            created_at=self.clock(),
        )
        new = self.store.put_definition(record)
        for definition in definitions.values():
            self.engine.definitions.remember(definition)
        return [
            Deployed(d.process_id, d.name, d.content_hash, new, d.flavour.value)
            for d in definitions.values()
        ]

    def latest(self, process_id: str) -> ProcessDefinition:
        """The latest deployed version of ``process_id``."""
        stored = self.store.latest_definition(process_id)
        return self.engine.definitions.get(stored.hash, process_id)

    def to_run(self, target: str | Path, process_id: str | None = None) -> ProcessDefinition:
        """The process to start: of a file (stored first, with its companions) or deployed."""
        path = Path(target)
        if path.suffix.lower() in (".bpmn", ".xml", ".bpmn20") or path.exists():
            # DMN files and called processes beside a diagram load with it.
            definitions = self.load([path, *companions(path)])
            self.store_all(definitions)
            chosen = process_id or _main_process(path, definitions)
            if chosen not in definitions:
                raise UsageError(
                    f"{path} has no process {chosen!r}; it has {', '.join(sorted(definitions))}"
                )
            return definitions[chosen]
        return self.latest(process_id or str(target))


def _main_process(path: Path, definitions: Mapping[str, ProcessDefinition]) -> str:
    """The process of ``path`` that no other loaded process calls."""
    own = [d for d in definitions.values() if Path(d.file).name == path.name] or list(
        definitions.values()
    )
    called: set[str] = set()
    for d in definitions.values():
        called.update(k for k in d.subprocess_specs if k != d.process_id)
    roots = [d.process_id for d in own if d.process_id not in called]
    if len(roots) == 1:
        return roots[0]
    raise UsageError(
        f"{path} holds several processes ({', '.join(sorted(roots or definitions))});"
        " name one with --process"
    )
