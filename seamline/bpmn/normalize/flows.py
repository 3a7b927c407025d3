"""Normalization of outgoing sequence flows: gateway branches without a condition, and tasks
with several outgoing flows.

SpiffWorkflow 3.2.0 rejects a non-default exclusive branch without a condition, and it tries
conditions in the order of the target shapes' y coordinate on the canvas, not in document order.
seamline gives such diagrams Camunda 7's documented meaning instead, rewritten so that the result
does not depend on the order SpiffWorkflow tries conditions in.
"""

from __future__ import annotations

from lxml import etree

from seamline.bpmn.flavours import bpmn, local
from seamline.bpmn.normalize.base import FLOW_NODES, GATEWAYS, Ctx, containers, elements
from seamline.bpmn.problems import Severity

_ORDER_HINT = (
    "branches are tried in document order, as Camunda 7 does; give {first} a condition or make "
    "it the gateway's default flow"
)


def condition(flow: etree._Element) -> str | None:
    """The text of a sequence flow's condition, or None when it has none (or an empty one)."""
    cond = elements(flow, "conditionExpression")
    return (cond[0].text or "").strip() or None if cond else None


def _set_condition(ctx: Ctx, flow: etree._Element, value: bool) -> None:
    for old in elements(flow, "conditionExpression"):
        flow.remove(old)
    cond = etree.SubElement(flow, bpmn("conditionExpression"))
    cond.text = repr(value)
    ctx.keep(str(flow.get("id")), "implicitCondition", value)


def _outgoing(box: etree._Element) -> dict[str, list[etree._Element]]:
    out: dict[str, list[etree._Element]] = {}
    for f in elements(box, "sequenceFlow"):
        out.setdefault(str(f.get("sourceRef")), []).append(f)
    return out


def _ids(flows: list[etree._Element]) -> str:
    return ", ".join(str(f.get("id")) for f in flows)


def _exclusive(ctx: Ctx, gw: etree._Element, outs: list[etree._Element]) -> None:
    """Camunda 7 semantics for exclusive branches without a condition.

    Camunda 7 user guide, Exclusive Gateway: "all outgoing sequence flows are evaluated in the
    order in which they have been defined. The sequence flow which condition evaluates to 'true'
    (or which doesn't have a condition set, conceptually having a 'true' defined on the sequence
    flow) is selected for continuing the process." ExclusiveGatewayActivityBehavior.doLeave takes
    the first flow whose condition is null (unless it is the default) or true, and the default
    flow only when none was selected.

    So the first unconditioned branch in document order is taken whenever no branch defined
    before it holds: that is exactly a default flow. Branches defined after it, and the declared
    default, can never be taken; they get the condition False. Making it the default (rather
    than giving it the condition True) keeps the outcome independent of the order in which
    SpiffWorkflow evaluates conditions.
    """
    default = gw.get("default")
    bare = [f for f in outs if condition(f) is None and f.get("id") != default]
    if not bare:
        return
    first = bare[0]
    pos = outs.index(first)
    dead = [f for f in outs[pos + 1 :] if f.get("id") != default]
    declared = next((f for f in outs if f.get("id") == default), None)
    # A declared default with a condition defined before `first` is still evaluated by Camunda
    # (in its turn); otherwise it is never reached: a flow without condition always wins first.
    if declared is not None and (outs.index(declared) > pos or condition(declared) is None):
        dead.append(declared)
    gw.set("default", str(first.get("id")))
    for f in dead:
        _set_condition(ctx, f, False)
    fid = str(first.get("id"))
    if not dead:
        ctx.note(
            gw,
            "gateway-default",
            f"branch {fid} has no condition: taken when no other branch's condition holds",
        )
        return
    ctx.note(
        gw,
        "gateway-missing-condition",
        f"branch {fid} has no condition, so it is taken whenever no branch defined before it "
        f"holds; never taken: {_ids(dead)}",
        Severity.WARNING,
        hint=_ORDER_HINT.format(first=fid),
    )


def _inclusive(ctx: Ctx, gw: etree._Element, outs: list[etree._Element]) -> None:
    """Camunda 7 semantics: an inclusive branch without a condition is always taken.

    InclusiveGatewayActivityBehavior.execute takes every non-default outgoing flow whose
    condition is null or true, and the default flow only when that set is empty.
    """
    default = gw.get("default")
    bare = [f for f in outs if condition(f) is None and f.get("id") != default]
    if not bare:
        return
    for f in bare:
        _set_condition(ctx, f, True)
    ctx.note(
        gw,
        "gateway-unconditional",
        f"branches without a condition are always taken: {_ids(bare)}",
        Severity.INFO if not default else Severity.WARNING,
        hint=f"the default flow {default} is never taken" if default else None,
    )


def gateways(ctx: Ctx) -> None:
    """Give exclusive and inclusive branches without a condition Camunda 7's meaning."""
    for cond in list(ctx.root.iter(bpmn("conditionExpression"))):
        parent = cond.getparent()
        if parent is not None and not (cond.text or "").strip():
            # An empty condition is no condition; SpiffWorkflow would read it as None.
            parent.remove(cond)
    for box in containers(ctx.root):
        out = _outgoing(box)
        for gw in elements(box, "exclusiveGateway", "inclusiveGateway"):
            outs = out.get(str(gw.get("id")), [])
            if len(outs) < 2:
                continue
            if local(gw.tag) == "inclusiveGateway":
                _inclusive(ctx, gw, outs)
            else:
                _exclusive(ctx, gw, outs)


def splits(ctx: Ctx) -> None:
    """Put a gateway after activities and events with several outgoing flows.

    BPMN (and Camunda) take every unconditioned outgoing flow of an activity, and every
    conditioned one whose condition holds ("conditional sequence flow"); the default flow only
    when none holds. That is a parallel split, or an inclusive one when any flow has a condition.
    """
    for box in containers(ctx.root):
        out = _outgoing(box)
        for node in elements(box, *FLOW_NODES):
            kind = local(node.tag)
            outs = out.get(str(node.get("id")), [])
            if len(outs) < 2 or kind in GATEWAYS or kind == "startEvent":
                continue
            nid = str(node.get("id"))
            conditional = any(condition(f) is not None for f in outs)
            tag = "inclusiveGateway" if conditional else "parallelGateway"
            gid = ctx.fresh_id(f"{nid}__split")
            default = node.get("default")
            ctx.add(box, tag, "implicit-split", id=gid, default=default or "")
            for f in outs:
                f.set("sourceRef", gid)
                if conditional and f.get("id") != default and condition(f) is None:
                    _set_condition(ctx, f, True)
            ctx.flow(box, nid, gid, "implicit-split")
            ctx.note(
                node,
                "implicit-split",
                f"{len(outs)} outgoing flows: "
                + ("taken where their conditions hold" if conditional else "all taken in parallel"),
            )
