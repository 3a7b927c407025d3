"""Camunda 7: the ``camunda:`` namespace, its extension elements, what it is built by."""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from lxml import etree

from seamline.bpmn.flavours.base import (
    MODELER_NS,
    NESTED_LANGUAGE,
    NESTED_SCRIPT,
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
    _text,
    local,
)

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
_C7_DEPLOYMENT = "camunda-forms:deployment:"
_C7_APP = "camunda-forms:app:"


def _camunda_parameter(el: etree._Element) -> dict[str, Any]:
    param: dict[str, Any] = {"name": el.get("name"), "kind": "text", "value": _text(el)}
    for kid in _children(el):
        kind = local(kid.tag)
        if kind == "script":
            param.update(kind="script", language=kid.get("scriptFormat"), value=_text(kid))
            if kid.get("resource"):
                param["resource"] = kid.get("resource")
        elif kind == "list":
            param.update(kind="list", value=[_camunda_value(v) for v in _children(kid)])
        elif kind == "map":
            param.update(
                kind="map",
                value={e.get("key"): _camunda_value(e) for e in _children(kid, "entry")},
            )
    return param


def _camunda_value(el: etree._Element) -> Any:
    """One value of a list or map: text, a nested list or map, or a script."""
    kind = local(el.tag)
    if kind == "script":
        return {NESTED_SCRIPT: _text(el), NESTED_LANGUAGE: el.get("scriptFormat")}
    if kind == "list":
        return [_camunda_value(v) for v in _children(el)]
    if kind == "map":
        return {e.get("key"): _camunda_value(e) for e in _children(el, "entry")}
    kids = _children(el)
    return _camunda_value(kids[0]) if kids else _text(el)


def _camunda_io(el: etree._Element) -> dict[str, Any]:
    return {
        "inputs": [_camunda_parameter(p) for p in _children(el, "inputParameter")],
        "outputs": [_camunda_parameter(p) for p in _children(el, "outputParameter")],
    }


def _camunda_form_field(el: etree._Element) -> dict[str, Any]:
    field: dict[str, Any] = {
        "id": el.get("id"),
        "label": el.get("label"),
        "type": el.get("type"),
        "defaultValue": el.get("defaultValue"),
        "validation": [],
        "values": [],
        "properties": {},
    }
    for kid in _children(el):
        kind = local(kid.tag)
        if kind == "validation":
            field["validation"] = [
                {"name": c.get("name"), "config": c.get("config")} for c in _children(kid)
            ]
        elif kind == "value":
            field["values"].append({"id": kid.get("id"), "name": kid.get("name")})
        elif kind == "properties":
            field["properties"] = {c.get("id"): c.get("value") for c in _children(kid)}
    return field


def _camunda_element(el: etree._Element) -> Any:
    kind = local(el.tag)
    if kind == "inputOutput":
        return _camunda_io(el)
    if kind == "properties":
        return {p.get("name"): p.get("value") for p in _children(el, "property")}
    if kind == "formData":
        return [_camunda_form_field(f) for f in _children(el, "formField")]
    if kind == "connector":
        io = _children(el, "inputOutput")
        ids = _children(el, "connectorId")
        return {
            "connectorId": _text(ids[0]) if ids else None,
            "inputOutput": _camunda_io(io[0]) if io else {"inputs": [], "outputs": []},
        }
    if kind in ("executionListener", "taskListener"):
        data = _attrs(el)
        for kid in _children(el):
            if local(kid.tag) == "script":
                data["script"] = {"language": kid.get("scriptFormat"), "value": _text(kid)}
            else:
                data[local(kid.tag)] = _generic(kid)
        return data
    return _generic(el)


# Extension elements that may repeat; they are always recorded as lists.
_REPEATED = frozenset(
    {"camunda:in", "camunda:out", "camunda:executionListener", "camunda:taskListener"}
)


def form_link(extensions: Mapping[str, Any]) -> FormLink | None:
    """``camunda:formRef="formId"`` or ``camunda:formKey="camunda-forms:deployment:name.form"``."""
    ref = extensions.get("camunda:formRef")
    if isinstance(ref, str) and ref.strip():
        return FormLink("camunda:formRef", ref.strip(), "id", "camunda-forms")
    key = extensions.get("camunda:formKey")
    if isinstance(key, str):
        for prefix in (_C7_DEPLOYMENT, _C7_APP):
            if key.startswith(prefix) and key[len(prefix) :].strip():
                return FormLink(
                    "camunda:formKey", key[len(prefix) :].strip(), "file", "camunda-forms"
                )
    return None


