"""Rendering small hand-written diagrams: escaping, overlays, selection, layout and errors."""

from __future__ import annotations

import pytest
from lxml import etree

from seamline.bpmn.render import Overlay, render_svg
from seamline.errors import LoadError

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script>&amp; "quoted" \'single\''

HEAD = (
    '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
    'xmlns:bioc="http://bpmn.io/schema/bpmn/biocolor/1.0" id="d" targetNamespace="t">'
)


def _drawn(name: str, fill: str = "#ffffff") -> bytes:
    """A start event, a task and an end event, drawn, with ``name`` on the task."""
    escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    escaped_fill = fill.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return (
        HEAD + '<process id="p" isExecutable="true">'
        '<startEvent id="s"/><userTask id="t" name="' + escaped + '"/><endEvent id="e"/>'
        '<sequenceFlow id="f1" sourceRef="s" targetRef="t"/>'
        '<sequenceFlow id="f2" sourceRef="t" targetRef="e"/>'
        "</process>"
        '<bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="P" bpmnElement="p">'
        '<bpmndi:BPMNShape id="S_s" bpmnElement="s"><dc:Bounds x="100" y="100" width="36" '
        'height="36"/></bpmndi:BPMNShape>'
        '<bpmndi:BPMNShape id="S_t" bpmnElement="t" bioc:fill="'
        + escaped_fill
        + '"><dc:Bounds x="200" y="78" width="100" height="80"/></bpmndi:BPMNShape>'
        '<bpmndi:BPMNShape id="S_e" bpmnElement="e"><dc:Bounds x="400" y="100" width="36" '
        'height="36"/></bpmndi:BPMNShape>'
        '<bpmndi:BPMNEdge id="E1" bpmnElement="f1"><di:waypoint x="136" y="118"/>'
        '<di:waypoint x="200" y="118"/></bpmndi:BPMNEdge>'
        '<bpmndi:BPMNEdge id="E2" bpmnElement="f2"><di:waypoint x="300" y="118"/>'
        '<di:waypoint x="400" y="118"/></bpmndi:BPMNEdge>'
        "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></definitions>"
    ).encode()


def _svg(data: bytes, **kwargs: object) -> etree._Element:
    return etree.fromstring(render_svg(data, "test.bpmn", **kwargs).encode())  # type: ignore[arg-type]


def _groups(svg: etree._Element, cls: str) -> dict[str, etree._Element]:
    return {
        g.get("data-element-id", ""): g
        for g in svg.iter(f"{SVG}g")
        if cls in (g.get("class") or "").split()
    }


def test_hostile_names_stay_text() -> None:
    svg = _svg(_drawn(HOSTILE), title=HOSTILE)

    assert not [n for n in svg.iter() if isinstance(n.tag, str) and "script" in n.tag.lower()]
    assert not [a for n in svg.iter() for a in n.attrib if a.lower().startswith("on")]
    text = "".join(_groups(svg, "sl-shape")["t"].itertext())
    assert "<script>" in text  # shown to the reader as typed, as plain text
    title = svg.find(f"{SVG}title")
    assert title is not None and title.text == HOSTILE


def test_hostile_colour_is_ignored() -> None:
    svg = _svg(_drawn("Task", fill='red" onload="alert(1)'))
    values = [v for n in svg.iter() for v in n.attrib.values()]
    assert not [v for v in values if "alert" in v]


def test_plain_colour_from_the_diagram_is_used() -> None:
    svg = _svg(_drawn("Task", fill="#ffcc00"))
    outline = _groups(svg, "sl-shape")["t"].find(f"{SVG}rect")
    assert outline is not None and outline.get("fill") == "#ffcc00"


def test_overlay_marks_state_badges_and_taken_flows() -> None:
    overlay = Overlay(
        completed=frozenset({"s"}),
        active=frozenset({"t"}),
        failed=frozenset({"e"}),
        counts={"t": 3},
        taken_flows=frozenset({"f1"}),
    )
    svg = _svg(_drawn("Task"), overlay=overlay)
    shapes = _groups(svg, "sl-shape")
    assert "sl-completed" in shapes["s"].get("class", "")
    assert "sl-active" in shapes["t"].get("class", "")
    assert "sl-failed" in shapes["e"].get("class", "")
    assert [r for r in shapes["t"].iter(f"{SVG}rect") if r.get("class") == "sl-halo"]

    badge = _groups(svg, "sl-badge")["t"]
    assert "".join(badge.itertext()) == "3"

    edges = _groups(svg, "sl-edge")
    taken = edges["f1"].find(f"{SVG}polyline")
    other = edges["f2"].find(f"{SVG}polyline")
    assert taken is not None and other is not None
    assert "sl-taken" in edges["f1"].get("class", "")
    assert taken.get("stroke") != other.get("stroke")
    assert taken.get("marker-end") != other.get("marker-end")  # the arrowhead is recoloured too


def test_failed_wins_over_completed() -> None:
    overlay = Overlay(completed=frozenset({"t"}), failed=frozenset({"t"}))
    svg = _svg(_drawn("Task"), overlay=overlay)
    classes = _groups(svg, "sl-shape")["t"].get("class", "").split()
    assert "sl-failed" in classes and "sl-completed" not in classes


def test_without_overlay_no_state_is_drawn() -> None:
    svg = _svg(_drawn("Task"))
    classes = " ".join(g.get("class", "") for g in svg.iter(f"{SVG}g"))
    for state in ("sl-completed", "sl-active", "sl-failed", "sl-taken", "sl-badge"):
        assert state not in classes


def test_unknown_process_is_a_load_error() -> None:
    with pytest.raises(LoadError) as caught:
        render_svg(_drawn("Task"), "test.bpmn", process_id="nope")
    assert caught.value.code == "process-not-found"
    assert str(caught.value).startswith("test.bpmn")
    assert "processes here: p" in str(caught.value)


def test_a_file_with_nothing_to_draw_is_a_load_error() -> None:
    with pytest.raises(LoadError) as caught:
        render_svg((HEAD + "</definitions>").encode(), "empty.bpmn")
    assert caught.value.code == "no-diagram"
    assert str(caught.value).startswith("empty.bpmn")


def test_not_bpmn_and_broken_xml_are_load_errors() -> None:
    with pytest.raises(LoadError) as caught:
        render_svg(b"<html><body/></html>", "page.html")
    assert caught.value.code == "not-bpmn"
    with pytest.raises(LoadError) as caught:
        render_svg(b"<definitions>", "broken.bpmn")
    assert caught.value.code == "xml-syntax"


def test_title_is_drawn_above_the_diagram() -> None:
    plain = _svg(_drawn("Task"))
    titled = _svg(_drawn("Task"), title="Invoice #42")
    assert "Invoice #42" in "".join(titled.itertext())
    plain_y = float(plain.get("viewBox", "").split()[1])
    titled_y = float(titled.get("viewBox", "").split()[1])
    assert titled_y < plain_y
