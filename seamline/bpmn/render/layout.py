"""A simple automatic layout for processes that come without BPMNDI.

Flow nodes are placed in columns by the length of the longest sequence-flow path that reaches
them (loops are cut where a depth-first walk meets a node it is still inside), and in rows by the
order they are met. Forward flows are drawn as right-angled lines between the columns; flows that
go back run underneath the diagram. Sub-processes are drawn collapsed.
"""

from __future__ import annotations

from lxml import etree

from seamline.bpmn.render.model import Bounds, Edge, Scene, Shape, local
from seamline.bpmn.render.shapes import EVENTS, GATEWAYS, SUBPROCESSES, TASKS

_COLUMN = 160.0
_ROW = 120.0
_ORIGIN = (40.0, 40.0)
_SIZES = {"event": (36.0, 36.0), "gateway": (50.0, 50.0), "activity": (100.0, 80.0)}


def _size(kind: str) -> tuple[float, float]:
    if kind in EVENTS:
        return _SIZES["event"]
    if kind in GATEWAYS:
        return _SIZES["gateway"]
    return _SIZES["activity"]


def _layers(nodes: list[str], flows: list[tuple[str, str, str]]) -> dict[str, int]:
    outgoing: dict[str, list[str]] = {n: [] for n in nodes}
    incoming: dict[str, int] = dict.fromkeys(nodes, 0)
    for _, source, target in flows:
        outgoing[source].append(target)
        incoming[target] += 1
    # Depth-first from the nodes nothing flows into (then any left over, for pure cycles);
    # an edge back into the current path is a loop and does not push its target right.
    forward: dict[str, list[str]] = {n: [] for n in nodes}
    state: dict[str, int] = {}
    order: list[str] = []
    roots = [n for n in nodes if incoming[n] == 0] + nodes
    for root in roots:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, i = stack[-1]
            if i < len(outgoing[node]):
                stack[-1] = (node, i + 1)
                nxt = outgoing[node][i]
                if state.get(nxt) == 1:
                    continue
                forward[node].append(nxt)
                if nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                order.append(node)
                stack.pop()
    layer = dict.fromkeys(nodes, 0)
    for node in reversed(order):  # reverse post-order is a topological order of forward edges
        for nxt in forward[node]:
            layer[nxt] = max(layer[nxt], layer[node] + 1)
    return layer


def layout_process(process: etree._Element, index: dict[str, etree._Element]) -> Scene:
    """Place the flow nodes and sequence flows of ``process`` on a grid and return the scene."""
    scene = Scene(index=index)
    drawable = TASKS | SUBPROCESSES | GATEWAYS | (EVENTS - {"boundaryEvent"})
    nodes = [el for el in process if local(el) in drawable and el.get("id")]
    ids = [el.get("id") or "" for el in nodes]
    known = set(ids)
    boundaries = [el for el in process if local(el) == "boundaryEvent" and el.get("id")]
    hosts = {b.get("id") or "": b.get("attachedToRef") or "" for b in boundaries}
    flows = [
        (f.get("id") or "", f.get("sourceRef") or "", f.get("targetRef") or "")
        for f in process
        if local(f) == "sequenceFlow"
    ]
    # A flow leaving a boundary event is laid out as if it left the event's host.
    node_flows = [
        (fid, hosts.get(src, src), tgt)
        for fid, src, tgt in flows
        if hosts.get(src, src) in known and tgt in known
    ]
    layer = _layers(ids, node_flows)
    rows: dict[int, int] = {}
    placed: dict[str, Bounds] = {}
    for element, ident in zip(nodes, ids, strict=True):
        column = layer[ident]
        row = rows.get(column, 0)
        rows[column] = row + 1
        w, h = _size(local(element))
        cx = _ORIGIN[0] + column * _COLUMN + 50
        cy = _ORIGIN[1] + row * _ROW + 40
        placed[ident] = Bounds(cx - w / 2, cy - h / 2, w, h)
        scene.shapes.append(Shape(ident, local(element), element, placed[ident], expanded=False))
    attached: dict[str, int] = {}
    for event in boundaries:
        ident, host = event.get("id") or "", hosts[event.get("id") or ""]
        if host not in placed:
            continue
        hb, k = placed[host], attached.get(host, 0)
        attached[host] = k + 1
        placed[ident] = Bounds(hb.x + 10 + 40 * k, hb.y + hb.h - 18, 36, 36)
        scene.shapes.append(Shape(ident, "boundaryEvent", event, placed[ident]))
    top = min((b.y for b in placed.values()), default=0.0) - 30
    bottom = max((b.y + b.h for b in placed.values()), default=0.0) + 40
    first_row = {ident for ident, b in placed.items() if b.cy <= _ORIGIN[1] + 40 + 1}
    for fid, src, tgt in flows:
        if src not in placed or tgt not in placed:
            continue
        s, t = placed[src], placed[tgt]
        if src in hosts:
            route = _from_boundary(s, t)
        else:
            # Loops run above the diagram when they leave the top row, so they do not cross
            # the shapes stacked below their source, and underneath it otherwise.
            route = _route(s, t, top if src in first_row else bottom)
        scene.edges.append(Edge(fid, "sequenceFlow", index.get(fid), route))
    return scene


def _from_boundary(s: Bounds, t: Bounds) -> list[tuple[float, float]]:
    # Out of the bottom of the event (it sits on its host's lower edge), then across.
    if t.cy > s.y + s.h:
        return [(s.cx, s.y + s.h), (s.cx, t.cy), (t.x if t.x > s.cx else t.x + t.w, t.cy)]
    return [(s.cx, s.y + s.h), (s.cx, s.y + s.h + 20), (t.cx, s.y + s.h + 20), (t.cx, t.y + t.h)]


def _route(s: Bounds, t: Bounds, side: float) -> list[tuple[float, float]]:
    if t.x > s.x + s.w:  # forward: right side out, left side in, one vertical step between
        sx, sy, tx, ty = s.x + s.w, s.cy, t.x, t.cy
        if abs(sy - ty) < 1:
            return [(sx, sy), (tx, ty)]
        mx = (sx + tx) / 2
        return [(sx, sy), (mx, sy), (mx, ty), (tx, ty)]
    # Backwards or within a column: out of one side, along above or below, into the same side.
    if side < s.y:
        return [(s.cx, s.y), (s.cx, side), (t.cx, side), (t.cx, t.y)]
    return [(s.cx, s.y + s.h), (s.cx, side), (t.cx, side), (t.cx, t.y + t.h)]
