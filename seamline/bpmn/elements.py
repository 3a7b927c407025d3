"""Element metadata: what the diagram says about each element, as plain JSON-able data."""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping
from typing import Any

from lxml import etree

from seamline.bpmn.definition import ElementInfo
from seamline.bpmn.flavours import (
    BPMN_NS,
    Flavour,
    bpmn,
    local,
    namespace,
    read_extensions,
)
from seamline.bpmn.flavours.base import RESOURCE_ROLES
from seamline.bpmn.flavours.camunda8 import embedded_forms, embedded_key
from seamline.bpmn.normalize import CONTAINERS, FLOW_NODES, Normalized, elements

#: Element kinds recorded in ProcessDefinition.elements besides flow nodes.
_RECORDED = FLOW_NODES | CONTAINERS | {"sequenceFlow", "dataObjectReference", "dataStoreReference"}
_GENERIC_ATTRS = (
    "implementation", "attachedToRef", "cancelActivity", "default", "calledElement",
    "triggeredByEvent", "isInterrupting", "isForCompensation", "instantiate", "messageRef",
    "scriptFormat",
    "gatewayDirection", "sourceRef", "targetRef", "eventGatewayType", "parallelMultiple",
    "dataObjectRef", "dataStoreRef",
)  # fmt: skip


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    text = (el.text or "").strip()
    return text or None


def _refs(root: etree._Element) -> dict[str, dict[str, Any]]:
    """Messages, signals, errors and escalations by id, for naming event references."""
    out: dict[str, dict[str, Any]] = {}
    for tag in ("message", "signal", "error", "escalation"):
        for el in root.iter(bpmn(tag)):
            if el.get("id"):
                entry: dict[str, Any] = {local(k): v for k, v in el.attrib.items()}
                subscription = read_extensions(el).get("zeebe:subscription")
                if isinstance(subscription, dict) and subscription.get("correlationKey"):
                    entry["correlationKey"] = subscription["correlationKey"]
                out[str(el.get("id"))] = entry
    return out


def _embed_form(ext: dict[str, Any], embedded: Mapping[str, str]) -> None:
    """Record the embedded form a Camunda 8 task names, so no form file is needed to run it."""
    key = embedded_key(ext)
    if key is None or key not in embedded:
        return
    ext["zeebe:userTaskForm"] = {"id": key, "text": embedded[key]}
    try:
        doc = json.loads(embedded[key])
    except json.JSONDecodeError:
        return  # reported at load by seamline.bpmn.form_links.form_problems
    if isinstance(doc, dict):
        ext["zeebe:formJson"] = doc


def _event_definition(el: etree._Element, refs: dict[str, dict[str, Any]], quoted: bool) -> Any:
    data: dict[str, Any] = {"type": local(el.tag)}
    for key, value in el.attrib.items():
        data[local(key)] = value
        target = refs.get(value) if local(key).endswith("Ref") else None
        if target:
            kind = local(key)[:-3]
            data[f"{kind}Name"] = target.get("name")
            if target.get(f"{kind}Code"):
                data[f"{kind}Code"] = target.get(f"{kind}Code")
            if target.get("correlationKey"):
                data["correlationKey"] = target["correlationKey"]
    for kid in el:
        if not isinstance(kid.tag, str):
            continue
        text = _text(kid)
        if quoted and text and text[:1] in "'\"":
            text = str(ast.literal_eval(text))
        data[local(kid.tag)] = text
    return data


def _loop(el: etree._Element) -> dict[str, Any] | None:
    for kind in ("standardLoopCharacteristics", "multiInstanceLoopCharacteristics"):
        found = elements(el, kind)
        if found:
            loop = found[0]
            data: dict[str, Any] = {"type": kind, **{local(k): v for k, v in loop.attrib.items()}}
            for kid in loop:
                if isinstance(kid.tag, str) and namespace(kid.tag) == BPMN_NS:
                    data[local(kid.tag)] = _text(kid)
            data.update(read_extensions(loop))
            return data
    return None


def _resource_roles(el: etree._Element) -> list[dict[str, Any]]:
    """``humanPerformer`` / ``potentialOwner`` (and ``performer``) with their formal expression."""
    roles = []
    for kind in ("humanPerformer", "potentialOwner", "performer"):
        for role in elements(el, kind):
            found = [
                _text(f)
                for f in role.iter(bpmn("formalExpression"))
                if f.getparent() is not None
                and local(f.getparent().tag) == "resourceAssignmentExpression"
            ]
            roles.append({"role": kind, "expression": found[0] if found else None})
    return roles


