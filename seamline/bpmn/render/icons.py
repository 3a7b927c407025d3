"""Small glyphs drawn inside shapes: task type markers, event triggers, activity markers.

Each glyph is drawn in the owning shape's stroke colour so an overlay recolours it too.
"""

from __future__ import annotations

import math

from lxml import etree

from seamline.bpmn.render.svg import Style, add, num, points


def _path(parent: etree._Element, d: str, style: Style, *, fill: str, width: float = 1.0) -> None:
    add(parent, "path", d=d, fill=fill, stroke=style.stroke, stroke_width=width)


# -- task type markers (top left of a task) ----------------------------------------------------


def task_marker(parent: etree._Element, kind: str, x: float, y: float, style: Style) -> None:
    """The type marker of a ``kind`` task whose icon box starts at ``x, y`` (16 x 16)."""
    bg = style.fill
    if kind == "userTask":
        add(parent, "circle", cx=x + 8, cy=y + 5, r=3.6, fill=bg, stroke=style.stroke)
        _path(parent, f"M{num(x + 1)},{num(y + 17)} c0,-8 14,-8 14,0 z", style, fill=bg)
    elif kind == "serviceTask":
        cx, cy = x + 8, y + 8
        for step in range(8):
            angle = step * math.pi / 4
            add(
                parent,
                "line",
                x1=cx + 4 * math.cos(angle),
                y1=cy + 4 * math.sin(angle),
                x2=cx + 7.5 * math.cos(angle),
                y2=cy + 7.5 * math.sin(angle),
                stroke=style.stroke,
                stroke_width=2.6,
            )
        add(parent, "circle", cx=cx, cy=cy, r=5.2, fill=bg, stroke=style.stroke)
        add(parent, "circle", cx=cx, cy=cy, r=2, fill=bg, stroke=style.stroke)
    elif kind == "scriptTask":
        d = (
            f"M{num(x + 4)},{num(y + 1)} h11 c-4,3 -4,5 0,7 c4,3 4,5 0,8 h-11 "
            "c4,-3 4,-5 0,-8 c-4,-2 -4,-4 0,-7 z"
        )
        _path(parent, d, style, fill=bg)
        for row in (5, 9, 13):
            add(
                parent,
                "line",
                x1=x + 5,
                y1=y + row,
                x2=x + 12,
                y2=y + row,
                stroke=style.stroke,
                stroke_width=0.8,
            )
    elif kind == "businessRuleTask":
        add(parent, "rect", x=x, y=y + 2, width=17, height=13, fill=bg, stroke=style.stroke)
        add(parent, "rect", x=x, y=y + 2, width=17, height=4, fill=style.stroke, stroke="none")
        for x1, y1, x2, y2 in ((0, 10.5, 17, 10.5), (5, 6, 5, 15)):
            add(
                parent,
                "line",
                x1=x + x1,
                y1=y + y1,
                x2=x + x2,
                y2=y + y2,
                stroke=style.stroke,
                stroke_width=0.8,
            )
    elif kind in ("sendTask", "receiveTask"):
        envelope(parent, x + 8.5, y + 8, 17, 12, style, filled=kind == "sendTask")
    elif kind == "manualTask":
        d = (
            f"M{num(x)},{num(y + 8)} l4,-4 h10 a1.2,1.2 0 0 1 0,2.4 h-6 h8 a1.2,1.2 0 0 1 0,2.4 "
            "h-8 h7 a1.2,1.2 0 0 1 0,2.4 h-7 h6 a1.2,1.2 0 0 1 0,2.4 h-12 l-4,-2 z"
        )
        _path(parent, d, style, fill=bg)


def envelope(
    parent: etree._Element,
    cx: float,
    cy: float,
    w: float,
    h: float,
    style: Style,
    *,
    filled: bool,
) -> None:
    """A letter centred on ``cx, cy``; ``filled`` for throwing/sending."""
    x, y = cx - w / 2, cy - h / 2
    body = style.stroke if filled else style.fill
    flap = style.fill if filled else style.stroke
    add(parent, "rect", x=x, y=y, width=w, height=h, fill=body, stroke=style.stroke)
    add(
        parent,
        "polyline",
        points=points([(x, y), (cx, y + h * 0.55), (x + w, y)]),
        fill="none",
        stroke=flap,
    )


