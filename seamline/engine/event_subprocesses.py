"""Event subprocesses as BPMN defines them, where SpiffWorkflow 3.2 falls short.

Two gaps are closed here:

- **Routing.** SpiffWorkflow starts an event subprocess only for events that reach the top of
  the instance with nobody waiting for them, and only among the top-level process's event
  subprocesses. An error thrown inside an embedded subprocess therefore never reached the
  event subprocess drawn inside that same subprocess. :func:`seamline.spiff.install` extends
  the event manager so that, scope by scope from the thrower outwards, an event subprocess of
  that scope whose start event matches is started before the event moves on.
- **Interrupting.** SpiffWorkflow ignores ``isInterrupting``: an event subprocess ran beside
  the flow it should have cancelled. :class:`Interrupter` is an engine step hook that, once an
  interrupting event subprocess has started, cancels everything else that is still active in
  its enclosing scope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from seamline.engine import projections as proj
from seamline.engine import waiting
from seamline.spiff import EventSubprocess, TaskState
from seamline.spiff.tree import finish_if_idle

if TYPE_CHECKING:
    from seamline.engine.engine import Engine
    from seamline.engine.step import Step

_UNFINISHED = (
    TaskState.FUTURE,
    TaskState.LIKELY,
    TaskState.MAYBE,
    TaskState.WAITING,
    TaskState.READY,
    TaskState.STARTED,
)


class Interrupter:
    """Step hook: an interrupting event subprocess that started cancels the rest of its scope."""

    def hook(self, engine: Engine, step: Step) -> bool:
        """Cancel what an interrupting event subprocess interrupts; True if anything was."""
        cancelled = False
        top = step.workflow
        for task in list(proj.all_tasks(top)):
            if not self._event_subprocess(step, task):
                continue
            if task.internal_data.get("interrupted") or task.state not in (
                TaskState.STARTED,
                TaskState.READY,
                TaskState.COMPLETED,
            ):
                continue
            sub = top.subprocesses.get(task.id)
            if sub is None:
                # It ran to its end within the step (its workflow is gone): it did start.
                spec = top.subprocess_specs.get(getattr(task.task_spec, "spec", None))
                if task.state != TaskState.COMPLETED or spec is None:
                    continue
            elif not self._started(sub):
                continue
            else:
                spec = sub.spec
            if not self._interrupting(step, spec):
                continue
            task.internal_data["interrupted"] = True
            cancelled = self._cancel_others(task) or cancelled
            step.event("interrupted", proj.element_id(task))
        for sub in list(top.subprocesses.values()):
            if sub.task_tree.internal_data.get(waiting.INTERRUPTED_SCOPE) and finish_if_idle(sub):
                cancelled = True
        return cancelled

    @staticmethod
    def _event_subprocess(step: Step, task: Any) -> bool:
        # SpiffWorkflow's parser gives event subprocesses the plain subprocess class (it looks
        # for a namespaced triggeredByEvent attribute), so the diagram is asked instead.
        if isinstance(task.task_spec, EventSubprocess):
            return True
        element = step.definition.elements.get(proj.element_id(task))
        return element is not None and element.extensions.get("triggeredByEvent") == "true"

    @staticmethod
    def _started(sub: Any) -> bool:
        return any(
            t.state == TaskState.COMPLETED and t.task_spec in sub.spec.bpmn_start_events
            for t in sub.tasks.values()
        )

    @staticmethod
    def _interrupting(step: Step, spec: Any) -> bool:
        for start in spec.bpmn_start_events:
            element = step.definition.elements.get(getattr(start, "bpmn_id", None) or start.name)
            if (
                element is not None
                and str(element.extensions.get("isInterrupting", "true")).lower() == "false"
            ):
                return False
        return True

    @staticmethod
    def _cancel_others(esp_task: Any) -> bool:
        scope = esp_task.workflow
        scope.task_tree.internal_data[waiting.INTERRUPTED_SCOPE] = True
        keep = {esp_task.id}
        parent = esp_task.parent
        while parent is not None:
            keep.add(parent.id)
            parent = parent.parent
        done = False
        for task in list(scope.tasks.values()):
            if task.id in keep or task.state not in _UNFINISHED:
                continue
            if task.task_spec.name.endswith(("EndJoin", "End")) and task.task_spec.bpmn_id is None:
                continue  # the scope's own ending, which the event subprocess still reaches
            if task.id not in scope.tasks:
                continue  # cancelled with an ancestor already
            task.cancel()
            done = True
        if done and esp_task.state == TaskState.COMPLETED:
            # It had already ended: nothing else will wake the scope's end, which waited for
            # the branches just cancelled.
            for task in list(scope.tasks.values()):
                if task.state == TaskState.WAITING and task.task_spec.name.endswith("EndJoin"):
                    task.task_spec._update(task)
        return done
