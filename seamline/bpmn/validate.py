"""Checks around parsing: what seamline refuses to run, and that nothing was dropped.

Before parsing, elements SpiffWorkflow 3.2.0 would ignore or mis-run (complex gateways, cancel
events outside transactions; compensation is refused where it cannot run by
``normalize.compensation``) become located errors. After parsing, every element
reachable from a start event must be present in the specs: no silent truncation, ever.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from seamline.bpmn.flavours import STRATEGIES, bpmn, local
from seamline.bpmn.normalize import CONTAINERS, elements
from seamline.bpmn.problems import Problem, Severity

_UNSUPPORTED_HINT = "remove it or model the behaviour another way; seamline cannot run it"


def _error(file: str, el: etree._Element, code: str, message: str, hint: str) -> Problem:
    return Problem(file, el.sourceline, el.get("id"), Severity.ERROR, code, message, hint)


def _owner(el: etree._Element) -> etree._Element:
    parent = el.getparent()
    return parent if parent is not None else el


def _in_transaction(el: etree._Element, root: etree._Element) -> bool:
    node: etree._Element | None = _owner(el)
    if node is not None and local(node.tag) == "boundaryEvent":
        attached = node.get("attachedToRef")
        return any(tx.get("id") == attached for tx in root.iter(bpmn("transaction")))
    while node is not None:
        if local(node.tag) == "transaction":
            return True
        node = node.getparent()
    return False


def unsupported(root: etree._Element, file: str) -> list[Problem]:
    """Errors for every element seamline cannot run, located at the element."""
    problems: list[Problem] = []
    # Compensation: rewritten, or refused where it cannot run, by bpmn.normalize.compensation.
    for el in root.iter(bpmn("complexGateway")):
        problems.append(
            _error(file, el, "unsupported-element",
                   "complex gateways are not supported", "use inclusive or parallel gateways")
        )  # fmt: skip
    for d in root.iter(bpmn("cancelEventDefinition")):
        if not _in_transaction(d, root):
            problems.append(
                _error(file, _owner(d), "unsupported-element",
                       "cancel events are only supported on or inside a transaction subprocess",
                       _UNSUPPORTED_HINT)
            )  # fmt: skip
    for strategy in STRATEGIES.values():
        for el, message, hint in strategy.checks(root) if strategy.checks else ():
            problems.append(_error(file, el, "refused-by-flavour", message, hint))
    looped = {
        tx.get("id")
        for tx in root.iter(bpmn("transaction"))
        if any(
            local(c.tag) == "multiInstanceLoopCharacteristics" for c in tx if isinstance(c.tag, str)
        )
    }
    seen: set[str | None] = set()
    for d in root.iter(bpmn("cancelEventDefinition")):
        owner = _owner(d)
        if local(owner.tag) != "boundaryEvent":
            continue
        attached = owner.get("attachedToRef")
        if attached in looped:
            problems.append(
                _error(file, owner, "unsupported-element",
                       "cancel boundary events on a multi-instance transaction are not supported",
                       _UNSUPPORTED_HINT)
            )  # fmt: skip
        elif attached in seen:  # Camunda 7 refuses it too
            problems.append(
                _error(file, owner, "invalid-element",
                       f"transaction {attached!r} has more than one cancel boundary event",
                       "keep one cancel boundary event per transaction")
            )  # fmt: skip
        seen.add(attached)
    for el in root.iter(bpmn("adHocSubProcess")):
        if el.get("ordering") == "Sequential" or el.get("ordering") == "sequential":
            problems.append(
                _error(file, el, "unsupported-element",
                       "sequential ad hoc subprocesses are not supported",
                       "set ordering to Parallel")
            )  # fmt: skip
    problems.extend(_conditional(root, file))
    return problems


def _conditional(root: etree._Element, file: str) -> list[Problem]:
    """Conditional events seamline does not run the way Camunda does: a process's own
    conditional start event (Camunda starts those only through evaluateStartConditions) and a
    conditional branch of an event-based gateway."""
    problems: list[Problem] = []
    gateways = {g.get("id") for g in root.iter(bpmn("eventBasedGateway"))}
    scripts = {t.get("id") for t in root.iter(bpmn("scriptTask"))}
    targets = {
        f.get("targetRef")
        for f in root.iter(bpmn("sequenceFlow"))
        if f.get("sourceRef") in gateways
    }
    for d in root.iter(bpmn("conditionalEventDefinition")):
        event = _owner(d)
        container = event.getparent()
        kind = local(event.tag)
        if kind == "startEvent" and container is not None and local(container.tag) == "process":
            problems.append(
                _error(file, event, "unsupported-element",
                       "conditional start events of a process are not supported (Camunda starts"
                       " them only through evaluateStartConditions)",
                       "start the process with a none start event and a condition, or use a"
                       " conditional event subprocess")
            )  # fmt: skip
        elif (
            kind == "boundaryEvent"
            and event.get("attachedToRef") in scripts
            and event.get("cancelActivity", "true") != "false"
        ):
            problems.append(
                _error(file, event, "unsupported-element",
                       "interrupting conditional boundary events on script tasks are not"
                       " supported (the script's own variable changes would have to cancel it)",
                       "make it non-interrupting, or put the condition on the next activity")
            )  # fmt: skip
        elif kind == "intermediateCatchEvent" and event.get("id") in targets:
            problems.append(
                _error(file, event, "unsupported-element",
                       "conditional events after an event-based gateway are not supported",
                       "use an exclusive gateway, or a conditional event on its own path")
            )  # fmt: skip
    return problems


# SpiffWorkflow's parse errors for diagrams no engine can run as drawn, and what to do instead.
_PARSE_HINTS = (
    (
        "loopMaximum or loopCondition",
        # BPMN 2.0, 10.3.8: without a condition "the loop cannot be formally executed".
        "give the loop a loopCondition (or a loopMaximum); without one it cannot run",
    ),
    (
        "exactly one of cardinality",
        "keep either the loop cardinality or the input collection, not both",
    ),
    (
        "must specify a cardinality",
        # Camunda 7 refuses it too: "Either loopCardinality or collection must been set".
        "set a loop cardinality or an input collection (Camunda 7: camunda:collection; "
        "Camunda 8: zeebe:loopCharacteristics inputCollection)",
    ),
    (
        '"calledElement"',
        # Camunda 7 refuses it too: "Missing attribute 'calledElement'".
        'name the process it calls: calledElement="process-id" (Camunda 8: '
        'zeebe:calledElement processId="process-id")',
    ),
)


def parse_hint(message: str) -> str | None:
    """What to do about one of SpiffWorkflow's parse errors, when seamline knows."""
    return next((hint for key, hint in _PARSE_HINTS if key in message), None)


