"""Drawing containers and artifacts: pools, lanes, data objects and stores, and shape names."""

from __future__ import annotations

from lxml import etree

from seamline.bpmn.render.icons import activity_markers
from seamline.bpmn.render.model import Bounds, Scene, Shape, children
from seamline.bpmn.render.svg import Style, add, num, points, text_block

_HEADER = 30.0


def name_of(shape: Shape, scene: Scene) -> str:
    """The text a shape shows: its name, an annotation's text or a group's category value."""
    element = shape.element
    if element is None:
        return ""
    if shape.kind == "textAnnotation":
        return " ".join(t.text or "" for t in children(element, "text")).strip()
    if shape.kind == "group":
        ref = (element.get("categoryValueRef") or "").split(":")[-1]
        value = scene.index.get(ref)
        return (value.get("value") or "") if value is not None else ""
    if shape.kind == "dataObjectReference" and not element.get("name"):
        target = scene.index.get(element.get("dataObjectRef") or "")
        return (target.get("name") or "") if target is not None else ""
    return element.get("name") or ""


def outline(style: Style, **extra: str | float | None) -> dict[str, str | float | None]:
    attrs: dict[str, str | float | None] = {
        "fill": style.fill,
        "stroke": style.stroke,
        "stroke_width": style.width,
        "cls": "sl-outline",
    }
    attrs.update(extra)
    return attrs


def container(group: etree._Element, shape: Shape, scene: Scene, style: Style) -> None:
    b, element = shape.bounds, shape.element
    horizontal = shape.horizontal if shape.horizontal is not None else b.w >= b.h
    lane = shape.kind == "lane"
    fill = "none" if lane else style.fill
    add(group, "rect", x=b.x, y=b.y, width=b.w, height=b.h, **outline(style, fill=fill))
    name = name_of(shape, scene)
    black_box = not lane and (
        shape.expanded is False or (element is not None and not element.get("processRef"))
    )
    if black_box:  # a pool with no process inside shows its name across the middle
        text_block(group, name, b.x, b.y, b.w, b.h, colour=style.text)
        return
    if horizontal:
        add(
            group,
            "line",
            x1=b.x + _HEADER,
            y1=b.y,
            x2=b.x + _HEADER,
            y2=b.y + b.h,
            stroke=style.stroke,
            stroke_width=style.width,
        )
        label = add(group, "g", transform=f"rotate(-90 {num(b.x + _HEADER / 2)} {num(b.cy)})")
        text_block(
            label,
            name,
            b.x + _HEADER / 2 - b.h / 2,
            b.cy - _HEADER / 2,
            b.h,
            _HEADER,
            colour=style.text,
        )
    else:
        add(
            group,
            "line",
            x1=b.x,
            y1=b.y + _HEADER,
            x2=b.x + b.w,
            y2=b.y + _HEADER,
            stroke=style.stroke,
            stroke_width=style.width,
        )
        text_block(group, name, b.x, b.y, b.w, _HEADER, colour=style.text)


def data_object(group: etree._Element, shape: Shape, scene: Scene, style: Style) -> None:
    b, fold = shape.bounds, min(10.0, shape.bounds.w / 3)
    page = [
        (b.x, b.y),
        (b.x + b.w - fold, b.y),
        (b.x + b.w, b.y + fold),
        (b.x + b.w, b.y + b.h),
        (b.x, b.y + b.h),
    ]
    add(group, "polygon", points=points(page), **outline(style))
    d = f"M{num(b.x + b.w - fold)},{num(b.y)} v{num(fold)} h{num(fold)}"
    add(group, "path", d=d, fill="none", stroke=style.stroke, stroke_width=1)
    if shape.kind in ("dataInput", "dataOutput"):
        arrow = [(0, 3), (6, 3), (6, 0), (11, 5), (6, 10), (6, 7), (0, 7)]
        fill = style.stroke if shape.kind == "dataOutput" else style.fill
        moved = [(b.x + 4 + x, b.y + 4 + y) for x, y in arrow]
        add(group, "polygon", points=points(moved), fill=fill, stroke=style.stroke, stroke_width=1)
    element = shape.element
    if element is not None and shape.kind == "dataObjectReference":
        element = scene.index.get(element.get("dataObjectRef") or "", element)
    if element is not None and element.get("isCollection") == "true":
        activity_markers(group, ["parallel"], b.cx, b.y + b.h, style)


def data_store(group: etree._Element, b: Bounds, style: Style) -> None:
    e = min(8.0, b.h / 5)
    body = (
        f"M{num(b.x)},{num(b.y + e)} V{num(b.y + b.h - e)} "
        f"A{num(b.w / 2)},{num(e)} 0 0 0 {num(b.x + b.w)},{num(b.y + b.h - e)} V{num(b.y + e)}"
    )
    add(group, "path", d=body, **outline(style))
    add(
        group,
        "ellipse",
        cx=b.cx,
        cy=b.y + e,
        rx=b.w / 2,
        ry=e,
        fill=style.fill,
        stroke=style.stroke,
        stroke_width=style.width,
    )
    for dy in (5.0, 10.0):
        y = b.y + e + dy
        arc = f"M{num(b.x)},{num(y)} A{num(b.w / 2)},{num(e)} 0 0 0 {num(b.x + b.w)},{num(y)}"
        add(group, "path", d=arc, fill="none", stroke=style.stroke, stroke_width=1)
