"""Camunda 8 (zeebe): the ``zeebe:`` namespace, its extension elements, what it is built by."""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from lxml import etree

from seamline.bpmn.flavours.base import (
    MODELER_NS,
    PASS_THROUGH_TASKS,
    Flavour,
    FlavourStrategy,
    FormLink,
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
)
