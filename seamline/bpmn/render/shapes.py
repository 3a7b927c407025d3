"""Drawing one BPMNShape: tasks, events, gateways, pools and lanes, data and artifacts."""

from __future__ import annotations

from lxml import etree

from seamline.bpmn.render.artifacts import container, data_object, data_store, name_of, outline
from seamline.bpmn.render.icons import (
    activity_markers,
    envelope,
    event_marker,
    pentagon,
    plus,
    task_marker,
)
from seamline.bpmn.render.model import Scene, Shape, children, local
from seamline.bpmn.render.svg import Style, add, num, points, text_block

TASKS = frozenset(
    {
        "task",
        "userTask",
        "serviceTask",
        "scriptTask",
        "businessRuleTask",
        "sendTask",
        "receiveTask",
        "manualTask",
        "callActivity",
    }
)
SUBPROCESSES = frozenset({"subProcess", "transaction", "adHocSubProcess"})
EVENTS = frozenset(
    {
        "startEvent",
        "endEvent",
        "intermediateCatchEvent",
        "intermediateThrowEvent",
        "boundaryEvent",
        "implicitThrowEvent",
    }
)
GATEWAYS = frozenset(
    {
        "exclusiveGateway",
        "parallelGateway",
        "inclusiveGateway",
        "complexGateway",
        "eventBasedGateway",
        "gateway",
    }
)
CONTAINERS = frozenset({"participant", "lane"})
#: Kinds whose name is written outside the shape (below it, or in the BPMNLabel bounds).
EXTERNAL_LABELS = (
    EVENTS
    | GATEWAYS
    | {
        "dataObjectReference",
        "dataObject",
        "dataInput",
        "dataOutput",
        "dataStoreReference",
        "dataStore",
        "message",
    }
)
_TRIGGERS = {
    "messageEventDefinition": "message",
    "timerEventDefinition": "timer",
    "signalEventDefinition": "signal",
    "errorEventDefinition": "error",
    "escalationEventDefinition": "escalation",
    "linkEventDefinition": "link",
    "terminateEventDefinition": "terminate",
    "conditionalEventDefinition": "conditional",
    "compensateEventDefinition": "compensate",
    "cancelEventDefinition": "cancel",
}


def trigger_of(element: etree._Element | None, scene: Scene) -> str | None:
    """The event's trigger (``timer``, ``message`` ...), ``multiple``, or None for a plain event."""
    if element is None:
        return None
    found = [_TRIGGERS.get(local(child)) for child in element]
    for ref in children(element, "eventDefinitionRef"):
        definition = scene.index.get((ref.text or "").strip().split(":")[-1])
        if definition is not None:
            found.append(_TRIGGERS.get(local(definition)))
    kinds = [k for k in found if k]
    if len(kinds) > 1:
        return "parallelMultiple" if element.get("parallelMultiple") == "true" else "multiple"
    return kinds[0] if kinds else None


def draw_shape(group: etree._Element, shape: Shape, scene: Scene, style: Style) -> None:
    """Draw ``shape`` into ``group`` in ``style``, with its name if it goes inside the shape."""
    kind, b = shape.kind, shape.bounds
    if kind in EVENTS:
        _event(group, shape, scene, style)
    elif kind in GATEWAYS:
        _gateway(group, shape, style)
    elif kind in CONTAINERS:
        container(group, shape, scene, style)
    elif kind in TASKS or kind in SUBPROCESSES:
        _activity(group, shape, scene, style)
    elif kind in ("dataObjectReference", "dataObject", "dataInput", "dataOutput"):
        data_object(group, shape, scene, style)
    elif kind in ("dataStoreReference", "dataStore"):
        data_store(group, b, style)
    elif kind == "textAnnotation":
        d = f"M{num(b.x + 12)},{num(b.y)} H{num(b.x)} V{num(b.y + b.h)} H{num(b.x + 12)}"
        add(group, "rect", x=b.x, y=b.y, width=b.w, height=b.h, fill="none", stroke="none")
        add(group, "path", d=d, fill="none", stroke=style.stroke, stroke_width=style.width)
        text = name_of(shape, scene)
        text_block(
            group, text, b.x + 4, b.y + 2, b.w - 4, b.h - 4, colour=style.text, align="start"
        )
    elif kind == "group":
        add(
            group,
            "rect",
            x=b.x,
            y=b.y,
            width=b.w,
            height=b.h,
            rx=10,
            fill="none",
            stroke=style.stroke,
            stroke_width=style.width,
            stroke_dasharray="10,4,2,4",
        )
        text_block(
            group, name_of(shape, scene), b.x, b.y + 4, b.w, 40, colour=style.text, valign="top"
        )
    elif kind == "message":
        envelope(group, b.cx, b.cy, b.w, b.h, style, filled=False)
    else:  # choreographies, conversations, unknown elements: an honest plain box
        add(group, "rect", x=b.x, y=b.y, width=b.w, height=b.h, rx=10, **outline(style))
        text_block(
            group, name_of(shape, scene), b.x + 4, b.y + 4, b.w - 8, b.h - 8, colour=style.text
        )


