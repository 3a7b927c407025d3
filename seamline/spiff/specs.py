"""Task specs seamline substitutes for SpiffWorkflow's where seamline owns the behaviour.

They only mark where the engine takes over; what to call and how is read from the element's
metadata (:class:`seamline.bpmn.definition.ElementInfo`) by the engine:

- :class:`ConnectorTask` (service tasks, and send/business rule tasks bound to a connector) stops
  in STARTED: the engine commits a connector job, invokes the connector, and completes the task
  with the result, so a crash between the two re-invokes with the same idempotency key.
- :class:`CallActivityTask` (call activities of Camunda 7 and 8 diagrams) asks the engine which
  process to call and which variables pass in and out (``flow``), instead of SpiffWorkflow's
  "copy everything both ways".
- :class:`DecisionTask` (business rule tasks) asks the workflow's script engine to evaluate the
  decision with seamline's own DMN engine.

The script engine attached to every workflow (:mod:`seamline.spiff.script_engine`) is reached
here by duck typing, through the workflow a task belongs to.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.defaults import CallActivity, ManualTask, NoneTask
from SpiffWorkflow.bpmn.specs.mixins.bpmn_spec_mixin import BpmnSpecMixin
from SpiffWorkflow.spiff.specs.spiff_task import SpiffBpmnTask

# Keyword arguments the flavour parsers pass that these specs have no use for.
_IGNORED = ("operation_name", "operation_params", "result_variable", "decision_ref", "topic")


def _clean(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in kwargs.items() if k not in _IGNORED}


class ConnectorTask(BpmnSpecMixin):  # type: ignore[misc]
    """A task whose work is done by a connector; it waits (STARTED) until the engine finishes it."""

    def __init__(self, wf_spec: Any, bpmn_id: str, **kwargs: Any) -> None:
        super().__init__(wf_spec, bpmn_id, **_clean(kwargs))

    def _run_hook(self, my_task: Any) -> None:
        return None


class SpiffConnectorTask(SpiffBpmnTask, ConnectorTask):  # type: ignore[misc]
    """A connector task drawn in SpiffArena: keeps its pre- and post-scripts."""


class DecisionTask(BpmnSpecMixin):  # type: ignore[misc]
    """A business rule task evaluated by seamline's DMN engine."""

    def __init__(self, wf_spec: Any, bpmn_id: str, **kwargs: Any) -> None:
        self.decision_ref = kwargs.get("decision_ref")
        super().__init__(wf_spec, bpmn_id, **_clean(kwargs))

    def _run_hook(self, my_task: Any) -> bool:
        my_task.workflow.script_engine.evaluate_decision(my_task, self)
        return True


class SpiffDecisionTask(SpiffBpmnTask, DecisionTask):  # type: ignore[misc]
    """A business rule task drawn in SpiffArena: keeps its pre- and post-scripts."""


class PassThroughTask(NoneTask):  # type: ignore[misc]
    """A ``bpmn:task`` that passes the token straight on (BPMN 2.0, Camunda 7 and 8)."""

    def __init__(self, wf_spec: Any, bpmn_id: str, **kwargs: Any) -> None:
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.manual = False


class PassThroughManualTask(ManualTask):  # type: ignore[misc]
    """A ``bpmn:manualTask`` the engine does not wait at (BPMN 2.0, Camunda 7 and 8): the work
    is done outside, and the token passes straight on."""

    def __init__(self, wf_spec: Any, bpmn_id: str, **kwargs: Any) -> None:
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.manual = False


#: The pass-through spec of each task kind a flavour's strategy lists in ``pass_through``.
PASS_THROUGH_SPECS: dict[str, type] = {"task": PassThroughTask, "manualTask": PassThroughManualTask}


class CallActivityTask(CallActivity):  # type: ignore[misc]
    """A call activity whose called process and data flow the engine decides.

    ``flow`` is set by the engine once per loaded definition (``None``: SpiffWorkflow's own
    behaviour). It answers ``called(task)`` (the process id, which may be chosen at run time),
    ``into(task)`` (the variables the called process starts with) and
    ``back(task, variables)`` (apply what the called process ended with onto the task's data).
    """

    flow: Any = None

    def start_workflow(self, my_task: Any) -> None:
        if self.flow is None:
            super().start_workflow(my_task)
            return
        name = self.flow.called(my_task)
        top = my_task.workflow.top_workflow
        if name not in top.subprocess_specs:
            my_task.error()
            raise WorkflowTaskException(f"The called process '{name}' was not found.", task=my_task)
        subworkflow = top.create_subprocess(my_task, name)
        subworkflow.completed_event.connect(self._on_subworkflow_completed, my_task)
        self.copy_data(my_task, subworkflow)
        start = subworkflow.get_next_task(spec_name="Start")
        start.run()

    def copy_data(self, my_task: Any, subworkflow: Any) -> None:
        if self.flow is None:
            super().copy_data(my_task, subworkflow)
            return
        start = subworkflow.get_next_task(
            subworkflow.task_tree, skip_subprocesses=True, spec_name="Start"
        )
        start.set_data(**self.flow.into(my_task))

    def update_data(self, my_task: Any, subworkflow: Any) -> None:
        if self.flow is None:
            super().update_data(my_task, subworkflow)
            return
        self.flow.back(my_task, deepcopy(subworkflow.last_task.data))
