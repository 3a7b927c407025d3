"""Primitives over SpiffWorkflow's task tree and flat task index that the step loop uses.

:func:`compact` splices completed history out of the tree (see :mod:`seamline.engine.stepping`
for why); :func:`fast_paths` gives a workflow the flat-index ``update_waiting_tasks``;
:func:`run_task` runs one task and names its element when it fails; the rest list what is ready
to run. Only this package reaches into the library's private task attributes.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Any

from SpiffWorkflow.bpmn.specs.mixins.exclusive_gateway import ExclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.inclusive_gateway import InclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.exceptions import SpiffWorkflowException, TaskNotFoundException
from SpiffWorkflow.specs.Join import Join
from SpiffWorkflow.util.task import TaskState

from seamline.errors import EngineError, SeamlineError
from seamline.spiff import multi_instance

_KEEP_SPECS = (LoopTask, SubWorkflowTask)


def _removable(workflow: Any, task: Any) -> Any | None:
    """The only child of ``task`` if ``task`` can be spliced out of the tree, else None."""
    if task.state != TaskState.COMPLETED or task._parent is None or len(task._children) != 1:
        return None
    # Subprocesses are indexed on the top workflow only, also for tasks of a subprocess.
    if task is workflow.last_task or task.id in workflow.top_workflow.subprocesses:
        return None
    child = workflow.tasks.get(task._children[0])
    if child is None or child.state != TaskState.COMPLETED:
        return None
    if isinstance(child.task_spec, Join) or isinstance(task.task_spec, _KEEP_SPECS):
        return None
    parent = workflow.tasks.get(task._parent)
    if parent is None or isinstance(parent.task_spec, _KEEP_SPECS):
        return None
    return child


def compact(workflow: Any) -> int:
    """Splice completed history out of one (sub)workflow's task tree; returns tasks removed."""
    removed = 0
    tasks = workflow.tasks
    for task in list(tasks.values()):
        child = _removable(workflow, task)
        if child is None:
            continue
        parent = tasks[task._parent]
        parent._children[parent._children.index(task.id)] = child.id
        child._parent = parent.id
        del tasks[task.id]
        removed += 1
    _drop_finished_subprocesses(workflow)
    return removed


def _drop_finished_subprocesses(workflow: Any) -> None:
    """Completed subprocesses whose calling task is finished are history too."""
    top = workflow.top_workflow
    for task_id, sub in list(top.subprocesses.items()):
        if not sub.completed:
            continue
        parent = _parent_workflow(sub)
        if parent is None and sub.parent_task_id is not None:
            # Its task is gone (an instance of an interrupted multi-instance body).
            del top.subprocesses[task_id]
            continue
        owner = parent.tasks.get(task_id) if parent else None
        if owner is not None and owner.state == TaskState.COMPLETED:
            nested = [k for k, v in top.subprocesses.items() if _parent_workflow(v) is sub]
            if not nested:
                del top.subprocesses[task_id]


def _parent_workflow(sub: Any) -> Any | None:
    """The workflow holding ``sub``'s task; None when that task no longer exists."""
    try:
        return sub.parent_workflow
    except TaskNotFoundException:
        return None


def _update_waiting(self: Any) -> None:
    """``Workflow.update_waiting_tasks`` over the flat task index instead of a tree walk."""
    for task in [t for t in self.tasks.values() if t.state == TaskState.WAITING]:
        if task.state == TaskState.WAITING:
            task.task_spec._update(task)


def fast_paths(workflow: Any) -> None:
    """Give a (loaded or new) workflow seamline's cheaper bookkeeping.

    After every completed task SpiffWorkflow walks the whole task tree for waiting tasks; the
    flat index holds the same tasks without the walk. Subprocesses get it as they appear.
    """
    for wf in (workflow, *workflow.subprocesses.values()):
        if "update_waiting_tasks" not in vars(wf):
            wf.update_waiting_tasks = types.MethodType(_update_waiting, wf)


def ready_automatic(workflow: Any) -> list[Any]:
    """The workflow's READY tasks that run without a person or connector."""
    return [
        t for t in workflow.tasks.values() if t.state == TaskState.READY and not t.task_spec.manual
    ]


