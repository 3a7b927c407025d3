"""Fixes applied to a parsed BPMN tree before SpiffWorkflow sees it.

Each fix turns something modelers draw, and BPMN allows, into the shape SpiffWorkflow 3.2.0 can
parse without silently dropping parts of the diagram. Every rewrite is recorded as a Problem
(info or warning) so `seamline validate` can say what was changed and why.
"""

from __future__ import annotations

import re

from lxml import etree

from seamline import cron
from seamline.bpmn.flavours import BPMN_NS, bpmn, local
from seamline.bpmn.normalize.base import (
    CONTAINERS,
    FLOW_NODES,
    GATEWAYS,
    RESERVED_NAMES,
    RESERVED_SUFFIXES,
    Ctx,
    Normalized,
    containers,
    elements,
)
from seamline.bpmn.normalize.compensation import compensation
from seamline.bpmn.normalize.flows import gateways, splits
from seamline.bpmn.normalize.zeebe import called_process, zeebe_called_elements, zeebe_loops
from seamline.bpmn.problems import Severity

__all__ = [
    "CONTAINERS",
    "FLOW_NODES",
    "GATEWAYS",
    "RESERVED_NAMES",
    "Normalized",
    "called_process",
    "containers",
    "elements",
    "normalize",
]

# Attributes holding an element id that some tools write as a QName ("semantic:msg1").
_REF_ATTRS = (
    "messageRef", "sourceRef", "targetRef", "attachedToRef", "errorRef", "signalRef",
    "escalationRef", "calledElement", "default", "processRef", "dataObjectRef", "dataStoreRef",
    "bpmnElement", "operationRef", "structureRef", "itemSubjectRef", "activityRef",
)  # fmt: skip
_REF_TEXTS = {
    "incoming", "outgoing", "sourceRef", "targetRef", "flowNodeRef", "dataInputRefs",
    "dataOutputRefs", "loopDataInputRef", "loopDataOutputRef", "messageFlowRef",
    "correlationPropertyRef",
}  # fmt: skip
_QNAME = re.compile(r"^([A-Za-z_][\w.-]*):([A-Za-z_][\w.-]*)$")
_ISO = re.compile(
    r"^(R\d*/)?([+-]?P[\dYMWDTHS.,]+|\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?)"
    r"(/([+-]?P[\dYMWDTHS.,]+|\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?))?$"
)


def _strip_qnames(ctx: Ctx) -> None:
    for el in ctx.root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in _REF_ATTRS:
            value = el.get(attr)
            m = _QNAME.match(value) if value else None
            if m and m.group(1) in (el.nsmap or {}):
                el.set(attr, m.group(2))
                ctx.note(el, "qname-ref", f"reference {attr}={value!r} read as {m.group(2)!r}")
        if local(el.tag) in _REF_TEXTS and el.text:
            m = _QNAME.match(el.text.strip())
            if m and m.group(1) in (el.nsmap or {}):
                el.text = m.group(2)


def _flow_ids(ctx: Ctx) -> None:
    for el in ctx.root.iter(bpmn("sequenceFlow")):
        if not el.get("id"):
            fid = ctx.fresh_id(f"Flow_{el.get('sourceRef')}_{el.get('targetRef')}")
            el.set("id", fid)
            ctx.note(el, "flow-id-generated", f"sequence flow without id given id {fid!r}")


def _reserved(ctx: Ctx) -> None:
    renames: dict[str, str] = {}
    for el in ctx.root.iter():
        eid = el.get("id") if isinstance(el.tag, str) else None
        if not eid or local(el.tag) not in FLOW_NODES | CONTAINERS:
            continue
        if eid in RESERVED_NAMES or eid.endswith(RESERVED_SUFFIXES):
            new = ctx.fresh_id(f"{eid}_el")
            renames[eid] = new
            ctx.note(
                el,
                "reserved-id-renamed",
                f"id {eid!r} is a SpiffWorkflow internal name; run as {new!r}",
                hint="the original id is still used in seamline's records",
            )
            el.set("id", new)
    if not renames:
        return
    for el in ctx.root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in _REF_ATTRS:
            if el.get(attr) in renames:
                el.set(attr, renames[str(el.get(attr))])
        if local(el.tag) in _REF_TEXTS and el.text and el.text.strip() in renames:
            el.text = renames[el.text.strip()]
    ctx.out.renamed.update(renames)


