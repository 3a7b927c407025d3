"""Every sample opens in a modeler: each drawn element has a shape or edge that fits it.

A diagram without BPMNDI loads in seamline but shows up blank (or auto-laid-out) in Camunda
Modeler and bpmn.io, which is not how a newcomer should meet the samples.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"

# Not drawn: containers and definitions that live only in the XML.
_UNDRAWN = {
    "process", "laneSet", "extensionElements", "documentation", "incoming", "outgoing",
    "conditionExpression", "flowNodeRef", "script", "timerEventDefinition", "timeDuration",
    "timeCycle", "timeDate", "errorEventDefinition", "messageEventDefinition",
    "signalEventDefinition", "escalationEventDefinition", "terminateEventDefinition",
    "multiInstanceLoopCharacteristics", "standardLoopCharacteristics", "loopCardinality",
    "completionCondition", "dataInputAssociation", "dataOutputAssociation", "ioSpecification",
    "property", "text",
}  # fmt: skip
_EDGES = {"sequenceFlow", "messageFlow", "association"}
# How far (px) an edge end may sit from its element's bounds: modelers snap to the outline.
_SLACK = 2.0

DIAGRAMS = sorted(SAMPLES.glob("*/*.bpmn"))


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _bounds(shape: etree._Element) -> tuple[float, float, float, float]:
    box = shape.find(f"{{{DC}}}Bounds")
    assert box is not None, f"shape {shape.get('id')} has no dc:Bounds"
    x, y, w, h = (float(box.get(k, "nan")) for k in ("x", "y", "width", "height"))
    assert w > 0 and h > 0, f"shape {shape.get('id')} has an empty size"
    return x, y, w, h


def _touches(point: tuple[float, float], box: tuple[float, float, float, float]) -> bool:
    x, y, w, h = box
    px, py = point
    return x - _SLACK <= px <= x + w + _SLACK and y - _SLACK <= py <= y + h + _SLACK


def test_there_are_samples() -> None:
    assert len(DIAGRAMS) >= 3


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.parent.name)
def test_every_element_is_drawn_where_its_flows_meet_it(path: Path) -> None:
    root = etree.parse(str(path)).getroot()
    semantic: dict[str, etree._Element] = {}
    # Only what lives in processes and collaborations is drawn; root-level definitions
    # (errors, messages, signals) are not.
    for container in root:
        if _local(container.tag) not in ("process", "collaboration"):
            continue
        for el in container.iter():
            if etree.QName(el).namespace != BPMN or not el.get("id") or el is container:
                continue
            if _local(el.tag) not in _UNDRAWN:
                semantic[el.get("id", "")] = el
    shapes = {s.get("bpmnElement"): s for s in root.iter(f"{{{BPMNDI}}}BPMNShape")}
    edges = {e.get("bpmnElement"): e for e in root.iter(f"{{{BPMNDI}}}BPMNEdge")}

    missing = [
        f"{_local(el.tag)} {eid}"
        for eid, el in semantic.items()
        if eid not in (edges if _local(el.tag) in _EDGES else shapes)
    ]
    assert not missing, f"{path.name}: not drawn: {', '.join(missing)}"
    dangling = sorted(str(d) for d in (set(shapes) | set(edges)) - set(semantic))
    assert not dangling, f"{path.name}: DI for elements that do not exist: {dangling}"

    boxes = {eid: _bounds(shape) for eid, shape in shapes.items()}
    for eid, edge in edges.items():
        points = [
            (float(p.get("x", "nan")), float(p.get("y", "nan")))
            for p in edge.iter(f"{{{DI}}}waypoint")
        ]
        assert len(points) >= 2, f"{path.name}: edge {eid} has {len(points)} waypoints"
        flow = semantic[eid]
        source, target = boxes[flow.get("sourceRef")], boxes[flow.get("targetRef")]
        assert _touches(points[0], source), f"{path.name}: {eid} does not start at its source"
        assert _touches(points[-1], target), f"{path.name}: {eid} does not end at its target"


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.parent.name)
def test_lanes_hold_their_nodes_and_flow_reads_left_to_right(path: Path) -> None:
    root = etree.parse(str(path)).getroot()
    boxes = {s.get("bpmnElement"): _bounds(s) for s in root.iter(f"{{{BPMNDI}}}BPMNShape")}
    for lane in root.iter(f"{{{BPMN}}}lane"):
        lx, ly, lw, lh = boxes[lane.get("id")]
        for ref in lane.iter(f"{{{BPMN}}}flowNodeRef"):
            x, y, w, h = boxes[(ref.text or "").strip()]
            centre = (x + w / 2, y + h / 2)
            assert _touches(centre, (lx, ly, lw, lh)), (
                f"{path.name}: {ref.text} is listed in lane {lane.get('name')} but drawn outside it"
            )
    starts = [boxes[e.get("id")][0] for e in root.iter(f"{{{BPMN}}}startEvent")]
    ends = [boxes[e.get("id")][0] for e in root.iter(f"{{{BPMN}}}endEvent")]
    assert starts and ends
    assert max(starts) < min(ends), f"{path.name}: an end event is drawn left of a start event"


def test_every_sample_validates(bare: Any) -> None:
    files = [str(p) for p in DIAGRAMS] + [str(p) for p in sorted(SAMPLES.glob("*/*.dmn"))]
    report = bare.json("validate", *files)
    assert {Path(r["file"]).name for r in report} == {Path(f).name for f in files}
    problems = {
        r["file"]: [p["message"] for p in r["problems"] if p["severity"] != "info"] for r in report
    }
    assert all(r["ok"] for r in report), problems
    assert not any(problems.values()), problems
