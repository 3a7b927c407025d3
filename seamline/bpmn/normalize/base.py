"""Shared pieces of BPMN normalization: element sets, the run context and tree helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from seamline.bpmn.flavours import bpmn, local
from seamline.bpmn.problems import Problem, Severity

#: Task spec names SpiffWorkflow uses internally; an element with such an id would be merged with
#: (or replace) the internal task and the diagram would run wrongly without any error.
RESERVED_NAMES = {"Start", "End", "Root", "StartEventSplit", "StartEventJoin"}
RESERVED_SUFFIXES = (".EndJoin", ".BoundaryEventSplit", ".BoundaryEventJoin", " [child]")

CONTAINERS = {"process", "subProcess", "transaction", "adHocSubProcess"}
FLOW_NODES = {
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask",
    "businessRuleTask", "callActivity", "subProcess", "transaction", "adHocSubProcess",
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway",
    "complexGateway",
}  # fmt: skip
GATEWAYS = {"exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway"}


@dataclass
class Normalized:
    """What normalization did: problems to report, renamed ids, elements it added, data kept."""

    problems: list[Problem] = field(default_factory=list)
    #: original id -> the id (task spec name) SpiffWorkflow sees
    renamed: dict[str, str] = field(default_factory=dict)
    #: id of an element normalization added -> (BPMN type, reason code)
    synthetic: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: element id (as SpiffWorkflow sees it) -> metadata kept from removed XML
    kept: dict[str, dict[str, Any]] = field(default_factory=dict)


class Ctx:
    """One normalization run: the tree, its ids and what was changed so far."""

    def __init__(self, root: etree._Element, file: str) -> None:
        self.root = root
        self.file = file
        self.out = Normalized()
        self.ids: set[str] = {str(e.get("id")) for e in root.iter() if e.get("id")}

    def note(
        self,
        el: etree._Element | None,
        code: str,
        message: str,
        severity: Severity = Severity.INFO,
        hint: str | None = None,
    ) -> None:
        line = el.sourceline if el is not None else None
        element = el.get("id") if el is not None else None
        self.out.problems.append(Problem(self.file, line, element, severity, code, message, hint))

    def fresh_id(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{base}_{n}"
        self.ids.add(candidate)
        return candidate

    def add(self, parent: etree._Element, tag: str, reason: str, **attrs: str) -> etree._Element:
        el = etree.SubElement(parent, bpmn(tag), {k: v for k, v in attrs.items() if v})
        if tag != "sequenceFlow":
            self.out.synthetic[str(attrs["id"])] = (tag, reason)
        return el

    def flow(self, parent: etree._Element, source: str, target: str, reason: str) -> etree._Element:
        fid = self.fresh_id(f"{source}__to__{target}")
        return self.add(parent, "sequenceFlow", reason, id=fid, sourceRef=source, targetRef=target)

    def keep(self, element_id: str, key: str, value: Any) -> None:
        self.out.kept.setdefault(element_id, {}).setdefault(key, []).append(value)


def elements(parent: etree._Element, *names: str) -> list[etree._Element]:
    """Direct BPMN children of ``parent`` with one of the given local names."""
    return [c for c in parent if isinstance(c.tag, str) and local(c.tag) in names]


def containers(root: etree._Element) -> list[etree._Element]:
    """Every process and (event/ad hoc/transaction) subprocess in document order."""
    return [e for e in root.iter() if isinstance(e.tag, str) and local(e.tag) in CONTAINERS]
