"""Processes without BPMNDI are laid out left to right."""

from __future__ import annotations

from lxml import etree

from seamline.bpmn.render import render_svg

SVG = "{http://www.w3.org/2000/svg}"

NO_DI = b"""<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"
    targetNamespace="t">
  <process id="loop" isExecutable="true">
    <startEvent id="start"/>
    <userTask id="work" name="Work"/>
    <exclusiveGateway id="again" default="done_flow"/>
    <endEvent id="end"/>
    <boundaryEvent id="late" attachedToRef="work"><timerEventDefinition/></boundaryEvent>
    <endEvent id="gave_up"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
    <sequenceFlow id="f2" sourceRef="work" targetRef="again"/>
    <sequenceFlow id="back" sourceRef="again" targetRef="work"/>
    <sequenceFlow id="done_flow" sourceRef="again" targetRef="end"/>
    <sequenceFlow id="f3" sourceRef="late" targetRef="gave_up"/>
  </process>
</definitions>"""


def _shapes(svg: etree._Element) -> dict[str, etree._Element]:
    return {
        g.get("data-element-id", ""): g
        for g in svg.iter(f"{SVG}g")
        if "sl-shape" in (g.get("class") or "").split()
    }


def _left(group: etree._Element) -> float:
    first = group[0]
    if first.tag == f"{SVG}circle":
        return float(first.get("cx", "0")) - float(first.get("r", "0"))
    if first.tag == f"{SVG}polygon":
        return min(float(p.split(",")[0]) for p in first.get("points", "").split())
    return float(first.get("x", "0"))


def test_every_node_and_flow_is_drawn() -> None:
    svg = etree.fromstring(render_svg(NO_DI, "no-di.bpmn").encode())
    shapes = _shapes(svg)
    assert set(shapes) == {"start", "work", "again", "end", "late", "gave_up"}
    edges = {
        g.get("data-element-id")
        for g in svg.iter(f"{SVG}g")
        if "sl-edge" in (g.get("class") or "").split()
    }
    assert edges == {"f1", "f2", "back", "done_flow", "f3"}


def test_nodes_run_left_to_right_in_flow_order_despite_the_loop() -> None:
    shapes = _shapes(etree.fromstring(render_svg(NO_DI, "no-di.bpmn").encode()))
    order = [_left(shapes[n]) for n in ("start", "work", "again", "end")]
    assert order == sorted(order) and len(set(order)) == 4
    assert _left(shapes["gave_up"]) > _left(shapes["work"])


def test_process_id_selects_the_process_to_lay_out() -> None:
    two = NO_DI.replace(
        b"</definitions>",
        b'<process id="other"><startEvent id="only"/></process></definitions>',
    )
    shapes = _shapes(etree.fromstring(render_svg(two, "two.bpmn", process_id="other").encode()))
    assert set(shapes) == {"only"}