def _detects(used: Set[str], root: etree._Element) -> bool:
    """The ``camunda:`` namespace in use, or a diagram Camunda Modeler drew for Camunda 7
    (``modeler:executionPlatform="Camunda Platform"``), even if it uses no extension."""
    platform = root.get(f"{{{MODELER_NS}}}executionPlatform") or ""
    return CAMUNDA_NS in used or platform.strip().lower() in (
        "camunda platform",
        "camunda platform 7",
    )


def _params(raw: Any) -> tuple[Param, ...]:
    return tuple(
        Param(str(p.get("name")), str(p.get("kind") or "text"), p.get("value"), p.get("language"))
        for p in raw or ()
        if isinstance(p, Mapping)
    )


def io_mapping(extensions: Mapping[str, Any]) -> IoMapping | None:
    """``camunda:inputOutput``: input parameters local to the activity, output parameters set on
    the parent scope; completion variables reach the parent scope either way."""
    io = extensions.get("camunda:inputOutput")
    if not isinstance(io, Mapping):
        return None
    return IoMapping(_params(io.get("inputs")), _params(io.get("outputs")))


def _flows(raw: Any) -> tuple[VariableFlow, ...]:
    out = []
    for item in raw or ():
        if not isinstance(item, Mapping) or item.get("businessKey") is not None:
            continue
        out.append(
            VariableFlow(
                target=item.get("target"),
                source=item.get("source"),
                expression=item.get("sourceExpression"),
                everything=item.get("variables") == "all",
                local=str(item.get("local", "")).lower() == "true",
            )
        )
    return tuple(out)


def call_mapping(extensions: Mapping[str, Any]) -> CallMapping | None:
    """``camunda:in`` / ``camunda:out``: Camunda 7 passes only what they name (nothing without
    them); ``camunda:in businessKey="..."`` gives the called instance its business key."""
    ins = extensions.get("camunda:in") or []
    keys = [i.get("businessKey") for i in ins if isinstance(i, Mapping) and i.get("businessKey")]
    return CallMapping(
        called=extensions.get("calledElement"),
        inputs=_flows(ins),
        outputs=_flows(extensions.get("camunda:out")),
        business_key=keys[0] if keys else None,
        own_business_key=True,
    )


# Camunda 7 and the engines it forked from write the same attributes under their own prefix.
_ASSIGNMENT_PREFIXES = ("camunda", "activiti", "flowable")


def assignment(extensions: Mapping[str, Any]) -> Assignment | None:
    """``camunda:assignee``, ``camunda:candidateUsers``, ``camunda:candidateGroups`` (and the
    same under Activiti's and Flowable's prefixes)."""
    found = Assignment()
    for prefix in _ASSIGNMENT_PREFIXES:
        users = extensions.get(f"{prefix}:candidateUsers")
        groups = extensions.get(f"{prefix}:candidateGroups")
        found = found | Assignment(
            extensions.get(f"{prefix}:assignee"),
            (users,) if users is not None else (),
            (groups,) if groups is not None else (),
        )
    return found if found != Assignment() else None


def schedule(extensions: Mapping[str, Any]) -> Schedule | None:
    """``camunda:dueDate``, ``camunda:followUpDate``, ``camunda:priority``."""
    found = Schedule(
        extensions.get("camunda:dueDate"),
        extensions.get("camunda:followUpDate"),
        extensions.get("camunda:priority"),
    )
    return found if found != Schedule() else None


_RUNNABLE_SCRIPTS = ("python", "py")


def _io_checks(io: etree._Element) -> list[tuple[etree._Element, str, str]]:
    """Camunda's own refusals of an inputOutput (on a multi-instance activity, on an event
    subprocess), and scripts in a language seamline does not run."""
    ext = io.getparent()
    owner = ext.getparent() if ext is not None else None
    if owner is None or local(ext.tag) != "extensionElements":
        return []
    found: list[tuple[etree._Element, str, str]] = []
    outputs = _children(io, "outputParameter")
    if outputs and _children(owner, "multiInstanceLoopCharacteristics"):
        found.append((owner, "camunda:outputParameter not allowed for multi-instance constructs",
                      "map the results after the multi-instance activity instead"))  # fmt: skip
    if local(owner.tag) == "subProcess" and owner.get("triggeredByEvent") == "true":
        found.append((owner, "camunda:inputOutput mapping unsupported for an event subprocess",
                      "move the mapping to the activities inside it"))  # fmt: skip
    for script in io.iter(f"{{{CAMUNDA_NS}}}script"):
        language = (script.get("scriptFormat") or "").strip().lower()
        if language not in _RUNNABLE_SCRIPTS:
            found.append((owner, f"a camunda:script parameter in {language or 'no language'} "
                          "cannot run (seamline runs Python scripts only)",
                          'write it in Python: scriptFormat="python"'))  # fmt: skip
    return found


