"""What the renderer draws: shapes and edges read from a diagram's BPMNDI plane.

The semantic element behind each DI shape is looked up by id so the drawing code can ask what
kind of thing it is (``userTask``, ``boundaryEvent`` ...) and read its attributes and children.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from lxml import etree

from seamline.bpmn.render.svg import safe_colour

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
_BIOC_NS = "http://bpmn.io/schema/bpmn/biocolor/1.0"
_COLOR_NS = "http://www.omg.org/spec/BPMN/non-normative/color/1.0"


@dataclass(frozen=True)
class Bounds:
    """A rectangle in diagram coordinates."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        """Horizontal centre."""
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        """Vertical centre."""
        return self.y + self.h / 2

    def contains(self, other: Bounds) -> bool:
        """Whether ``other`` lies inside this rectangle (with a little slack for rounding)."""
        return (
            other.x >= self.x - 1
            and other.y >= self.y - 1
            and other.x + other.w <= self.x + self.w + 1
            and other.y + other.h <= self.y + self.h + 1
        )


@dataclass
class Shape:
    """One BPMNShape: the element it shows, where, and the DI flags that change its look."""

    element_id: str
    kind: str
    element: etree._Element | None
    bounds: Bounds
    label: Bounds | None = None
    expanded: bool | None = None
    horizontal: bool | None = None
    marker_visible: bool | None = None
    fill: str | None = None
    stroke: str | None = None


@dataclass
class Edge:
    """One BPMNEdge: the flow it shows and its waypoints."""

    element_id: str
    kind: str
    element: etree._Element | None
    points: list[tuple[float, float]]
    label: Bounds | None = None
    stroke: str | None = None


@dataclass
class Scene:
    """Everything to draw for one diagram, plus semantic lookups the drawing code needs."""

    shapes: list[Shape] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    index: dict[str, etree._Element] = field(default_factory=dict)
    name: str | None = None

    def default_flows(self) -> set[str]:
        """Ids of sequence flows named as some gateway's or activity's ``default``."""
        return {
            el.get("default", "")
            for el in self.index.values()
            if el.get("default") and local(el) != "sequenceFlow"
        }


def local(node: etree._Element) -> str:
    """The local name of an element's tag ('' for anything that is not an element)."""
    tag = node.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def children(node: etree._Element | None, name: str) -> list[etree._Element]:
    """Direct children of ``node`` with local name ``name``."""
    if node is None:
        return []
    return [c for c in node if local(c) == name]


def semantic_index(root: etree._Element) -> dict[str, etree._Element]:
    """Every BPMN model element with an id, by id (the first wins if a file repeats an id)."""
    index: dict[str, etree._Element] = {}
    for node in root.iter():
        if not isinstance(node.tag, str) or etree.QName(node.tag).namespace != BPMN_NS:
            continue
        ident = node.get("id")
        if ident and ident not in index:
            index[ident] = node
    return index


def _number(value: str | None) -> float | None:
    try:
        result = float(value) if value is not None else None
    except ValueError:
        return None
    return result if result is not None and math.isfinite(result) else None


def _bounds(node: etree._Element | None) -> Bounds | None:
    if node is None:
        return None
    values = [_number(node.get(key)) for key in ("x", "y", "width", "height")]
    if any(v is None for v in values):
        return None
    x, y, w, h = (float(v or 0.0) for v in values)
    return Bounds(x, y, max(w, 0.0), max(h, 0.0))


def _child_bounds(node: etree._Element) -> Bounds | None:
    found = [c for c in node if local(c) == "Bounds"]
    return _bounds(found[0]) if found else None


def _label_bounds(node: etree._Element) -> Bounds | None:
    for label in children(node, "BPMNLabel"):
        found = _child_bounds(label)
        if found and found.w > 0 and found.h > 0:
            return found
    return None


def _flag(node: etree._Element, name: str) -> bool | None:
    value = node.get(name)
    return None if value is None else value.strip().lower() == "true"


def _colours(node: etree._Element) -> tuple[str | None, str | None]:
    fill = node.get(f"{{{_BIOC_NS}}}fill") or node.get(f"{{{_COLOR_NS}}}background-color")
    stroke = node.get(f"{{{_BIOC_NS}}}stroke") or node.get(f"{{{_COLOR_NS}}}border-color")
    return safe_colour(fill), safe_colour(stroke)


def plane_scene(plane: etree._Element, index: dict[str, etree._Element]) -> Scene:
    """Read the shapes and edges of one BPMNPlane (unreadable bounds are skipped, not fatal)."""
    scene = Scene(index=index)
    for node in plane.iter():
        name = local(node)
        if name == "BPMNShape":
            bounds = _child_bounds(node)
            if bounds is None:
                continue
            element_id = node.get("bpmnElement") or ""
            element = index.get(element_id)
            fill, stroke = _colours(node)
            scene.shapes.append(
                Shape(
                    element_id=element_id,
                    kind=local(element) if element is not None else "unknown",
                    element=element,
                    bounds=bounds,
                    label=_label_bounds(node),
                    expanded=_flag(node, "isExpanded"),
                    horizontal=_flag(node, "isHorizontal"),
                    marker_visible=_flag(node, "isMarkerVisible"),
                    fill=fill,
                    stroke=stroke,
                )
            )
        elif name == "BPMNEdge":
            waypoints: list[tuple[float, float]] = []
            for point in node:
                if local(point) == "waypoint":
                    x, y = _number(point.get("x")), _number(point.get("y"))
                    if x is not None and y is not None:
                        waypoints.append((x, y))
            if len(waypoints) < 2:
                continue
            element_id = node.get("bpmnElement") or ""
            element = index.get(element_id)
            scene.edges.append(
                Edge(
                    element_id=element_id,
                    kind=local(element) if element is not None else "unknown",
                    element=element,
                    points=waypoints,
                    label=_label_bounds(node),
                    stroke=_colours(node)[1],
                )
            )
    _settle_expansion(scene)
    return scene


def _settle_expansion(scene: Scene) -> None:
    """Decide expanded/collapsed for sub-processes whose DI leaves ``isExpanded`` out.

    Tools disagree on the default, so a sub-process counts as expanded when the plane draws
    one of its own children inside it.
    """
    drawn = {shape.element_id for shape in scene.shapes}
    for shape in scene.shapes:
        if shape.expanded is not None or shape.element is None:
            continue
        if shape.kind in ("subProcess", "transaction", "adHocSubProcess"):
            shape.expanded = any(child.get("id") in drawn for child in shape.element)


def find_plane(
    root: etree._Element, index: dict[str, etree._Element], process_id: str | None
) -> etree._Element | None:
    """The BPMNPlane to draw: the first one, or the one showing ``process_id``.

    A process drawn only as a pool of a collaboration is found through the collaboration's
    participants.
    """
    planes = [n for n in root.iter(f"{{{BPMNDI_NS}}}BPMNPlane")]
    if process_id is None:
        return planes[0] if planes else None
    for plane in planes:
        if plane.get("bpmnElement") == process_id:
            return plane
    for plane in planes:
        shown = index.get(plane.get("bpmnElement") or "")
        if shown is None or local(shown) != "collaboration":
            continue
        for participant in children(shown, "participant"):
            if participant.get("processRef", "").split(":")[-1] == process_id:
                return plane
    return None


def diagram_name(plane: etree._Element) -> str | None:
    """The name of the BPMNDiagram holding ``plane``, if it has one."""
    parent = plane.getparent()
    return parent.get("name") if parent is not None else None
