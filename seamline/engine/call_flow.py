"""Which process a call activity calls and which variables pass in and out, as its flavour says.

A :class:`CallFlow` is what :class:`seamline.spiff.specs.CallActivityTask` asks (its ``flow``):

- ``called(task)``: the process id, evaluated when the activity starts if it is an expression
  (Camunda 7 ``calledElement="${...}"``, Camunda 8 ``processId="=..."``);
- ``into(task)``: the variables the called process starts with. Camunda 7 passes only what
  ``camunda:in`` names (``variables="all"``, ``source``/``target``, ``sourceExpression``;
  ``local="true"`` reads only the call activity's own input variables); Camunda 8 passes every
  variable unless ``propagateAllParentVariables="false"`` (then only its input mappings);
- ``back(task, variables)``: what comes back. Camunda 7: what ``camunda:out`` names, set on the
  parent scope, or on the call activity only with ``local="true"`` (where its output parameters
  read it); Camunda 8: every child variable unless ``propagateAllChildVariables="false"`` or
  output mappings say what comes back.

The called instance's business key (Camunda 7 ``camunda:in businessKey="..."``) is kept on the
call activity's task, where the human task rows of the called process read it.
"""

from __future__ import annotations

import copy
from typing import Any

from seamline.bpmn.definition import ElementInfo
from seamline.bpmn.flavours import CallMapping, VariableFlow
from seamline.engine import scopes
from seamline.errors import ExpressionError
from seamline.expr.juel_ops import Execution

#: Where a call activity's task keeps the business key of the instance it called.
BUSINESS_KEY = "seamline.business_key"


class CallFlow:
    """The data flow of one call activity (one per loaded definition)."""

    def __init__(self, element: ElementInfo, mapping: CallMapping) -> None:
        self.element = element
        self.mapping = mapping

    def _evaluate(self, task: Any, text: str, variables: dict[str, Any], what: str) -> Any:
        evaluator = task.workflow.script_engine.evaluator
        return evaluator.value(text, variables, where=f"{self.element.id} {what}")

    def called(self, task: Any) -> str:
        """The id of the process to call, chosen now if the diagram gives an expression."""
        text = self.mapping.called or task.task_spec.spec
        name = self._evaluate(task, str(text), task.data, "calledElement")
        if not isinstance(name, str) or not name:
            raise ExpressionError(
                f"{self.element.id}: calledElement {text!r} gave {name!r}, not a process id"
            )
        return name

    def _local(self, task: Any) -> dict[str, Any]:
        names = task.internal_data.get(scopes.LOCALS, ())
        return {n: task.data[n] for n in names if n in task.data}

    def _read(self, task: Any, flow: VariableFlow, scope: dict[str, Any]) -> dict[str, Any]:
        if flow.everything:
            return copy.deepcopy(scope)
        if not flow.target:
            return {}
        if flow.expression is not None:
            return {flow.target: self._evaluate(task, flow.expression, scope, "mapping")}
        return {flow.target: copy.deepcopy(scope.get(str(flow.source)))}

    def into(self, task: Any) -> dict[str, Any]:
        """The variables the called process starts with."""
        passed: dict[str, Any] = {}
        for flow in self.mapping.inputs:
            scope = self._local(task) if flow.local else dict(task.data)
            passed.update(self._read(task, flow, scope))
        if self.mapping.business_key:
            env = {**task.data, "execution": _execution(task)}
            key = self._evaluate(task, self.mapping.business_key, env, "businessKey")
            task.internal_data[BUSINESS_KEY] = None if key is None else str(key)
        elif self.mapping.own_business_key:
            task.internal_data[BUSINESS_KEY] = None
        return passed

    def back(self, task: Any, variables: dict[str, Any]) -> None:
        """Apply what the called process ended with onto the call activity's data."""
        for flow in self.mapping.outputs:
            values = self._read(task, flow, variables)
            if flow.local:
                for name in values:
                    scopes.make_local(task, name)
                    locals_ = task.internal_data.setdefault(scopes.LOCALS, [])
                    if name not in locals_:
                        locals_.append(name)
            task.data.update(values)


def business_key_of(task: Any) -> tuple[bool, str | None]:
    """(True, key) if ``task`` runs in a process called by a call activity that gave it its own
    business key (or none); (False, None) if it shares its instance's business key."""
    workflow = task.workflow
    top = getattr(workflow, "top_workflow", workflow)
    while workflow is not top and workflow is not None:
        parent = top.get_task_from_id(workflow.parent_task_id)
        if parent is None:
            break
        if BUSINESS_KEY in parent.internal_data:
            return True, parent.internal_data[BUSINESS_KEY]
        workflow = parent.workflow
    return False, None


def _execution(task: Any) -> Execution:
    """Camunda's ``execution`` in a business key expression: variables and the business key."""
    top = getattr(task.workflow, "top_workflow", task.workflow)
    own, key = business_key_of(task)
    if not own:
        key = getattr(top.script_engine, "business_key", None)
    return Execution(variables=dict(task.data), processBusinessKey=key)
