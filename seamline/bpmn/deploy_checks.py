"""The structural checks Camunda makes when a diagram is deployed, before anything runs.

Camunda 7's ``BpmnParse`` rejects a deployment whose diagram cannot be run as drawn: ids that
repeat, sequence flows whose source or target does not exist in their scope, a default flow
with a condition or that does not leave its gateway, a boundary event attached to nothing,
event-based gateways that lead elsewhere than to catch events, flows into or out of an event
subprocess, and exclusive gateways whose branches have no well-defined choice. SpiffWorkflow
3.2.0 checks none of this: it crashes on some (an internal error) and silently runs the others
differently. Each becomes a located error here (file, line, element, what to do).

What holds in every flavour is BPMN 2.0's own rules; the exclusive gateway rules, a default
flow's condition and the targets of an event-based gateway follow the flavour's engine
(Camunda 7 and 8 refuse a condition on a default flow, where plain and Spiff diagrams keep the
branch order the normalization gives them; Camunda allows only intermediate catch events after
an event-based gateway, BPMN also receive tasks).
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from seamline.bpmn.flavours import BPMN_NS, Flavour, local, namespace
from seamline.bpmn.normalize import CONTAINERS, FLOW_NODES, elements
from seamline.bpmn.problems import Problem, Severity

#: Flow nodes a boundary event may be attached to (BPMN 2.0, 10.4.5: activities only).
_ACTIVITIES = {
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask",
    "businessRuleTask", "callActivity", "subProcess", "transaction", "adHocSubProcess",
}  # fmt: skip
#: Nodes a sequence flow may connect inside a scope (flow nodes, data-less).
_NODES = FLOW_NODES | {"complexGateway"}
_CAMUNDA = (Flavour.CAMUNDA7, Flavour.CAMUNDA8)


def _problem(file: str, el: etree._Element, code: str, message: str, hint: str) -> Problem:
    return Problem(file, el.sourceline, el.get("id"), Severity.ERROR, code, message, hint)


def _scopes(root: etree._Element) -> Iterator[etree._Element]:
    for el in root.iter():
        if isinstance(el.tag, str) and namespace(el.tag) == BPMN_NS and local(el.tag) in CONTAINERS:
            yield el


def _has_condition(flow: etree._Element) -> bool:
    return any((c.text or "").strip() for c in elements(flow, "conditionExpression"))


def duplicate_ids(root: etree._Element, file: str) -> list[Problem]:
    """Every BPMN element id must be unique in its file (an XML ID; Camunda's schema check)."""
    seen: dict[str, etree._Element] = {}
    problems: list[Problem] = []
    for el in root.iter():
        if not isinstance(el.tag, str) or namespace(el.tag) != BPMN_NS:
            continue
        eid = el.get("id")
        if not eid:
            continue
        first = seen.setdefault(eid, el)
        if first is not el:
            problems.append(
                _problem(file, el, "duplicate-id",
                         f"{local(el.tag)} id {eid!r} is already used by the "
                         f"{local(first.tag)} at line {first.sourceline}",
                         "give every element its own id")
            )  # fmt: skip
    return problems


def _flows(file: str, scope: etree._Element, nodes: dict[str, etree._Element]) -> list[Problem]:
    problems: list[Problem] = []
    for flow in elements(scope, "sequenceFlow"):
        fid = flow.get("id") or "(no id)"
        for attr, what in (("sourceRef", "source"), ("targetRef", "destination")):
            ref = flow.get(attr) or ""
            if ref in nodes:
                continue
            problems.append(
                _problem(file, flow, "invalid-sequence-flow",
                         f"invalid {what} {ref!r} of sequence flow {fid!r}: no flow node with "
                         "that id in the same (sub)process",
                         f"point {attr} at an element of the same process or subprocess")
            )  # fmt: skip
        for attr, direction in (("sourceRef", "outgoing"), ("targetRef", "incoming")):
            node = nodes.get(flow.get(attr) or "")
            if node is not None and node.get("triggeredByEvent") == "true":
                problems.append(
                    _problem(file, flow, "event-subprocess-flow",
                             f"invalid {direction} sequence flow {fid!r} of event subprocess "
                             f"{node.get('id')!r}",
                             "an event subprocess starts by its event and has no sequence flows; "
                             "remove the flow")
                )  # fmt: skip
    return problems


def _defaults(
    file: str,
    flavour: Flavour,
    scope: etree._Element,
    outgoing: dict[str, list[etree._Element]],
) -> list[Problem]:
    problems: list[Problem] = []
    for node in elements(scope, *_NODES):
        default = node.get("default")
        if not default:
            continue
        nid = str(node.get("id"))
        outs = outgoing.get(nid, [])
        flow = next((f for f in outs if f.get("id") == default), None)
        if flow is None:
            problems.append(
                _problem(file, node, "invalid-default-flow",
                         f"default flow {default!r} of {local(node.tag)} {nid!r} is not one of "
                         "its outgoing sequence flows",
                         "set default to the id of a sequence flow leaving this element")
            )  # fmt: skip
        elif _has_condition(flow) and flavour in _CAMUNDA:
            problems.append(
                _problem(file, node, "default-flow-condition",
                         f"{local(node.tag)} {nid!r} has outgoing sequence flow {default!r} "
                         "which is the default flow but has a condition too",
                         "remove the condition of the default flow: it is taken when no other "
                         "condition holds")
            )  # fmt: skip
    return problems


def _boundaries(
    file: str, scope: etree._Element, nodes: dict[str, etree._Element]
) -> list[Problem]:
    problems: list[Problem] = []
    for event in elements(scope, "boundaryEvent"):
        ref = event.get("attachedToRef") or ""
        target = nodes.get(ref)
        if not ref:
            message = "boundary event is attached to nothing (no attachedToRef)"
        elif target is None:
            message = (
                f"boundary event is attached to {ref!r}, which is not an activity of the same "
                "(sub)process"
            )
        elif local(target.tag) not in _ACTIVITIES:
            message = f"boundary event is attached to {local(target.tag)} {ref!r}, not an activity"
        else:
            continue
        problems.append(
            _problem(file, event, "invalid-boundary-event", message,
                     "set attachedToRef to the id of a task or subprocess in the same scope")
        )  # fmt: skip
    return problems


def _event_gateways(
    file: str,
    flavour: Flavour,
    scope: etree._Element,
    nodes: dict[str, etree._Element],
    outgoing: dict[str, list[etree._Element]],
) -> list[Problem]:
    problems: list[Problem] = []
    allowed = {"intermediateCatchEvent"} if flavour in _CAMUNDA else {
        "intermediateCatchEvent", "receiveTask"
    }  # fmt: skip
    what = " or receive tasks" if "receiveTask" in allowed else ""
    incoming: dict[str, list[etree._Element]] = {}
    for flow in elements(scope, "sequenceFlow"):
        incoming.setdefault(flow.get("targetRef") or "", []).append(flow)
    for gw in elements(scope, "eventBasedGateway"):
        gid = str(gw.get("id"))
        outs = outgoing.get(gid, [])
        if len(outs) < 2:
            problems.append(
                _problem(file, gw, "event-gateway-targets",
                         f"event-based gateway {gid!r} has {len(outs)} outgoing sequence "
                         "flow(s); it needs at least two (one per event it waits for)",
                         "draw a flow to each event the gateway races, or use the event alone")
            )  # fmt: skip
        for flow in outs:
            target = nodes.get(flow.get("targetRef") or "")
            if target is None:
                continue  # reported as an invalid destination
            tid = target.get("id")
            if local(target.tag) not in allowed or elements(target, "linkEventDefinition"):
                problems.append(
                    _problem(file, gw, "event-gateway-targets",
                             f"event-based gateway {gid!r} leads to {local(target.tag)} "
                             f"{tid!r}; it can only be connected to intermediate catch "
                             f"events{what}",
                             "put a message, timer, signal or conditional catch event after the "
                             "gateway")
                )  # fmt: skip
            elif any(True for _ in target.iter(f"{{{BPMN_NS}}}timeCycle")):
                # seamline's own limit: the branch's timer would never fire.
                problems.append(
                    Problem(file, target.sourceline, tid, Severity.ERROR, "unsupported-element",
                            f"a timer cycle on {local(target.tag)} {tid!r} after event-based "
                            f"gateway {gid!r} is not supported",
                            "use a timeDuration or timeDate: the gateway is left at the first "
                            "firing anyway")
                )  # fmt: skip
            else:
                problems.extend(
                    _problem(file, other, "event-gateway-targets",
                             f"invalid incoming sequence flow {other.get('id')!r} for "
                             f"{local(target.tag)} {tid!r}, which follows event-based gateway "
                             f"{gid!r}",
                             "give the event only the gateway's flow; merge before the gateway")
                    for other in incoming.get(str(tid), [])
                    if other.get("sourceRef") != gid
                )  # fmt: skip
    return problems


def _exclusive_c7(
    file: str, scope: etree._Element, outgoing: dict[str, list[etree._Element]]
) -> list[Problem]:
    """Camunda 7's ``BpmnParse.validateExclusiveGateway``."""
    problems: list[Problem] = []
    for gw in elements(scope, "exclusiveGateway"):
        gid = str(gw.get("id"))
        outs = outgoing.get(gid, [])
        default = gw.get("default") or ""
        if not outs:
            problems.append(
                _problem(file, gw, "exclusive-gateway",
                         f"exclusive gateway {gid!r} has no outgoing sequence flows",
                         "draw the branches out of the gateway, or remove it")
            )  # fmt: skip
            continue
        if len(outs) == 1:
            if _has_condition(outs[0]):
                problems.append(
                    _problem(file, gw, "exclusive-gateway",
                             f"exclusive gateway {gid!r} has only one outgoing sequence flow "
                             f"({outs[0].get('id')!r}); it is not allowed to have a condition",
                             "remove the condition, or add the branch taken otherwise")
                )  # fmt: skip
            continue
        bare = [f for f in outs if not _has_condition(f) and f.get("id") != default]
        if default or len(bare) > 1:
            problems.extend(
                _problem(file, gw, "exclusive-gateway",
                         f"exclusive gateway {gid!r} has outgoing sequence flow "
                         f"{f.get('id')!r} without condition which is not the default flow",
                         "give the flow a condition, or make it the gateway's default flow")
                for f in bare
            )  # fmt: skip
    return problems


def deploy_checks(root: etree._Element, file: str, flavour: Flavour) -> list[Problem]:
    """Errors for every deploy-time rule a diagram breaks, located at the element."""
    problems = duplicate_ids(root, file)
    for scope in _scopes(root):
        nodes = {str(n.get("id")): n for n in elements(scope, *_NODES) if n.get("id")}
        outgoing: dict[str, list[etree._Element]] = {}
        for flow in elements(scope, "sequenceFlow"):
            outgoing.setdefault(flow.get("sourceRef") or "", []).append(flow)
        problems += _flows(file, scope, nodes)
        problems += _defaults(file, flavour, scope, outgoing)
        problems += _boundaries(file, scope, nodes)
        problems += _event_gateways(file, flavour, scope, nodes, outgoing)
        if flavour is Flavour.CAMUNDA7:
            problems += _exclusive_c7(file, scope, outgoing)
    return problems
