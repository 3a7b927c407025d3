"""The deploy-time checks: how they read references and which flavour each rule applies to."""

from __future__ import annotations

from seamline.bpmn.deploy_checks import deploy_checks
from seamline.bpmn.flavours import Flavour
from seamline.bpmn.xml import parse_xml

from .helpers import diagram

START = '<bpmn:startEvent id="s"/>'


def flow(fid: str, a: str, b: str, cond: str = "") -> str:
    inner = f"<bpmn:conditionExpression>{cond}</bpmn:conditionExpression>" if cond else ""
    return (
        f'<bpmn:sequenceFlow id="{fid}" sourceRef="{a}" targetRef="{b}">{inner}</bpmn:sequenceFlow>'
    )


def check(body: str, flavour: Flavour = Flavour.PLAIN, **kw: str) -> set[str]:
    root = parse_xml(diagram(body, **kw), "d.bpmn")
    return {p.code for p in deploy_checks(root, "d.bpmn", flavour)}


def test_qualified_references_are_read_as_ids() -> None:
    body = (
        START
        + '<bpmn:userTask id="u"/>'
        + '<bpmn:sequenceFlow id="f" sourceRef="semantic:s" targetRef="semantic:u"/>'
        + '<bpmn:boundaryEvent id="b" attachedToRef="semantic:u"><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>"
        "</bpmn:boundaryEvent>"
    )
    assert check(body) == set()


def test_descriptive_processes_are_not_checked() -> None:
    body = '<bpmn:userTask id="u"/>' + flow("f", "u", "ghost")
    root = parse_xml(diagram(body).replace(b'isExecutable="true"', b'isExecutable="false"'), "d")
    assert deploy_checks(root, "d", Flavour.CAMUNDA7) == []


def test_receive_task_after_event_gateway_only_outside_camunda() -> None:
    body = (
        START
        + '<bpmn:eventBasedGateway id="g"/><bpmn:receiveTask id="r"/>'
        + '<bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>"
        "</bpmn:intermediateCatchEvent>"
        + flow("f1", "s", "g")
        + flow("f2", "g", "r")
        + flow("f3", "g", "t")
    )
    assert check(body, Flavour.PLAIN) == set()
    assert check(body, Flavour.CAMUNDA8) == {"event-gateway-targets"}


def test_default_flow_condition_is_a_camunda_rule() -> None:
    body = (
        START
        + '<bpmn:exclusiveGateway id="g" default="f3"/><bpmn:task id="a"/><bpmn:task id="b"/>'
        + flow("f1", "s", "g")
        + flow("f2", "g", "a", "x == 1")
        + flow("f3", "g", "b", "x == 2")
    )
    assert check(body, Flavour.SPIFF) == set()
    assert check(body, Flavour.CAMUNDA7) == {"default-flow-condition"}


def test_missing_start_event_is_a_camunda_7_rule() -> None:
    body = '<bpmn:userTask id="u"/><bpmn:subProcess id="sub"><bpmn:task id="x"/></bpmn:subProcess>'
    assert check(body, Flavour.PLAIN) == set()
    assert check(body, Flavour.CAMUNDA7) == {"missing-start-event"}


def test_gateway_timer_cycle_becomes_its_first_period() -> None:
    body = (
        START
        + '<bpmn:eventBasedGateway id="g"/>'
        + '<bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition>'
        "<bpmn:timeCycle>R3/PT10M</bpmn:timeCycle></bpmn:timerEventDefinition>"
        "</bpmn:intermediateCatchEvent>"
        + '<bpmn:intermediateCatchEvent id="m"><bpmn:messageEventDefinition/>'
        "</bpmn:intermediateCatchEvent>"
        + flow("f1", "s", "g")
        + flow("f2", "g", "t")
        + flow("f3", "g", "m")
    )
    root = parse_xml(diagram(body), "d.bpmn")
    assert deploy_checks(root, "d.bpmn", Flavour.CAMUNDA7) == []
    [duration] = root.iter("{http://www.omg.org/spec/BPMN/20100524/MODEL}timeDuration")
    assert duration.text == "PT10M"
