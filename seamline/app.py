"""App: the one composition root.

The CLI, the web app, the worker and the tests all build the same ``App(store=..., ...)``;
nothing in seamline is global. ``App.open()`` builds one from settings (``seamline.toml``,
``SEAMLINE_*``, CLI options).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seamline import jsondata, spiff
from seamline.bpmn import loader
from seamline.bpmn.definition import ProcessDefinition
from seamline.bpmn.discover import with_linked_forms
from seamline.bpmn.problems import Severity
from seamline.config import Settings, load_settings
from seamline.connectors.registry import ConnectorRegistry
from seamline.connectors.secrets import Secrets
from seamline.engine import authorization
from seamline.engine.correlation import Delivery, broadcast_signal, send_message
from seamline.engine.definitions import DefinitionCache
from seamline.engine.engine import Engine
from seamline.engine.event_subprocesses import Interrupter
from seamline.engine.expressions import Evaluator
from seamline.engine.jobs import ConnectorRunner
from seamline.engine.lint import expression_problems
from seamline.engine.scripting import Sandbox
from seamline.engine.step import Clock, InstanceView, utcnow
from seamline.engine.waiting import starts, timer_started
from seamline.engine.worker import Worker
from seamline.errors import Forbidden, LoadError, NotFound, UsageError
from seamline.humans.identity import ConfigDirectory, Directory, User, resolve_actor
from seamline.store.base import Store
from seamline.store.factory import open_store
from seamline.store.records import (
    Definition,
    Event,
    HumanTask,
    Instance,
    InstanceStatus,
    TaskStatus,
)


@dataclass(frozen=True)
class Deployed:
    """One process stored by :meth:`App.deploy`."""

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


class App:
    """Store, connectors, identities, clock and engine, wired once."""

    def __init__(
        self,
        store: Store,
        *,
        settings: Settings | None = None,
        connectors: ConnectorRegistry | None = None,
        directory: Directory | None = None,
        secrets: Secrets | None = None,
        clock: Clock = utcnow,
        sandbox: Sandbox | None = None,
    ) -> None:
        spiff.install()  # every SpiffWorkflow patch, before anything parses or runs a diagram
        self.settings = settings or Settings()
        self.store = store
        self.clock = clock
        self.connectors = connectors or ConnectorRegistry.default(self.settings.connectors)
        self.directory = directory or ConfigDirectory.from_config(self.settings.raw)
        self.secrets = secrets or Secrets.from_config(self.settings.raw)
        sandbox = sandbox or Sandbox(
            trusted=self.settings.trusted_scripts,
            time_limit=self.settings.script_time_limit,
            memory_limit=int(self.settings.script_memory_limit * 2**20),
        )
        self.definitions = DefinitionCache(store)
        self.engine = Engine(
            store,
            self.definitions,
            Evaluator(sandbox),
            self.directory,
            clock=clock,
            lane_groups=self.settings.lanes,
        )
        self.runner = ConnectorRunner(self.connectors, self.secrets, clock=clock)
        self.engine.step_hooks.append(Interrupter().hook)
        self.engine.outbox = self._route
        self.engine.step_hooks.append(self.runner.hook)

    @classmethod
    def open(
        cls,
        db: str | None = None,
        *,
        config: str | Path | None = None,
        trusted_scripts: bool | None = None,
        cwd: Path | None = None,
        clock: Clock = utcnow,
    ) -> App:
        """Build an App from settings; the store is SQLite under ``.seamline/`` by default."""
        settings = load_settings(config, db=db, trusted_scripts=trusted_scripts, cwd=cwd)
        store = open_store(settings.db, cwd=settings.cwd)
        return cls(store, settings=settings, clock=clock)

    def close(self) -> None:
        """Release the store."""
        self.store.close()

    def __enter__(self) -> App:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- identities ----------------------------------------------------------------------------

    def user(self, name: str | None) -> User:
        """The acting user (``--as`` / ``SEAMLINE_USER``); anonymous when none is named."""
        return resolve_actor(self.directory, name)

    # -- definitions ---------------------------------------------------------------------------

    def load(self, paths: Sequence[str | Path]) -> dict[str, ProcessDefinition]:
        """Load diagram files; LoadError naming the first error if any file cannot load."""
        bundle = loader.load_files(paths)
        problems = list(bundle.problems)
        for definition in bundle.definitions.values():
            problems.extend(expression_problems(definition, self.engine.evaluator))
        errors = [p for p in problems if p.severity is Severity.ERROR]
        if errors:
            first = errors[0]
            more = (
                f" (and {len(errors) - 1} more; run `seamline validate`)" if len(errors) > 1 else ""
            )
            raise LoadError(
                first.message + more,
                code=first.code,
                problems=errors,
                file=first.file,
                line=first.line,
                element=first.element,
                hint=first.hint,
            )
        if not bundle.definitions:
            raise LoadError(
                "no executable process in the given files",
                code="no-process",
                file=", ".join(str(p) for p in paths),
            )
        return dict(bundle.definitions)

    def deploy(self, paths: Sequence[str | Path]) -> list[Deployed]:
        """Store the processes of ``paths`` (once per content hash); returns what was stored.

        A process with a timer start event is scheduled when a new version is deployed: an
        instance waits for the timer (the worker starts it when due), and instances of older
        versions still waiting for their start timer are cancelled, as a redeploy replaces the
        schedule.
        """
        definitions = self.load(with_linked_forms(paths))
        deployed = self._store(definitions)
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

    def _store(self, definitions: Mapping[str, ProcessDefinition]) -> list[Deployed]:
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
            self.definitions.remember(definition)
        return [
            Deployed(d.process_id, d.name, d.content_hash, new, d.flavour.value)
            for d in definitions.values()
        ]

    def definition(self, process_id: str) -> ProcessDefinition:
        """The latest deployed version of ``process_id``."""
        stored = self.store.latest_definition(process_id)
        return self.definitions.get(stored.hash, process_id)

    # -- instances -----------------------------------------------------------------------------

    def run(
        self,
        target: str | Path,
        data: Mapping[str, Any] | None = None,
        *,
        process_id: str | None = None,
        business_key: str | None = None,
        user: str | None = None,
    ) -> InstanceView:
        """Start an instance of a file's process (deploying it) or of a deployed process id."""
        jsondata.require_finite(data or {}, "data")
        path = Path(target)
        if path.suffix.lower() in (".bpmn", ".xml", ".bpmn20") or path.exists():
            definitions = self.load([path, *self._siblings(path)])
            self._store(definitions)
            chosen = process_id or self._main_process(path, definitions)
            if chosen not in definitions:
                raise UsageError(
                    f"{path} has no process {chosen!r}; it has {', '.join(sorted(definitions))}"
                )
            definition = definitions[chosen]
        else:
            definition = self.definition(process_id or str(target))
        return self.engine.start(definition, data, business_key=business_key, actor=user)

    def _siblings(self, path: Path) -> list[Path]:
        """DMN files and called processes beside a diagram load with it."""
        from seamline.bpmn.discover import companions

        return companions(path)

    def _main_process(self, path: Path, definitions: Mapping[str, ProcessDefinition]) -> str:
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

    def show(self, instance_id: str, *, history: bool = True) -> InstanceView:
        """An instance with what it waits for and its history."""
        return self.engine.view(instance_id, history=history)

    def instances(
        self, *, status: str | None = None, process_id: str | None = None, limit: int = 100
    ) -> list[Instance]:
        """Instances, newest first."""
        st = InstanceStatus(status) if status else None
        return self.store.list_instances(status=st, process_id=process_id, limit=limit)

    def complete(
        self, task_id: str, data: Mapping[str, Any] | None = None, *, user: str | None = None
    ) -> InstanceView:
        """Complete a user task as ``user``."""
        return self.engine.complete_task(task_id, data, actor=self.user(user))

    def resume(self, instance_id: str, *, user: str | None = None) -> InstanceView:
        """Advance an instance again (after an incident is fixed)."""
        return self.engine.resume(self._may(instance_id, user, "resume"), actor=user)

    def retry(self, instance_id: str, *, user: str | None = None) -> InstanceView:
        """Retry the failed steps of an incident (the same as :meth:`resume`)."""
        return self.engine.resume(self._may(instance_id, user, "retry"), actor=user)

    def set_data(
        self, instance_id: str, data: Mapping[str, Any], *, user: str | None = None
    ) -> InstanceView:
        """Change process variables of a running instance (conditional events re-evaluate)."""
        jsondata.require_finite(data, "data")
        return self.engine.set_data(self._may(instance_id, user, "set"), data, actor=user)

    def cancel(self, instance_id: str, *, user: str | None = None) -> InstanceView:
        """Cancel an instance (administrators and the user who started it)."""
        return self.engine.cancel(self._may(instance_id, user, "cancel"), actor=user)

    def _may(self, instance_id: str, user: str | None, verb: str) -> str:
        """The instance's full id; Forbidden (recorded in its history) unless ``user`` may."""
        instance = self.store.get_instance(instance_id)
        authorization.authorize_instance(
            self.store, self.directory, self.clock, instance.id, self.user(user), verb
        )
        return instance.id

    # -- the outside world ---------------------------------------------------------------------

    def message(
        self,
        name: str,
        *,
        key: str | None = None,
        data: Mapping[str, Any] | None = None,
        message_id: str | None = None,
        ttl: dt.timedelta = dt.timedelta(hours=1),
        user: str | None = None,
    ) -> Delivery:
        """Correlate a message (see :func:`seamline.engine.correlation.send_message`)."""
        jsondata.require_finite(data or {}, "data")
        return send_message(
            self, name, key=key, data=data, message_id=message_id, ttl=ttl, user=user, check=True
        )

    def signal(
        self, name: str, *, data: Mapping[str, Any] | None = None, user: str | None = None
    ) -> Delivery:
        """Broadcast a signal to every instance and start event waiting for it."""
        jsondata.require_finite(data or {}, "data")
        return broadcast_signal(self, name, data=data, user=user, check=True)

    def _route(
        self, kind: str, name: str, payload: Mapping[str, Any], key: str | None, sender: str
    ) -> Delivery:
        """A message or signal an instance threw goes where one from outside would."""
        if kind == "signal":
            return broadcast_signal(self, name, data=payload)
        return send_message(self, name, key=key, data=payload)

    def worker(self, **kwargs: Any) -> Worker:
        """A worker for this App (see :class:`seamline.engine.worker.Worker`)."""
        return Worker(self, **kwargs)

    # -- human tasks ---------------------------------------------------------------------------

    def tasks(
        self,
        *,
        user: str | None = None,
        mine: bool = False,
        group: str | None = None,
        overdue: bool = False,
        instance_id: str | None = None,
        limit: int = 100,
    ) -> list[HumanTask]:
        """Open tasks the user may see (all of them for admins and single-user installs)."""
        actor = self.user(user)
        # Without --as the CLI acts as the operator, who may look at (not act on) every task.
        admin = actor.admin or not self.directory.users() or actor.anonymous
        if mine:
            return self.store.list_tasks(
                user=actor.name,
                groups=(),
                instance_id=instance_id,
                overdue_at=self.clock() if overdue else None,
                limit=limit,
            )
        return self.store.list_tasks(
            user=actor.name,
            groups=tuple(sorted(actor.groups)),
            instance_id=instance_id,
            group=group,
            overdue_at=self.clock() if overdue else None,
            admin=admin,
            limit=limit,
        )

    def task(self, task_id: str) -> HumanTask:
        """One task by id or unique prefix."""
        return self.store.get_task(task_id)

    def claim(self, task_id: str, *, user: str | None) -> HumanTask:
        """Take a task: only a candidate may, and only while nobody else holds it."""
        actor = self.user(user)
        row = self.store.get_task(task_id)
        self._require_active(row)
        self.engine.authorize(row, actor, "claim")
        if row.assignee == actor.name:
            return row
        # Only an admin takes a task over from its holder; everyone else races for a free one.
        expected = row.assignee if actor.admin else None
        return self.store.claim_task(
            row.id,
            actor.name,
            expected_assignee=expected,
            events=[self._event(row, "task_claimed", actor.name)],
        )

    def unclaim(self, task_id: str, *, user: str | None) -> HumanTask:
        """Give a claimed task back to its candidates."""
        actor = self.user(user)
        row = self.store.get_task(task_id)
        self._require_active(row)
        self.engine.authorize(row, actor, "unclaim")
        return self.store.set_assignee(
            row.id, None, events=[self._event(row, "task_unclaimed", actor.name)]
        )

    def assign(self, task_id: str, assignee: str, *, user: str | None) -> HumanTask:
        """Hand a task to someone (admins, or the current holder)."""
        actor = self.user(user)
        row = self.store.get_task(task_id)
        self._require_active(row)
        if self.directory.users() and not (actor.admin or row.assignee == actor.name):
            raise Forbidden(
                f"{actor.label} may not assign task {row.id[:8]}: only an administrator or the"
                f" person holding it may hand it over"
            )
        target = self.user(assignee)
        return self.store.set_assignee(
            row.id,
            target.name,
            events=[self._event(row, "task_assigned", actor.name, to=target.name)],
        )

    def _require_active(self, row: HumanTask) -> None:
        if row.status not in (TaskStatus.OPEN, TaskStatus.CLAIMED):
            raise NotFound(f"task {row.id[:8]} is {row.status.value}")

    def _event(self, row: HumanTask, kind: str, actor: str | None, **data: Any) -> Event:
        return Event(
            row.instance_id, kind, self.clock(), actor, row.element_id, {"task": row.id, **data}
        )

    def now(self) -> dt.datetime:
        """The App's clock."""
        return self.clock()