def draw_external_label(layer: etree._Element, shape: Shape, scene: Scene, style: Style) -> None:
    """Write the name of an event, gateway or data element below it or in its label bounds."""
    text = name_of(shape, scene)
    if not text.strip() or shape.kind not in EXTERNAL_LABELS:
        return
    if shape.label is not None:
        lb = shape.label
        width = max(lb.w, 90.0)
        text_block(layer, text, lb.cx - width / 2, lb.y, width, None, size=11, colour=style.text)
    else:
        b = shape.bounds
        text_block(layer, text, b.cx - 50, b.y + b.h + 4, 100, None, size=11, colour=style.text)


def _event(group: etree._Element, shape: Shape, scene: Scene, style: Style) -> None:
    b, kind, element = shape.bounds, shape.kind, shape.element
    r = min(b.w, b.h) / 2
    dashed = element is not None and (
        element.get("cancelActivity") == "false" or element.get("isInterrupting") == "false"
    )
    dash = "6,3" if dashed else None
    width = 4.0 if kind == "endEvent" else style.width
    add(
        group,
        "circle",
        cx=b.cx,
        cy=b.cy,
        r=r,
        **outline(style, stroke_width=width, stroke_dasharray=dash),
    )
    if kind not in ("startEvent", "endEvent"):
        add(
            group,
            "circle",
            cx=b.cx,
            cy=b.cy,
            r=max(r - 3, 1),
            fill="none",
            stroke=style.stroke,
            stroke_width=1,
            stroke_dasharray=dash,
        )
    trigger = trigger_of(element, scene)
    if trigger:
        throwing = kind in ("endEvent", "intermediateThrowEvent", "implicitThrowEvent")
        event_marker(group, trigger, b.cx, b.cy, r, style, throwing=throwing)


def _gateway(group: etree._Element, shape: Shape, style: Style) -> None:
    b, kind, element = shape.bounds, shape.kind, shape.element
    corners = [(b.cx, b.y), (b.x + b.w, b.cy), (b.cx, b.y + b.h), (b.x, b.cy)]
    add(group, "polygon", points=points(corners), **outline(style))
    s = min(b.w, b.h) / 50.0
    cx, cy = b.cx, b.cy
    line: dict[str, str | float | None] = {
        "stroke": style.stroke,
        "stroke_width": 4 * s,
        "stroke_linecap": "round",
    }
    if kind == "exclusiveGateway" and shape.marker_visible is not False:
        for sign in (1, -1):
            add(
                group,
                "line",
                x1=cx - 7 * s,
                y1=cy - 9 * s * sign,
                x2=cx + 7 * s,
                y2=cy + 9 * s * sign,
                **line,
            )
    elif kind == "parallelGateway":
        add(group, "line", x1=cx - 11 * s, y1=cy, x2=cx + 11 * s, y2=cy, **line)
        add(group, "line", x1=cx, y1=cy - 11 * s, x2=cx, y2=cy + 11 * s, **line)
    elif kind == "inclusiveGateway":
        add(
            group,
            "circle",
            cx=cx,
            cy=cy,
            r=10 * s,
            fill="none",
            stroke=style.stroke,
            stroke_width=3 * s,
        )
    elif kind == "complexGateway":
        for dx, dy in ((11, 0), (0, 11), (8, 8), (8, -8)):
            add(
                group,
                "line",
                x1=cx - dx * s,
                y1=cy - dy * s,
                x2=cx + dx * s,
                y2=cy + dy * s,
                **line,
            )
    elif kind == "eventBasedGateway":
        instantiate = element is not None and element.get("instantiate") == "true"
        parallel = element is not None and element.get("eventGatewayType") == "Parallel"
        add(
            group,
            "circle",
            cx=cx,
            cy=cy,
            r=12 * s,
            fill="none",
            stroke=style.stroke,
            stroke_width=1,
        )
        if not instantiate and not parallel:
            add(
                group,
                "circle",
                cx=cx,
                cy=cy,
                r=9.5 * s,
                fill="none",
                stroke=style.stroke,
                stroke_width=1,
            )
        if parallel:
            plus(group, cx, cy, 7 * s, style, fill="none")
        else:
            pentagon(group, cx, cy, 6.5 * s, style, fill="none")


