"""Compensation, rewritten into shapes SpiffWorkflow runs, with Camunda 7's semantics.

SpiffWorkflow 3.2.0 ignores compensation. Before it parses a diagram:

- each compensation boundary event and its association are removed; the activity it is attached
  to is recorded as compensable, with its handler (``kept[activity]["compensationHandler"]``);
  the handler (``isForCompensation="true"``) leaves the flow of its scope;
- each compensate throw (intermediate throw event, end event) becomes an embedded subprocess of
  the same id marked with :data:`MARK` (``activityRef`` or empty): SpiffWorkflow parses it as
  :class:`seamline.spiff.compensation.CompensationThrow`, one instance per handler to run, each
  routed by a gateway (also marked: a ``CompensationRoute``) to a copy of that handler (the
  handler keeps its id, so its tasks, history and human tasks carry the id drawn); an end event
  gets an end event after it;
- a cancel end event of a transaction with compensable work gets a throw (all of the
  transaction) before it: Camunda 7 compensates a cancelled transaction, then leaves it through
  the cancel boundary event.

What the engine does at run time is in :mod:`seamline.spiff.compensation`. What cannot run the
way Camunda 7 runs it is a located error, as Camunda 7 refuses them too: an ``activityRef``
outside the throw's scope, a compensation boundary event without a handler, two on one
activity, a handler on a sequence flow, a compensation event subprocess outside an embedded
subprocess or beside a compensation boundary event of its subprocess.

A compensation event subprocess of subprocess S becomes S's handler (an ordinary subprocess):
compensating S runs it, and a throw inside it compensates S's activities.
"""

from __future__ import annotations

import copy

from lxml import etree

from seamline.bpmn.flavours import bpmn, local
from seamline.bpmn.normalize.base import Ctx, elements
from seamline.bpmn.problems import Severity

#: Marks a generated throw (value: the ``activityRef``, empty for the whole scope).
MARK = "{urn:seamline:compensation}activityRef"
#: Marks the throw a transaction's cancel end event runs first.
CANCEL = "{urn:seamline:compensation}cancel"
#: Marks a throw in an event subprocess: "own" scope, or "both" (its own and the one around).
SCOPE = "{urn:seamline:compensation}scope"

_SCOPES = ("subProcess", "transaction")
_HINT = "remove it or model the behaviour another way; seamline cannot run it"


def _error(ctx: Ctx, el: etree._Element, message: str, hint: str = _HINT) -> None:
    ctx.note(el, "unsupported-element", message, Severity.ERROR, hint)


def _definition(el: etree._Element) -> etree._Element | None:
    found = elements(el, "compensateEventDefinition")
    return found[0] if found else None


def _is_event_subprocess(el: etree._Element) -> bool:
    return local(el.tag) == "subProcess" and el.get("triggeredByEvent") == "true"


class _Plan:
    """The compensable activities of one file and their handlers."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.handler_of: dict[str, str] = {}
        self.handlers: dict[str, etree._Element] = {}
        self.event_handlers: set[str] = set()
        self.by_id = {str(e.get("id")): e for e in ctx.root.iter() if isinstance(e.tag, str)}

    def boundaries(self) -> None:
        """Record each compensation boundary event's activity and handler; remove the event."""
        sources: dict[str, list[etree._Element]] = {}
        for assoc in list(self.ctx.root.iter(bpmn("association"))):
            sources.setdefault(str(assoc.get("sourceRef")), []).append(assoc)
        seen: dict[str, etree._Element] = {}
        for b in list(self.ctx.root.iter(bpmn("boundaryEvent"))):
            if _definition(b) is None:
                continue
            attached = str(b.get("attachedToRef"))
            assocs = sources.get(str(b.get("id")), [])
            targets = [self.by_id.get(str(a.get("targetRef"))) for a in assocs]
            handlers = [
                t for t in targets if t is not None and t.get("isForCompensation") == "true"
            ]
            if attached in seen:
                _error(
                    self.ctx,
                    b,
                    f"activity {attached!r} has more than one compensation boundary event",
                    "attach one compensation boundary event per activity",
                )
            elif not handlers:
                _error(
                    self.ctx,
                    b,
                    "compensation boundary event has no associated compensation"
                    ' handler (an activity with isForCompensation="true")',
                    "draw an association from the boundary event to its handler",
                )
            else:
                self.handler_of[attached] = str(handlers[0].get("id"))
                self.ctx.keep(attached, "compensationHandler", handlers[0].get("id"))
            seen[attached] = b
            for assoc in assocs:
                _drop(assoc)
            _drop(b)

    def detach_handlers(self) -> None:
        """Take the handlers out of the flow (the throws get copies); none may be on a flow."""
        flows = [f for f in self.ctx.root.iter(bpmn("sequenceFlow"))]
        touched = {str(f.get("sourceRef")) for f in flows} | {
            str(f.get("targetRef")) for f in flows
        }
        for el in list(self.ctx.root.iter()):
            if not isinstance(el.tag, str) or el.get("isForCompensation") != "true":
                continue
            if _is_event_subprocess(el):  # a compensation event subprocess: _event_handlers
                continue
            if str(el.get("id")) in touched:
                _error(
                    self.ctx,
                    el,
                    "a compensation handler may have no incoming or outgoing sequence flow",
                    "remove the sequence flows of the handler",
                )
            self.handlers[str(el.get("id"))] = el
            _drop(el)

    def handlers_for(self, el: etree._Element) -> list[str]:
        """The handlers compensating ``el`` can run: its own, or its subprocess's inner ones."""
        eid = str(el.get("id"))
        if eid in self.handler_of:
            return [self.handler_of[eid]]
        if local(el.tag) in _SCOPES and not _is_event_subprocess(el):
            return self.handlers_in(el)
        return []

    def handlers_in(self, box: etree._Element) -> list[str]:
        """The handlers compensating everything in ``box`` can run, in document order."""
        out: list[str] = []
        for child in box:
            if isinstance(child.tag, str) and child.get("id"):
                out.extend(h for h in self.handlers_for(child) if h not in out)
        return out


