"""Execution and task listeners, run where Camunda 7 runs them.

What runs when (Camunda 7's order, as its ExecutionListenerTest and TaskListenerTest assert):

- ``take`` listeners of a sequence flow, when the token crosses it: after the source's ``end``
  listeners, before the target's ``start`` listeners;
- ``start`` listeners when a token arrives at an element, before its behaviour (a script runs
  after them, a user task is created after them); ``end`` listeners when it leaves, after the
  behaviour and the output mappings;
- a boundary event, and an event after an event-based gateway, is not entered until it fires:
  its ``start`` and ``end`` listeners both run then;
- ``start`` / ``end`` listeners of the process run when the instance starts and when it ends;
- task listeners of a user task: ``create`` after its start listeners (then ``assignment`` if it
  has an assignee), ``assignment`` again whenever its assignee changes (a claim, a hand-over,
  given back: :func:`assigned`, through ``Engine.task_assigned``), ``complete`` when a person
  completes it (with the submitted data, before its end listeners), ``delete`` when it is
  cancelled (a boundary event, the instance cancelled), followed by its end listeners, and
  ``timeout`` when its timer is due while the task stays open (:func:`fire_timeouts`, from
  ``Engine.fire_timers``; the timers are projected by :func:`timeouts`).

Several listeners of one event run in document order. Bodies are JUEL expressions or Python
scripts; both see the variables and an ``execution`` (and in task listeners a ``task``) object,
:class:`~seamline.expr.delegate.Delegate`, whose ``setVariable`` writes process data. A script's
assignments persist as a script task's do. A failing listener fails the step (an incident at
the element). What a listener of a cancelled task writes reaches the data that lives on
(:func:`settle`).

The hooks hang on SpiffWorkflow's per-spec update/ready/completed/cancelled events, connected once
per loaded definition (like :mod:`seamline.engine.mappings`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from seamline import timekeeping
from seamline.bpmn.definition import ElementInfo, ProcessDefinition
from seamline.bpmn.flavours.listeners import Listener, listeners_of, process_listeners
from seamline.bpmn.xml import parse_xml
from seamline.errors import EngineError, SeamlineError
from seamline.expr.delegate import Delegate
from seamline.spiff import TaskState, TimerEventDefinition, tree

_CHILD = " [child]"
_STARTED = "seamline.listeners.started"
_ENDED = "seamline.listeners.ended"
_TAKEN = "seamline.listeners.taken"
#: The internal data key a create or assignment listener's setAssignee() leaves for the inbox.
ASSIGNEE = "seamline.assignee"
_PENDING = "seamline.listeners.pending"
_TIMEOUTS = "seamline.listeners.timeouts"
_WAITING = (TaskState.FUTURE, TaskState.WAITING, TaskState.LIKELY, TaskState.MAYBE)
_LIVE = (TaskState.READY, TaskState.STARTED, TaskState.WAITING, TaskState.ERROR)


@dataclass(frozen=True)
class _Plan:
    """The listeners of one element and how it is entered."""

    element: ElementInfo
    execution: Mapping[str, Sequence[Listener]]
    task: Mapping[str, Sequence[Listener]]
    #: (source element, listeners) of the incoming flows that have take listeners.
    takes: Sequence[tuple[str, Sequence[Listener]]] = ()
    #: Entered only when it fires (boundary events, events after an event-based gateway).
    deferred: bool = False
    assignee: str | None = None

    @property
    def user_task(self) -> bool:
        return self.element.type == "userTask"


@dataclass
class _Run:
    """One listener call: the task it runs on and what the delegate should say."""

    task: Any
    element: str
    event: str
    canceled: bool = False
    writes: dict[str, Any] = field(default_factory=dict)
    #: The activity Camunda names (a take listener: the flow's source; the process: its edge).
    activity: str | None = None


def _by_event(listeners: Sequence[Listener]) -> dict[str, list[Listener]]:
    out: dict[str, list[Listener]] = {}
    for listener in listeners:
        out.setdefault(listener.event, []).append(listener)
    return out


def _plans(definition: ProcessDefinition) -> dict[str, _Plan]:
    """Every element of ``definition`` with listeners (or incoming take listeners), by id."""
    elements = definition.elements
    source_of = {flow: node.id for node in elements.values() for flow in node.outgoing}
    types = {e.id: e.type for e in elements.values()}
    plans: dict[str, _Plan] = {}
    for element in elements.values():
        if element.type == "sequenceFlow":
            continue
        takes = []
        for flow_id in element.incoming:
            flow = elements.get(flow_id)
            found = listeners_of(flow.extensions, "execution") if flow else []
            if found and flow_id in source_of:
                takes.append((source_of[flow_id], found))
        execution = _by_event(listeners_of(element.extensions, "execution"))
        task = _by_event(listeners_of(element.extensions, "task"))
        if not (takes or execution or task):
            continue
        after_gateway = any(
            types.get(source_of.get(f, "")) == "eventBasedGateway" for f in element.incoming
        )
        assignee = element.extensions.get("camunda:assignee")
        plans[element.id] = _Plan(
            element,
            execution,
            task,
            tuple(takes),
            deferred=element.type == "boundaryEvent" or after_gateway,
            assignee=assignee if isinstance(assignee, str) else None,
        )
    return plans


def connect(definition: ProcessDefinition) -> None:
    """Hang the listener hooks on the specs of ``definition`` (once per loaded definition)."""
    plans = _plans(definition)
    specs = [definition.spec, *definition.subprocess_specs.values()]
    if plans:
        for spec in specs:
            _connect_spec(definition, spec, plans)
    _connect_processes(definition, specs)


def _connect_spec(definition: ProcessDefinition, spec: Any, plans: Mapping[str, _Plan]) -> None:
    wrapped = {n[: -len(_CHILD)] for n in spec.task_specs if n.endswith(_CHILD)}
    for task_spec in spec.task_specs.values():
        if getattr(task_spec, "_seamline_listening", False):
            continue
        name = task_spec.name
        base = name[: -len(_CHILD)] if name.endswith(_CHILD) else name
        element = definition.element_for_spec(base)
        if element is not None and element.type == "callActivity":
            task_spec._seamline_calls = True  # a called process keeps its own variables
        plan = plans.get(element.id) if element is not None else None
        if plan is None:
            continue
        task_spec._seamline_listening = True
        # A multi-instance activity is a wrapper "x" around "x [child]": the flow arrives at the
        # wrapper, each instance starts and ends (Camunda runs the activity's listeners per
        # instance).
        if not name.endswith(_CHILD) and plan.takes:
            tree.on_arrival(task_spec, _taker(plan))
        if name in wrapped:
            continue
        start = _starter(plan)
        task_spec.update_event.connect(start)
        task_spec.ready_event.connect(start)
        task_spec.completed_event.connect(_ender(plan))
        task_spec.cancelled_event.connect(_canceller(plan))


def _connect_processes(definition: ProcessDefinition, specs: Sequence[Any]) -> None:
    """The listeners drawn on ``bpmn:process`` elements (the instance's, and called ones')."""
    roots = [
        parse_xml(data, name)
        for name, data in definition.sources.items()
        if b"executionListener" in data and name.lower().endswith((".bpmn", ".xml", ".bpmn20"))
    ]
    if not roots:
        return
    for spec in specs:
        if getattr(spec.start, "_seamline_listening", False):
            continue
        found = [listener for root in roots for listener in process_listeners(root, spec.name)]
        if not found:
            continue
        spec.start._seamline_listening = True
        events = _by_event(found)
        pid = str(spec.name)
        if events.get("start"):
            spec.start.completed_event.connect(_process_hook(pid, events["start"], "start"))
        if events.get("end"):
            spec.end.completed_event.connect(_process_hook(pid, events["end"], "end"))


Hook = Callable[..., None]


def _process_hook(pid: str, listeners: Sequence[Listener], event: str) -> Hook:
    def hook(workflow: Any, task: Any, *_: Any) -> None:
        # At the start the current activity is the start event, at the end the end event.
        near = task.children if event == "start" else [task.parent]
        ids = [getattr(t.task_spec, "bpmn_id", None) for t in near if t is not None]
        activity = next((i for i in ids if i), None)
        _run_all(_Run(task, pid, event, activity=activity), listeners)

    return hook


def _taker(plan: _Plan) -> Hook:
    def hook(workflow: Any, task: Any, *_: Any) -> None:
        if plan.deferred or task.internal_data.get(_TAKEN):
            return
        task.internal_data[_TAKEN] = True
        _take(plan, task)

    return hook


def _take(plan: _Plan, task: Any) -> None:
    parent = task.parent
    source = getattr(parent.task_spec, "bpmn_id", None) if parent is not None else None
    for origin, listeners in plan.takes:
        if origin == source:
            _run_all(_Run(task, plan.element.id, "take", activity=origin), listeners)
            return


def _starter(plan: _Plan) -> Hook:
    def hook(workflow: Any, task: Any, *_: Any) -> None:
        if plan.deferred or task.internal_data.get(_STARTED):
            return
        _start(plan, task)

    return hook


def _start(plan: _Plan, task: Any) -> None:
    task.internal_data[_STARTED] = True
    element = plan.element.id
    _run_all(_Run(task, element, "start"), plan.execution.get("start", ()))
    if not plan.user_task:
        return
    assignee = _initial_assignee(plan, task)
    delegate = _run_all(_Run(task, element, "create"), plan.task.get("create", ()), assignee)
    if delegate is not None and delegate.reassigned():
        assignee = delegate.assignee
        task.internal_data[ASSIGNEE] = assignee
    _schedule_timeouts(plan, task)
    if assignee:
        again = _run_all(
            _Run(task, element, "assignment"), plan.task.get("assignment", ()), assignee
        )
        if again is not None and again.reassigned():
            task.internal_data[ASSIGNEE] = again.assignee


def _initial_assignee(plan: _Plan, task: Any) -> str | None:
    if plan.assignee is None:
        return None
    evaluator = task.workflow.script_engine.evaluator
    value = evaluator.value(plan.assignee, task.data, where=f"{plan.element.id} assignee")
    return str(value) if value not in (None, "") else None


def _ender(plan: _Plan) -> Hook:
    def hook(workflow: Any, task: Any, *_: Any) -> None:
        if task.internal_data.get(_ENDED):
            return
        if plan.deferred:
            if plan.takes and not task.internal_data.get(_TAKEN):
                task.internal_data[_TAKEN] = True
                _take(plan, task)
            if not task.internal_data.get(_STARTED):
                task.internal_data[_STARTED] = True
                _run_all(_Run(task, plan.element.id, "start"), plan.execution.get("start", ()))
        elif not task.internal_data.get(_STARTED):
            _start(plan, task)
        task.internal_data[_ENDED] = True
        element = plan.element.id
        if plan.user_task:
            assignee = task.internal_data.get(ASSIGNEE)
            _run_all(_Run(task, element, "complete"), plan.task.get("complete", ()), assignee)
        _run_all(_Run(task, element, "end"), plan.execution.get("end", ()))

    return hook


def _canceller(plan: _Plan) -> Hook:
    def hook(workflow: Any, task: Any, *_: Any) -> None:
        # Predicted tasks the token never reached are cancelled too: only entered ones end.
        if not task.internal_data.get(_STARTED) or task.internal_data.get(_ENDED):
            return
        task.internal_data[_ENDED] = True
        element = plan.element.id
        writes: dict[str, Any] = {}
        if plan.user_task:
            run = _Run(task, element, "delete", canceled=True, writes=writes)
            _run_all(run, plan.task.get("delete", ()), task.internal_data.get(ASSIGNEE))
        _run_all(
            _Run(task, element, "end", canceled=True, writes=writes), plan.execution.get("end", ())
        )
        if writes:
            pending = _instance_of(task.workflow).data.setdefault(_PENDING, {})
            pending.update(writes)

    return hook


def _run_all(
    run: _Run, listeners: Sequence[Listener], assignee: str | None = None
) -> Delegate | None:
    """Run ``listeners`` in order on ``run.task``; the last delegate (for its assignee)."""
    delegate = None
    for listener in listeners:
        delegate = _run_one(run, listener, assignee)
        listened = getattr(run.task.workflow.script_engine, "listened", None)
        if isinstance(listened, list):
            listened.append((run.element, run.event))
        if delegate.reassigned():
            assignee = delegate.assignee
    return delegate


def _delegate(run: _Run, assignee: str | None) -> Delegate:
    task = run.task
    spec = task.task_spec
    key = getattr(task.workflow.script_engine, "business_key", None)
    return Delegate(
        variables=dict(task.data),
        eventName=run.event,
        currentActivityId=run.activity or run.element,
        activityId=run.activity or run.element,
        processBusinessKey=key if isinstance(key, str) else None,
        name=getattr(spec, "bpmn_name", None),
        assignee=assignee,
        taskDefinitionKey=run.element,
        canceled=run.canceled,
    )


def _run_one(run: _Run, listener: Listener, assignee: str | None) -> Delegate:
    task = run.task
    evaluator = task.workflow.script_engine.evaluator
    delegate = _delegate(run, assignee)
    names = {"execution": delegate}
    if listener.kind == "task":
        names["task"] = delegate
    where = f"{run.element} {listener.kind} listener ({run.event})"
    if listener.script is not None:
        result = evaluator.sandbox.execute(listener.script, {**task.data, **names}, where=where)
        kept = {k: v for k, v in result.items() if k not in names}
        changes = {k: v for k, v in kept.items() if task.data.get(k, _MISSING) != v}
        gone = {k for k in task.data if k not in kept}
    else:
        evaluator.evaluate(listener.expression or "", {**task.data, **names}, where=where)
        changes, gone = {}, set()
    written, removed = delegate.written()
    changes.update(written)
    gone = (gone | removed) - set(written)
    for name in gone:
        task.data.pop(name, None)
    task.data.update(changes)
    if task.state in _WAITING and task.parent is not None:
        # A waiting event takes its parent's data again on every update: the parent must hold
        # what the listener wrote, or it would be overwritten by the old values.
        for name in gone:
            task.parent.data.pop(name, None)
        task.parent.data.update(changes)
    run.writes.update(changes)
    return delegate


_MISSING = object()


def _instance_of(workflow: Any) -> Any:
    """The (sub)workflow holding the variables of ``workflow``'s process instance: the top, or a
    called process (an embedded subprocess shares its parent's variables, a call does not)."""
    while getattr(workflow, "parent_task_id", None) is not None:
        owner = workflow.top_workflow.get_task_from_id(workflow.parent_task_id)
        if owner is None or getattr(owner.task_spec, "_seamline_calls", False):
            return workflow
        workflow = owner.workflow
    return workflow


def settle(workflow: Any) -> None:
    """Hand what listeners of cancelled tasks wrote to the data that lives on.

    A cancelled task's data goes nowhere in SpiffWorkflow; Camunda's listeners write process
    variables, which the rest of the instance sees. Called after the automatic steps.
    """
    for wf in (workflow, *workflow.subprocesses.values()):
        pending = wf.data.pop(_PENDING, None)
        if not pending:
            continue
        scope = [wf, *(s for s in workflow.subprocesses.values() if _instance_of(s) is wf)]
        live = [t for w in scope for t in w.tasks.values() if t.state in _LIVE]
        for task in live:
            task.data.update(pending)
        if not live and wf.last_task is not None:
            wf.last_task.data.update(pending)


def ran(workflow: Any) -> list[tuple[str, str]]:
    """(element, event) of the listeners run since the last call, oldest first."""
    listened = getattr(workflow.script_engine, "listened", None)
    if not isinstance(listened, list):
        return []
    found = list(listened)
    listened.clear()
    return found


def take_pending(workflow: Any) -> dict[str, Any]:
    """What listeners wrote while the instance was being cancelled (for its final data)."""
    pending = workflow.data.pop(_PENDING, None)
    return dict(pending) if isinstance(pending, Mapping) else {}


# -- assignment after creation ---------------------------------------------------------------------


def listens_to_assignment(definition: ProcessDefinition, element_id: str) -> bool:
    """Whether the user task ``element_id`` has assignment listeners."""
    element = definition.elements.get(element_id)
    return element is not None and any(
        listener.event == "assignment" for listener in listeners_of(element.extensions, "task")
    )


def assigned(task: Any, definition: ProcessDefinition, assignee: str | None) -> bool:
    """Run the assignment listeners of ``task``, now held by ``assignee``; False if it has none.

    The assignee is kept with the task (the inbox row is rebuilt from it), and a listener may
    change it again with setAssignee().
    """
    base = task.task_spec.name.removesuffix(_CHILD)
    element = definition.element_for_spec(base)
    plan = _plans(definition).get(element.id) if element is not None else None
    if plan is None or not plan.task.get("assignment"):
        return False
    task.internal_data[ASSIGNEE] = assignee
    run = _Run(task, plan.element.id, "assignment")
    delegate = _run_all(run, plan.task["assignment"], assignee)
    if delegate is not None and delegate.reassigned():
        task.internal_data[ASSIGNEE] = delegate.assignee
    return True


# -- timeout task listeners ------------------------------------------------------------------------


def _schedule_timeouts(plan: _Plan, task: Any) -> None:
    """Compute when each timeout listener of a just created user task falls due."""
    timeouts = []
    for index, listener in enumerate(plan.task.get("timeout", ())):
        due, cycles, every = _first_due(listener, task, plan.element.id)
        if due is not None:
            timeouts.append(
                {"index": index, "due": due.isoformat(), "cycles": cycles, "every": every}
            )
    if timeouts:
        task.internal_data[_TIMEOUTS] = timeouts


def _first_due(
    listener: Listener, task: Any, element: str
) -> tuple[dt.datetime | None, int, float | None]:
    """(first due time, repetitions left after it (-1: unbounded), period in seconds)."""
    evaluator = task.workflow.script_engine.evaluator
    where = f"{element} timeout listener {listener.id or ''}".rstrip()
    now = timekeeping.now().astimezone(dt.UTC)
    try:
        for kind, text in listener.timer.items():
            # The loader quotes timer texts as Python string literals (as for timer events).
            read = evaluator.evaluate if text[:1] in "'\"" else evaluator.value
            value = str(read(text, task.data, where=where)).strip()
            if kind == "timeDuration":
                parsed = TimerEventDefinition.parse_iso_duration(value)
                return now + TimerEventDefinition.get_timedelta_from_start(parsed, now), 0, None
            if kind == "timeDate":
                return TimerEventDefinition.get_datetime(value), 0, None
            if kind == "timeCycle":
                cycles, start, period = TimerEventDefinition.parse_iso_recurring_interval(value)
                left = cycles - 1 if cycles > 0 else -1
                return start.astimezone(dt.UTC), left, period.total_seconds()
    except SeamlineError:
        raise
    except Exception as exc:
        raise EngineError(f"{where}: the timer cannot be read: {exc}", element=element) from exc
    return None, 0, None


def timeouts(workflow: Any) -> list[tuple[str, str, dt.datetime]]:
    """(timer id, element, due) of the timeout listeners of every open user task."""
    found = []
    for wf in (workflow, *workflow.subprocesses.values()):
        for task in wf.tasks.values():
            if task.state not in _LIVE:
                continue
            for item in task.internal_data.get(_TIMEOUTS, ()):
                element = str(getattr(task.task_spec, "bpmn_id", None) or task.task_spec.name)
                due = dt.datetime.fromisoformat(item["due"])
                found.append((f"{task.id}:timeout:{item['index']}", element, due))
    return found


def fire_timeouts(workflow: Any, definition: ProcessDefinition, now: dt.datetime) -> list[str]:
    """Run the timeout listeners that are due by ``now``; the elements whose listeners ran.

    The task stays open; a cycle is scheduled again, a duration or date fires once.
    """
    waiting = [
        task
        for wf in (workflow, *workflow.subprocesses.values())
        for task in list(wf.tasks.values())
        if task.state in _LIVE and task.internal_data.get(_TIMEOUTS)
    ]
    if not waiting:
        return []
    plans = _plans(definition)
    fired: list[str] = []
    for task in waiting:
        element = definition.element_for_spec(task.task_spec.name.removesuffix(_CHILD))
        plan = plans.get(element.id) if element is not None else None
        if plan is not None:
            fired.extend([plan.element.id] * _fire_due(task, plan, now))
    return fired


def _fire_due(task: Any, plan: _Plan, now: dt.datetime) -> int:
    """Run ``task``'s due timeout listeners and schedule the next period of cycles."""
    kept = []
    count = 0
    for item in task.internal_data[_TIMEOUTS]:
        due = dt.datetime.fromisoformat(item["due"])
        if due > now:
            kept.append(item)
            continue
        listener = plan.task["timeout"][item["index"]]
        _run_all(
            _Run(task, plan.element.id, "timeout"), [listener], task.internal_data.get(ASSIGNEE)
        )
        count += 1
        if item["every"] and item["cycles"] != 0:
            period = dt.timedelta(seconds=item["every"])
            nxt = due + period
            while nxt <= now:  # missed periods fire once, as a job executor catching up
                nxt += period
            left = item["cycles"] - 1 if item["cycles"] > 0 else -1
            kept.append({**item, "due": nxt.isoformat(), "cycles": left})
    task.internal_data[_TIMEOUTS] = kept
    return count
