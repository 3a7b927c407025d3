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

One diagram is rewritten rather than refused: a timer cycle on an event-based gateway's branch
fires once in Camunda (the gateway is left), so it becomes its first period as a duration.
"""

from __future__ import annotations

import re
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


def _ref(el: etree._Element, attr: str) -> str:
    """A reference attribute, read as the normalization reads it: a QName ``prefix:id`` whose
    prefix is a declared namespace means ``id`` (``""`` when the attribute is missing)."""
    value = el.get(attr) or ""
    prefix, sep, rest = value.partition(":")
    if sep and prefix in (el.nsmap or {}):
        return rest
    return value


def _problem(file: str, el: etree._Element, code: str, message: str, hint: str) -> Problem:
    return Problem(file, el.sourceline, el.get("id"), Severity.ERROR, code, message, hint)


def _scopes(root: etree._Element) -> Iterator[etree._Element]:
    """Every process and subprocess of the executable processes (descriptive ones, with
    ``isExecutable="false"``, are never deployed, so nothing is checked there)."""
    for process in root.iter(f"{{{BPMN_NS}}}process"):
        if process.get("isExecutable") == "false":
            continue
        for el in process.iter():
            if namespace(el.tag) == BPMN_NS and local(el.tag) in CONTAINERS:
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
            ref = _ref(flow, attr)
            if ref in nodes:
                continue
            problems.append(
                _problem(file, flow, "invalid-sequence-flow",
                         f"invalid {what} {ref!r} of sequence flow {fid!r}: no flow node with "
                         "that id in the same (sub)process",
                         f"point {attr} at an element of the same process or subprocess")
            )  # fmt: skip
        for attr, direction in (("sourceRef", "outgoing"), ("targetRef", "incoming")):
            node = nodes.get(_ref(flow, attr))
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
        default = _ref(node, "default")
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
        ref = _ref(event, "attachedToRef")
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


#: ``R/PT1H``, ``R3/PT10M``: a repetition of a duration from now (no start date, no cron).
_CYCLE = re.compile(r"^R\d*/(P[\dYMWDTHS.,]+)$")


def _first_cycle(event: etree._Element) -> bool:
    """Give an event-based gateway's timer branch with a cycle its first firing as a duration.

    The gateway is left at the branch's first firing, so Camunda 7 fires such a timer once,
    one period after the gateway is entered (EventBasedGatewayTest.testTimeCycle: no job is
    left after it). Rewritten here as that duration; False when the cycle is not a plain
    repetition of a duration (a start date, a cron expression, an expression).
    """
    for cycle in list(event.iter(f"{{{BPMN_NS}}}timeCycle")):
        m = _CYCLE.match((cycle.text or "").strip())
        if m is None:
            return False
        cycle.tag = f"{{{BPMN_NS}}}timeDuration"
        cycle.text = m.group(1)
    return True


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
        incoming.setdefault(_ref(flow, "targetRef"), []).append(flow)
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
            target = nodes.get(_ref(flow, "targetRef"))
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
            elif any(True for _ in target.iter(f"{{{BPMN_NS}}}timeCycle")) and not _first_cycle(
                target
            ):
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
                    if _ref(other, "sourceRef") != gid
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
        default = _ref(gw, "default")
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


#: What may start an event subprocess (BpmnParse.parseStartEvents, BPMN 2.0 10.3.5).
_EVENT_TRIGGERS = (
    "messageEventDefinition", "timerEventDefinition", "signalEventDefinition",
    "errorEventDefinition", "escalationEventDefinition", "compensateEventDefinition",
    "conditionalEventDefinition",
)  # fmt: skip


#: Start events that start an instance on an event rather than on ``start`` (or a timer).
_INSTANCE_TRIGGERS = (
    "messageEventDefinition",
    "signalEventDefinition",
    "conditionalEventDefinition",
)


def _starts(file: str, flavour: Flavour, scope: etree._Element) -> list[Problem]:
    """The start events a scope must have (Camunda 7's ``BpmnParse.parseStartEvents``)."""
    kind = local(scope.tag)
    starts = elements(scope, "startEvent")
    sid = str(scope.get("id"))
    triggered = scope.get("triggeredByEvent") == "true"
    if kind == "adHocSubProcess" or (kind == "process" and flavour is not Flavour.CAMUNDA7):
        return []
    # Elsewhere the normalization starts a scope without a start event where its flow begins.
    if not starts and (triggered or flavour is Flavour.CAMUNDA7):
        return [
            _problem(file, scope, "missing-start-event", f"{kind} {sid!r} must define a start "
                     "event", "add a start event where the flow begins")
        ]  # fmt: skip
    problems: list[Problem] = []
    if kind == "process":
        plain = [e for e in starts if not elements(e, *_INSTANCE_TRIGGERS)]
        if len(plain) > 1:
            problems.append(
                _problem(file, plain[1], "multiple-start-events",
                         f"multiple none start events or timer start events are not supported "
                         f"on process {sid!r}", "keep one none or timer start event")
            )  # fmt: skip
        return problems
    for event in starts:
        found = [local(d.tag) for d in event if local(d.tag) in _EVENT_TRIGGERS]
        eid = event.get("id")
        if triggered and not found:
            problems.append(
                _problem(file, event, "event-subprocess-start",
                         f"start event {eid!r} of event subprocess {sid!r} has no trigger",
                         "give it a message, timer, signal, error, escalation, conditional or "
                         "compensation event definition")
            )  # fmt: skip
        elif (
            triggered and "errorEventDefinition" in found and event.get("isInterrupting") == "false"
        ):
            problems.append(
                _problem(file, event, "event-subprocess-start",
                         f"error start event {eid!r} of event subprocess {sid!r} must be "
                         "interrupting", "remove isInterrupting=\"false\"")
            )  # fmt: skip
        elif not triggered and found:
            problems.append(
                _problem(file, event, "subprocess-start",
                         f"{found[0].removesuffix('EventDefinition')} start event {eid!r} is "
                         f"only allowed in an event subprocess, not in {kind} {sid!r}",
                         "use a none start event, or mark the subprocess triggeredByEvent")
            )  # fmt: skip
    if not triggered and len(starts) > 1:
        problems.append(
            _problem(file, starts[1], "multiple-start-events",
                     f"multiple start events are not supported for {kind} {sid!r}",
                     "keep one none start event")
        )  # fmt: skip
    return problems


def _references(file: str, root: etree._Element) -> list[Problem]:
    """Message and signal references name a ``bpmn:message`` / ``bpmn:signal`` of the file."""
    known = {
        kind: {str(el.get("id")) for el in root.iter(f"{{{BPMN_NS}}}{kind}")}
        for kind in ("message", "signal")
    }
    problems: list[Problem] = []
    for el in root.iter():
        if not isinstance(el.tag, str) or namespace(el.tag) != BPMN_NS:
            continue
        for attr, kind in (("messageRef", "message"), ("signalRef", "signal")):
            ref = _ref(el, attr) if el.get(attr) is not None else None
            if ref is None or ref in known[kind] or local(el.tag) == "messageFlow":
                continue
            owner = el.getparent() if local(el.tag).endswith("EventDefinition") else el
            owner = owner if owner is not None else el
            problems.append(
                _problem(file, owner, f"{kind}-not-found",
                         f"invalid {attr} {ref!r}: no {kind} with that id in the file",
                         f"define <bpmn:{kind} id=\"{ref}\"> or point {attr} at one")
            )  # fmt: skip
    return problems


def _links(file: str, scope: etree._Element) -> list[Problem]:
    """Link catch events of one scope have distinct names (BpmnParse: link targets)."""
    seen: dict[str, etree._Element] = {}
    problems: list[Problem] = []
    for event in elements(scope, "intermediateCatchEvent"):
        for d in elements(event, "linkEventDefinition"):
            name = d.get("name") or event.get("name") or ""
            if name in seen:
                problems.append(
                    _problem(file, event, "duplicate-link-target",
                             f"multiple intermediate catch events with the same link event "
                             f"name ({name!r}) are not allowed", "give each link target its own "
                             "name")
                )  # fmt: skip
            seen.setdefault(name, event)
    return problems


def deploy_checks(root: etree._Element, file: str, flavour: Flavour) -> list[Problem]:
    """Errors for every deploy-time rule a diagram breaks, located at the element."""
    problems = duplicate_ids(root, file) + _references(file, root)
    for scope in _scopes(root):
        nodes = {str(n.get("id")): n for n in elements(scope, *_NODES) if n.get("id")}
        outgoing: dict[str, list[etree._Element]] = {}
        for flow in elements(scope, "sequenceFlow"):
            outgoing.setdefault(_ref(flow, "sourceRef"), []).append(flow)
        problems += _flows(file, scope, nodes)
        problems += _defaults(file, flavour, scope, outgoing)
        problems += _boundaries(file, scope, nodes)
        problems += _event_gateways(file, flavour, scope, nodes, outgoing)
        problems += _starts(file, flavour, scope)
        problems += _links(file, scope)
        if flavour is Flavour.CAMUNDA7:
            problems += _exclusive_c7(file, scope, outgoing)
    return problems
