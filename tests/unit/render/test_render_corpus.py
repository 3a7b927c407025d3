"""Rendering diagrams drawn by other tools: one drawn shape per BPMNShape, a sound SVG."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from seamline.bpmn.render import Overlay, render_svg
from seamline.errors import LoadError

SVG = "{http://www.w3.org/2000/svg}"
DI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
DC = "{http://www.omg.org/spec/DD/20100524/DC}"

DIAGRAMS = [
    "camunda-invoice/invoice.v2.bpmn",
    "camunda-invoice/reviewInvoice.bpmn",
    "miwg-reference/A.1.0.bpmn",
    "miwg-reference/A.2.0.bpmn",
    "miwg-reference/A.3.0.bpmn",
    "miwg-reference/A.4.0.bpmn",
    "miwg-reference/A.4.1.bpmn",
    "miwg-reference/B.1.0.bpmn",
    "miwg-reference/B.2.0.bpmn",
    "bpmn-js/collaboration.bpmn",
    "bpmn-js/collaboration-vertical.bpmn",
    "bpmn-js/kitchen-sink.bpmn",
]


def _first_plane(path: Path) -> etree._Element:
    root = etree.parse(str(path)).getroot()
    return next(root.iter(f"{DI}BPMNPlane"))


def _render(path: Path, **kwargs: object) -> etree._Element:
    text = render_svg(path.read_bytes(), path.name, **kwargs)  # type: ignore[arg-type]
    return etree.fromstring(text.encode())


@pytest.mark.parametrize("name", DIAGRAMS)
def test_every_shape_and_edge_is_drawn_once(corpus: Path, name: str) -> None:
    path = corpus / name
    plane = _first_plane(path)
    shape_ids = [s.get("bpmnElement") for s in plane.iter(f"{DI}BPMNShape")]
    edge_ids = [e.get("bpmnElement") for e in plane.iter(f"{DI}BPMNEdge")]

    svg = _render(path)

    assert svg.tag == f"{SVG}svg"
    drawn_shapes = [g.get("data-element-id") for g in svg.iter(f"{SVG}g") if "sl-shape" in _cls(g)]
    drawn_edges = [g.get("data-element-id") for g in svg.iter(f"{SVG}g") if "sl-edge" in _cls(g)]
    assert sorted(drawn_shapes) == sorted(shape_ids)
    assert sorted(drawn_edges) == sorted(edge_ids)


@pytest.mark.parametrize("name", DIAGRAMS)
def test_view_box_holds_every_shape(corpus: Path, name: str) -> None:
    path = corpus / name
    svg = _render(path)
    x, y, w, h = (float(v) for v in svg.get("viewBox", "").split())
    assert w > 0 and h > 0
    for bounds in _first_plane(path).iter(f"{DC}Bounds"):
        bx, by = float(bounds.get("x", "0")), float(bounds.get("y", "0"))
        bw, bh = float(bounds.get("width", "0")), float(bounds.get("height", "0"))
        assert x <= bx and bx + bw <= x + w
        assert y <= by and by + bh <= y + h


def test_shapes_are_drawn_by_kind(corpus: Path) -> None:
    svg = _render(corpus / "camunda-invoice" / "invoice.v2.bpmn")
    by_id = {g.get("data-element-id"): g for g in svg.iter(f"{SVG}g") if "sl-shape" in _cls(g)}

    start = by_id["StartEvent_1"]
    assert "sl-startEvent" in _cls(start)
    assert [c.tag for c in start] == [f"{SVG}circle"]  # a plain start: one thin circle

    user_task = by_id["approveInvoice"]
    outline = user_task.find(f"{SVG}rect")
    assert outline is not None and outline.get("rx") == "10"
    assert user_task.find(f"{SVG}circle") is not None  # the user marker's head

    gateway = by_id["invoice_approved"]
    assert gateway.find(f"{SVG}polygon") is not None
    assert len(gateway.findall(f"{SVG}line")) == 2  # the X

    end = next(g for g in by_id.values() if "sl-endEvent" in _cls(g))
    circle = end.find(f"{SVG}circle")
    assert circle is not None and float(circle.get("stroke-width", "0")) >= 3


def test_message_flows_are_dashed_and_sequence_flows_have_arrowheads(corpus: Path) -> None:
    svg = _render(corpus / "miwg-reference" / "B.2.0.bpmn")
    lines = {
        kind: [
            line
            for g in svg.iter(f"{SVG}g")
            if f"sl-{kind}" in _cls(g)
            for line in g.iter(f"{SVG}polyline")
        ]
        for kind in ("messageFlow", "sequenceFlow")
    }
    assert lines["messageFlow"] and lines["sequenceFlow"]
    assert all(line.get("stroke-dasharray") for line in lines["messageFlow"])
    assert all(line.get("marker-end") for line in lines["sequenceFlow"])
    assert not any(line.get("stroke-dasharray") for line in lines["sequenceFlow"])
    marker_ids = {m.get("id") for m in svg.iter(f"{SVG}marker")}
    for line in lines["sequenceFlow"]:
        assert line.get("marker-end", "")[5:-1] in marker_ids


def test_process_id_picks_its_own_diagram(corpus: Path) -> None:
    path = corpus / "bpmn-js" / "multiple-diagrams.bpmn"
    root = etree.parse(str(path)).getroot()
    second = [p for p in root.iter(f"{DI}BPMNPlane")][1]
    expected = sorted(s.get("bpmnElement") for s in second.iter(f"{DI}BPMNShape"))

    svg = _render(path, process_id="Process_2")

    drawn = sorted(g.get("data-element-id") for g in svg.iter(f"{SVG}g") if "sl-shape" in _cls(g))
    assert drawn == expected


def test_process_of_a_pool_is_found_through_the_collaboration(corpus: Path) -> None:
    svg = _render(corpus / "bpmn-js" / "collaboration.bpmn", process_id="Process_2")
    drawn = {g.get("data-element-id") for g in svg.iter(f"{SVG}g") if "sl-shape" in _cls(g)}
    assert {"Participant_1", "Participant_2"} <= drawn


def test_overlay_on_a_real_diagram(corpus: Path) -> None:
    overlay = Overlay(
        completed=frozenset({"StartEvent_1", "assignApprover"}),
        active=frozenset({"approveInvoice"}),
        failed=frozenset({"ServiceTask_1"}),
        taken_flows=frozenset({"SequenceFlow_1"}),
        counts={"assignApprover": 2},
    )
    svg = _render(corpus / "camunda-invoice" / "invoice.v2.bpmn", overlay=overlay)
    groups = {g.get("data-element-id"): g for g in svg.iter(f"{SVG}g") if "sl-shape" in _cls(g)}

    assert "sl-completed" in _cls(groups["assignApprover"])
    assert "sl-active" in _cls(groups["approveInvoice"])
    assert "sl-failed" in _cls(groups["ServiceTask_1"])
    assert not {"sl-completed", "sl-active", "sl-failed"} & set(_cls(groups["reviewInvoice"]))
    flows = {g.get("data-element-id"): g for g in svg.iter(f"{SVG}g") if "sl-edge" in _cls(g)}
    assert "sl-taken" in _cls(flows["SequenceFlow_1"])
    assert "sl-taken" not in _cls(flows["SequenceFlow_3"])


def _cls(node: etree._Element) -> list[str]:
    return (node.get("class") or "").split()


def test_every_corpus_file_renders_or_says_why(corpus: Path) -> None:
    files = sorted(corpus.rglob("*.bpmn")) + sorted(corpus.rglob("*.bpmn20.xml"))
    assert files
    refused: dict[str, str] = {}
    for path in files:
        try:
            svg = _render(path)
        except LoadError as exc:
            refused[path.name] = exc.code
            continue
        assert svg.tag == f"{SVG}svg", path
    # Only empty, broken or non-BPMN files are refused, each with a stable reason.
    assert set(refused.values()) <= {"no-diagram", "xml-syntax", "not-bpmn"}
    assert len(refused) < len(files) // 20
