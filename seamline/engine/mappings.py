"""Input and output mappings of activities that are not connector tasks.

Camunda 7 ``camunda:inputOutput`` and Camunda 8 ``zeebe:ioMapping`` may sit on any activity (a
user task, a script task, a subprocess). SpiffWorkflow ignores them; seamline applies them:

- inputs are evaluated (in the diagram's dialect) when the activity becomes ready, and are
  local to it: they are removed from the data when it completes, unless an output maps them;
- outputs are evaluated over the activity's data when it completes, before the data flows on.

Connector tasks map their own inputs and outputs (``jobs.py``). Camunda 8 script tasks
(``zeebe:script expression resultVariable``) are evaluated here too, as a script-free mapping.
The hooks hang on SpiffWorkflow's per-spec update/completed events, connected once per loaded
definition; the evaluator is the workflow's own script engine's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seamline.bpmn.definition import ElementInfo, ProcessDefinition
from seamline.spiff.specs import ConnectorTask

Pairs = list[tuple[str, Any]]

_CHILD = " [child]"


def _camunda(params: list[Mapping[str, Any]]) -> Pairs:
    return [(str(p.get("name")), p.get("value")) for p in params if p.get("kind") != "script"]


def mappings(element: ElementInfo) -> tuple[Pairs, Pairs]:
    """(inputs, outputs) as (target, source) pairs; sources are expressions or literals."""
    ext = element.extensions
    inputs: Pairs = []
    outputs: Pairs = []
    io = ext.get("camunda:inputOutput")
    if isinstance(io, Mapping):
        inputs += _camunda(io.get("inputs", []))
        outputs += _camunda(io.get("outputs", []))
    zio = ext.get("zeebe:ioMapping")
    if isinstance(zio, Mapping):
        inputs += [(str(i.get("target")), i.get("source")) for i in zio.get("inputs", [])]
        outputs += [(str(o.get("target")), o.get("source")) for o in zio.get("outputs", [])]
    return inputs, outputs


def _set(data: dict[str, Any], target: str, value: Any) -> None:
    """Camunda 8 targets may be dotted paths into objects."""
    parts = target.split(".")
    for part in parts[:-1]:
        nested = data.get(part)
        if not isinstance(nested, dict):
            nested = {}
            data[part] = nested
        data = nested
    data[parts[-1]] = value


def _value(task: Any, source: Any, element: ElementInfo, what: str) -> Any:
    if isinstance(source, Mapping):
        return {k: _value(task, v, element, what) for k, v in source.items()}
    if isinstance(source, list):
        return [_value(task, v, element, what) for v in source]
    if not isinstance(source, str):
        return source
    evaluator = task.workflow.script_engine.evaluator
    return evaluator.value(source, task.data, where=f"{element.id} {what}")


def _inputs(element: ElementInfo, pairs: Pairs) -> Any:
    def apply(workflow: Any, task: Any, *_: Any) -> None:
        if task.internal_data.get("seamline.inputs"):
            return
        local = []
        for target, source in pairs:
            _set(task.data, target, _value(task, source, element, f"input '{target}'"))
            local.append(target.split(".")[0])
        task.internal_data["seamline.inputs"] = local

    return apply


def _outputs(element: ElementInfo, pairs: Pairs, script: Mapping[str, Any] | None) -> Any:
    def apply(workflow: Any, task: Any, *_: Any) -> None:
        if script and script.get("expression"):
            result = _value(task, script["expression"], element, "script")
            if script.get("resultVariable"):
                _set(task.data, str(script["resultVariable"]), result)
        values = [(t, _value(task, s, element, f"output '{t}'")) for t, s in pairs]
        mapped = {t.split(".")[0] for t, _ in values}
        for name in task.internal_data.get("seamline.inputs", ()):
            if name not in mapped:
                task.data.pop(name, None)
        for target, value in values:
            _set(task.data, target, value)

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
            element = definition.element_for_spec(base)
            if element is None:
                continue
            inputs, outputs = mappings(element)
            script = element.extensions.get("zeebe:script")
            script = script if isinstance(script, Mapping) else None
            if inputs:
                task_spec.update_event.connect(_inputs(element, inputs))
            if outputs or script or inputs:
                task_spec.completed_event.connect(_outputs(element, outputs, script))