def is_expanded(shape: Shape) -> bool:
    """Whether ``shape`` is an activity drawn open, with its children inside it."""
    return shape.expanded is True and (shape.kind in SUBPROCESSES or shape.kind == "callActivity")


def _markers(shape: Shape, scene: Scene) -> list[str]:
    element, found = shape.element, []
    if element is None:
        return []
    if children(element, "standardLoopCharacteristics"):
        found.append("loop")
    for multi in children(element, "multiInstanceLoopCharacteristics"):
        found.append("sequential" if multi.get("isSequential") == "true" else "parallel")
    if element.get("isForCompensation") == "true":
        found.append("compensation")
    collapsed = shape.kind in SUBPROCESSES and not shape.expanded
    calls_process = (
        shape.kind == "callActivity" and not shape.expanded and _calls_process(element, scene)
    )
    if collapsed or calls_process:
        found.append("collapsed")
    if shape.kind == "adHocSubProcess":
        found.append("adhoc")
    return found


def _calls_process(element: etree._Element, scene: Scene) -> bool:
    # A call activity that calls a global task looks like a task; one calling a process, or one
    # whose target is not in this file (the usual case), gets the sub-process [+].
    target = scene.index.get((element.get("calledElement") or "").split(":")[-1])
    return target is None or local(target) == "process"


def _activity(group: etree._Element, shape: Shape, scene: Scene, style: Style) -> None:
    b, kind, element = shape.bounds, shape.kind, shape.element
    event_sub = element is not None and element.get("triggeredByEvent") == "true"
    width = 4.0 if kind == "callActivity" else style.width
    dash = "2,3" if event_sub else None
    add(
        group,
        "rect",
        x=b.x,
        y=b.y,
        width=b.w,
        height=b.h,
        rx=10,
        **outline(style, stroke_width=width, stroke_dasharray=dash),
    )
    if kind == "transaction":
        add(
            group,
            "rect",
            x=b.x + 3,
            y=b.y + 3,
            width=max(b.w - 6, 1),
            height=max(b.h - 6, 1),
            rx=8,
            fill="none",
            stroke=style.stroke,
            stroke_width=1,
        )
    name = name_of(shape, scene)
    markers = _markers(shape, scene)
    if is_expanded(shape):  # the name sits at the top so the children stay readable
        text_block(
            group,
            name,
            b.x + 6,
            b.y + 4,
            b.w - 12,
            40,
            colour=style.text,
            align="start",
            valign="top",
        )
    else:
        # Text keeps clear of the type icon and the bottom markers when the shape has room.
        bottom = 18.0 if markers else 4.0
        typed = kind in TASKS and kind not in ("task", "callActivity")
        top = 20.0 if typed and b.h - 20.0 - bottom >= 29.0 else 4.0
        text_block(group, name, b.x + 6, b.y + top, b.w - 12, b.h - top - bottom, colour=style.text)
    if kind in TASKS:
        task_marker(group, kind, b.x + 6, b.y + 6, style)
    if markers:
        activity_markers(group, markers, b.cx, b.y + b.h, style)
