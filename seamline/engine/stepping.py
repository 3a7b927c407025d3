"""Running a workflow's automatic tasks, with history compaction.

SpiffWorkflow's ``do_engine_steps`` walks the task tree with an iterator that stops at depth
1,000, and every iteration of a loop built from gateways nests the tree 3-4 levels deeper: a
long loop ends silently, and each step costs time proportional to all history so far. seamline
runs the steps itself, over the flat ``workflow.tasks`` index, and after every task it splices
out completed tasks whose only child is completed too (history nobody reads again: data is
copied into a child when it becomes ready). The tree then stays as deep and as large as the
live part of the process, whatever the number of iterations, so a step costs the same at the
10,000th iteration as at the first, and snapshots do not grow with history.

What is kept: the root, tasks with several children (splits, boundary events, event gateways),
the parents of joins (joins read their inputs from them), subprocess and loop/multi-instance
tasks and their direct children, and the workflow's ``last_task``.
"""

from __future__ import annotations

import logging
import time
import types
from collections.abc import Callable, Iterator
from typing import Any

from SpiffWorkflow.bpmn.specs.mixins.exclusive_gateway import ExclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.inclusive_gateway import InclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.specs.Join import Join
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from seamline.errors import EngineError, SeamlineError

_spiff_logger = logging.getLogger("spiff.task")

#: A safety net against processes that never wait (an automatic loop without an exit).
MAX_STEPS_PER_ADVANCE = 1_000_000

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
        owner = sub.parent_workflow.tasks.get(task_id) if sub.parent_workflow else None
        if owner is not None and owner.state == TaskState.COMPLETED:
            nested = [k for k, v in top.subprocesses.items() if v.parent_workflow is sub]
            if not nested:
                del top.subprocesses[task_id]


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


_collect_log_extras = Task.collect_log_extras


def _log_extras(self: Any, dct: dict[str, Any] | None = None) -> dict[str, Any]:
    # SpiffWorkflow builds a dict of log details on every state change, logged or not.
    if not _spiff_logger.isEnabledFor(logging.INFO):
        return {}
    extras: dict[str, Any] = _collect_log_extras(self, dct)
    return extras


Task.collect_log_extras = _log_extras

_set_state = Task._set_state


def _quiet_set_state(self: Any, value: int) -> None:
    # The same state change without composing log messages nobody reads.
    if _spiff_logger.isEnabledFor(logging.INFO):
        _set_state(self, value)
    elif value != self._state:
        self.last_state_change = time.time()
        self._state = value


Task._set_state = _quiet_set_state


def _ready_automatic(workflow: Any) -> list[Any]:
    return [
        t for t in workflow.tasks.values() if t.state == TaskState.READY and not t.task_spec.manual
    ]


def _active_subprocesses(workflow: Any) -> list[Any]:
    subs = [sp for sp in workflow.subprocesses.values() if not sp.completed]
    return sorted(subs, key=lambda sp: sp.depth, reverse=True)


def _element(task: Any) -> str:
    spec = task.task_spec
    return str(getattr(spec, "bpmn_id", None) or spec.name)


def run_task(task: Any) -> None:
    """Run one task; a failure becomes an EngineError naming the element (the task stays in ERROR).

    SpiffWorkflow's own messages name internal spec names or none at all, and anything else it
    raises (KeyError, TypeError, ...) would otherwise reach the user as a bare traceback.
    """
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


def run_automatic(
    workflow: Any,
    *,
    on_task: Callable[[Any], None] | None = None,
    max_steps: int = MAX_STEPS_PER_ADVANCE,
) -> int:
    """Run every ready automatic task until only manual or waiting work remains.

    ``on_task`` is called after each task ran (the engine records events there). Returns the
    number of tasks run.
    """
    steps = 0
    subprocesses = workflow.subprocesses

    def run_ready(wf: Any) -> int:
        nonlocal steps
        count = 0
        for task in _ready_automatic(wf):
            if task.state != TaskState.READY:  # an earlier task in this round changed it
                continue
            run_task(task)
            count += 1
            steps += 1
            if on_task is not None:
                on_task(task)
            if steps % 16 == 0:
                compact(wf)
            if steps > max_steps:
                raise EngineError(
                    f"the process ran {max_steps} automatic steps without waiting",
                    hint="check the diagram for a loop without an exit",
                )
        return count

    while True:
        fast_paths(workflow)
        before = len(subprocesses)
        progressed = 0
        for sub in _active_subprocesses(workflow):
            while run_ready(sub):
                progressed += 1
            if sub.parent_task_id is not None:
                owner = workflow.get_task_from_id(sub.parent_task_id)
                owner.task_spec._update(owner)
        progressed += run_ready(workflow)
        if not progressed and len(subprocesses) <= before:
            break
    for wf in _all_workflows(workflow):
        compact(wf)
    workflow.refresh_timers()
    return steps


def _all_workflows(workflow: Any) -> Iterator[Any]:
    yield workflow
    yield from list(workflow.subprocesses.values())