def _names(ctx: Ctx) -> None:
    for tag in ("message", "signal", "error", "escalation"):
        for el in ctx.root.iter(bpmn(tag)):
            if not el.get("name") and el.get("id"):
                el.set("name", str(el.get("id")))
                ctx.note(
                    el, f"{tag}-name-generated", f"{tag} without a name named {el.get('id')!r}"
                )


def _data(ctx: Ctx) -> None:
    for store in list(ctx.root.iter(bpmn("dataStore"))):
        ctx.note(
            store,
            "data-store",
            "data store kept as metadata only; seamline does not read or write it",
            Severity.WARNING,
        )
        parent = store.getparent()
        if parent is not None:
            parent.remove(store)
    objects = {str(e.get("id")) for e in ctx.root.iter(bpmn("dataObjectReference"))}
    for kind, ref in (
        ("dataInputAssociation", "sourceRef"),
        ("dataOutputAssociation", "targetRef"),
    ):
        for assoc in list(ctx.root.iter(bpmn(kind))):
            refs = [(r.text or "").strip() for r in elements(assoc, ref)]
            if refs and all(r in objects for r in refs):
                continue
            owner = assoc.getparent()
            if owner is None:
                continue
            ctx.keep(str(owner.get("id")), kind, {"refs": refs})
            owner.remove(assoc)
            ctx.note(
                owner,
                "data-association-kept",
                f"{kind} to {', '.join(refs) or 'nothing'} kept as metadata (not a data object)",
            )


def _links(ctx: Ctx) -> None:
    for box in containers(ctx.root):
        throws: list[tuple[str, etree._Element]] = []
        catches: dict[str, etree._Element] = {}
        for ev in elements(box, "intermediateThrowEvent", "intermediateCatchEvent"):
            defs = elements(ev, "linkEventDefinition")
            if not defs:
                continue
            name = defs[0].get("name") or ev.get("name") or ""
            for d in defs:
                ev.remove(d)
            if local(ev.tag) == "intermediateThrowEvent":
                throws.append((name, ev))
            else:
                catches[name] = ev
                # A none intermediate event passes straight through, as a link catch does.
                ev.tag = bpmn("intermediateThrowEvent")
                ctx.keep(str(ev.get("id")), "linkCatch", name)
        for name, ev in throws:
            target = catches.get(name)
            if target is None:
                ctx.note(
                    ev,
                    "link-unmatched",
                    f"link throw event {name!r} has no link catch event of that name",
                    Severity.ERROR,
                    hint="add a link catch event with the same link name in this (sub)process",
                )
                continue
            ctx.keep(str(ev.get("id")), "linkThrow", name)
            ctx.flow(box, str(ev.get("id")), str(target.get("id")), "link")
            ctx.note(ev, "link-rewired", f"link {name!r} rewired as a sequence flow")


def _timers(ctx: Ctx) -> None:
    for timer in ctx.root.iter(bpmn("timerEventDefinition")):
        owner = timer.getparent()
        specs = elements(timer, "timeDate", "timeDuration", "timeCycle")
        if not specs or not any((s.text or "").strip() for s in specs):
            ctx.note(
                owner if owner is not None else timer,
                "timer-empty",
                "timer event has no time date, duration or cycle",
                Severity.ERROR,
                hint="set the timer's date, duration or cycle in the modeler",
            )
            continue
        for spec in specs:
            text = (spec.text or "").strip()
            if text.startswith(("${", "#{", "=")) or text[:1] in "'\"":
                continue
            if _ISO.match(text):
                spec.text = repr(text)
                if owner is not None:
                    ctx.keep(str(owner.get("id")), "quotedTimer", True)
                ctx.note(owner, "timer-quoted", f"ISO-8601 timer value {text} read as a string")
            elif local(spec.tag) == "timeCycle" and cron.looks_like_cron(text):
                try:
                    cron.check(text)
                except cron.CronError as exc:
                    ctx.note(
                        owner,
                        "timer-cron",
                        str(exc),
                        Severity.ERROR,
                        hint="write a cron expression with seconds first, e.g. 0 0/5 * * * ?",
                    )
                    continue
                spec.text = repr(text)
                if owner is not None:
                    ctx.keep(str(owner.get("id")), "quotedTimer", True)
                ctx.note(owner, "timer-quoted", f"cron timer value {text} read as a string")