def _reach(box: etree._Element, seen: set[str]) -> None:
    nodes = {str(n.get("id")): n for n in box if isinstance(n.tag, str) and n.get("id")}
    out: dict[str, list[str]] = {}
    for f in elements(box, "sequenceFlow"):
        out.setdefault(str(f.get("sourceRef")), []).append(str(f.get("targetRef")))
    boundaries: dict[str, list[str]] = {}
    for b in elements(box, "boundaryEvent"):
        boundaries.setdefault(str(b.get("attachedToRef")), []).append(str(b.get("id")))
    if local(box.tag) == "adHocSubProcess":
        targets = {t for ts in out.values() for t in ts}
        todo = [i for i, n in nodes.items() if local(n.tag) in _ACTIVITIES and i not in targets]
    else:
        todo = [str(n.get("id")) for n in elements(box, "startEvent")]
    for sub in box:
        if isinstance(sub.tag, str) and sub.get("triggeredByEvent") == "true":
            todo.append(str(sub.get("id")))
    while todo:
        nid = todo.pop()
        if nid in seen or nid not in nodes:
            continue
        seen.add(nid)
        node = nodes[nid]
        todo.extend(out.get(nid, ()))
        todo.extend(boundaries.get(nid, ()))
        if local(node.tag) in CONTAINERS:
            _reach(node, seen)


_ACTIVITIES = {
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask",
    "businessRuleTask", "callActivity", "subProcess", "transaction", "intermediateThrowEvent",
    "intermediateCatchEvent",
}  # fmt: skip


def reachable(process: etree._Element) -> set[str]:
    """Ids of every flow node reachable from a start event, into subprocesses and boundaries."""
    seen: set[str] = set()
    _reach(process, seen)
    return seen


def missing(process: etree._Element, spec_names: Iterable[str]) -> list[etree._Element]:
    """Reachable elements of ``process`` that did not make it into the specs."""
    present = set(spec_names)
    lost = reachable(process) - present
    return [el for el in process.iter() if isinstance(el.tag, str) and el.get("id") in lost]