# -- event trigger markers (centre of an event circle) -----------------------------------------


def event_marker(
    parent: etree._Element,
    trigger: str,
    cx: float,
    cy: float,
    r: float,
    style: Style,
    *,
    throwing: bool,
) -> None:
    """The glyph for ``trigger`` (``timer`` ...) in an event of radius ``r``; filled if throwing."""
    s = r / 18.0
    solid = style.stroke if throwing else style.fill
    if trigger == "message":
        envelope(parent, cx, cy, 19 * s, 13 * s, style, filled=throwing)
    elif trigger == "timer":
        add(parent, "circle", cx=cx, cy=cy, r=11 * s, fill=style.fill, stroke=style.stroke)
        for step in range(12):
            a = step * math.pi / 6
            add(
                parent,
                "line",
                x1=cx + 8.5 * s * math.cos(a),
                y1=cy + 8.5 * s * math.sin(a),
                x2=cx + 11 * s * math.cos(a),
                y2=cy + 11 * s * math.sin(a),
                stroke=style.stroke,
                stroke_width=0.8,
            )
        add(
            parent,
            "polyline",
            points=points([(cx + 1 * s, cy - 8 * s), (cx, cy), (cx + 6 * s, cy + 2 * s)]),
            fill="none",
            stroke=style.stroke,
        )
    elif trigger == "signal":
        tri = [(cx, cy - 11 * s), (cx + 10 * s, cy + 7 * s), (cx - 10 * s, cy + 7 * s)]
        add(parent, "polygon", points=points(tri), fill=solid, stroke=style.stroke)
    elif trigger == "error":
        bolt = [
            (cx - 9 * s, cy + 9 * s),
            (cx - 4 * s, cy - 8 * s),
            (cx + 2 * s, cy + 2 * s),
            (cx + 9 * s, cy - 9 * s),
            (cx + 4 * s, cy + 8 * s),
            (cx - 2 * s, cy - 2 * s),
        ]
        add(parent, "polygon", points=points(bolt), fill=solid, stroke=style.stroke)
    elif trigger == "escalation":
        head = [
            (cx, cy - 11 * s),
            (cx + 7 * s, cy + 9 * s),
            (cx, cy + 2 * s),
            (cx - 7 * s, cy + 9 * s),
        ]
        add(parent, "polygon", points=points(head), fill=solid, stroke=style.stroke)
    elif trigger == "link":
        arrow = [
            (cx - 9 * s, cy - 4 * s),
            (cx + 1 * s, cy - 4 * s),
            (cx + 1 * s, cy - 9 * s),
            (cx + 10 * s, cy),
            (cx + 1 * s, cy + 9 * s),
            (cx + 1 * s, cy + 4 * s),
            (cx - 9 * s, cy + 4 * s),
        ]
        add(parent, "polygon", points=points(arrow), fill=solid, stroke=style.stroke)
    elif trigger == "terminate":
        add(parent, "circle", cx=cx, cy=cy, r=11 * s, fill=style.stroke, stroke=style.stroke)
    elif trigger == "conditional":
        add(
            parent,
            "rect",
            x=cx - 7 * s,
            y=cy - 9 * s,
            width=14 * s,
            height=18 * s,
            fill=style.fill,
            stroke=style.stroke,
        )
        for row in (-5, -1.5, 2, 5.5):
            add(
                parent,
                "line",
                x1=cx - 4.5 * s,
                y1=cy + row * s,
                x2=cx + 4.5 * s,
                y2=cy + row * s,
                stroke=style.stroke,
                stroke_width=0.8,
            )
    elif trigger == "compensate":
        rewind(parent, cx, cy, s, style, filled=throwing)
    elif trigger == "cancel":
        for sign in (1, -1):
            add(
                parent,
                "line",
                x1=cx - 7 * s,
                y1=cy - 7 * s * sign,
                x2=cx + 7 * s,
                y2=cy + 7 * s * sign,
                stroke=style.stroke,
                stroke_width=3.5 * s,
                stroke_linecap="round",
            )
    elif trigger == "multiple":
        pentagon(parent, cx, cy, 10 * s, style, fill=solid)
    elif trigger == "parallelMultiple":
        plus(parent, cx, cy, 10 * s, style, fill=solid)


