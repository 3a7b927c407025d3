"""An errorRef / escalationRef naming nothing: a located error in every flavour (Camunda 7: the
errorRef is the error code itself, as its BpmnParse reads it), never an internal TypeError."""

from __future__ import annotations

import pytest

from .helpers import load

SPIFF = ' spiffworkflow:note="x"'
ZEEBE = "<bpmn:extensionElements><zeebe:properties/></bpmn:extensionElements>"


def _body(definition: str, flavour: str) -> str:
    attrs = SPIFF if flavour == "spiff" else ""
    ext = ZEEBE if flavour == "zeebe" else ""
    return (
        f'<bpmn:startEvent id="s"{attrs}/>'
        f'<bpmn:subProcess id="sub">{ext}<bpmn:startEvent id="ss"/>'
        '<bpmn:endEvent id="se"/><bpmn:sequenceFlow id="f0" sourceRef="ss" targetRef="se"/>'
        "</bpmn:subProcess>"
        f'<bpmn:boundaryEvent id="b" attachedToRef="sub">{definition}</bpmn:boundaryEvent>'
        '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
        '<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="sub"/>'
        '<bpmn:sequenceFlow id="f2" sourceRef="sub" targetRef="e"/>'
        '<bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="e2"/>'
    )


@pytest.mark.parametrize("flavour", ["plain", "spiff", "zeebe"])
@pytest.mark.parametrize(
    "definition",
    [
        '<bpmn:errorEventDefinition errorRef="nowhere"/>',
        '<bpmn:escalationEventDefinition escalationRef="nowhere"/>',
    ],
    ids=["error", "escalation"],
)
def test_reference_to_nothing_is_a_located_error(flavour: str, definition: str) -> None:
    bundle = load(_body(definition, flavour))
    assert not bundle.definitions
    [problem] = [p for p in bundle.problems if p.element == "b"]
    assert problem.line and "TypeError" not in problem.message
    assert "nowhere" in problem.message


def test_camunda7_error_ref_to_nothing_is_the_code() -> None:
    body = _body('<bpmn:errorEventDefinition errorRef="nowhere"/>', "plain")
    bundle = load(
        body.replace(
            '<bpmn:startEvent id="s"/>', '<bpmn:startEvent id="s" camunda:asyncBefore="false"/>'
        )
    )
    assert bundle.definitions