def checks(root: etree._Element) -> list[tuple[etree._Element, str, str]]:
    """What Camunda 7 refuses at deployment: a ``camunda:in``/``camunda:out`` with a source but
    no target; a user task naming its assignee both as ``camunda:assignee`` and as a
    ``humanPerformer``."""
    found: list[tuple[etree._Element, str, str]] = []
    for kind in ("in", "out"):
        for el in root.iter(f"{{{CAMUNDA_NS}}}{kind}"):
            has_source = el.get("source") is not None or el.get("sourceExpression") is not None
            if has_source and not el.get("target"):
                owner = el.getparent()
                call = owner.getparent() if owner is not None else None
                found.append((
                    call if call is not None else el,
                    f"camunda:{kind} has a source but no target attribute",
                    f'name the variable it sets: <camunda:{kind} source="..." target="..."/>',
                ))  # fmt: skip
    for io in root.iter(f"{{{CAMUNDA_NS}}}inputOutput"):
        found += _io_checks(io)
    for task in root.iter("{http://www.omg.org/spec/BPMN/20100524/MODEL}userTask"):
        performer = _children(task, "humanPerformer")
        if task.get(f"{{{CAMUNDA_NS}}}assignee") is not None and performer:
            found.append((
                task,
                "the user task names its assignee twice (camunda:assignee and humanPerformer)",
                "keep one of them",
            ))  # fmt: skip
    return found


_DELEGATES = ("camunda:class", "camunda:delegateExpression", "camunda:expression")


def connector(extensions: Mapping[str, Any]) -> ConnectorSpec | None:
    """``camunda:connector`` (``connectorId`` and its own inputOutput), an external task
    (``camunda:type="external" camunda:topic``), or Java code seamline cannot run."""
    io = io_mapping(extensions) or IoMapping()
    result = extensions.get("camunda:resultVariable") or None
    found = extensions.get("camunda:connector")
    if isinstance(found, Mapping) and found.get("connectorId"):
        own = found.get("inputOutput") or {}
        return ConnectorSpec(
            str(found["connectorId"]),
            inputs=_params(own.get("inputs")) + io.inputs,
            outputs=_params(own.get("outputs")) + io.outputs,
            result_variable=result,
        )
    if extensions.get("camunda:type") == "external" or extensions.get("camunda:topic"):
        return ConnectorSpec(
            str(extensions.get("camunda:topic")),
            inputs=io.inputs,
            outputs=io.outputs,
            result_variable=result,
            external=True,
        )
    for key in _DELEGATES:
        if extensions.get(key):
            return ConnectorSpec("", delegate=(key, str(extensions[key])))
    return None


def retries(extensions: Mapping[str, Any]) -> RetrySpec | None:
    """``camunda:failedJobRetryTimeCycle`` (``R5/PT1M`` or ``PT1M,PT5M``)."""
    cycle = extensions.get("camunda:failedJobRetryTimeCycle")
    if isinstance(cycle, Mapping):
        cycle = cycle.get("text")
    return RetrySpec("cycle", str(cycle)) if cycle else None


def result_variable(extensions: Mapping[str, Any]) -> str | None:
    """``camunda:resultVariable``."""
    found = extensions.get("camunda:resultVariable")
    return str(found) if found else None


def properties(extensions: Mapping[str, Any]) -> Mapping[str, Any]:
    """``camunda:properties``."""
    found = extensions.get("camunda:properties")
    return found if isinstance(found, Mapping) else {}


STRATEGY = FlavourStrategy(
    flavour=Flavour.CAMUNDA7,
    namespace=CAMUNDA_NS,
    prefix="camunda",
    detects=_detects,
    read_element=_camunda_element,
    parser="Camunda7Parser",
    expression_language="juel",
    form_link=form_link,
    repeated=_REPEATED,
    pass_through=PASS_THROUGH_TASKS,
    io_mapping=io_mapping,
    call_mapping=call_mapping,
    assignment=assignment,
    schedule=schedule,
    checks=checks,
    connector=connector,
    retries=retries,
    properties=properties,
    result_variable=result_variable,
)
