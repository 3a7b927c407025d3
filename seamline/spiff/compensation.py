"""Compensation on SpiffWorkflow 3.2.0, which has none: a record of what completed, and a throw.

How it runs (the load-time half is :mod:`seamline.bpmn.normalize.compensation`):

- **The record.** Every activity with a compensation handler, every embedded subprocess and every
  multi-instance body appends to a record kept on the instance's root task (so it travels in the
  snapshot) when it *completes*: ``{"a": activity, "h": handler}`` for an activity with a
  handler; ``{"a": subprocess, "c": [records of its inner activities]}`` for a subprocess that
  completed with compensable work inside. Records are kept per scope instance (the top workflow,
  each subprocess instance, each multi-instance body), so an activity that completed three
  times has three records, an activity still running or cancelled has none, and a multi-instance
  body hands its instances' records to its scope only when the whole body completes (Camunda 7
  compensates nothing of a body still running).
- **The throw.** Each compensate throw (intermediate or end event, and the compensation a cancel
  end event of a transaction runs first) is a :class:`CompensationThrow`: a parallel
  multi-instance embedded subprocess whose instances are the handlers to run, taken from the
  record of the throw's scope (all of it, or the records of ``activityRef``) in reverse order of
  completion, a completed subprocess expanded into its own inner records. Each instance routes
  to its copy of the handler. The throw completes when every handler has: Camunda 7 always waits
  (``waitForCompletion``). The records taken are consumed: compensating twice runs nothing twice.
- **Variables.** Camunda runs the handlers concurrently on the process's shared variables: a
  handler sees what earlier handlers wrote. Each handler's writes are handed on at once to the
  handlers that have not run yet and to the throw, which passes them on when it completes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from SpiffWorkflow.bpmn.specs.data_spec import TaskDataReference
from SpiffWorkflow.bpmn.specs.defaults import ExclusiveGateway, ParallelMultiInstanceTask
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import EventSubprocess
from SpiffWorkflow.util.task import TaskState

#: The variable holding the handler an instance of a throw runs (its routing gateway reads it).
ITEM = "seamline_compensating"
#: Where the record lives: the internal data of the instance's root task.
RECORD = "seamline_compensation"
_ROOT = "root"


def _record(task: Any) -> dict[str, list[dict[str, Any]]]:
    root = task.workflow.top_workflow.task_tree
    found: dict[str, list[dict[str, Any]]] = root.internal_data.setdefault(RECORD, {})
    return found


def _scope_key(task: Any) -> str:
    """The scope instance ``task`` runs in: the process, or one subprocess instance."""
    workflow = task.workflow
    if workflow is workflow.top_workflow or workflow.parent_task_id is None:
        return _ROOT
    return str(workflow.parent_task_id)


def _body_key(task: Any) -> str:
    return f"mi:{task.id}"


def _target(task: Any) -> str:
    """Where a completed ``task`` records: its multi-instance body, or its scope."""
    parent = task.parent
    child = task.task_spec.name.endswith(" [child]") and parent is not None
    if child and isinstance(parent.task_spec, LoopTask):
        return _body_key(parent)
    return _scope_key(task)


class _Recorder:
    """Appends to the record when an activity, subprocess or multi-instance body completes."""

    def __init__(self, handler: str | None, subprocess: bool) -> None:
        self.handler = handler
        self.subprocess = subprocess

    def completed(self, workflow: Any, task: Any) -> None:
        record = _record(task)
        inner = record.pop(str(task.id), []) if self.subprocess else []
        if isinstance(task.task_spec, LoopTask):  # the body: its instances' records move up
            done = record.pop(_body_key(task), [])
            if done:
                record.setdefault(_scope_key(task), []).extend(done)
            return
        if self.handler is None and not inner:
            return
        entry: dict[str, Any] = {"a": task.task_spec.bpmn_id}
        if self.handler is not None:
            entry["h"] = self.handler
        if inner:
            entry["c"] = inner
        record.setdefault(_target(task), []).append(entry)


def _forget(workflow: Any, task: Any) -> None:
    """A cancelled subprocess or multi-instance body completed nothing: drop its records."""
    record = _record(task)
    record.pop(str(task.id), None)
    record.pop(_body_key(task), None)


def _expand(entries: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Handlers to run for ``entries``, latest completion first, subprocesses expanded.

    A subprocess with a handler (a boundary event's, or its compensation event subprocess)
    runs that handler, which gets the subprocess's records (its own throws compensate them).
    """
    out: list[dict[str, Any]] = []
    for entry in reversed(list(entries)):
        if "h" in entry:
            out.append({"h": str(entry["h"]), "c": list(entry.get("c", ()))})
        else:
            out.extend(_expand(entry.get("c", ())))
    return out


def _owner(task: Any) -> Any | None:
    """The task that runs the (sub)workflow ``task`` belongs to."""
    workflow = task.workflow
    if workflow.parent_task_id is None:
        return None
    return workflow.top_workflow.get_task_from_id(workflow.parent_task_id)


