"""Service tasks -> durable connector jobs.

A connector task stops in STARTED. The runner gives it a job (id, idempotency key, attempt, when
to run), commits that before anything is invoked, invokes the connector, and completes the task
with the mapped result; a crash in between leaves a pending job in the store, which the next
``resume`` or worker run invokes again with the same idempotency key. Transient failures are
retried with backoff (the worker runs them when due); business errors become BPMN error events
that boundary events and event subprocesses catch; anything else is an incident.

The job's bookkeeping lives in the task's internal data (so it is part of the snapshot) and is
projected into the store's job table at every commit for the worker to find.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from seamline import jsondata
from seamline.bpmn.flavours import Flavour
from seamline.connectors.base import ConnectorCall
from seamline.connectors.registry import ConnectorRegistry, invoke
from seamline.connectors.secrets import Secrets
from seamline.connectors.templating import DiagramText, mark_diagram_text, render_params
from seamline.engine import projections as proj
from seamline.engine.bindings import Binding, bind, chosen
from seamline.engine.expressions import dialect_of
from seamline.errors import (
    BpmnError,
    FatalError,
    RetryableError,
    SeamlineError,
)
from seamline.expr import compile_feel
from seamline.spiff import BpmnEvent, ErrorEventDefinition, TaskState
from seamline.spiff import tree as spiff_tree
from seamline.spiff.throwing import END_PATH, deliver, end_path
from seamline.store.records import Job, JobStatus

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from seamline.engine.engine import Engine
    from seamline.engine.step import Step

Clock = Any

#: How long a running call holds its job when the connector names no timeout, in seconds.
DEFAULT_LEASE_SECONDS = 300.0
#: Added to every lease, so that a call ending at its deadline still commits its result first.
LEASE_MARGIN_SECONDS = 30.0


def _iso(value: dt.datetime) -> str:
    return value.isoformat()


def _error_class(workflow: Any) -> Any:
    """The error event definition class the diagram's catching events were parsed into.

    SpiffWorkflow matches a thrown event to a catching one only when both are of the same
    class, and the SpiffArena parser has its own subclass: throwing the base class past a
    SpiffArena boundary event would leave the error uncaught.
    """
    specs = [workflow.spec, *getattr(workflow, "subprocess_specs", {}).values()]
    for spec in specs:
        for task_spec in spec.task_specs.values():
            definition = getattr(task_spec, "event_definition", None)
            if isinstance(definition, ErrorEventDefinition):
                return type(definition)
    return ErrorEventDefinition


class ConnectorRunner:
    """The engine step hook that runs connector jobs (inline, or only when due)."""

    def __init__(
        self,
        registry: ConnectorRegistry,
        secrets: Secrets,
        *,
        clock: Clock,
        inline: bool = True,
        max_inline_wait: float = 0.0,
        owner: str = "seamline",
    ) -> None:
        self.registry = registry
        self.secrets = secrets
        self.clock = clock
        #: Run due jobs as part of the step that reached them (the CLI does; a web server may not).
        self.inline = inline
        #: Retries due within this many seconds are waited for inline instead of left to a worker.
        self.max_inline_wait = max_inline_wait
        self.owner = owner

    def hook(self, engine: Engine, step: Step) -> bool:
        """Run due jobs of the step; returns True if any task completed (the engine advances)."""
        progressed = False
        for task in proj.connector_tasks(step.workflow):
            state = task.internal_data.get("job")
            if state is None:
                state = self._new_job(step, task)
                task.internal_data["job"] = state
            if not self.inline or not self._runnable(state):
                continue
            run_at = dt.datetime.fromisoformat(state["run_at"])
            delay = (run_at - self.clock()).total_seconds()
            if delay > self.max_inline_wait:
                continue
            if delay > 0:
                time.sleep(delay)
            progressed = self.run(engine, step, task) or progressed
        step.jobs = self._merged(step)
        return progressed

    def _runnable(self, state: Mapping[str, Any]) -> bool:
        """Pending, or running under a lease that ran out (its process died mid-call)."""
        if state["status"] == JobStatus.PENDING.value:
            return True
        if state["status"] != JobStatus.RUNNING.value:
            return False
        until = state.get("lease_until")
        return until is None or dt.datetime.fromisoformat(until) <= self.clock()

    def _new_job(self, step: Step, task: Any) -> dict[str, Any]:
        element = self._element(step, task)
        binding = bind(element) if element else None
        if binding is not None:
            binding = chosen(binding, task)
        return {
            "id": uuid.uuid4().hex,
            "key": f"{step.instance.id}/{task.id}",
            "attempt": 1,
            "status": JobStatus.PENDING.value,
            "run_at": _iso(self.clock()),
            "connector": binding.connector if binding else "?",
            "error": None,
        }

    def _element(self, step: Step, task: Any) -> Any:
        eid = proj.element_id(task)
        return step.definition.elements.get(eid) or step.definition.element_for_spec(
            task.task_spec.name
        )

    def _merged(self, step: Step) -> list[Job]:
        """The step's jobs so far updated with the current projection: a job whose task has
        left the tree (history is compacted) keeps the last state it was seen in."""
        jobs = {job.id: job for job in step.jobs}
        jobs.update({job.id: job for job in self._projection(step)})
        return list(jobs.values())

    def _projection(self, step: Step) -> list[Job]:
        jobs = []
        for task in proj.all_tasks(step.workflow):
            state = task.internal_data.get("job")
            if not state:
                continue
            live = state["status"] in (JobStatus.PENDING.value, JobStatus.RUNNING.value)
            done = task.state != TaskState.STARTED and live
            status = JobStatus.DONE.value if done else state["status"]
            until = state.get("lease_until")
            jobs.append(
                Job(
                    id=state["id"],
                    instance_id=step.instance.id,
                    element_id=proj.element_id(task),
                    task_id=str(task.id),
                    connector=state["connector"],
                    idempotency_key=state["key"],
                    attempt=state["attempt"],
                    status=JobStatus(status),
                    run_at=dt.datetime.fromisoformat(state["run_at"]),
                    params={},
                    lease_owner=self.owner if status == JobStatus.RUNNING.value else None,
                    lease_until=dt.datetime.fromisoformat(until)
                    if until and status == JobStatus.RUNNING.value
                    else None,
                    last_error=state.get("error"),
                )
            )
        return jobs

    def run(self, engine: Engine, step: Step, task: Any) -> bool:
        """One attempt of the task's job: commit it as running, invoke, apply the outcome."""
        state = dict(task.internal_data["job"])
        element = self._element(step, task)
        eid = proj.element_id(task)
        try:
            binding = bind(element)
            if state.get("connector") not in (None, "?"):
                binding = dataclasses.replace(binding, connector=str(state["connector"]))
            params = self._render(engine, binding, task, eid)
        except SeamlineError as exc:
            return self._fail(step, task, state, exc)
        # The call is durable before it is made, as running under a lease: another process that
        # loads the instance meanwhile leaves it alone, and once the lease runs out (this process
        # died mid-call) the call is made again with the same idempotency key.
        lease = binding.retry.timeout or DEFAULT_LEASE_SECONDS
        now = self.clock()
        state.update(
            status=JobStatus.RUNNING.value,
            started_at=_iso(now),
            lease_until=_iso(now + dt.timedelta(seconds=lease + LEASE_MARGIN_SECONDS)),
        )
        task.internal_data["job"] = state
        step.event("connector_started", eid, connector=binding.connector, attempt=state["attempt"])
        step.jobs = self._merged(step)
        engine.checkpoint(step)
        log.debug(
            "job leased",
            extra={"instance": step.instance.id, "element": eid, "until": state["lease_until"]},
        )
        call = ConnectorCall(
            connector=binding.connector,
            params=params,
            instance_id=step.instance.id,
            element_id=eid,
            idempotency_key=state["key"],
            attempt=state["attempt"],
            deadline=None,
            secrets=self.secrets,
            rendered=True,
        )
        started = time.perf_counter()
        try:
            result = invoke(self.registry, call, binding.retry)
        except RetryableError as exc:
            delay = binding.retry.next_delay(state["attempt"], exc.retry_after) or 0.0
            state.update(
                status=JobStatus.PENDING.value,
                attempt=state["attempt"] + 1,
                run_at=_iso(self.clock() + dt.timedelta(seconds=delay)),
                error=exc.message,
            )
            task.internal_data["job"] = state
            step.event(
                "connector_retry",
                eid,
                error=exc.message,
                next_attempt=state["attempt"],
                delay=round(delay, 3),
            )
            return False
        except BpmnError as exc:
            return self._throw(step, task, state, exc)
        except SeamlineError as exc:
            return self._fail(step, task, state, exc)
        latency = round((time.perf_counter() - started) * 1000, 1)
        try:
            jsondata.require_finite(
                result.data, f"connector {binding.connector!r} returned result", FatalError
            )
            self._apply(engine, binding, task, result.data, eid)
        except SeamlineError as exc:
            # The call was made but its result cannot be mapped: the job must not stay running
            # under its lease, or a worker would call again behind the incident's back.
            return self._fail(step, task, state, exc)
        state.update(status=JobStatus.DONE.value, error=None)
        task.internal_data["job"] = state
        step.event(
            "connector_completed",
            eid,
            connector=binding.connector,
            attempt=state["attempt"],
            latency_ms=latency,
            meta=dict(result.meta),
        )
        task.complete()
        return True

    def _render(self, engine: Engine, binding: Binding, task: Any, eid: str) -> dict[str, Any]:
        data = task.data
        evaluated: dict[str, Any] = {}
        for name, raw in binding.params.items():
            evaluated[name] = self._input(
                engine, binding.dialect, raw, data, f"{eid} input '{name}'"
            )
        # Only the diagram's own strings are templates; whatever came from the data stays text.
        rendered: dict[str, Any] = render_params(evaluated, data, self.secrets, diagram_only=True)
        return rendered

    def _value(
        self, engine: Engine, dialect: str, raw: Any, data: Mapping[str, Any], where: str
    ) -> Any:
        if isinstance(raw, Mapping):
            return {k: self._value(engine, dialect, v, data, where) for k, v in raw.items()}
        if isinstance(raw, list):
            return [self._value(engine, dialect, v, data, where) for v in raw]
        if not isinstance(raw, str):
            return raw
        if dialect == "python":
            return engine.evaluator.evaluate(raw, data, where=where)
        return engine.evaluator.value(raw, data, where=where)

    def _input(
        self, engine: Engine, dialect: str, raw: Any, data: Mapping[str, Any], where: str
    ) -> Any:
        """An input's value, with the strings the diagram wrote itself marked as DiagramText."""
        if isinstance(raw, Mapping):
            return {k: self._input(engine, dialect, v, data, where) for k, v in raw.items()}
        if isinstance(raw, list):
            return [self._input(engine, dialect, v, data, where) for v in raw]
        if not isinstance(raw, str):
            return raw
        marked = dialect_of(raw)
        if marked == "python" and dialect != "python":
            return DiagramText(raw)  # unmarked text is a literal of the diagram
        value = engine.evaluator.evaluate(raw, data, where=where)
        # The expression's own string literals stay diagram text; everything else is data.
        if marked == "python":
            return mark_diagram_text(value, engine.evaluator.sandbox.constants(raw.strip()))
        if marked == "feel":
            return mark_diagram_text(value, compile_feel(raw.strip()).literals)
        return value

    def _apply(self, engine: Engine, binding: Binding, task: Any, result: Any, eid: str) -> None:
        """Map the result into the task's data: explicit outputs, result variable, or merge."""
        context: dict[str, Any] = {**task.data}
        if isinstance(result, Mapping):
            context.update(result)
            if "body" in result:
                context.setdefault("response", result.get("body"))
            if "status" in result:
                context.setdefault("statusCode", result.get("status"))
        context["result"] = result
        if binding.outputs:
            for out in binding.outputs:
                value = self._value(
                    engine, "value", out.source, context, f"{eid} output '{out.target}'"
                )
                task.data[out.target] = value
            return
        if binding.result_expression:
            mapped = engine.evaluator.evaluate(binding.result_expression, context, where=eid)
            if isinstance(mapped, Mapping):
                task.data.update(mapped)
            return
        if binding.result_variable:
            task.data[binding.result_variable] = result
            return
        if isinstance(result, Mapping):
            task.data.update(result)

    def _throw(self, step: Step, task: Any, state: dict[str, Any], exc: BpmnError) -> bool:
        eid = proj.element_id(task)
        state.update(status=JobStatus.DONE.value, error=f"BPMN error {exc.code}")
        task.internal_data["job"] = state
        meta = getattr(exc, "meta", None)
        calls = {"meta": dict(meta)} if isinstance(meta, Mapping) and meta else {}
        step.event("bpmn_error", eid, code=exc.code, message=exc.message, **calls)
        payload = {**task.data, "errorCode": exc.code, "errorMessage": exc.message}
        extra = getattr(exc, "data", None)
        if isinstance(extra, Mapping):
            # The error's payload is a response, which may echo a secret the request carried.
            payload.update(self.secrets.redact(dict(extra)))
        workflow = step.workflow
        definition = _error_class(workflow)(exc.code, code=exc.code)
        if step.definition.flavour is Flavour.CAMUNDA7:  # BpmnExceptionHandler's default
            definition.uncaught = END_PATH
        event = BpmnEvent(definition, payload=payload, target=task.workflow)
        event.message = exc.message
        before = len(workflow.bpmn_events)
        caught = deliver(task, event)
        if not caught and len(workflow.bpmn_events) > before:
            workflow.bpmn_events.pop()
            if task.state == TaskState.STARTED:
                task.error()
            step.error = f"{eid}: BPMN error {exc.code} was not caught: {exc.message}"
            return False
        if not caught:
            end_path(task)  # Camunda 7: the unhandled error ends the task's execution
        elif task.state == TaskState.STARTED:
            task.cancel()
        return True

    def _fail(self, step: Step, task: Any, state: dict[str, Any], exc: SeamlineError) -> bool:
        eid = proj.element_id(task)
        message = str(exc.message).splitlines()[0]
        state.update(status=JobStatus.FAILED.value, error=message)
        task.internal_data["job"] = state
        task.error()
        step.error = f"{eid}: {message}"
        kind = "connector_failed" if isinstance(exc, FatalError) else "connector_error"
        step.event(kind, eid, error=message)
        return False

    def retry_failed(self, task: Any) -> None:
        """Make a failed job runnable again (``seamline retry`` / ``resume``)."""
        state = task.internal_data.get("job")
        if state:
            state.update(status=JobStatus.PENDING.value, attempt=1, run_at=_iso(self.clock()))
        spiff_tree.set_state(task, TaskState.STARTED)
