"""Camunda 8 (zeebe): the ``zeebe:`` namespace, its extension elements, what it is built by."""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from lxml import etree

from seamline.bpmn.flavours.base import (
    MODELER_NS,
    PASS_THROUGH_TASKS,
    Assignment,
    CallMapping,
    ConnectorSpec,
    Flavour,
    FlavourStrategy,
    FormLink,
    IoMapping,
    Param,
    RetrySpec,
    Schedule,
    VariableFlow,
    _attrs,
    _children,
    _generic,
    local,
)

ZEEBE_NS = "http://camunda.org/schema/zeebe/1.0"
#: Camunda 8's key for a form embedded in the diagram (``zeebe:userTaskForm``).
EMBEDDED_PREFIX = "camunda-forms:bpmn:"


def _zeebe_element(el: etree._Element) -> Any:
    kind = local(el.tag)
    if kind == "ioMapping":
        return {
            "inputs": [_attrs(c) for c in _children(el, "input")],
            "outputs": [_attrs(c) for c in _children(el, "output")],
        }
    if kind == "taskHeaders":
        return {h.get("key"): h.get("value") for h in _children(el, "header")}
    if kind == "properties":
        return {p.get("name"): p.get("value") for p in _children(el, "property")}
    return _generic(el)


def form_link(extensions: Mapping[str, Any]) -> FormLink | None:
    """``zeebe:formDefinition formId="..."``: a ``.form`` file with that ``id``."""
    definition = extensions.get("zeebe:formDefinition")
    if isinstance(definition, Mapping):
        form_id = definition.get("formId")
        if isinstance(form_id, str) and form_id.strip():
            return FormLink("zeebe:formDefinition formId", form_id.strip(), "id", "camunda-forms")
    return None


def embedded_key(extensions: Mapping[str, Any]) -> str | None:
    """The id of the ``zeebe:userTaskForm`` a Camunda 8 task names, if it names one."""
    definition = extensions.get("zeebe:formDefinition")
    key = definition.get("formKey") if isinstance(definition, Mapping) else None
    if isinstance(key, str) and key.startswith(EMBEDDED_PREFIX):
        return key[len(EMBEDDED_PREFIX) :]
    return None


def zeebe_child(el: etree._Element, name: str) -> etree._Element | None:
    """The ``zeebe:<name>`` extension element of ``el``, if it has one."""
    for ext in _children(el, "extensionElements"):
        for kid in ext:
            if isinstance(kid.tag, str) and kid.tag == f"{{{ZEEBE_NS}}}{name}":
                return kid
    return None


def _detects(used: Set[str], root: etree._Element) -> bool:
    platform = root.get(f"{{{MODELER_NS}}}executionPlatform") or ""
    return ZEEBE_NS in used or platform.lower() == "camunda cloud"


def _mapping_params(raw: Any) -> tuple[Param, ...]:
    return tuple(
        Param(str(m.get("target")), "text", m.get("source"))
        for m in raw or ()
        if isinstance(m, Mapping)
    )


def io_mapping(extensions: Mapping[str, Any]) -> IoMapping | None:
    """``zeebe:ioMapping``: inputs local to the activity; with output mappings only they reach
    the parent scope, without them every variable the activity set does (Zeebe's merge)."""
    io = extensions.get("zeebe:ioMapping")
    script = extensions.get("zeebe:script")
    result = None
    if isinstance(script, Mapping) and script.get("expression"):
        result = Param(str(script.get("resultVariable") or ""), "text", script["expression"])
    if not isinstance(io, Mapping):
        return IoMapping(result=result) if result else None
    outputs = _mapping_params(io.get("outputs"))
    return IoMapping(
        _mapping_params(io.get("inputs")), outputs, outputs_only=bool(outputs), result=result
    )


def _flag(value: Any) -> bool:
    return str(value).strip().lower() != "false"


def call_mapping(extensions: Mapping[str, Any]) -> CallMapping | None:
    """``zeebe:calledElement``: the child gets every variable (``propagateAllParentVariables``,
    default true) or only the input mappings; every child variable comes back
    (``propagateAllChildVariables``, default true) unless output mappings say what does."""
    called = extensions.get("zeebe:calledElement")
    called = called if isinstance(called, Mapping) else {}
    io = io_mapping(extensions)
    has_outputs = bool(io and io.outputs)
    parent_all = _flag(called.get("propagateAllParentVariables", "true"))
    child_all = _flag(called.get("propagateAllChildVariables", "true"))
    # The child's variables reach the parent (child_all, no outputs), or stay on the call
    # activity where the output mappings read them (local).
    back = VariableFlow(everything=True, local=has_outputs or not child_all)
    return CallMapping(
        called=called.get("processId") or extensions.get("calledElement"),
        inputs=(VariableFlow(everything=True, local=not parent_all),),
        outputs=(back,) if (child_all or has_outputs) else (),
    )


