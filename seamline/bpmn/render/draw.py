"""Diagrams as pictures: a BPMN file's BPMNDI drawn as a standalone SVG, with an instance on it.

:func:`render_svg` draws the first diagram of a file (or the one showing a named process) the way
a modeler shows it: tasks with type markers, events with their triggers, gateways, pools and
lanes, data and annotations, flows with arrowheads. An :class:`Overlay` colours what an instance
has done: completed elements green, active ones blue with a halo, failed ones red, taken flows
dark green, and a badge with how often each element ran.

A process without BPMNDI (common for generated or hand-written files) is laid out automatically,
left to right in topological order of its sequence flows, so every loadable process can be
drawn; only a file with no process at all raises ``LoadError`` with code ``no-diagram``.

Every name in the picture comes from the diagram and is untrusted: the SVG is built as an element
tree and serialised, so names are always escaped text, never markup, and colours from the file
are only used if they are plain colour values.

Each drawn element is a ``<g>`` with ``data-element-id`` (the BPMN id) and classes
``sl-shape``/``sl-edge``, ``sl-<kind>`` and, with an overlay, ``sl-completed``, ``sl-active``,
``sl-failed`` or ``sl-taken``, so a page can style or script the picture further.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

from seamline.bpmn.render.artifacts import name_of
from seamline.bpmn.render.edges import Markers, draw_edge
from seamline.bpmn.render.layout import layout_process
from seamline.bpmn.render.model import (
    Bounds,
    Scene,
    Shape,
    diagram_name,
    find_plane,
    local,
    plane_scene,
    semantic_index,
)
from seamline.bpmn.render.shapes import (
    CONTAINERS,
    EXTERNAL_LABELS,
    draw_external_label,
    draw_shape,
    is_expanded,
)
from seamline.bpmn.render.svg import FONT, SVG_NS, Style, add, clean_text, label_height
from seamline.bpmn.xml import parse_xml
from seamline.errors import LoadError

__all__ = ["Overlay", "render_svg"]

_MARGIN = 20.0
_TITLE_HEIGHT = 32.0

_BASE = Style()
_COMPLETED = Style(stroke="#2e7d32", fill="#f1f8e9", width=2.0, text="#1b5e20")
_ACTIVE = Style(stroke="#1565c0", fill="#e3f2fd", width=3.0, text="#0d47a1")
_FAILED = Style(stroke="#c62828", fill="#ffebee", width=3.0, text="#b71c1c")
_TAKEN = Style(stroke="#1b5e20", width=2.5, text="#1b5e20")
_UNTAKEN = Style(stroke="#9e9e9e", width=1.5, text="#616161")


@dataclass(frozen=True)
class Overlay:
    """What an instance has done, by BPMN element id, to be drawn over its diagram."""

    #: Elements that ran to completion.
    completed: frozenset[str] = frozenset()
    #: Elements waiting, ready or running now.
    active: frozenset[str] = frozenset()
    #: Elements with an incident or error.
    failed: frozenset[str] = frozenset()
    #: How often each element ran, drawn as a badge at its top right.
    counts: Mapping[str, int] = field(default_factory=dict)
    #: Sequence flows the instance took.
    taken_flows: frozenset[str] = frozenset()

    def state(self, element_id: str) -> str | None:
        """``failed``, ``active`` or ``completed`` for ``element_id`` (worst first), else None."""
        for name, ids in (
            ("failed", self.failed),
            ("active", self.active),
            ("completed", self.completed),
        ):
            if element_id in ids:
                return name
        return None


def render_svg(
    data: bytes,
    file: str,
    *,
    process_id: str | None = None,
    overlay: Overlay | None = None,
    title: str | None = None,
) -> str:
    """Draw the diagram in ``data`` (named ``file`` in errors) as a standalone SVG document.

    ``process_id`` picks the diagram showing that process (directly or as a pool of a
    collaboration); without it the file's first diagram is drawn. ``title`` is shown above the
    picture and as its ``<title>``. Raises ``LoadError`` (codes ``not-bpmn``,
    ``process-not-found``, ``no-diagram``) when there is nothing to draw.
    """
    root = parse_xml(data, file)
    if local(root) != "definitions":
        raise LoadError(
            f"the root element is <{local(root)}>, not <definitions>",
            code="not-bpmn",
            file=file,
            line=root.sourceline,
            hint="expected a BPMN 2.0 file",
        )
    scene = _scene(root, file, process_id)
    return _draw(scene, overlay, title)


def _scene(root: etree._Element, file: str, process_id: str | None) -> Scene:
    index = semantic_index(root)
    processes = [el for el in index.values() if local(el) == "process"]
    if process_id is not None and process_id not in {p.get("id") for p in processes}:
        known = ", ".join(sorted(p.get("id") or "" for p in processes)) or "none"
        raise LoadError(
            f"no process with id {process_id!r} in this file",
            code="process-not-found",
            file=file,
            hint=f"processes here: {known}",
        )
    plane = find_plane(root, index, process_id)
    if plane is not None:
        scene = plane_scene(plane, index)
        if scene.shapes or scene.edges:
            scene.name = diagram_name(plane)
            return scene
    if process_id is not None:
        target = index[process_id]
    else:
        # The process with the most to show is the one a reader means by "the diagram".
        target = max(processes, key=len) if processes else None
    if target is not None:
        scene = layout_process(target, index)
        if scene.shapes:
            scene.name = target.get("name")
            return scene
    raise LoadError(
        "nothing to draw: no diagram shapes and no process with flow elements",
        code="no-diagram",
        file=file,
        hint="draw the process in a BPMN modeler, or add tasks and events to it",
    )


def _style_for(base: Style, fill: str | None, stroke: str | None) -> Style:
    return Style(
        stroke=stroke or base.stroke,
        fill=fill or base.fill,
        width=base.width,
        text=base.text,
    )


def _overlay_style(state: str | None, base: Style) -> Style:
    if state == "failed":
        return _FAILED
    if state == "active":
        return _ACTIVE
    if state == "completed":
        return _COMPLETED
    return base


def _layer_of(shape: Shape) -> int:
    if shape.kind == "participant":
        return 0
    if shape.kind == "lane":
        return 1
    if is_expanded(shape):
        return 2
    if shape.kind == "boundaryEvent":
        return 4
    if shape.kind == "group":
        return 5
    return 3


def _extent(scene: Scene) -> Bounds:
    xs: list[float] = []
    ys: list[float] = []
    for shape in scene.shapes:
        b = shape.bounds
        xs += [b.x, b.x + b.w]
        ys += [b.y, b.y + b.h]
        if shape.label is not None:
            lb = shape.label
            xs += [lb.x, lb.x + lb.w]
            ys += [lb.y, lb.y + lb.h]
        elif shape.kind in EXTERNAL_LABELS:
            text = name_of(shape, scene)
            if text.strip():
                xs += [b.cx - 50, b.cx + 50]
                ys.append(b.y + b.h + 6 + label_height(text, 100, 11))
    for edge in scene.edges:
        xs += [x for x, _ in edge.points]
        ys += [y for _, y in edge.points]
        if edge.label is not None:
            xs += [edge.label.x, edge.label.x + edge.label.w]
            ys += [edge.label.y, edge.label.y + edge.label.h]
    if not xs:
        return Bounds(0, 0, 100, 100)
    return Bounds(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def _draw(scene: Scene, overlay: Overlay | None, title: str | None) -> str:
    extent = _extent(scene)
    top = _TITLE_HEIGHT if title else 0.0
    x0, y0 = extent.x - _MARGIN, extent.y - _MARGIN - top
    width, height = extent.w + 2 * _MARGIN, extent.h + 2 * _MARGIN + top
    svg = etree.Element(f"{{{SVG_NS}}}svg", nsmap={None: SVG_NS})
    for key, value in (
        ("version", "1.1"),
        ("width", f"{width:.0f}"),
        ("height", f"{height:.0f}"),
        ("viewBox", f"{x0:.2f} {y0:.2f} {width:.2f} {height:.2f}"),
        ("font-family", FONT),
        ("class", "sl-diagram sl-overlay" if overlay else "sl-diagram"),
    ):
        svg.set(key, value)
    heading = clean_text(title or scene.name or "").strip()
    if heading:
        add(svg, "title").text = heading
    defs = add(svg, "defs")
    markers = Markers(defs)
    add(svg, "rect", x=x0, y=y0, width=width, height=height, fill="#ffffff", cls="sl-background")
    if title:
        caption = add(
            svg,
            "text",
            x=x0 + _MARGIN,
            y=y0 + _MARGIN + 8,
            font_size=16,
            font_weight="bold",
            fill="#222222",
        )
        caption.text = clean_text(title)

    shapes = sorted(
        scene.shapes,
        key=lambda s: (_layer_of(s), -(s.bounds.w * s.bounds.h) if _layer_of(s) < 3 else 0),
    )
    styles = {id(s): _shape_style(s, overlay) for s in scene.shapes}
    body = add(svg, "g", cls="sl-shapes")
    for shape in (s for s in shapes if _layer_of(s) < 3):
        _draw_shape(body, shape, scene, styles[id(shape)], overlay)
    edges = add(svg, "g", cls="sl-edges")
    defaults = scene.default_flows()
    for edge in scene.edges:
        style = _edge_style(edge.element_id, edge.stroke, overlay)
        group = add(
            edges,
            "g",
            cls=_classes("sl-edge", edge.kind, overlay_state=_edge_state(edge.element_id, overlay)),
        )
        group.set("data-element-id", edge.element_id)
        draw_edge(group, edge, scene, style, markers, defaults)
    front = add(svg, "g", cls="sl-shapes")
    for shape in (s for s in shapes if _layer_of(s) >= 3):
        _draw_shape(front, shape, scene, styles[id(shape)], overlay)
    labels = add(svg, "g", cls="sl-labels")
    for shape in scene.shapes:
        draw_external_label(labels, shape, scene, styles[id(shape)])
    if overlay and overlay.counts:
        _badges(add(svg, "g", cls="sl-badges"), scene, overlay)
    return str(etree.tostring(svg, encoding="unicode"))


def _shape_style(shape: Shape, overlay: Overlay | None) -> Style:
    base = _style_for(_BASE, shape.fill, shape.stroke)
    if shape.kind in CONTAINERS:
        return base
    return _overlay_style(overlay.state(shape.element_id) if overlay else None, base)


def _edge_state(element_id: str, overlay: Overlay | None) -> str | None:
    if overlay is None:
        return None
    return "taken" if element_id in overlay.taken_flows else None


def _edge_style(element_id: str, stroke: str | None, overlay: Overlay | None) -> Style:
    if overlay is None:
        return _style_for(_BASE, None, stroke)
    return _TAKEN if element_id in overlay.taken_flows else _UNTAKEN


def _classes(base: str, kind: str, *, overlay_state: str | None) -> str:
    names = [base, f"sl-{kind}"]
    if overlay_state:
        names.append(f"sl-{overlay_state}")
    return " ".join(names)


def _draw_shape(
    parent: etree._Element, shape: Shape, scene: Scene, style: Style, overlay: Overlay | None
) -> None:
    state = overlay.state(shape.element_id) if overlay and shape.kind not in CONTAINERS else None
    group = add(parent, "g", cls=_classes("sl-shape", shape.kind, overlay_state=state))
    group.set("data-element-id", shape.element_id)
    if state == "active":  # a soft halo makes what is waiting now findable at a glance
        b = shape.bounds
        add(
            group,
            "rect",
            x=b.x - 6,
            y=b.y - 6,
            width=b.w + 12,
            height=b.h + 12,
            rx=14,
            fill="#1e88e5",
            fill_opacity=0.15,
            stroke="none",
            cls="sl-halo",
        )
    draw_shape(group, shape, scene, style)


def _badges(layer: etree._Element, scene: Scene, overlay: Overlay) -> None:
    seen: set[str] = set()
    for shape in scene.shapes:
        count = overlay.counts.get(shape.element_id)
        if count is None or count < 1 or shape.element_id in seen or shape.kind in CONTAINERS:
            continue
        seen.add(shape.element_id)
        text = str(count) if count < 10000 else "9999+"
        w = 10.0 + 7.0 * len(text)
        b = shape.bounds
        x, y = b.x + b.w - w / 2 - 2, b.y - 8
        colour = "#c62828" if overlay.state(shape.element_id) == "failed" else "#37474f"
        badge = add(layer, "g", cls="sl-badge")
        badge.set("data-element-id", shape.element_id)
        add(badge, "rect", x=x, y=y, width=w, height=16, rx=8, fill=colour, stroke="#ffffff")
        label = add(
            badge,
            "text",
            x=x + w / 2,
            y=y + 12,
            font_size=11,
            font_weight="bold",
            fill="#ffffff",
            text_anchor="middle",
        )
        label.text = text
