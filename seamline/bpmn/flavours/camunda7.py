"""Camunda 7: the ``camunda:`` namespace, its extension elements, what it is built by."""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from lxml import etree

from seamline.bpmn.flavours.base import (
    MODELER_NS,
    Flavour,
    FlavourStrategy,
    FormLink,
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
    kids = _children(el)
    if not kids:
        return _text(el)
    return _camunda_parameter(el)["value"] if local(el.tag) != "script" else _text(el)


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
    # Camunda Modeler marks a Camunda 7 diagram "Camunda Platform" even when it uses no
    # camunda: extension (Camunda 8's detection reads "Camunda Cloud" the same way).
    platform = (root.get(f"{{{MODELER_NS}}}executionPlatform") or "").lower()
    return CAMUNDA_NS in used or platform in ("camunda platform", "camunda platform 7")


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
)
