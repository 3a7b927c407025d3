"""App: the one composition root.

The CLI, the web app, the worker and the tests all build the same ``App(store=..., ...)``;
nothing in seamline is global. ``App.open()`` builds one from settings (``seamline.toml``,
``SEAMLINE_*``, CLI options).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from seamline import jsondata, spiff
from seamline.bpmn.definition import ProcessDefinition
from seamline.config import Settings, load_settings
from seamline.connectors.registry import ConnectorRegistry
from seamline.connectors.secrets import Secrets
from seamline.engine.definitions import DefinitionCache
from seamline.engine.engine import Engine
from seamline.engine.event_subprocesses import Interrupter
from seamline.engine.expressions import Evaluator
from seamline.engine.jobs import ConnectorRunner
from seamline.engine.step import Clock, InstanceView, utcnow
from seamline.expr.sandbox import Sandbox
from seamline.humans.identity import ConfigDirectory, Directory, User, resolve_actor
from seamline.policies import Policies
from seamline.services.authorization import Rules
from seamline.services.correlation import Correlation, Delivery
from seamline.services.deployment import Deployed, Deployments
from seamline.services.tasks import TaskDesk
from seamline.services.testclock import Moved, TestClocks
from seamline.services.testclock import stored as stored_clock
from seamline.services.validator import engine_checks
from seamline.services.worker import Worker
from seamline.store.base import Store
from seamline.store.factory import open_store
from seamline.store.records import (
    HumanTask,
    Instance,
    InstanceStatus,
)

__all__ = ["App", "Deployed"]


class App:
    """Store, connectors, identities, clock, engine and the services above it, wired once.

    Its methods delegate: instance verbs to the engine (after :class:`Rules`), messages and
    signals to :class:`Correlation`, definitions to :class:`Deployments`, who holds a task to
    :class:`TaskDesk`.
    """

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
        policies: Policies | None = None,
    ) -> None:
        spiff.install()  # every SpiffWorkflow patch, before anything parses or runs a diagram
        self.settings = settings or Settings()
        self.store = store
        if clock is utcnow:
            # A database created with a test clock runs on its stored time (`seamline clock`).
            clock = stored_clock(store) or utcnow
        self.clock = clock
        self.connectors = connectors or ConnectorRegistry.default(self.settings.connectors)
        self.directory = directory or ConfigDirectory.from_config(self.settings.raw)
        self.secrets = secrets or Secrets.from_config(self.settings.raw)
        sandbox = sandbox or Sandbox(
            trusted=self.settings.trusted_scripts,
            time_limit=self.settings.script_time_limit,
            memory_limit=int(self.settings.script_memory_limit * 2**20),
        )
        #: The policy set in force (``[policies]``, ``[budgets]``); a bad one stops the App here.
        self.policies = policies if policies is not None else self._policies()
        self.definitions = DefinitionCache(store)
        self.rules = Rules(store, self.directory, clock)
        self.runner = ConnectorRunner(self.connectors, self.secrets, clock=clock)
        self.engine = Engine(
            store,
            self.definitions,
            Evaluator(sandbox),
            self.directory,
            clock=clock,
            lane_groups=self.settings.lanes,
            authorize=self.rules.task,
            # Interrupts run before connector jobs: a job in a scope just interrupted is not run.
            hooks=(Interrupter().hook, self.runner.hook),
            outbox=self._route,
            policies=self.policies,
        )
        self.correlation = Correlation(self.engine, store, self.directory)
        self.deployments = Deployments(
            self.engine, store, engine_checks(self.engine.evaluator), clock
        )
        self.desk = TaskDesk(
            store, self.directory, self.rules, clock, on_assigned=self.engine.task_assigned
        )
        self.test_clocks = TestClocks(self.engine, store, clock)

    def _policies(self) -> Policies | None:
        section = self.settings.connectors
        table = section.get("connectors")
        allow = (table.get("python_allow") if isinstance(table, Mapping) else None) or section.get(
            "python_allow", []
        )
        return Policies.from_config(
            self.settings.raw, self.settings.base_dir, python_allow=[str(a) for a in allow or []]
        )

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
        """Build an App from settings; the store is SQLite under ``.seamline/`` by default.

        A database created with a test clock (:meth:`clock_init`) runs on its stored time unless
        ``clock`` is given.
        """
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
        return self.deployments.load(paths)

    def deploy(self, paths: Sequence[str | Path]) -> list[Deployed]:
        """Store the processes of ``paths`` (once per content hash); returns what was stored.

        A process with a timer start event is scheduled when a new version is deployed: an
        instance waits for the timer (the worker starts it when due), and instances of older
        versions still waiting for their start timer are cancelled, as a redeploy replaces the
        schedule. A start cycle (``R2/PT5M``, cron) starts one new instance per firing: each
        firing starts the instance that waited and leaves a new one waiting for the next.
        """
        return self.deployments.deploy(paths)

    def definition(self, process_id: str) -> ProcessDefinition:
        """The latest deployed version of ``process_id``."""
        return self.deployments.latest(process_id)

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
        definition = self.deployments.to_run(target, process_id)
        return self.engine.start(definition, data, business_key=business_key, actor=user)

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
        self.rules.instance(instance.id, self.user(user), verb)
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
        """Correlate a message (see :class:`seamline.services.correlation.Correlation`)."""
        jsondata.require_finite(data or {}, "data")
        return self.correlation.send_message(
            name, key=key, data=data, message_id=message_id, ttl=ttl, user=user, check=True
        )

    def signal(
        self, name: str, *, data: Mapping[str, Any] | None = None, user: str | None = None
    ) -> Delivery:
        """Broadcast a signal to every instance and start event waiting for it."""
        jsondata.require_finite(data or {}, "data")
        return self.correlation.broadcast_signal(name, data=data, user=user, check=True)

    def _route(
        self, kind: str, name: str, payload: Mapping[str, Any], key: str | None, sender: str
    ) -> Delivery:
        """The engine's outbox; the correlation service is built after the engine it uses."""
        return self.correlation.route(kind, name, payload, key, sender)

    def worker(self, **kwargs: Any) -> Worker:
        """A worker for this App (see :class:`seamline.services.worker.Worker`)."""
        return Worker(self.engine, **kwargs)

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
        return self.desk.visible(
            self.user(user),
            mine=mine,
            group=group,
            overdue=overdue,
            instance_id=instance_id,
            limit=limit,
        )

    def task(self, task_id: str) -> HumanTask:
        """One task by id or unique prefix."""
        return self.store.get_task(task_id)

    def claim(self, task_id: str, *, user: str | None) -> HumanTask:
        """Take a task: only a candidate may, and only while nobody else holds it."""
        return self.desk.claim(task_id, self.user(user))

    def unclaim(self, task_id: str, *, user: str | None) -> HumanTask:
        """Give a claimed task back to its candidates."""
        return self.desk.unclaim(task_id, self.user(user))

    def assign(self, task_id: str, assignee: str, *, user: str | None) -> HumanTask:
        """Hand a task to someone (admins, or the current holder)."""
        return self.desk.assign(task_id, assignee, self.user(user))

    def now(self) -> dt.datetime:
        """The App's clock."""
        return self.clock()

    # -- the test clock ------------------------------------------------------------------------

    def clock_init(self, at: dt.datetime | None = None) -> dt.datetime:
        """Give a fresh database a test clock (at ``at``, else the real time to the second).

        Apps opened on the database from then on run on the stored time; UsageError if the
        database already holds processes or a clock. Returns the clock's time.
        """
        return self.test_clocks.init(at)

    def clock_now(self) -> dt.datetime:
        """The test clock's time; UsageError if the database was not created with one."""
        return self.test_clocks.now()

    def clock_set(self, at: dt.datetime) -> Moved:
        """Put the test clock at ``at`` and fire what became due (like ``worker --once``)."""
        return self.test_clocks.set(at)

    def clock_advance(self, delta: dt.timedelta) -> Moved:
        """Move the test clock forward by ``delta`` and fire what became due."""
        return self.test_clocks.advance(delta)
