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

The loop is here; what it calls on the library's task tree is in :mod:`seamline.spiff.tree`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from seamline.errors import EngineError
from seamline.spiff import TaskState
from seamline.spiff.orphans import drop_orphans, orphaned
from seamline.spiff.tree import (
    active_subprocesses,
    all_workflows,
    compact,
    fast_paths,
    ready_automatic,
    run_task,
)

#: A safety net against processes that never wait (an automatic loop without an exit).
MAX_STEPS_PER_ADVANCE = 1_000_000


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
        for task in ready_automatic(wf):
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
        drop_orphans(workflow)
        before = len(subprocesses)
        progressed = 0
        for sub in active_subprocesses(workflow):
            if orphaned(sub):
                continue  # its task was cancelled by an earlier one of this round
            while run_ready(sub):
                progressed += 1
            if sub.parent_task_id is not None:
                owner = workflow.get_task_from_id(sub.parent_task_id)
                owner.task_spec._update(owner)
        progressed += run_ready(workflow)
        if not progressed and len(subprocesses) <= before:
            break
    for wf in all_workflows(workflow):
        compact(wf)
    workflow.refresh_timers()
    return steps
