"""Drawing one BPMNEdge: sequence flows, message flows, associations, with their line ends."""

from __future__ import annotations

import math

from lxml import etree

from seamline.bpmn.render.model import Edge, Scene, local
from seamline.bpmn.render.shapes import SUBPROCESSES, TASKS
from seamline.bpmn.render.svg import Style, add, points, text_block

_ACTIVITIES = TASKS | SUBPROCESSES


class Markers:
    """The ``<marker>`` definitions of one SVG, one per (shape, colour) actually used.

    SVG 1.1 markers cannot take their colour from the line that uses them, so a taken flow's
    arrowhead needs its own marker.
    """

    def __init__(self, defs: etree._Element) -> None:
        self._defs = defs
        self._ids: dict[tuple[str, str], str] = {}

    def ref(self, shape: str, colour: str) -> str:
        """``url(#id)`` of the ``shape`` marker in ``colour``, defining it on first use."""
        key = (shape, colour)
        if key not in self._ids:
            ident = f"sl-{shape}-{len(self._ids)}"
            self._ids[key] = ident
            self._define(ident, shape, colour)
        return f"url(#{self._ids[key]})"

    def _define(self, ident: str, shape: str, colour: str) -> None:
        size = {"arrow": 11, "open-arrow": 11, "line-arrow": 11, "circle": 9, "diamond": 14}[shape]
        marker = add(
            self._defs,
            "marker",
            id=ident,
            viewBox=f"0 0 {size} {size}",
            refX=size - 1 if "arrow" in shape else 1,
            refY=size / 2,
            markerWidth=size,
            markerHeight=size,
            markerUnits="userSpaceOnUse",
            orient="auto",
        )
        if shape == "arrow":
            add(
                marker, "path", d="M1,1 L10,5.5 L1,10 z", fill=colour, stroke=colour, stroke_width=1
            )
        elif shape == "open-arrow":
            add(
                marker,
                "path",
                d="M1,1 L10,5.5 L1,10 z",
                fill="#ffffff",
                stroke=colour,
                stroke_width=1,
            )
        elif shape == "line-arrow":
            add(marker, "path", d="M1,1 L10,5.5 L1,10", fill="none", stroke=colour, stroke_width=1)
        elif shape == "circle":
            add(
                marker,
                "circle",
                cx=4.5,
                cy=4.5,
                r=3.5,
                fill="#ffffff",
                stroke=colour,
                stroke_width=1,
            )
        else:
            add(
                marker,
                "path",
                d="M1,7 L7,2 L13,7 L7,12 z",
                fill="#ffffff",
                stroke=colour,
                stroke_width=1,
            )


def draw_edge(
    group: etree._Element,
    edge: Edge,
    scene: Scene,
    style: Style,
    markers: Markers,
    defaults: set[str],
) -> None:
    """Draw ``edge`` into ``group`` in ``style`` with the line ends its kind calls for."""
    kind, element = edge.kind, edge.element
    attrs: dict[str, str | float | None] = {
        "fill": "none",
        "stroke": style.stroke,
        "stroke_width": style.width,
        "stroke_linejoin": "round",
        "cls": "sl-line",
    }
    if kind == "sequenceFlow":
        attrs["marker_end"] = markers.ref("arrow", style.stroke)
        if element is not None and _conditional_from_activity(element, scene):
            attrs["marker_start"] = markers.ref("diamond", style.stroke)
    elif kind == "messageFlow":
        attrs.update(
            stroke_dasharray="10,6",
            marker_start=markers.ref("circle", style.stroke),
            marker_end=markers.ref("open-arrow", style.stroke),
        )
    elif kind == "association":
        attrs["stroke_dasharray"] = "2,4"
        direction = element.get("associationDirection") if element is not None else None
        if direction in ("One", "Both"):
            attrs["marker_end"] = markers.ref("line-arrow", style.stroke)
        if direction == "Both":
            attrs["marker_start"] = markers.ref("line-arrow", style.stroke)
    elif kind in ("dataInputAssociation", "dataOutputAssociation"):
        attrs.update(stroke_dasharray="2,4", marker_end=markers.ref("line-arrow", style.stroke))
    add(group, "polyline", points=points(edge.points), **attrs)
    if edge.element_id in defaults:
        _default_slash(group, edge.points, style)
    name = (element.get("name") or "") if element is not None else ""
    if name.strip():
        _edge_label(group, edge, name, style)


def _conditional_from_activity(flow: etree._Element, scene: Scene) -> bool:
    # A condition on a flow leaving an activity (not a gateway) is drawn as a small diamond.
    if not any(local(child) == "conditionExpression" for child in flow):
        return False
    source = scene.index.get(flow.get("sourceRef") or "")
    return source is not None and local(source) in _ACTIVITIES


def _default_slash(group: etree._Element, pts: list[tuple[float, float]], style: Style) -> None:
    (x1, y1), (x2, y2) = pts[0], pts[1]
    length = math.hypot(x2 - x1, y2 - y1)
    if length < 1:
        return
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    px, py = x1 + ux * min(12.0, length / 2), y1 + uy * min(12.0, length / 2)
    vx, vy = (ux - uy) / math.sqrt(2), (uy + ux) / math.sqrt(2)
    add(
        group,
        "line",
        x1=px - 6 * vx,
        y1=py - 6 * vy,
        x2=px + 6 * vx,
        y2=py + 6 * vy,
        stroke=style.stroke,
        stroke_width=1.5,
    )


def _edge_label(group: etree._Element, edge: Edge, name: str, style: Style) -> None:
    if edge.label is not None:
        lb = edge.label
        width = max(lb.w, 90.0)
        text_block(group, name, lb.cx - width / 2, lb.y, width, None, size=11, colour=style.text)
        return
    middle = len(edge.points) // 2
    (x1, y1), (x2, y2) = edge.points[middle - 1], edge.points[middle]
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    text_block(group, name, mx - 50, my - 18, 100, None, size=11, colour=style.text)