def _throw_scopes(task: Any) -> list[str]:
    """The records a throw compensates: its scope's; for a throw inside a handler, the records
    of what that handler compensates; inside an event subprocess, the scope around it (and, for
    a throw without activityRef or one naming an activity of the event subprocess, its own)."""
    owner = _owner(task)
    if owner is not None:
        spec = owner.task_spec
        if isinstance(spec, EventSubprocess) or spec.bpmn_id in task.task_spec.event_scopes:
            own, around = _scope_key(task), _scope_key(owner)
            return {"own": [own], "both": [own, around]}.get(task.task_spec.scope, [around])
        instance = _owner(owner)
        parent = instance.parent if instance is not None else None
        if parent is not None and isinstance(parent.task_spec, CompensationThrow):
            return [_instance_key(instance)]
    return [_scope_key(task)]


def _instance_key(instance: Any) -> str:
    return f"handler:{instance.id}"


def take(task: Any, activity: str | None) -> list[dict[str, Any]]:
    """Take the records of ``task``'s scope (all, or ``activity``'s): the handlers to run."""
    record = _record(task)
    out: list[dict[str, Any]] = []
    for key in _throw_scopes(task):
        entries = record.get(key, [])
        chosen = [e for e in entries if activity is None or e.get("a") == activity]
        rest = [e for e in entries if activity is not None and e.get("a") != activity]
        if rest:
            record[key] = rest
        else:
            record.pop(key, None)
        out.extend(_expand(chosen))
    return out


class CompensationThrow(ParallelMultiInstanceTask):  # type: ignore[misc]
    """A compensate throw: one instance of its embedded subprocess per handler to run."""

    def __init__(
        self,
        wf_spec: Any,
        bpmn_id: str,
        activity_ref: str | None = None,
        cancel: bool = False,
        scope: str = "",
        **kw: Any,
    ) -> None:
        kw.setdefault("task_spec", "")
        super().__init__(wf_spec, bpmn_id, input_item=TaskDataReference(ITEM), **kw)
        self.activity_ref = activity_ref
        self.cancel = cancel
        #: In an event subprocess: "own" (its activityRef is one of the event subprocess's),
        #: "both" (no activityRef: the event subprocess's and the scope's around it), or ""
        self.scope = scope
        #: Ids of the event subprocesses of the definition (a throw in one compensates the
        #: scope around it); set by :func:`wire`.
        self.event_scopes: frozenset[str] = frozenset()

    def _on_complete_hook(self, my_task: Any) -> None:
        super()._on_complete_hook(my_task)
        if self.cancel:
            _hand_to_cancel_boundary(my_task)

    def create_children(self, my_task: Any) -> None:
        my_task.data.pop(ITEM, None)  # a throw inside a handler: its instance's item
        items = take(my_task, self.activity_ref)
        my_task.internal_data["compensation"] = [item["h"] for item in items]
        my_task.internal_data["pending"] = items
        self.start_next(my_task)

    def start_next(self, my_task: Any) -> bool:
        """Start the next handler; False when none is left to start.

        Camunda 7 starts every handler at once, each running on until it waits: a handler that
        completes at once (a script) has finished before the next starts, so the next reads
        what it wrote. Starting them one after another, the next when the one before completed
        or waits (:func:`release`), is that order.
        """
        pending = my_task.internal_data.get("pending") or []
        if not pending:
            return False
        item = pending.pop(0)
        index = len(my_task.internal_data["compensation"]) - len(pending) - 1
        self.create_child(my_task, item["h"], index)
        if item["c"]:  # what the handler's own throws compensate (they run later)
            _record(my_task)[_instance_key(my_task.children[-1])] = item["c"]
        return True

    def children_complete(self, my_task: Any) -> bool:
        if my_task.internal_data.get("pending"):
            return False
        return all(c.state == TaskState.COMPLETED for c in self._instances(my_task))

    def merge_child(self, workflow: Any, child: Any) -> None:
        # The handlers' writes reached this task as they were made (share): no merge here.
        my_task = child.parent
        my_task.internal_data.setdefault("merged", []).append(str(child.id))
        if self.children_complete(my_task):
            my_task._set_state(TaskState.READY)
        else:
            self.start_next(my_task)


def release(workflow: Any) -> bool:
    """Start the next handler of every throw whose handlers started so far all wait.

    The step loop calls this when nothing else can run; True if a handler was started.
    """
    started = False
    for wf in (workflow, *workflow.subprocesses.values()):
        for task in list(wf.tasks.values()):
            spec = task.task_spec
            if isinstance(spec, CompensationThrow) and task.state == TaskState.STARTED:
                started = spec.start_next(task) or started
    return started


