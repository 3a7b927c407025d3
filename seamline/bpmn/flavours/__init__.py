"""Which modeler dialect a file speaks, and its extension elements read into plain data.

Camunda 7, Camunda 8 (zeebe) and SpiffArena each store what an engine needs (assignees, forms,
connectors, input/output mappings) in their own namespace. seamline does not interpret them here:
it records them faithfully, as JSON-able data, so the engine layers can act on them.

One module per flavour (:mod:`.camunda7`, :mod:`.camunda8`, :mod:`.spiff`, :mod:`.plain`) holds
what that flavour means, as a :class:`FlavourStrategy`; :data:`STRATEGIES` is the registry and
:func:`strategy_for` looks one up. A new flavour is one module plus one line in
:data:`STRATEGIES` (and its parser class in :mod:`seamline.spiff.parsers`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lxml import etree

from seamline.bpmn.flavours import camunda7, camunda8, plain, spiff
from seamline.bpmn.flavours.base import (
    BPMN_NS,
    MODELER_NS,
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
    _children,
    bpmn,
    local,
    namespace,
    standard_assignment,
)
from seamline.bpmn.flavours.camunda7 import CAMUNDA_NS
from seamline.bpmn.flavours.camunda8 import ZEEBE_NS
from seamline.bpmn.flavours.spiff import SPIFF_NS

__all__ = [
    "BPMN_NS",
    "CAMUNDA_NS",
    "DETECTION_ORDER",
    "FORM_PRECEDENCE",
    "MODELER_NS",
    "SPIFF_NS",
    "STRATEGIES",
    "ZEEBE_NS",
    "Assignment",
    "CallMapping",
    "ConnectorSpec",
    "Flavour",
    "FlavourStrategy",
    "FormLink",
    "IoMapping",
    "Param",
    "RetrySpec",
    "Schedule",
    "VariableFlow",
    "assignment",
    "bpmn",
    "call_mapping",
    "connector",
    "detect_flavour",
    "io_mapping",
    "local",
    "namespace",
    "properties",
    "read_extensions",
    "retries",
    "schedule",
    "strategy_for",
]

#: Every flavour's strategy, in detection order: the first whose ``detects`` holds wins.
STRATEGIES: dict[Flavour, FlavourStrategy] = {
    Flavour.CAMUNDA8: camunda8.STRATEGY,
    Flavour.CAMUNDA7: camunda7.STRATEGY,
    Flavour.SPIFF: spiff.STRATEGY,
    Flavour.PLAIN: plain.STRATEGY,
}
DETECTION_ORDER: tuple[Flavour, ...] = tuple(STRATEGIES)
#: Which flavour's form link wins when an element's extensions name more than one.
FORM_PRECEDENCE: tuple[Flavour, ...] = (
    Flavour.SPIFF,
    Flavour.CAMUNDA7,
    Flavour.CAMUNDA8,
    Flavour.PLAIN,
)

_BY_NAMESPACE = {s.namespace: s for s in STRATEGIES.values() if s.namespace is not None}
_REPEATED = frozenset().union(*(s.repeated for s in STRATEGIES.values()))


def strategy_for(flavour: Flavour) -> FlavourStrategy:
    """The strategy of ``flavour``."""
    return STRATEGIES[flavour]


def detect_flavour(root: etree._Element) -> Flavour:
    """Detect the dialect of a parsed BPMN document from the namespaces it actually uses."""
    used: set[str] = set()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        used.add(namespace(el.tag))
        for name in el.attrib:
            used.add(namespace(name))
    for strategy in STRATEGIES.values():
        if strategy.detects(used, root):
            return strategy.flavour
    return Flavour.PLAIN


def _owner(name: str) -> FlavourStrategy | None:
    return _BY_NAMESPACE.get(namespace(name))


def _qualified(name: str) -> str | None:
    owner = _owner(name)
    return f"{owner.prefix}:{local(name)}" if owner else None


def read_extensions(el: etree._Element) -> dict[str, Any]:
    """Flavour extension attributes and elements of ``el``, keyed ``prefix:localName``."""
    out: dict[str, Any] = {}
    for name, value in el.attrib.items():
        key = _qualified(name)
        if key:
            out[key] = value
    for ext in _children(el, "extensionElements"):
        for kid in _children(ext):
            owner = _owner(kid.tag)
            if owner is None or owner.read_element is None:
                continue
            key = f"{owner.prefix}:{local(kid.tag)}"
            value = owner.read_element(kid)
            if key in _REPEATED:
                out.setdefault(key, []).append(value)
            else:
                out[key] = value
    return out


#: The order the strategies are asked about user task metadata (the first assignee wins).
_PEOPLE_ORDER = (Flavour.CAMUNDA7, Flavour.CAMUNDA8, Flavour.SPIFF, Flavour.PLAIN)


def io_mapping(flavour: Flavour, extensions: Mapping[str, Any]) -> IoMapping | None:
    """The input/output parameters of an element drawn in ``flavour``, if it has any."""
    hook = STRATEGIES[flavour].io_mapping
    return hook(extensions) if hook is not None else None


def call_mapping(flavour: Flavour, extensions: Mapping[str, Any]) -> CallMapping | None:
    """How a call activity drawn in ``flavour`` passes variables; None: SpiffWorkflow's way."""
    hook = STRATEGIES[flavour].call_mapping
    return hook(extensions) if hook is not None else None