def describe(
    el: etree._Element,
    refs: dict[str, dict[str, Any]],
    kept: dict[str, Any],
    embedded: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The extensions mapping of one element: flavour extensions plus the generic BPMN ones.

    ``embedded`` holds the diagram's ``zeebe:userTaskForm`` bodies by id: a task naming one
    gets it as ``zeebe:formJson``.
    """
    ext: dict[str, Any] = read_extensions(el)
    if embedded:
        _embed_form(ext, embedded)
    for attr in _GENERIC_ATTRS:
        if el.get(attr) is not None:
            ext[attr] = el.get(attr)
    kind = local(el.tag)
    if kind == "sequenceFlow":
        cond = elements(el, "conditionExpression")
        if cond and "implicitCondition" not in kept:
            ext["conditionExpression"] = _text(cond[0])
            if cond[0].get("language"):
                ext["conditionLanguage"] = cond[0].get("language")
    if kind == "scriptTask":
        script = elements(el, "script")
        ext["script"] = {
            "format": el.get("scriptFormat"),
            "text": _text(script[0]) if script else None,
        }
    if kind == "receiveTask" and el.get("messageRef"):
        message = refs.get(str(el.get("messageRef")).split(":")[-1], {})
        ext["message"] = {
            "name": message.get("name") or el.get("messageRef"),
            "correlationKey": message.get("correlationKey"),
        }
    defs = [
        _event_definition(d, refs, "quotedTimer" in kept)
        for d in el
        if isinstance(d.tag, str) and local(d.tag).endswith("EventDefinition")
    ]
    if defs:
        ext["eventDefinitions"] = defs
        for d in defs:
            if d["type"] == "timerEventDefinition":
                ext["timer"] = {k: v for k, v in d.items() if k.startswith("time")}
    loop = _loop(el)
    if loop:
        ext["loop"] = loop
    roles = _resource_roles(el)
    if roles:
        ext[RESOURCE_ROLES] = roles
    for key, value in kept.items():
        if key != "quotedTimer":
            ext[f"seamline:{key}"] = value
    return ext


def collect(
    root: etree._Element, file: str, norm: Normalized, flavour: Flavour = Flavour.PLAIN
) -> dict[str, dict[str, ElementInfo]]:
    """ElementInfo for every recorded element, grouped by top-level process id."""
    original = {new: old for old, new in norm.renamed.items()}
    refs = _refs(root)
    embedded = embedded_forms(root)
    lanes: dict[str, str | None] = {}
    for ref in root.iter(bpmn("flowNodeRef")):
        lane = ref.getparent()
        if ref.text and lane is not None:
            lanes[ref.text.strip()] = lane.get("name") or lane.get("id")
    out: dict[str, dict[str, ElementInfo]] = {}
    for process in root.iter(bpmn("process")):
        pid = str(process.get("id"))
        flows = list(process.iter(bpmn("sequenceFlow")))
        incoming: dict[str, list[str]] = {}
        outgoing: dict[str, list[str]] = {}
        for f in flows:
            outgoing.setdefault(str(f.get("sourceRef")), []).append(str(f.get("id")))
            incoming.setdefault(str(f.get("targetRef")), []).append(str(f.get("id")))
        infos: dict[str, ElementInfo] = {}
        for el in process.iter():
            if not isinstance(el.tag, str) or namespace(el.tag) != BPMN_NS or not el.get("id"):
                continue
            kind = local(el.tag)
            if kind not in _RECORDED or el is process:
                continue
            spec_name = str(el.get("id"))
            eid = original.get(spec_name, spec_name)
            kept = dict(norm.kept.get(spec_name, {}))
            if spec_name in norm.synthetic:
                kept["synthetic"] = norm.synthetic[spec_name][1]
            if eid != spec_name:
                kept["specName"] = spec_name
            original_kind = "intermediateCatchEvent" if "linkCatch" in kept else kind
            infos[eid] = ElementInfo(
                id=eid,
                spec_name=spec_name,
                type=original_kind,
                name=el.get("name"),
                process_id=pid,
                file=file,
                line=el.sourceline if spec_name not in norm.synthetic else None,
                lane=lanes.get(spec_name),
                extensions=describe(el, refs, kept, embedded),
                incoming=tuple(incoming.get(spec_name, ())),
                outgoing=tuple(outgoing.get(spec_name, ())),
                flavour=flavour,
            )
        out[pid] = infos
    return out
