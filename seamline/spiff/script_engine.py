"""The script engine seamline attaches to every SpiffWorkflow workflow.

SpiffWorkflow calls ``script_engine.evaluate`` for conditions, timers and multi-instance
collections and ``script_engine.execute`` for scripts; by default both are plain ``eval`` /
``exec``. Here they go through :class:`~seamline.engine.expressions.Evaluator` (sandboxed Python,
JUEL, FEEL), and business rule tasks reach seamline's DMN engine. The script engine is not
serialized, so the engine re-attaches one after every load.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.specs.event_definitions.conditional import ConditionalEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import (
    MultiInstanceTask,
    ParallelMultiInstanceTask,
)
from SpiffWorkflow.exceptions import TaskNotFoundException
from SpiffWorkflow.util.task import TaskState

from seamline import jsondata
from seamline.errors import DecisionError, ExpressionError
from seamline.spiff import events, multi_instance

if TYPE_CHECKING:
    from seamline.engine.expressions import Evaluator

ElementName = Callable[[Any], str]


def _where(task: Any) -> str:
    spec = task.task_spec
    return str(getattr(spec, "bpmn_id", None) or spec.name)


def _instance(task: Any) -> tuple[Any, Any] | None:
    """(instance, body) of the multi-instance activity ``task`` runs in: the task itself, or,
    inside an embedded subprocess instance, the nearest enclosing one."""
    current = task
    for _ in range(64):
        owner = current.parent
        spec = owner.task_spec if owner is not None else None
        if isinstance(spec, MultiInstanceTask) and current.task_spec.name == spec.task_spec:
            return current, owner
        workflow = current.workflow
        parent_id = getattr(workflow, "parent_task_id", None)
        if parent_id is None:
            return None
        try:
            current = workflow.top_workflow.get_task_from_id(parent_id)
        except TaskNotFoundException:
            return None
        if current is None or current.task_spec.description == "Call Activity":
            return None  # a called process does not see its caller's counters
    return None


def multi_instance_variables(task: Any) -> dict[str, int]:
    """The variables Camunda defines for one instance of a multi-instance activity.

    Camunda 7 (and plain diagrams): ``loopCounter`` (0-based index of the instance),
    ``nrOfInstances``, ``nrOfActiveInstances`` and ``nrOfCompletedInstances``, as completion
    conditions and assignee expressions read them; Camunda 8 and BPMN name the body's counters
    ``numberOfInstances``, ``numberOfActiveInstances``, ``numberOfCompletedInstances`` and
    ``numberOfTerminatedInstances`` (Camunda 8's ``loopCounter`` is 1-based). Empty when
    ``task`` is not (inside) an instance of a multi-instance activity.
    """
    found = _instance(task)
    if found is None:
        return {}
    instance, owner = found
    spec = owner.task_spec
    instances = list(spec._instances(owner))
    completed = len(owner.internal_data.get("merged", []))
    active = sum(1 for c in instances if not c.has_state(TaskState.FINISHED_MASK))
    items = multi_instance.body_items(owner)
    style = getattr(spec, "style", multi_instance.CAMUNDA7)
    if style == multi_instance.ZEEBE and not isinstance(spec, ParallelMultiInstanceTask):
        total = len(instances)  # Camunda 8 counts the sequential instances created so far
    elif items is not None:
        total = len(items)
    elif isinstance(spec, ParallelMultiInstanceTask):
        total = len(instances)
    else:
        # Sequential instances are created one by one: count those still to come.
        total = owner.internal_data.get("cardinality") or (
            len(instances) + len(owner.internal_data.get("remaining", []))
        )
    counter = instances.index(instance) + (1 if style == multi_instance.ZEEBE else 0)
    local = instance.internal_data.get(multi_instance.LOCALS) or {}
    counters = {"loopCounter": int(local.get("loopCounter", counter))}
    if style != multi_instance.ZEEBE:
        counters.update(
            nrOfInstances=int(total),
            nrOfActiveInstances=active,
            nrOfCompletedInstances=completed,
        )
    if style != multi_instance.CAMUNDA7:
        counters.update(
            numberOfInstances=int(total),
            numberOfActiveInstances=active,
            numberOfCompletedInstances=completed,
            numberOfTerminatedInstances=0,
        )
    return counters


class SeamlineScriptEngine(PythonScriptEngine):  # type: ignore[misc]
    """Routes SpiffWorkflow's evaluation hooks to seamline's evaluators.

    ``business_key`` is the instance's, set by the engine (``execution.processBusinessKey``).
    """

    business_key: str | None = None

    def __init__(
        self,
        evaluator: Evaluator,
        *,
        decide: Callable[[str, Mapping[str, Any]], Any] | None = None,
        element_id: ElementName = _where,
    ) -> None:
        super().__init__()
        self.evaluator = evaluator
        self._decide = decide
        self._element_id = element_id
        #: The instance's business key, as listeners read it (``execution.processBusinessKey``).
        self.business_key: str | None = None
        #: (element, event) of every listener run since the last commit, for the history.
        self.listened: list[tuple[str, str]] = []

    def validate(self, expression: str) -> None:
        self.evaluator.check(expression)

    def evaluate(self, task: Any, expression: str, external_context: Any = None) -> Any:
        if isinstance(
            getattr(task.task_spec, "event_definition", None), ConditionalEventDefinition
        ):
            return self._condition_holds(task, expression, external_context)
        return self._evaluate(task, expression, external_context)

    def condition_holds(self, task: Any, expression: str, external_context: Any = None) -> bool:
        """Whether a conditional event's condition holds over ``task``'s data (False while a
        variable it reads is not set)."""
        return self._condition_holds(task, expression, external_context)

    def _condition_holds(self, task: Any, expression: str, external_context: Any) -> bool:
        """A conditional event waits while its condition cannot be evaluated yet (a variable it
        reads is not set): it is checked again whenever the instance's data changes."""
        try:
            return bool(self._evaluate(task, expression, external_context))
        except ExpressionError as exc:
            if "unknown variable" in exc.message or "is not defined" in exc.message:
                return False
            raise

    def _evaluate(self, task: Any, expression: str, external_context: Any = None) -> Any:
        variables: Mapping[str, Any] = task.data
        counters = multi_instance_variables(task)
        if counters:
            # The process's own data wins over the names Camunda reserves for instances.
            variables = {**counters, **task.data}
        if external_context:
            variables = {**variables, **external_context}
        return self.evaluator.evaluate(expression, variables, where=self._element_id(task))

    def execute(self, task: Any, script: str | None, external_context: Any = None) -> bool:
        if script is None:
            return True  # a Camunda 8 script task: its zeebe:script runs as a mapping

        # An instance of a multi-instance activity reads its body's counters (nrOfInstances...).
        counters = {k: v for k, v in multi_instance_variables(task).items() if k not in task.data}
        variables = {**counters, **task.data}
        if external_context:
            variables.update(external_context)
        result = self.evaluator.sandbox.execute(script, variables, where=self._element_id(task))
        # The result holds every variable the script left bound: replacing the data keeps deletions.
        kept = {
            k: v
            for k, v in result.items()
            if k not in (external_context or {}) and not (k in counters and v == counters[k])
        }
        found = jsondata.nonfinite(kept)
        if found is not None:
            # Refused where it is written: process data is JSON, and JSON has no NaN or infinity.
            raise ExpressionError(
                f"{self._element_id(task)}: the script set {found[0]} to {found[1]}, which is not"
                f" a number; {jsondata.ADVICE} (e.g. None)"
            )
        task.data.clear()
        task.data.update(kept)
        events.during_activity(task)
        return True

    def call_service(self, task: Any, **kwargs: Any) -> Any:
        raise ExpressionError(
            f"{self._element_id(task)}: service tasks are run by connectors, not by scripts"
        )

    def evaluate_decision(self, task: Any, spec: Any) -> None:
        """Evaluate the business rule task's decision and store its result in the task's data."""
        if self._decide is None:
            raise DecisionError(f"{self._element_id(task)}: no decisions are loaded")
        ref = spec.decision_ref
        if not ref:
            raise DecisionError(f"{self._element_id(task)}: the task names no decision")
        result = self._decide(self._element_id(task), task.data)
        if isinstance(result, Mapping):
            task.data.update(result)