def assignment(extensions: Mapping[str, Any]) -> Assignment:
    """Who a user task names: every flavour's way of saying it, then BPMN's resource roles."""
    found = Assignment()
    for flavour in _PEOPLE_ORDER:
        hook = STRATEGIES[flavour].assignment
        named = hook(extensions) if hook is not None else None
        if named is not None:
            found = found | named
    standard = standard_assignment(extensions)
    return found | standard if standard is not None else found


def schedule(extensions: Mapping[str, Any]) -> Schedule:
    """A user task's due date, follow-up date and priority (the first flavour naming each)."""
    due = follow = priority = None
    for flavour in _PEOPLE_ORDER:
        hook = STRATEGIES[flavour].schedule
        found = hook(extensions) if hook is not None else None
        if found is None:
            continue
        due = due if due not in (None, "") else found.due
        follow = follow if follow not in (None, "") else found.follow_up
        priority = priority if priority not in (None, "") else found.priority
    return Schedule(due, follow, priority)


#: The order the strategies are asked what a service task calls (the first that names one wins).
_CONNECTOR_ORDER = (Flavour.SPIFF, Flavour.CAMUNDA8, Flavour.CAMUNDA7, Flavour.PLAIN)
#: ``implementation`` values that name no connector.
_PLAIN_IMPLEMENTATIONS = {"##webservice", "##unspecified", "webservice", ""}


def properties(extensions: Mapping[str, Any]) -> dict[str, Any]:
    """Every flavour's extension properties of an element, merged (name -> value)."""
    out: dict[str, Any] = {}
    for flavour in (Flavour.CAMUNDA7, Flavour.CAMUNDA8, Flavour.SPIFF, Flavour.PLAIN):
        hook = STRATEGIES[flavour].properties
        if hook is not None:
            out.update(hook(extensions))
    return out


def _result_variable(extensions: Mapping[str, Any]) -> str | None:
    for strategy in STRATEGIES.values():
        found = strategy.result_variable(extensions) if strategy.result_variable else None
        if found:
            return found
    return None


def connector(extensions: Mapping[str, Any]) -> ConnectorSpec | None:
    """What a service task calls: the first flavour that names a connector its own way, else
    BPMN's ``implementation`` attribute or a ``connector`` extension property."""
    for flavour in _CONNECTOR_ORDER:
        hook = STRATEGIES[flavour].connector
        found = hook(extensions) if hook is not None else None
        if found is not None:
            return found
    props = properties(extensions)
    name = props.get("connector") or extensions.get("implementation")
    if not isinstance(name, str) or name.strip().lower() in _PLAIN_IMPLEMENTATIONS:
        return None
    params = {k: v for k, v in props.items() if k not in ("connector", "retries")}
    inputs: tuple[Param, ...] = ()
    outputs: tuple[Param, ...] = ()
    for strategy in STRATEGIES.values():
        io = strategy.io_mapping(extensions) if strategy.io_mapping else None
        if io is not None:
            inputs, outputs = inputs + io.inputs, outputs + io.outputs
    result = _result_variable(extensions) or props.get("resultVariable")
    return ConnectorSpec(name, params=params, inputs=inputs, outputs=outputs,
                         result_variable=result)  # fmt: skip


def retries(extensions: Mapping[str, Any]) -> RetrySpec | None:
    """How a service task's failed calls are retried: the flavour's way, else a ``retries``
    extension property."""
    for flavour in (Flavour.CAMUNDA7, Flavour.CAMUNDA8):
        hook = STRATEGIES[flavour].retries
        found = hook(extensions) if hook is not None else None
        if found is not None:
            return found
    count = properties(extensions).get("retries")
    return RetrySpec("count", str(count)) if count else None