def assignment(extensions: Mapping[str, Any]) -> Assignment | None:
    """``zeebe:assignmentDefinition assignee candidateUsers candidateGroups``."""
    found = extensions.get("zeebe:assignmentDefinition")
    if not isinstance(found, Mapping):
        return None
    users, groups = found.get("candidateUsers"), found.get("candidateGroups")
    return Assignment(
        found.get("assignee"),
        (users,) if users is not None else (),
        (groups,) if groups is not None else (),
    )


def schedule(extensions: Mapping[str, Any]) -> Schedule | None:
    """``zeebe:taskSchedule dueDate followUpDate`` and ``zeebe:priorityDefinition priority``."""
    when = extensions.get("zeebe:taskSchedule")
    when = when if isinstance(when, Mapping) else {}
    priority = extensions.get("zeebe:priorityDefinition")
    priority = priority.get("priority") if isinstance(priority, Mapping) else None
    found = Schedule(when.get("dueDate"), when.get("followUpDate"), priority)
    return found if found != Schedule() else None


def _nested(flat: Mapping[str, Any]) -> dict[str, Any]:
    """Zeebe input targets are paths: ``authentication.type`` sets ``type`` in
    ``authentication`` (connector templates such as the REST connector's depend on it)."""
    out: dict[str, Any] = {}
    for target, source in flat.items():
        *parents, leaf = target.split(".")
        node = out
        for part in parents:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[leaf] = source
    return out


def _headers(extensions: Mapping[str, Any]) -> Mapping[str, Any]:
    found = extensions.get("zeebe:taskHeaders")
    return found if isinstance(found, Mapping) else {}


def connector(extensions: Mapping[str, Any]) -> ConnectorSpec | None:
    """``zeebe:taskDefinition type`` with ``zeebe:ioMapping`` and the ``resultVariable`` /
    ``resultExpression`` task headers (Camunda 8 connectors)."""
    task = extensions.get("zeebe:taskDefinition")
    if not isinstance(task, Mapping) or not task.get("type"):
        return None
    io = extensions.get("zeebe:ioMapping") or {}
    headers = _headers(extensions)
    params = {str(i.get("target")): i.get("source") for i in io.get("inputs", [])}
    return ConnectorSpec(
        str(task["type"]),
        params=_nested(params),
        outputs=_mapping_params(io.get("outputs")),
        result_variable=headers.get("resultVariable") or None,
        result_expression=headers.get("resultExpression") or None,
    )


def retries(extensions: Mapping[str, Any]) -> RetrySpec | None:
    """``zeebe:taskDefinition retries``, a fixed ``retryBackoff`` task header between them."""
    task = extensions.get("zeebe:taskDefinition")
    if not isinstance(task, Mapping) or not task.get("retries"):
        return None
    backoff = _headers(extensions).get("retryBackoff")
    return RetrySpec("count", str(task["retries"]), str(backoff) if backoff else None)


def properties(extensions: Mapping[str, Any]) -> Mapping[str, Any]:
    """``zeebe:properties``."""
    found = extensions.get("zeebe:properties")
    return found if isinstance(found, Mapping) else {}


def embedded_forms(root: etree._Element) -> dict[str, str]:
    """Camunda 8 forms embedded in the diagram (``zeebe:userTaskForm``), JSON text by id."""
    return {
        str(el.get("id")): el.text or ""
        for el in root.iter(f"{{{ZEEBE_NS}}}userTaskForm")
        if el.get("id")
    }


STRATEGY = FlavourStrategy(
    flavour=Flavour.CAMUNDA8,
    namespace=ZEEBE_NS,
    prefix="zeebe",
    detects=_detects,
    read_element=_zeebe_element,
    parser="Camunda8Parser",
    expression_language="feel",
    form_link=form_link,
    normalizations=("zeebe",),
    pass_through=PASS_THROUGH_TASKS,
    io_mapping=io_mapping,
    call_mapping=call_mapping,
    assignment=assignment,
    schedule=schedule,
    connector=connector,
    retries=retries,
    properties=properties,
)