def active_subprocesses(workflow: Any) -> list[Any]:
    """Unfinished subprocesses, deepest first (a child finishes before its caller resumes).

    A subprocess whose task is gone (an instance of a multi-instance subprocess that a boundary
    event or a completion condition cancelled) is dropped: nothing would ever resume it."""
    subs = []
    for sp in list(workflow.subprocesses.values()):
        if sp.completed:
            continue
        if sp.parent_task_id is not None and _task_or_none(workflow, sp.parent_task_id) is None:
            workflow.subprocesses.pop(sp.parent_task_id, None)
            continue
        subs.append(sp)
    return sorted(subs, key=lambda sp: sp.depth, reverse=True)


def _task_or_none(workflow: Any, task_id: Any) -> Any | None:
    try:
        return workflow.get_task_from_id(task_id)
    except TaskNotFoundException:
        return None


def _element(task: Any) -> str:
    spec = task.task_spec
    return str(getattr(spec, "bpmn_id", None) or spec.name)


def run_task(task: Any) -> None:
    """Run one task; a failure becomes an EngineError naming the element (the task stays in ERROR).

    SpiffWorkflow's own messages name internal spec names or none at all, and anything else it
    raises (KeyError, TypeError, ...) would otherwise reach the user as a bare traceback.
    """
    multi_instance.rebase(task)
    try:
        task.run()
    except SeamlineError:
        raise
    except Exception as exc:
        spec = task.task_spec
        element = _element(task)
        if isinstance(spec, (ExclusiveGateway, InclusiveGateway)) and "No conditions" in str(exc):
            kind = "exclusive" if isinstance(spec, ExclusiveGateway) else "inclusive"
            raise EngineError(
                f"no outgoing sequence flow of the {kind} gateway could be selected: no condition"
                " holds and it has no default flow",
                element=element,
                hint="give the gateway a default flow or check the data its conditions read",
            ) from exc
        text = str(exc).strip().splitlines()[0].strip() if str(exc).strip() else ""
        if not isinstance(exc, SpiffWorkflowException) or not text:
            # A foreign exception type is the only clue to what went wrong inside the library.
            text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
        raise EngineError(text, element=element) from exc


def all_workflows(workflow: Any) -> Iterator[Any]:
    """The workflow and each of its subprocesses."""
    yield workflow
    yield from list(workflow.subprocesses.values())


def set_state(task: Any, state: int) -> None:
    """Put ``task`` into ``state`` without running it (a retry puts a failed task back).

    The library has no public way to do this; ``_set_state`` is what its own reset uses.
    """
    task._set_state(state)


def event_value(task: Any) -> Any:
    """What a waiting event task stored about its trigger (a timer keeps its due time here)."""
    return task._get_internal_data("event_value")


def on_arrival(task_spec: Any, hook: Any) -> None:
    """Call ``hook(workflow, task)`` when a token reaches a task of ``task_spec``.

    Most specs say so with their update (or ready) event; 3.2.0's joins emit neither for a
    branch that arrives before the join fires, so a join's update hook is wrapped. A waiting
    join task holds no data until it fires: it is given its parent's first, so the hook sees the
    branch's variables.
    """
    task_spec.update_event.connect(hook)
    task_spec.ready_event.connect(hook)
    if not isinstance(task_spec, Join) or "_update_hook" in vars(task_spec):
        return
    original = task_spec._update_hook

    def _update_hook(my_task: Any) -> Any:
        if not my_task.data and my_task.parent is not None:
            my_task.data = dict(my_task.parent.data)
        hook(my_task.workflow, my_task)
        return original(my_task)

    task_spec._update_hook = _update_hook


def finish_if_idle(workflow: Any) -> bool:
    """Complete a (sub)workflow that has nothing left to do but was never marked complete.

    An interrupting event subprocess cancels the rest of its scope, the scope's own end task
    included, so the library never sees the scope end: once the event subprocess is done too,
    the scope completes here (and its calling task goes on). True if it was completed.
    """
    if workflow.completed:
        return False
    if any(t.has_state(TaskState.NOT_FINISHED_MASK) for t in workflow.tasks.values()):
        return False
    last = workflow.last_task or workflow.task_tree
    workflow._mark_complete(last)
    workflow.completed_event(workflow)
    return True