def _drop(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def _throw(
    ctx: Ctx, plan: _Plan, tid: str, name: str | None, ref: str, handlers: list[str]
) -> etree._Element:
    """The embedded subprocess that runs ``handlers`` (see the module docstring)."""
    sub = etree.Element(bpmn("subProcess"), {"id": tid})
    if name:
        sub.set("name", name)
    sub.set(MARK, ref)
    etree.SubElement(sub, bpmn("multiInstanceLoopCharacteristics"), {"isSequential": "false"})
    start = ctx.fresh_id(f"{tid}__compensation_start")
    route = ctx.fresh_id(f"{tid}__compensation_route")
    end = ctx.fresh_id(f"{tid}__compensation_end")
    ctx.add(sub, "startEvent", "compensation", id=start)
    ctx.add(sub, "endEvent", "compensation", id=end)
    gateway = ctx.add(sub, "exclusiveGateway", "compensation", id=route)
    gateway.set(MARK, ref)
    ctx.flow(sub, start, route, "compensation")
    default = ctx.flow(sub, route, end, "compensation")
    gateway.set("default", str(default.get("id")))
    for handler in handlers:
        element = copy.deepcopy(plan.handlers[handler])
        element.attrib.pop("isForCompensation", None)
        sub.append(element)
        flow = ctx.flow(sub, route, handler, "compensation")
        # Never evaluated: the route (CompensationRoute) takes the flow to the handler it runs.
        etree.SubElement(flow, bpmn("conditionExpression")).text = handler
        ctx.flow(sub, handler, end, "compensation")
    ctx.out.synthetic[tid] = ("subProcess", "compensation")
    return sub


def _throw_owners(box: etree._Element) -> list[etree._Element]:
    """The compensate throw events drawn directly in ``box``."""
    return [
        el
        for el in elements(box, "intermediateThrowEvent", "endEvent")
        if _definition(el) is not None
    ]


def _rewrite(ctx: Ctx, plan: _Plan, owner: etree._Element, scope: etree._Element) -> None:
    """Replace one throw by its embedded subprocess; ``scope`` holds what it compensates."""
    box = owner.getparent()
    definition = _definition(owner)
    if box is None or definition is None:
        return
    ref = definition.get("activityRef") or ""
    if definition.get("waitForCompletion") == "false":
        message = "waitForCompletion=false is not supported (nor by Camunda 7): the throw waits"
        ctx.note(owner, "compensation-waits", message, Severity.WARNING)
    in_event = _is_event_subprocess(box)  # then ``scope`` is the scope around it
    mode = ""
    if ref:
        own = next((c for c in box if isinstance(c.tag, str) and c.get("id") == ref), None)
        if in_event and own is not None:
            target, mode = own, "own"
        else:
            target = next((c for c in scope if isinstance(c.tag, str) and c.get("id") == ref), None)
        if target is None:
            _error(
                ctx,
                owner,
                f"activityRef {ref!r} names no activity of the throw's scope",
                "name an activity of the same (sub)process as the throw event",
            )
            return
        handlers = plan.handlers_for(target)
    else:
        handlers = plan.handlers_in(scope)
        if in_event:  # Camunda 7: the event subprocess's own activities, then the scope's
            mode = "both"
            handlers = [
                *plan.handlers_in(box),
                *(h for h in handlers if h not in plan.handlers_in(box)),
            ]
    tid = str(owner.get("id"))
    sub = _throw(ctx, plan, tid, owner.get("name"), ref, handlers)
    if mode:
        sub.set(SCOPE, mode)
    box.replace(owner, sub)
    if local(owner.tag) == "endEvent":
        end = ctx.fresh_id(f"{tid}__end")
        ctx.add(box, "endEvent", "compensation", id=end)
        ctx.flow(box, tid, end, "compensation")
    what = f"activity {ref!r}" if ref else "its scope"
    ctx.note(owner, "compensation-throw", f"compensate throw runs the handlers of {what}")


def _throws(ctx: Ctx, plan: _Plan) -> None:
    """Every throw left; one in an event subprocess compensates the scope around it too."""
    for definition in list(ctx.root.iter(bpmn("compensateEventDefinition"))):
        owner = definition.getparent()
        if owner is None or local(owner.tag) not in ("intermediateThrowEvent", "endEvent"):
            continue
        box = owner.getparent()
        if box is None:
            continue
        scope = box.getparent() if _is_event_subprocess(box) else box
        if scope is not None:
            _rewrite(ctx, plan, owner, scope)


def _event_handlers(ctx: Ctx, plan: _Plan) -> bool:
    """Compensation event subprocesses become their subprocess's handler; False on errors.

    Camunda 7: compensating a subprocess that has one runs it instead of compensating the
    subprocess's activities; a throw inside it compensates the subprocess's activities. The
    deepest go first, so an outer one's throws find the inner ones as handlers.
    """
    found = [
        start.getparent()
        for start in ctx.root.iter(bpmn("startEvent"))
        if _definition(start) is not None and start.getparent() is not None
    ]
    ok = True
    for event_sub in sorted(found, key=lambda e: -len(list(e.iterancestors()))):
        scope = event_sub.getparent()
        start = elements(event_sub, "startEvent")
        if scope is None or local(scope.tag) not in _SCOPES or not _is_event_subprocess(event_sub):
            _error(ctx, start[0] if start else event_sub,
                   "a compensation event subprocess must be drawn inside an embedded subprocess",
                   "move it into the subprocess whose compensation it handles")  # fmt: skip
            ok = False
            continue
        sid = str(scope.get("id"))
        if sid in plan.handler_of:
            twice = plan.handler_of[sid] in plan.event_handlers
            what = (
                "two compensation event subprocesses"
                if twice
                else ("both a compensation boundary event and a compensation event subprocess")
            )
            _error(ctx, start[0] if twice and start else event_sub,
                   f"subprocess {sid!r} has {what}", "keep one of them")  # fmt: skip
            ok = False
            continue
        plan.event_handlers.add(str(event_sub.get("id")))
        event_sub.attrib.pop("triggeredByEvent", None)  # a handler now, not an event scope
        for owner in _throw_owners(event_sub):
            _rewrite(ctx, plan, owner, scope)
        for el in start:
            for d in elements(el, "compensateEventDefinition"):
                el.remove(d)
        event_sub.attrib.pop("isForCompensation", None)
        plan.handler_of[sid] = str(event_sub.get("id"))
        plan.handlers[str(event_sub.get("id"))] = event_sub
        ctx.keep(sid, "compensationHandler", event_sub.get("id"))
        _drop(event_sub)
    return ok


def _cancels(ctx: Ctx, plan: _Plan) -> None:
    for tx in list(ctx.root.iter(bpmn("transaction"))):
        handlers = plan.handlers_in(tx)
        if not handlers:
            continue
        for end in elements(tx, "endEvent"):
            if not elements(end, "cancelEventDefinition"):
                continue
            eid = str(end.get("id"))
            tid = ctx.fresh_id(f"{eid}__compensation")
            for flow in elements(tx, "sequenceFlow"):
                if flow.get("targetRef") == eid:
                    flow.set("targetRef", tid)
            throw_el = _throw(ctx, plan, tid, None, "", handlers)
            throw_el.set(CANCEL, "true")
            tx.insert(tx.index(end), throw_el)
            ctx.flow(tx, tid, eid, "compensation")
            ctx.note(
                end,
                "transaction-compensation",
                "cancelling the transaction compensates its completed activities first",
            )


def compensation(ctx: Ctx) -> None:
    """Rewrite compensation (see the module docstring); refuse what cannot run as drawn."""
    marked = [d.getparent() for d in ctx.root.iter(bpmn("compensateEventDefinition"))]
    marked += [
        e
        for e in ctx.root.iter()
        if isinstance(e.tag, str) and e.get("isForCompensation") == "true"
    ]
    if not marked:
        return
    plan = _Plan(ctx)
    plan.boundaries()
    plan.detach_handlers()
    if not _event_handlers(ctx, plan):
        return
    _throws(ctx, plan)
    _cancels(ctx, plan)


def wiring(ctx_kept: dict[str, dict[str, list[object]]]) -> dict[str, str]:
    """Compensable activity id -> handler id, from what normalization kept."""
    return {
        eid: str(values["compensationHandler"][0])
        for eid, values in ctx_kept.items()
        if values.get("compensationHandler")
    }