class CompensationRoute(ExclusiveGateway):  # type: ignore[misc]
    """The gateway of a throw's instance: takes the flow to the handler the instance runs."""

    def _run_hook(self, my_task: Any) -> bool:
        handler = my_task.data.get(ITEM)
        names = [name for _, name in self.cond_task_specs]
        name = handler if handler in names else self.default_task_spec
        output = my_task.workflow.spec.get_task_spec_from_name(name)
        my_task._sync_children([output], TaskState.FUTURE)
        for child in my_task.children:
            child.task_spec._predict(child, mask=TaskState.FUTURE | TaskState.PREDICTED_MASK)
        return True


def _hand_to_cancel_boundary(task: Any) -> None:
    """The transaction is cancelled next: its variables (the handlers' writes) go on with the
    cancel boundary event, as Camunda's shared process variables do."""
    workflow = task.workflow
    if workflow.parent_task_id is None:
        return
    owner = workflow.top_workflow.get_task_from_id(workflow.parent_task_id)
    if owner is None:
        return
    owner.data.update(task.data)
    split = owner.parent
    if split is not None and split.task_spec.name.endswith(".BoundaryEventSplit"):
        split.data.update(task.data)
        for child in split.children:
            if not child.has_state(TaskState.FINISHED_MASK):
                child.data.update(task.data)


def _throw_of(task: Any) -> Any | None:
    """The throw task a handler runs under (the body of its instance's subprocess)."""
    workflow = task.workflow
    if workflow.parent_task_id is None:
        return None
    owner = workflow.top_workflow.get_task_from_id(workflow.parent_task_id)
    body = owner.parent if owner is not None else None
    if body is None or not isinstance(body.task_spec, CompensationThrow):
        return None
    return body


def share(workflow: Any, task: Any) -> None:
    """Hand a completed handler's writes to the throw and to the handlers not yet run."""
    body = _throw_of(task)
    if body is None:
        return
    base = body.data
    changed = {k: v for k, v in task.data.items() if k != ITEM and (k not in base or base[k] != v)}
    if not changed:
        return
    base.update(changed)
    top = workflow.top_workflow
    for child in body.children:
        sub = top.subprocesses.get(child.id)
        if sub is None or child.state == TaskState.COMPLETED or sub is task.workflow:
            continue
        child.data.update(changed)
        for other in sub.tasks.values():
            if not other.has_state(TaskState.FINISHED_MASK):
                other.data.update(changed)


def wire(
    specs: Iterable[Any],
    handlers: Mapping[str, str],
    subprocesses: Iterable[str],
    event_subprocesses: Iterable[str] = (),
) -> None:
    """Connect the record and the sharing of variables to a definition's task specs.

    ``handlers``: compensable activity id -> its handler's id; ``subprocesses``: ids of the
    embedded subprocesses and transactions (their completion records their inner work);
    ``event_subprocesses``: ids of the event subprocesses (SpiffWorkflow gives those of plain
    diagrams the plain subprocess class).
    """
    specs = list(specs)
    events = frozenset(event_subprocesses)
    for spec in specs:
        for task_spec in spec.task_specs.values():
            if isinstance(task_spec, CompensationThrow):
                task_spec.event_scopes = events
    inner = set(subprocesses)
    handler_ids = set(handlers.values())
    throws = _throw_names(specs)
    for spec in specs:
        throw_inner = spec.name in throws
        for task_spec in spec.task_specs.values():
            bpmn_id = getattr(task_spec, "bpmn_id", None)
            if bpmn_id is None or getattr(task_spec, _WIRED, False):
                continue  # a called process's specs serve every definition that calls it
            setattr(task_spec, _WIRED, True)
            if throw_inner and bpmn_id in handler_ids and task_spec.name == bpmn_id:
                task_spec.completed_event.connect(share)
                continue
            if bpmn_id in handlers or bpmn_id in inner:
                if isinstance(task_spec, CompensationThrow):
                    continue
                recorder = _Recorder(handlers.get(bpmn_id), bpmn_id in inner)
                task_spec.completed_event.connect(recorder.completed)
                task_spec.cancelled_event.connect(_forget)


_WIRED = "_seamline_compensation_wired"


def _throw_names(specs: Iterable[Any]) -> set[str]:
    names: set[str] = set()
    for spec in specs:
        for task_spec in spec.task_specs.values():
            if isinstance(task_spec, CompensationThrow):
                names.add(str(task_spec.bpmn_id))
    return names


def seen(task: Any) -> tuple[bool, list[str] | None]:
    """How the history shows a task that ran: (hidden, handlers run if it is a throw).

    The parts a throw is built of (its instances, their start, route and end) are hidden; a
    throw shows as the event it was drawn as, with the handlers it ran.
    """
    spec = task.task_spec
    if isinstance(spec, CompensationThrow):
        return False, list(task.internal_data.get("compensation", []))
    if isinstance(spec, CompensationRoute) or "__compensation_" in str(spec.bpmn_id or ""):
        return True, None
    parent = task.parent
    inner = spec.name.endswith(" [child]") and parent is not None
    return inner and isinstance(parent.task_spec, CompensationThrow), None