def rewind(
    parent: etree._Element, cx: float, cy: float, s: float, style: Style, *, filled: bool
) -> None:
    """The compensation glyph: two triangles pointing left."""
    fill = style.stroke if filled else style.fill
    for dx in (-9.0, 0.0):
        tri = [(cx + dx * s, cy), (cx + (dx + 9) * s, cy - 6 * s), (cx + (dx + 9) * s, cy + 6 * s)]
        add(parent, "polygon", points=points(tri), fill=fill, stroke=style.stroke)


def pentagon(
    parent: etree._Element, cx: float, cy: float, r: float, style: Style, *, fill: str
) -> None:
    """A regular pentagon pointing up (multiple triggers, event-based gateways)."""
    corners = [
        (cx + r * math.cos(-math.pi / 2 + k * 2 * math.pi / 5),
         cy + r * math.sin(-math.pi / 2 + k * 2 * math.pi / 5))
        for k in range(5)
    ]  # fmt: skip
    add(parent, "polygon", points=points(corners), fill=fill, stroke=style.stroke)


def plus(
    parent: etree._Element, cx: float, cy: float, r: float, style: Style, *, fill: str
) -> None:
    """An outlined plus sign (parallel multiple triggers)."""
    t = r * 0.35
    cross = [
        (cx - t, cy - r), (cx + t, cy - r), (cx + t, cy - t), (cx + r, cy - t),
        (cx + r, cy + t), (cx + t, cy + t), (cx + t, cy + r), (cx - t, cy + r),
        (cx - t, cy + t), (cx - r, cy + t), (cx - r, cy - t), (cx - t, cy - t),
    ]  # fmt: skip
    add(parent, "polygon", points=points(cross), fill=fill, stroke=style.stroke)


# -- activity markers (bottom centre of an activity) -------------------------------------------


def activity_markers(
    parent: etree._Element, markers: list[str], cx: float, bottom: float, style: Style
) -> None:
    """Draw ``markers`` (loop, parallel, sequential, compensation, adhoc, collapsed) in a row."""
    size, gap = 14.0, 4.0
    x = cx - (len(markers) * size + (len(markers) - 1) * gap) / 2
    y = bottom - size - 4
    for marker in markers:
        mx, my = x + size / 2, y + size / 2
        if marker == "collapsed":
            add(
                parent,
                "rect",
                x=x,
                y=y,
                width=size,
                height=size,
                fill=style.fill,
                stroke=style.stroke,
                stroke_width=1,
            )
            plus_sign = f"M{num(mx - 4)},{num(my)} h8 M{num(mx)},{num(my - 4)} v8"
            _path(parent, plus_sign, style, fill="none", width=1.5)
        elif marker in ("parallel", "sequential"):
            for k in (-4, 0, 4):
                if marker == "parallel":
                    x1, y1, x2, y2 = mx + k, my - 6, mx + k, my + 6
                else:
                    x1, y1, x2, y2 = mx - 6, my + k, mx + 6, my + k
                add(parent, "line", x1=x1, y1=y1, x2=x2, y2=y2, stroke=style.stroke, stroke_width=2)
        elif marker == "loop":
            d = (
                f"M{num(mx - 3)},{num(my + 6)} a6,6 0 1 1 6,0 "
                f"M{num(mx + 3)},{num(my + 6)} l3,-3 M{num(mx + 3)},{num(my + 6)} l4,2"
            )
            _path(parent, d, style, fill="none", width=1.5)
        elif marker == "compensation":
            rewind(parent, mx, my, 0.75, style, filled=False)
        elif marker == "adhoc":
            d = f"M{num(mx - 7)},{num(my + 2)} c3,-6 6,-6 7,-2 s4,4 7,-2"
            _path(parent, d, style, fill="none", width=1.5)
        x += size + gap
