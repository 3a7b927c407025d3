"""The engine: start, advance, complete, resume and cancel instances, one commit per wait.

Every public method follows the same shape: load (or create) the workflow, apply one change,
run the automatic tasks until every path waits, then write snapshot, projections and events in
one store transaction guarded by the instance's version. A second writer that loaded the same
version loses with :class:`~seamline.errors.InstanceChanged` and writes nothing.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from seamline import jsondata
from seamline.bpmn.definition import ProcessDefinition
from seamline.engine import (
    calls,
    clock,
    conditions,
    governance,
    listeners,
    outcome,
    start_timers,
    waiting,
)
from seamline.engine import projections as proj
from seamline.engine.data import changed_keys, refuse_nonfinite, summary
from seamline.engine.definitions import DefinitionCache
from seamline.engine.expressions import Evaluator
from seamline.engine.human_tasks import HumanTaskBuilder
from seamline.engine.step import FINAL, Clock, InstanceView, Step, utcnow
from seamline.engine.stepping import run_automatic
from seamline.errors import (
    EngineError,
    FormInvalid,
    InvalidState,
    NotFound,
    SeamlineError,
)
from seamline.humans.identity import Directory, User
from seamline.humans.validation import validate_form
from seamline.policies import Policies
from seamline.spiff import BpmnWorkflow, SpiffWorkflowException, TaskState, compensation
from seamline.spiff import install as install_spiff
from seamline.spiff import timers as spiff_timers
from seamline.spiff import tree as spiff_tree
from seamline.spiff.script_engine import SeamlineScriptEngine
from seamline.spiff.snapshot import Snapshotter
from seamline.spiff.specs import ConnectorTask
from seamline.store.base import Store
from seamline.store.records import (
    Commit,
    Event,
    HumanTask,
    Instance,
    InstanceStatus,
    TaskStatus,
)

T = TypeVar("T")
#: Where thrown messages and signals go: (kind, name, payload, key, sending instance).
Outbox = Callable[[str, str, Mapping[str, Any], str | None, str], Any]
#: Raises Forbidden (recording the refusal) unless the user may use the verb on the task.
TaskGate = Callable[[HumanTask, User, str], None]
#: Runs after the automatic tasks of every step (connectors, interrupts); True if it progressed.
StepHook = Callable[["Engine", Step], bool]

log = logging.getLogger(__name__)


def _clocked(method: Callable[..., T]) -> Callable[..., T]:
    """Run a verb with the engine's clock as SpiffWorkflow's notion of now."""

    @functools.wraps(method)
    def wrapper(self: Engine, *args: Any, **kwargs: Any) -> T:
        with clock.using(self.clock):
            return method(self, *args, **kwargs)

    return wrapper


_ACTIVITY_SUFFIXES = ("Task", "Activity", "SubWorkflowTask", "Subprocess")


class Engine:
    """Runs process instances against a store. Built by :class:`seamline.app.App`.

    Everything it calls out to is given at construction: ``authorize`` (who may act on a human
    task), ``hooks`` (run after the automatic tasks of every step, in order) and ``outbox``
    (where messages and signals an instance throws go, after its commit).
    """

    def __init__(
        self,
        store: Store,
        definitions: DefinitionCache,
        evaluator: Evaluator,
        directory: Directory,
        *,
        clock: Clock = utcnow,
        lane_groups: Mapping[str, str] | None = None,
        snapshotter: Snapshotter | None = None,
        authorize: TaskGate,
        hooks: Sequence[StepHook] = (),
        outbox: Outbox | None = None,
        policies: Policies | None = None,
    ) -> None:
        install_spiff()  # an Engine built without App still runs on the patched library
        self.store = store
        self.definitions = definitions
        self.evaluator = evaluator
        self.directory = directory
        self.clock = clock
        self.snapshots = snapshotter or Snapshotter()
        self.human_tasks = HumanTaskBuilder(evaluator, directory, lane_groups or {}, clock)
        self._authorize = authorize
        self.outbox = outbox
        self.step_hooks: tuple[StepHook, ...] = tuple(hooks)
        #: The policy set in force (None: no policy configured, nothing is asked).
        self.policies = policies

    # -- public verbs ------------------------------------------------------------------------

    @_clocked
    def start(
        self,
        definition: ProcessDefinition,
        data: Mapping[str, Any] | None = None,
        *,
        business_key: str | None = None,
        actor: str | None = None,
        trigger: tuple[str, str, Mapping[str, Any]] | None = None,
        message_id: str | None = None,
        start_timer: Mapping[str, Any] | None = None,
    ) -> InstanceView:
        """Start an instance of ``definition`` with ``data`` and advance it until it waits.

        ``trigger`` (kind, name, payload) delivers the message or signal that starts it;
        ``start_timer`` continues a start event's timer cycle (the next firing waits in it).
        """
        return self._start(definition, data, business_key, actor, trigger, message_id, start_timer)[
            1
        ]

    def _start(
        self,
        definition: ProcessDefinition,
        data: Mapping[str, Any] | None,
        business_key: str | None,
        actor: str | None,
        trigger: tuple[str, str, Mapping[str, Any]] | None,
        message_id: str | None,
        start_timer: Mapping[str, Any] | None,
    ) -> tuple[Step, InstanceView]:
        now = self.clock()
        workflow = BpmnWorkflow(
            definition.spec,
            dict(definition.subprocess_specs),
            script_engine=self._script_engine(definition, business_key),
        )
        initial = dict(data or {})
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data.update(initial)
        instance = Instance(
            id=uuid.uuid4().hex,
            process_id=definition.process_id,
            definition_hash=definition.content_hash,
            business_key=business_key,
            status=InstanceStatus.RUNNING,
            version=0,
            data=summary(initial),
            created_at=now,
            updated_at=now,
        )
        step = Step(instance, None, definition, workflow, actor, now)
        step.event("instance_started", None, data=sorted(initial), business_key=business_key)
        governance.ledger(workflow).started(actor)
        log.info(
            "instance started", extra={"instance": instance.id, "process_id": instance.process_id}
        )
        if trigger is not None:
            run_automatic(workflow)
            kind, name, payload = trigger
            reached = waiting.deliver(workflow, kind, name, payload)
            step.event(f"{kind}_received", reached[0] if reached else None, name=name)
            step.consumed_message = message_id
        if start_timer is not None:
            run_automatic(workflow)
            start_timers.seed(workflow, start_timer)
        return step, self._advance_and_commit(step)

    @_clocked
    def fire_timers(self, instance_id: str, *, actor: str | None = "worker") -> InstanceView | None:
        """Fire the instance's due timers and advance; None if none was due after all."""
        step = self._load(instance_id, actor)
        if step.instance.status in FINAL:
            return None
        now = self.clock()
        timeouts = listeners.fire_timeouts(step.workflow, step.definition, now)
        for element in timeouts:
            step.event("timer_fired", element, listener="timeout")
        due = [
            t
            for t in proj.catching_tasks(step.workflow)
            if proj.has_timer(t) and (proj.timer_due(t) or now) <= now
        ]
        if not due:
            return self._advance_and_commit(step) if timeouts else None
        before = {t.id: proj.timer_due(t) for t in due}
        with spiff_timers.firing():  # at the due instant, as Camunda's job executor does
            step.workflow.refresh_timers()
        fired = [
            t for t in due if t.state != TaskState.WAITING or proj.timer_due(t) != before[t.id]
        ]
        if not fired and not timeouts:
            return None
        for task in fired:
            step.event("timer_fired", proj.element_id(task), due=str(before[task.id] or now))
            log.info(
                "timer fired", extra={"instance": instance_id, "element": proj.element_id(task)}
            )
        following = start_timers.carried(fired)
        view = self._advance_and_commit(step)
        while following is not None:  # a start cycle: the next firing waits in a new instance
            started, _ = self._start(step.definition, {}, None, actor, None, None, following)
            # It fires at once if the clock passed several periods: one instance per firing.
            following = start_timers.carried(proj.all_tasks(started.workflow))
        return view

    @_clocked
    def run_jobs(self, instance_id: str, *, actor: str | None = "worker") -> InstanceView:
        """Advance an instance whose connector jobs are due (the hooks run them)."""
        step = self._load(instance_id, actor)
        if step.instance.status in FINAL:
            raise InvalidState(f"already {step.instance.status.value}", instance=instance_id)
        return self._advance_and_commit(step)

    @_clocked
    def deliver(
        self,
        instance_id: str,
        kind: str,
        name: str,
        payload: Mapping[str, Any],
        *,
        actor: str | None = None,
        message_id: str | None = None,
    ) -> InstanceView | None:
        """Hand a message or signal to one instance; None if it no longer waits for it."""
        step = self._load(instance_id, actor)
        reached = waiting.deliver(step.workflow, kind, name, payload)
        if not reached:
            return None
        for element in reached:
            step.event(f"{kind}_received", element, name=name, message=message_id)
            log.info(f"{kind} delivered", extra={"instance": instance_id, "element": element})
        step.consumed_message = message_id
        return self._advance_and_commit(step)

    @_clocked
    def complete_task(
        self, task_id: str, data: Mapping[str, Any] | None, *, actor: User
    ) -> InstanceView:
        """Complete a user task with ``data`` (validated against its form) as ``actor``."""
        row = self.store.get_task(task_id)
        if row.status not in (TaskStatus.OPEN, TaskStatus.CLAIMED):
            raise InvalidState(f"task {row.id} is {row.status.value}; only open tasks complete")
        self.authorize(row, actor, "complete")
        values = dict(data or {})
        if row.form:
            values = validate_form(row.form, values, element=row.element_id)
        refused = jsondata.problem(values, "data")
        if refused is not None:
            field = refused.removeprefix("data: ")
            raise FormInvalid(f"invalid form data: {field}", errors=[field], element=row.element_id)
        step = self._load(row.instance_id, actor.name)
        task = self._find_task(step, row.id)
        if task.state != TaskState.READY or not task.task_spec.manual:
            raise InvalidState(
                f"task {row.id} is not waiting for a person", instance=row.instance_id
            )
        before = dict(task.data)
        task.data.update(values)
        task.run()
        conditions.note(step, before, task.data, task.workflow)
        step.completed.append((row.id, actor.name))
        step.event(
            "task_completed",
            row.element_id,
            task=row.id,
            by=actor.name,
            changed=changed_keys(before, task.data),
        )
        return self._advance_and_commit(step)

    @_clocked
    def task_assigned(self, row: HumanTask, *, actor: str | None = None) -> InstanceView | None:
        """Run the assignment listeners of a task whose assignee changed (claimed, handed over,
        given back); None (nothing written) when its element has none."""
        instance = self.store.get_instance(row.instance_id)
        definition = self.definitions.get(instance.definition_hash, instance.process_id)
        if instance.status in FINAL or not listeners.listens_to_assignment(
            definition, row.element_id
        ):
            return None
        step = self._load(row.instance_id, actor)
        task = self._find_task(step, row.id)
        if not listeners.assigned(task, step.definition, row.assignee):
            return None
        return self._advance_and_commit(step)

    @_clocked
    def resume(self, instance_id: str, *, actor: str | None = None) -> InstanceView:
        """Advance again: retry failed tasks of an incident, run what is due."""
        step = self._load(instance_id, actor)
        if step.instance.status in FINAL:
            raise InvalidState(
                f"already {step.instance.status.value}; there is nothing to resume",
                instance=step.instance.id,
            )
        for task in proj.error_tasks(step.workflow):
            job = task.internal_data.get("job")
            if isinstance(task.task_spec, ConnectorTask) and job:
                job.update(status="pending", attempt=1, run_at=self.clock().isoformat(), error=None)
                spiff_tree.set_state(task, TaskState.STARTED)
            else:
                spiff_tree.set_state(task, TaskState.READY)
            step.event("task_retried", proj.element_id(task), task=str(task.id))
        step.event("instance_resumed")
        return self._advance_and_commit(step)

    @_clocked
    def set_data(
        self, instance_id: str, data: Mapping[str, Any], *, actor: str | None = None
    ) -> InstanceView:
        """Change process variables of a waiting instance; conditional events re-evaluate."""
        step = self._load(instance_id, actor)
        if step.instance.status in FINAL:
            raise InvalidState(
                f"already {step.instance.status.value}; its data can no longer change",
                instance=step.instance.id,
            )
        values = dict(data)
        conditions.note_values(step, outcome.process_data(step.workflow), values)
        live = [
            t
            for t in proj.all_tasks(step.workflow)
            if t.state in (TaskState.READY, TaskState.STARTED, TaskState.WAITING, TaskState.ERROR)
        ]
        for task in live:
            task.data.update(values)
            # A waiting event takes its parent's data again whenever it is updated (SpiffWorkflow
            # re-inherits on every update, e.g. when its message arrives): the parent must hold
            # the new values too, or they would be overwritten by the old ones.
            if task.parent is not None:
                task.parent.data.update(values)
        step.event("data_changed", None, changed=sorted(values))
        for wf in (step.workflow, *step.workflow.subprocesses.values()):
            wf.update_waiting_tasks()
        return self._advance_and_commit(step)

    @_clocked
    def cancel(self, instance_id: str, *, actor: str | None = None) -> InstanceView:
        """Cancel an instance: open tasks are cancelled, timers and jobs dropped."""
        step = self._load(instance_id, actor)
        if step.instance.status in FINAL:
            raise InvalidState(f"already {step.instance.status.value}", instance=step.instance.id)
        # Cancelling finishes every task, and a finished workflow reports the data of the last
        # task that ran: keep what the instance holds now (e.g. values `set` since).
        step.final_data = dict(outcome.process_data(step.workflow))
        step.workflow.cancel()
        step.final_data.update(listeners.take_pending(step.workflow))
        return self._commit(step, InstanceStatus.CANCELLED)

    @_clocked
    def view(self, instance_id: str, *, history: bool = False) -> InstanceView:
        """The instance, what it waits for and (optionally) its history."""
        instance, blob = self.store.load_snapshot(instance_id)
        waiting: tuple[proj.Wait, ...] = ()
        under_way: tuple[calls.Call, ...] = ()
        if instance.status not in FINAL:
            definition = self.definitions.get(instance.definition_hash, instance.process_id)
            workflow = self.snapshots.load(
                blob, definition.spec, definition.subprocess_specs, instance=instance.id
            )
            waiting = tuple(outcome.describe_waits(workflow, definition))
            under_way = tuple(calls.under_way(workflow))
        events = tuple(self.store.list_events(instance.id)) if history else None
        return InstanceView(instance, waiting, events, under_way)

    def authorize(self, row: HumanTask, actor: User, verb: str) -> None:
        """Raise Forbidden (and record the refusal) unless ``actor`` may act on ``row``."""
        self._authorize(row, actor, verb)

    # -- internals ---------------------------------------------------------------------------

    def _script_engine(
        self, definition: ProcessDefinition, business_key: str | None = None
    ) -> SeamlineScriptEngine:
        decide = self.definitions.decider(definition, self.evaluator)
        engine = SeamlineScriptEngine(self.evaluator, decide=decide)
        engine.business_key = business_key  # listeners read it (execution.processBusinessKey)
        return engine

    def _load(self, instance_id: str, actor: str | None) -> Step:
        instance, blob = self.store.load_snapshot(instance_id)
        definition = self.definitions.get(instance.definition_hash, instance.process_id)
        workflow = self.snapshots.load(
            blob, definition.spec, definition.subprocess_specs, instance=instance.id
        )
        workflow.script_engine = self._script_engine(definition, instance.business_key)
        return Step(instance, instance.version, definition, workflow, actor, self.clock())

    def _find_task(self, step: Step, task_id: str) -> Any:
        try:
            task = step.workflow.get_task_from_id(uuid.UUID(task_id))
        except Exception:
            task = None
        if task is None:
            raise NotFound(f"task {task_id} is not part of the instance", instance=step.instance.id)
        return task

    def _advance_and_commit(self, step: Step) -> InstanceView:
        try:
            self._advance(step)
            refuse_nonfinite(self._live_data(step.workflow))
        except SeamlineError as exc:
            return self._incident(step, exc)
        except SpiffWorkflowException as exc:
            return self._incident(step, exc)
        settled = outcome.settle(step.workflow, step.instance.business_key)
        for kind, data in settled.events:
            step.event(kind, None, **data)
        if settled.error is not None:
            step.error = settled.error
        view = self._commit(step, settled.status)
        self._send(step, settled.thrown)
        return view

    @staticmethod
    def _live_data(workflow: Any) -> list[Mapping[str, Any]]:
        live = (TaskState.READY, TaskState.STARTED, TaskState.WAITING, TaskState.ERROR)
        datas = [t.data for t in proj.all_tasks(workflow) if t.state in live]
        return [outcome.process_data(workflow), *datas]

    def _send(self, step: Step, thrown: Sequence[outcome.Thrown]) -> None:
        """Hand what the step threw to the world, once its own commit is safe."""
        if self.outbox is None:
            return
        for item in thrown:
            kind, name = item.kind, item.name
            try:
                self.outbox(kind, name, item.payload, item.key, step.instance.id)
            except SeamlineError as exc:
                self.store.append_events(
                    [
                        Event(
                            step.instance.id,
                            f"{kind}_undelivered",
                            self.clock(),
                            step.actor,
                            None,
                            {"name": name, "error": str(exc)},
                        )
                    ]
                )

    def _advance(self, step: Step) -> None:
        debug = log.isEnabledFor(logging.DEBUG)

        def on_task(task: Any) -> None:
            kind = type(task.task_spec).__name__
            if task.task_spec.bpmn_id is None:
                return
            hidden, handlers = compensation.seen(task)
            if hidden:
                return
            if handlers is not None:
                step.event("compensation", proj.element_id(task), handlers=handlers)
            conditions.note_task(step, task)
            if kind.endswith(_ACTIVITY_SUFFIXES):
                element = proj.element_id(task)
                step.event("task_ran", element, type=kind)
                if debug:  # a loop runs this thousands of times per step
                    log.debug("task ran", extra={"instance": step.instance.id, "element": element})
            else:  # events and gateways: counted, recorded once per commit (the path taken)
                step.passed[proj.element_id(task)] = step.passed.get(proj.element_id(task), 0) + 1

        while True:
            run_automatic(step.workflow, on_task=on_task)
            listeners.settle(step.workflow)
            progressed = conditions.evaluate(step)
            # Handlers that wait: the next one starts.
            progressed = compensation.release(step.workflow) or progressed
            for hook in self.step_hooks:
                progressed = hook(self, step) or progressed
            if not progressed:
                return

    def _incident(self, step: Step, exc: Exception) -> InstanceView:
        failed = proj.error_tasks(step.workflow)
        element = proj.element_id(failed[0]) if failed else None
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if element and element not in message:
            message = f"{element}: {message}"
        step.error = message
        step.event("incident", element, error=message)
        log.info("incident", extra={"instance": step.instance.id, "element": element})
        return self._commit(step, InstanceStatus.INCIDENT)

    def checkpoint(self, step: Step) -> None:
        """Commit the step so far (status running) and carry on from the new version.

        Used before a connector is invoked, so that the pending call is durable.
        """
        view = self._commit(step, InstanceStatus.RUNNING)
        step.instance = view.instance
        step.expected_version = view.instance.version
        step.events.clear()
        step.completed.clear()

    def _commit(self, step: Step, status: InstanceStatus) -> InstanceView:
        workflow = step.workflow
        now = self.clock()
        final = status in FINAL
        waits = [] if final else outcome.describe_waits(workflow, step.definition)
        tasks = []
        if not final:
            tasks = [
                self.human_tasks.build(t, step.definition, step.instance)
                for t in proj.human_tasks(workflow)
            ]
        timers = [] if final else outcome.timers(step)
        subs = (
            []
            if final
            else waiting.subscriptions(workflow, step.definition, step.instance, self.evaluator)
        )
        data = summary(
            step.final_data if step.final_data is not None else outcome.process_data(workflow)
        )
        error = step.error if status in (InstanceStatus.INCIDENT, InstanceStatus.FAILED) else None
        instance = replace(
            step.instance,
            status=status,
            version=(step.expected_version or 0) + 1,
            data=data,
            updated_at=now,
            error=error,
        )
        if step.passed:
            step.event("passed", None, elements=dict(step.passed))
            step.passed.clear()
        for element, event in listeners.ran(workflow):
            step.event("listener_ran", element, event=event)
        if status != step.instance.status or step.expected_version is None:
            detail: dict[str, Any] = {"status": status.value}
            if waits:
                detail["waiting"] = [w.element for w in waits]
            if error:
                detail["error"] = error
            step.event(f"instance_{status.value}", None, **detail)
        elif waits:
            step.event("waiting", None, waiting=[w.element for w in waits])
        governance.keep(workflow)
        commit = Commit(
            instance=instance,
            expected_version=step.expected_version,
            snapshot=self.snapshots.dump(workflow),
            tasks=tasks,
            completed_tasks=step.completed,
            events=step.events,
            timers=timers,
            subscriptions=subs,
            jobs=step.jobs,
            consumed_message=step.consumed_message,
        )
        stored = self.store.commit(commit)
        log.debug(
            "instance committed",
            extra={"instance": stored.id, "version": stored.version, "status": status.value},
        )
        view = InstanceView(stored, tuple(waits))
        for sub in subs:
            if sub.kind != "message":
                continue
            buffered = self.store.take_message(sub.name, sub.correlation_key, now)
            if buffered is not None:
                # A message that arrived before anyone waited for it: hand it over now.
                later = self.deliver(
                    stored.id, "message", sub.name, buffered.data, message_id=buffered.id
                )
                return later or view
        return view


__all__ = ["Engine", "EngineError", "InstanceView", "Step"]
