"""Which modeler dialect a file speaks, and its extension elements read into plain data.

Camunda 7, Camunda 8 (zeebe) and SpiffArena each store what an engine needs (assignees, forms,
connectors, input/output mappings) in their own namespace. seamline does not interpret them here:
it records them faithfully, as JSON-able data, so the engine layers can act on them.
"""

from __future__ import annotations

import enum
from typing import Any

from lxml import etree

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
ZEEBE_NS = "http://camunda.org/schema/zeebe/1.0"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
MODELER_NS = "http://camunda.org/schema/modeler/1.0"

_PREFIXES = {CAMUNDA_NS: "camunda", ZEEBE_NS: "zeebe", SPIFF_NS: "spiffworkflow"}


class Flavour(enum.StrEnum):
    """The modeler dialect of a BPMN file."""

    CAMUNDA7 = "camunda7"
    CAMUNDA8 = "camunda8"
    SPIFF = "spiff"
    PLAIN = "plain"


def bpmn(tag: str) -> str:
    """The Clark name of a BPMN model element, e.g. ``{...MODEL}task``."""
    return f"{{{BPMN_NS}}}{tag}"


def local(tag: Any) -> str:
    """The local part of an element tag ('' for comments and other non-elements)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: Any) -> str:
    """The namespace URI of a tag ('' if it has none)."""
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1:].split("}", 1)[0]
    return ""


def detect_flavour(root: etree._Element) -> Flavour:
    """Detect the dialect of a parsed BPMN document from the namespaces it actually uses."""
    used: set[str] = set()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        used.add(namespace(el.tag))
        for name in el.attrib:
            used.add(namespace(name))
    platform = root.get(f"{{{MODELER_NS}}}executionPlatform") or ""
    if ZEEBE_NS in used or platform.lower() == "camunda cloud":
        return Flavour.CAMUNDA8
    if CAMUNDA_NS in used:
        return Flavour.CAMUNDA7
    if SPIFF_NS in used:
        return Flavour.SPIFF
    return Flavour.PLAIN


def _qualified(name: str) -> str | None:
    prefix = _PREFIXES.get(namespace(name))
    return f"{prefix}:{local(name)}" if prefix else None


def _text(el: etree._Element) -> str | None:
    text = (el.text or "").strip()
    return text or None


def _attrs(el: etree._Element) -> dict[str, Any]:
    return {local(k): v for k, v in el.attrib.items()}


def _children(el: etree._Element, name: str | None = None) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str) and (name is None or local(c.tag) == name)]


def _generic(el: etree._Element) -> Any:
    """Attributes, text and children of an unknown extension element, kept as nested data."""
    data: dict[str, Any] = _attrs(el)
    kids = _children(el)
    if kids:
        grouped: dict[str, list[Any]] = {}
        for kid in kids:
            grouped.setdefault(local(kid.tag), []).append(_generic(kid))
        data.update({k: v[0] if len(v) == 1 else v for k, v in grouped.items()})
    text = _text(el)
    if text is not None:
        if not data:
            return text
        data["text"] = text
    return data


# -- Camunda 7 ---------------------------------------------------------------------------------


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
_REPEATED = {"camunda:in", "camunda:out", "camunda:executionListener", "camunda:taskListener"}


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


def _spiff_element(el: etree._Element) -> Any:
    kind = local(el.tag)
    if kind == "serviceTaskOperator":
        params = {}
        for group in _children(el, "parameters"):
            for p in _children(group, "parameter"):
                params[p.get("id")] = {"type": p.get("type"), "value": p.get("value")}
        return {
            "id": el.get("id"),
            "resultVariable": el.get("resultVariable"),
            "parameters": params,
        }
    if kind == "properties":
        return {p.get("name"): p.get("value") for p in _children(el, "property")}
    return _generic(el)


def read_extensions(el: etree._Element) -> dict[str, Any]:
    """Flavour extension attributes and elements of ``el``, keyed ``prefix:localName``."""
    out: dict[str, Any] = {}
    for name, value in el.attrib.items():
        key = _qualified(name)
        if key:
            out[key] = value
    for ext in _children(el, "extensionElements"):
        for kid in _children(ext):
            key = _qualified(kid.tag)
            if key is None:
                continue
            ns = namespace(kid.tag)
            if ns == CAMUNDA_NS:
                value = _camunda_element(kid)
            elif ns == ZEEBE_NS:
                value = _zeebe_element(kid)
            else:
                value = _spiff_element(kid)
            if key in _REPEATED:
                out.setdefault(key, []).append(value)
            else:
                out[key] = value
    return out
