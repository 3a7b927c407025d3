"""SpiffArena: the ``spiffworkflow:`` namespace, its extension elements, what it is built by."""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from lxml import etree

from seamline.bpmn.flavours.base import (
    ConnectorSpec,
    Flavour,
    FlavourStrategy,
    FormLink,
    _children,
    _generic,
    local,
)

SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
SPIFF_SCHEMA = "formJsonSchemaFilename"
SPIFF_UI = "formUiSchemaFilename"


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


def form_link(extensions: Mapping[str, Any]) -> FormLink | None:
    """``spiffworkflow:properties`` ``formJsonSchemaFilename`` (and ``formUiSchemaFilename``)."""
    props = extensions.get("spiffworkflow:properties")
    if isinstance(props, Mapping) and props.get(SPIFF_SCHEMA):
        ui = props.get(SPIFF_UI)
        return FormLink(
            SPIFF_SCHEMA,
            str(props[SPIFF_SCHEMA]),
            "file",
            "spiff-schema",
            str(ui) if ui else None,
        )
    return None


def connector(extensions: Mapping[str, Any]) -> ConnectorSpec | None:
    """``spiffworkflow:serviceTaskOperator id`` with its parameters (Python expressions)."""
    operator = extensions.get("spiffworkflow:serviceTaskOperator")
    if not isinstance(operator, Mapping) or not operator.get("id"):
        return None
    params = operator.get("parameters") or {}
    return ConnectorSpec(
        str(operator["id"]),
        dialect="python",
        params={k: (v or {}).get("value") for k, v in params.items()},
        result_variable=operator.get("resultVariable") or None,
    )


def properties(extensions: Mapping[str, Any]) -> Mapping[str, Any]:
    """``spiffworkflow:properties``."""
    found = extensions.get("spiffworkflow:properties")
    return found if isinstance(found, Mapping) else {}


def _detects(used: Set[str], root: etree._Element) -> bool:
    return SPIFF_NS in used


STRATEGY = FlavourStrategy(
    flavour=Flavour.SPIFF,
    namespace=SPIFF_NS,
    prefix="spiffworkflow",
    detects=_detects,
    read_element=_spiff_element,
    parser="SpiffParser",
    expression_language="python",
    form_link=form_link,
    connector=connector,
    properties=properties,
)
