from __future__ import annotations

import pytest

from seamline.bpmn.validate import missing
from seamline.bpmn.xml import parse_xml

from .helpers import codes, diagram, load

S = '<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="x"/>'


@pytest.mark.parametrize(
    "element",
    [
        '<bpmn:complexGateway id="x"/>',
        # A compensation boundary event without a handler; an activityRef naming nothing.
        '<bpmn:task id="t"/><bpmn:boundaryEvent id="x" attachedToRef="t">'
        "<bpmn:compensateEventDefinition/></bpmn:boundaryEvent>",
        '<bpmn:intermediateThrowEvent id="x"><bpmn:compensateEventDefinition activityRef="no"/>'
        "</bpmn:intermediateThrowEvent>",
        '<bpmn:endEvent id="x"><bpmn:cancelEventDefinition/></bpmn:endEvent>',
        '<bpmn:adHocSubProcess id="x" ordering="Sequential"><bpmn:task id="y"/>'
        "</bpmn:adHocSubProcess>",
    ],
)
def test_unsupported_elements_are_located_errors(element: str) -> None:
    bundle = load(S + element)
    assert not bundle.definitions
    [problem] = [p for p in bundle.problems if p.code == "unsupported-element"]
    assert problem.element == "x" and problem.line


def test_completeness_check_names_dropped_element() -> None:
    root = parse_xml(diagram(S + '<bpmn:task id="x"/>'), "d.bpmn")
    process = root[0]
    assert [el.get("id") for el in missing(process, {"s"})] == ["x"]
    assert missing(process, {"s", "x"}) == []


def test_parse_error_is_located() -> None:
    body = S + '<bpmn:task id="x"><bpmn:standardLoopCharacteristics/></bpmn:task>'
    bundle = load(body)
    [problem] = [p for p in bundle.problems if p.code == "parse-error"]
    assert problem.element == "x" and problem.line == 4
    assert "parse-error" in codes(bundle)


@pytest.mark.parametrize(
    ("element", "words"),
    [
        (
            '<bpmn:task id="x"><bpmn:standardLoopCharacteristics/></bpmn:task>',
            "loopCondition",
        ),
        (
            '<bpmn:task id="x"><bpmn:multiInstanceLoopCharacteristics/></bpmn:task>',
            "input collection",
        ),
        (
            '<bpmn:task id="x"><bpmn:multiInstanceLoopCharacteristics>'
            "<bpmn:loopCardinality>2</bpmn:loopCardinality>"
            "<bpmn:loopDataInputRef>items</bpmn:loopDataInputRef>"
            "</bpmn:multiInstanceLoopCharacteristics></bpmn:task>",
            "not both",
        ),
        ('<bpmn:callActivity id="x"/>', "calledElement="),
    ],
)
def test_unrunnable_markers_are_located_errors_with_a_hint(element: str, words: str) -> None:
    bundle = load(S + element)
    assert not bundle.definitions
    [p] = [p for p in bundle.problems if p.code == "parse-error"]
    assert p.element == "x" and p.line and p.hint and words in p.hint