def _flows(box: etree._Element) -> list[etree._Element]:
    return elements(box, "sequenceFlow")


def _starts(ctx: Ctx) -> None:
    for box in containers(ctx.root):
        kind = local(box.tag)
        if kind == "adHocSubProcess" or (kind == "process" and box.get("isExecutable") == "false"):
            continue
        nodes = elements(box, *FLOW_NODES)
        if not nodes:
            if kind in ("subProcess", "transaction"):
                # An empty (often collapsed, undetailed) subprocess completes at once.
                sid = ctx.fresh_id(f"{box.get('id')}__start")
                eid = ctx.fresh_id(f"{box.get('id')}__end")
                ctx.add(box, "startEvent", "empty-subprocess", id=sid)
                ctx.add(box, "endEvent", "empty-subprocess", id=eid)
                ctx.flow(box, sid, eid, "empty-subprocess")
                ctx.note(box, "empty-subprocess", "subprocess has no content; it completes at once")
            continue
        flows = _flows(box)
        targets = {f.get("targetRef") for f in flows}
        sources = {f.get("sourceRef") for f in flows}
        if not elements(box, "startEvent"):
            firsts = [
                n
                for n in nodes
                if n.get("id") not in targets
                and local(n.tag) != "boundaryEvent"
                and n.get("triggeredByEvent") != "true"
                and n.get("isForCompensation") != "true"
                and "linkCatch" not in ctx.out.kept.get(str(n.get("id")), {})
            ]
            if firsts:
                sid = ctx.fresh_id(f"{box.get('id')}__start")
                ctx.add(box, "startEvent", "implicit-start", id=sid)
                for n in firsts:
                    ctx.flow(box, sid, str(n.get("id")), "implicit-start")
                ctx.note(
                    box,
                    "implicit-start",
                    "no start event: started at " + ", ".join(str(n.get("id")) for n in firsts),
                )
        if kind != "process" and not elements(box, "endEvent"):
            lasts = [
                n
                for n in nodes
                if n.get("id") not in sources
                and local(n.tag) != "boundaryEvent"
                and n.get("triggeredByEvent") != "true"
            ]
            eid = ctx.fresh_id(f"{box.get('id')}__end")
            ctx.add(box, "endEvent", "implicit-end", id=eid)
            for n in lasts:
                ctx.flow(box, str(n.get("id")), eid, "implicit-end")
            ctx.note(box, "implicit-end", "subprocess without end event ends when its paths end")


def _receive_tasks(ctx: Ctx) -> None:
    """A receive task without a message waits for a message named after the task's id.

    SpiffWorkflow would complete it at once; Camunda waits for a trigger. seamline gives it a
    message of its own, so ``seamline message <task id>`` triggers it.
    """
    for task in [e for e in ctx.root.iter(bpmn("receiveTask")) if not e.get("messageRef")]:
        tid = str(task.get("id"))
        mid = ctx.fresh_id(f"{tid}__message")
        message = etree.Element(bpmn("message"), {"id": mid, "name": tid})
        ctx.root.insert(0, message)
        task.set("messageRef", mid)
        ctx.note(
            task,
            "receive-task-message",
            f"receive task without a message waits for message '{tid}'",
            hint=f"trigger it with: seamline message {tid} --key <business key>",
        )


def normalize(root: etree._Element, file: str) -> Normalized:
    """Rewrite ``root`` in place so SpiffWorkflow parses all of it; report what changed."""
    if root.nsmap.get(None) != BPMN_NS and BPMN_NS not in root.nsmap.values():
        return Normalized()
    ctx = Ctx(root, file)
    _strip_qnames(ctx)
    _flow_ids(ctx)
    _reserved(ctx)
    _names(ctx)
    _data(ctx)
    _links(ctx)
    compensation(ctx)
    _timers(ctx)
    _receive_tasks(ctx)
    _starts(ctx)
    zeebe_loops(ctx)
    zeebe_called_elements(ctx)
    gateways(ctx)
    splits(ctx)
    return ctx.out
