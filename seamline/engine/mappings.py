"""Input and output mappings of activities that are not connector tasks.

Camunda 7 ``camunda:inputOutput`` and Camunda 8 ``zeebe:ioMapping`` may sit on any activity (a
user task, a script task, a subprocess, a call activity). SpiffWorkflow ignores them; seamline
applies them, as the flavour's strategy reads them (:func:`seamline.bpmn.flavours.io_mapping`):

- inputs are evaluated (in the diagram's dialect) when the activity becomes ready, and are
  local to it: they are removed from the data when it completes, unless an output maps them;
  values may be texts (literals or expressions), scripts, and nested lists and maps;
- outputs are evaluated over the activity's data when it completes, before the data flows on;
  in Camunda 8, when there are outputs, only they reach the parent scope (whatever else the
  activity set stays local to it).

Connector tasks map their own inputs and outputs (``jobs.py``). Camunda 8 script tasks
(``zeebe:script expression resultVariable``) are evaluated here too, as a script-free mapping.
Call activities of Camunda 7 and 8 get their ``in``/``out`` flow (:mod:`.call_flow`). The hooks
hang on SpiffWorkflow's per-spec update/completed events, connected once per loaded definition;
the evaluator is the workflow's own script engine's.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
from collections.abc import Mapping
from typing import Any

from seamline.bpmn import flavours
from seamline.bpmn.definition import ElementInfo, ProcessDefinition
from seamline.bpmn.flavours import IoMapping, Param
from seamline.bpmn.flavours.base import NESTED_LANGUAGE, NESTED_SCRIPT
from seamline.engine import call_flow
from seamline.engine.scopes import LOCALS, SHADOWED, make_local
from seamline.errors import ExpressionError
from seamline.spiff.specs import CallActivityTask, ConnectorTask

_CHILD = " [child]"
#: Camunda 8 with output mappings: the data as it was before the activity, restored at the end.
_ENTRY = "seamline.entry"
_SCRIPT_LANGUAGES = ("python", "py")
_EMBEDDED = frozenset({"subProcess", "transaction", "adHocSubProcess"})


def set_path(data: dict[str, Any], target: str, value: Any) -> None:
    """Set ``target`` in ``data``; Camunda 8 targets may be dotted paths into objects."""
    parts = target.split(".")
    for part in parts[:-1]:
        nested = data.get(part)
        if not isinstance(nested, dict):
            nested = {}
            data[part] = nested
        data = nested
    data[parts[-1]] = value


def run_script(task: Any, source: str, language: str | None, where: str) -> Any:
    """The value of a script parameter: its last expression, as in Groovy or JavaScript.

    Only Python runs (the loader refuses other languages): the statements before the last are
    executed in the sandbox, then the last one is evaluated over what they left bound.
    """
    if (language or "python").lower() not in _SCRIPT_LANGUAGES:
        raise ExpressionError(f"{where}: scripts in {language} do not run; write it in Python")
    evaluator = task.workflow.script_engine.evaluator
    text = source.strip()
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise ExpressionError(f"{where}: the script does not parse ({exc.msg})") from exc
    if not tree.body:
        return None
    last = tree.body[-1]
    variables = dict(task.data)
    if len(tree.body) > 1:
        head = "\n".join(text.splitlines()[: last.lineno - 1])
        variables = evaluator.sandbox.execute(head, variables, where=where)
    if not isinstance(last, ast.Expr):
        variables = evaluator.sandbox.execute(ast.get_source_segment(text, last) or "", variables)
        return None
    segment = ast.get_source_segment(text, last) or ""
    return evaluator.sandbox.evaluate(segment, variables, where=where)


def value_of(task: Any, source: Any, where: str) -> Any:
    """A mapping's value: texts evaluated if marked (``${...}``, ``=...``), nested lists and
    maps value by value (map keys too), scripts run."""
    if isinstance(source, Mapping):
        if NESTED_SCRIPT in source:
            text = str(source[NESTED_SCRIPT] or "")
            return run_script(task, text, source.get(NESTED_LANGUAGE), where)
        return {str(value_of(task, k, where)): value_of(task, v, where) for k, v in source.items()}
    if isinstance(source, list):
        return [value_of(task, v, where) for v in source]
    if not isinstance(source, str):
        return source
    evaluator = task.workflow.script_engine.evaluator
    return evaluator.value(source, task.data, where=where)


def _param(task: Any, param: Param, element: ElementInfo, what: str) -> Any:
    where = f"{element.id} {what} '{param.name}'"
    if param.kind == "script":
        return run_script(task, str(param.value or ""), param.language, where)
    return value_of(task, param.value, where)


def _inputs(element: ElementInfo, io: IoMapping) -> Any:
    def apply(workflow: Any, task: Any, *_: Any) -> None:
        if LOCALS in task.internal_data:
            return
        if io.outputs_only:
            task.internal_data[_ENTRY] = copy.deepcopy(task.data)
        local: list[str] = []
        for param in io.inputs:
            value = _param(task, param, element, "input")
            make_local(task, param.name.split(".")[0])
            set_path(task.data, param.name, value)
            local.append(param.name.split(".")[0])
        task.internal_data[LOCALS] = list(dict.fromkeys(local))

    return apply


def _outputs(element: ElementInfo, io: IoMapping) -> Any:
    def apply(workflow: Any, task: Any, *_: Any) -> None:
        if io.result is not None:
            result = value_of(task, io.result.value, f"{element.id} script")
            if io.result.name:
                set_path(task.data, io.result.name, result)
        values = [(p.name, _param(task, p, element, "output")) for p in io.outputs]
        entry = task.internal_data.pop(_ENTRY, None)
        if io.outputs_only and io.outputs and isinstance(entry, dict):
            task.data.clear()
            task.data.update(entry)
        mapped = {t.split(".")[0] for t, _ in values}
        shadowed = task.internal_data.pop(SHADOWED, None) or {}
        for name in task.internal_data.get(LOCALS, ()):
            if name not in mapped:
                task.data.pop(name, None)
                if name in shadowed:
                    task.data[name] = shadowed[name]
        for target, value in values:
            set_path(task.data, target, value)

    return apply


def connect(definition: ProcessDefinition) -> None:
    """Hang the mapping hooks on the specs of ``definition`` (once per loaded definition)."""
    specs = [definition.spec, *definition.subprocess_specs.values()]
    for spec in specs:
        # A multi-instance activity is a wrapper spec "x" around "x [child]", which runs once
        # per instance: the mappings belong on the child.
        wrapped = {n[: -len(_CHILD)] for n in spec.task_specs if n.endswith(_CHILD)}
        for task_spec in spec.task_specs.values():
            if task_spec.name in wrapped:
                continue
            if isinstance(task_spec, ConnectorTask) or getattr(
                task_spec, "_seamline_mapped", False
            ):
                continue
            task_spec._seamline_mapped = True
            name = task_spec.name
            base = name[: -len(_CHILD)] if name.endswith(_CHILD) else name
            element = definition.element_in(spec.name, base)
            if element is not None:
                _connect(task_spec, element)


def _connect(task_spec: Any, element: ElementInfo) -> None:
    io = flavours.io_mapping(element.flavour, element.extensions) or IoMapping()
    if element.type in _EMBEDDED and io.outputs_only:
        # What the activities inside an embedded subprocess set propagates past it (Zeebe sets
        # a variable where it is defined, else on the process): only a task's own completion
        # variables, and a call activity's child variables, stay local to it.
        io = dataclasses.replace(io, outputs_only=False)
    called = isinstance(task_spec, CallActivityTask)
    if called:
        mapping = flavours.call_mapping(element.flavour, element.extensions)
        task_spec.flow = call_flow.CallFlow(element, mapping) if mapping is not None else None
        called = mapping is not None
    if io.inputs or io.outputs_only or called:
        task_spec.update_event.connect(_inputs(element, io))
    if io or called:
        task_spec.completed_event.connect(_outputs(element, io))
