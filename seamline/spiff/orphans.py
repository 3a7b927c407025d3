"""Subprocess workflows whose task is gone, dropped with it.

When an interrupting boundary event cancels a multi-instance activity, SpiffWorkflow 3.2 drops
the activity's instance tasks from the tree (``Task._drop_children``) without cancelling them,
so the workflows of subprocess and call activity instances stayed behind: their user tasks
still open, their catch events still subscribed, the instance never complete. Camunda destroys
every instance with the multi-instance body. :func:`drop_orphans` removes such workflows (and
the workflows nested in them) from the instance, and cancels an instance a sequential body
started after it was itself cancelled.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.util.task import TaskState


def _owner(sub: Any) -> Any | None:
    task_id = sub.parent_task_id
    top = sub.top_workflow
    if task_id in top.tasks:
        return top.tasks[task_id]
    for other in top.subprocesses.values():
        if task_id in other.tasks:
            return other.tasks[task_id]
    return None


def _under_cancelled(task: Any) -> bool:
    node = task.parent
    while node is not None:
        if node.state == TaskState.CANCELLED:
            return True
        node = node.parent
    return False


def _orphaned(sub: Any) -> bool:
    if sub.parent_task_id is None:
        return False
    owner = _owner(sub)
    if owner is None:
        return True
    # An instance a multi-instance body added after it was cancelled (its previous instance
    # completed on the error end event that cancelled it).
    return owner.state != TaskState.CANCELLED and _under_cancelled(owner)


def orphaned(sub: Any) -> bool:
    """Whether ``sub`` is the workflow of a task no longer in its parent workflow."""
    return _orphaned(sub)


def drop_orphans(top: Any) -> bool:
    """Remove every subprocess workflow whose task was dropped; True if any was."""
    dropped = False
    while True:
        gone = [(key, sub) for key, sub in top.subprocesses.items() if _orphaned(sub)]
        if not gone:
            return dropped
        for key, sub in gone:
            owner = _owner(sub)
            if owner is not None and not owner.has_state(TaskState.FINISHED_MASK):
                owner._set_state(TaskState.CANCELLED)
            for task in sub.tasks.values():
                top.event_manager.remove_task(task)
            del top.subprocesses[key]
        dropped = True
