"""Deploy-time checks: what Camunda 7's BpmnParse rejects is rejected here, at the element.

Upstream: engine/src/test/java/org/camunda/bpm/engine/test/bpmn/parse/BpmnParseTest.java and
the parse checks of engine/src/main/java/org/camunda/bpm/engine/impl/bpmn/parser/BpmnParse.java
(parseSequenceFlow, parseBoundaryEvents, parseStartEvents, parseEventBasedGateway,
validateExclusiveGateway), whose errors each test below asserts.
"""

from __future__ import annotations

from tests.conformance.harness import Engine, camunda7, flows, plain, user, zeebe

START = '<bpmn:startEvent id="s"/>'


def timer_boundary(bid: str, attached: str | None) -> str:
    attr = f' attachedToRef="{attached}"' if attached is not None else ""
    return (
        f'<bpmn:boundaryEvent id="{bid}"{attr}><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>"
        "</bpmn:boundaryEvent>"
    )


def test_sequence_flow_to_a_missing_destination(engine: Engine) -> None:
    """BpmnParseTest.testSequenceFlowNoIdAndUnexistantDestination: a flow (without id) points
    at 'eventBasedGateway', which does not exist: "Invalid destination"."""
    xml = camunda7(
        "process", START + '<bpmn:sequenceFlow sourceRef="s" targetRef="eventBasedGateway"/>'
    )
    engine.refused(xml, element="eventBasedGateway", says="invalid destination")


def test_sequence_flow_from_a_missing_source(engine: Engine) -> None:
    """BpmnParse.parseSequenceFlow: "Invalid source 'ghost' of sequence flow"."""
    xml = camunda7(
        "process",
        START
        + user("u")
        + flows("s->u")
        + '<bpmn:sequenceFlow id="dangling" sourceRef="ghost" targetRef="u"/>',
    )
    engine.refused(xml, element="dangling", says="invalid source 'ghost'")


def test_sequence_flow_may_not_cross_a_subprocess_boundary(engine: Engine) -> None:
    """BpmnParse.parseSequenceFlow ("sequence flow cannot cross (sub) process boundaries"): a
    flow of the process pointing at a task inside a subprocess is an invalid destination."""
    xml = camunda7(
        "process",
        START
        + '<bpmn:subProcess id="sub"><bpmn:startEvent id="ss"/>'
        + user("inside")
        + '<bpmn:sequenceFlow id="inner" sourceRef="ss" targetRef="inside"/></bpmn:subProcess>'
        + '<bpmn:sequenceFlow id="across" sourceRef="s" targetRef="inside"/>',
    )
    engine.refused(xml, element="across", says="invalid destination 'inside'")


def test_sequence_flows_into_and_out_of_an_event_subprocess(engine: Engine) -> None:
    """BpmnParseTest.testInvalidSequenceFlowInAndOutEventSubProcess: "Invalid incoming /
    outgoing sequence flow of event subprocess"."""
    event_sub = (
        '<bpmn:subProcess id="eventSub" triggeredByEvent="true">'
        '<bpmn:startEvent id="es"><bpmn:signalEventDefinition signalRef="sig"/></bpmn:startEvent>'
        + user("handle")
        + '<bpmn:sequenceFlow id="esf" sourceRef="es" targetRef="handle"/></bpmn:subProcess>'
    )
    xml = camunda7(
        "process",
        START
        + user("u")
        + event_sub
        + user("after")
        + '<bpmn:sequenceFlow id="SequenceFlow_1" sourceRef="s" targetRef="eventSub"/>'
        + '<bpmn:sequenceFlow id="SequenceFlow_2" sourceRef="eventSub" targetRef="after"/>',
        extra='<bpmn:signal id="sig" name="sig"/>',
    )
    engine.refused(xml, element="SequenceFlow_", says="sequence flow")


def test_duplicate_ids(engine: Engine) -> None:
    """Camunda 7 validates every diagram against the BPMN 2.0 schema, where an id is an XML ID:
    two elements with the same id are rejected (cvc-id.2)."""
    xml = camunda7("process", START + user("task") + user("task") + flows("s->task"))
    engine.refused(xml, element="task", says="already used")


def test_boundary_event_attached_to_nothing(engine: Engine) -> None:
    """BpmnParse.parseBoundaryEvents: "AttachedToRef is required when using a
    timerEventDefinition"."""
    xml = camunda7(
        "process",
        START
        + user("u")
        + timer_boundary("timer", None)
        + user("late")
        + flows("s->u", "timer->late"),
    )
    engine.refused(xml, element="timer", says="attached to nothing")


def test_boundary_event_attached_to_another_scope(engine: Engine) -> None:
    """BpmnParse.parseBoundaryEvents: "Invalid reference in boundary event. Make sure that the
    referenced activity is defined in the same scope as the boundary event"."""
    xml = camunda7(
        "process",
        START
        + user("u")
        + timer_boundary("timer", "missingTask")
        + user("late")
        + flows("s->u", "timer->late"),
    )
    engine.refused(xml, element="timer", says="same (sub)process")


def test_boundary_event_attached_to_a_gateway(engine: Engine) -> None:
    """BPMN 2.0 (10.4.5): a boundary event is attached to an activity; Camunda 8 rejects it on
    any other element. A timer on a gateway is refused."""
    xml = zeebe(
        "process",
        START
        + '<bpmn:exclusiveGateway id="g"/>'
        + user("u")
        + timer_boundary("timer", "g")
        + user("late")
        + flows("s->g", "g->u", "timer->late"),
    )
    engine.refused(xml, element="timer", says="not an activity")


def test_default_flow_not_leaving_its_gateway(engine: Engine) -> None:
    """BPMN 2.0 (10.5.2, default): the default flow is one of the gateway's outgoing flows; a
    default naming the incoming flow is refused."""
    xml = camunda7(
        "process",
        START
        + '<bpmn:exclusiveGateway id="g" default="f1_s_g"/>'
        + user("a")
        + user("b")
        + flows("s->g", "g->a: ${x == 1}", "g->b: ${x == 2}"),
    )
    engine.refused(xml, element="g", says="not one of its outgoing")


def test_inclusive_default_flow_with_condition(engine: Engine) -> None:
    """InclusiveGatewayTest / BpmnParse: a default flow carrying a condition is refused on
    inclusive gateways too (the condition would never be read)."""
    xml = camunda7(
        "process",
        START
        + '<bpmn:inclusiveGateway id="g" default="f3_g_b"/>'
        + user("a")
        + user("b")
        + flows("s->g", "g->a: ${x == 1}", "g->b: ${x == 2}"),
    )
    engine.refused(xml, element="g", says="default flow but has a condition")


def test_exclusive_gateway_single_conditional_flow(engine: Engine) -> None:
    """BpmnParse.validateExclusiveGateway: "Exclusive Gateway 'g' has only one outgoing sequence
    flow. This is not allowed to have a condition."."""
    xml = camunda7(
        "process",
        START + '<bpmn:exclusiveGateway id="g"/>' + user("a") + flows("s->g", "g->a: ${x == 1}"),
    )
    engine.refused(xml, element="g", says="only one outgoing sequence flow")


def test_process_without_start_event(engine: Engine) -> None:
    """BpmnParseTest.testInvalidProcessWithoutStartEvent: "process must define a startEvent
    element"."""
    xml = camunda7("Process_1", user("u") + '<bpmn:endEvent id="e"/>' + flows("u->e"))
    engine.refused(xml, element="Process_1", says="must define a start event")


def test_subprocess_without_start_event(engine: Engine) -> None:
    """BpmnParseTest.testInvalidSubProcessWithoutStartEvent: "subProcess must define a
    startEvent element"."""
    xml = camunda7(
        "process",
        START
        + '<bpmn:subProcess id="SubProcess_1">'
        + user("u")
        + "</bpmn:subProcess>"
        + flows("s->SubProcess_1"),
    )
    engine.refused(xml, element="SubProcess_1", says="must define a start event")


def test_subprocess_with_timer_start_event(engine: Engine) -> None:
    """BpmnParseTest.testInvalidSubProcessWithTimerStartEvent: "timerEventDefinition is not
    allowed on start event within a subprocess"."""
    xml = camunda7(
        "process",
        START
        + '<bpmn:subProcess id="sub"><bpmn:startEvent id="theStart"><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>"
        + user("u")
        + '<bpmn:sequenceFlow id="inner" sourceRef="theStart" targetRef="u"/></bpmn:subProcess>'
        + flows("s->sub"),
    )
    engine.refused(xml, element="theStart", says="only allowed in an event subprocess")


def test_subprocess_with_message_start_event(engine: Engine) -> None:
    """BpmnParseTest.testInvalidSubProcessWithMessageStartEvent: "messageEventDefinition only
    allowed on start event if subprocess is an event subprocess"."""
    xml = camunda7(
        "process",
        START + '<bpmn:subProcess id="sub"><bpmn:startEvent id="theStart">'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent>'
        + user("u")
        + '<bpmn:sequenceFlow id="inner" sourceRef="theStart" targetRef="u"/></bpmn:subProcess>'
        + flows("s->sub"),
        extra='<bpmn:message id="m" name="m"/>',
    )
    engine.refused(xml, element="theStart", says="only allowed in an event subprocess")


def test_event_subprocess_with_none_start_event(engine: Engine) -> None:
    """BpmnParseTest.testInvalidSequenceFlowInAndOutEventSubProcess (first error): "start event
    of event subprocess must be of type 'error', 'message', 'timer', 'signal', 'compensation'
    or 'escalation'"."""
    xml = camunda7(
        "process",
        START + user("u") + '<bpmn:subProcess id="eventSub" triggeredByEvent="true">'
        '<bpmn:startEvent id="StartEvent_2"/>'
        + user("handle")
        + '<bpmn:sequenceFlow id="esf" sourceRef="StartEvent_2" targetRef="handle"/>'
        "</bpmn:subProcess>" + flows("s->u"),
    )
    engine.refused(xml, element="StartEvent_2", says="has no trigger")


def test_multiple_none_start_events(engine: Engine) -> None:
    """BpmnParseTest.testParseMultipleStartEvent (invalid variant) / BpmnParse.parseStartEvents:
    "multiple none start events or timer start events not supported on process definition"."""
    xml = camunda7(
        "process",
        START + '<bpmn:startEvent id="second"/>' + user("u") + flows("s->u", "second->u"),
    )
    engine.refused(xml, element="second", says="multiple none start events")


def test_message_ref_names_no_message(engine: Engine) -> None:
    """BpmnParse.parseMessageEventDefinition: "Invalid 'messageRef': no message with id
    'unknown' found."."""
    xml = camunda7(
        "process",
        START + '<bpmn:intermediateCatchEvent id="catch">'
        '<bpmn:messageEventDefinition messageRef="unknown"/></bpmn:intermediateCatchEvent>'
        + user("u")
        + flows("s->catch", "catch->u"),
    )
    engine.refused(xml, element="catch", says="invalid messageRef 'unknown'")


def test_signal_ref_names_no_signal(engine: Engine) -> None:
    """BpmnParse.parseSignalEventDefinition: "Could not find signal with id 'unknown'"."""
    xml = plain(
        "process",
        START + '<bpmn:intermediateCatchEvent id="catch">'
        '<bpmn:signalEventDefinition signalRef="unknown"/></bpmn:intermediateCatchEvent>'
        + user("u")
        + flows("s->catch", "catch->u"),
    )
    engine.refused(xml, element="catch", says="invalid signalRef 'unknown'")


def test_link_targets_with_the_same_name(engine: Engine) -> None:
    """LinkEventTest.testInvalidEventLinkMultipleTargets: "Multiple Intermediate Catch Events
    with the same link event name ('LinkA') are not allowed", naming IntermediateCatchEvent_2.
    """

    def link(kind: str, eid: str) -> str:
        return f'<bpmn:{kind} id="{eid}"><bpmn:linkEventDefinition name="LinkA"/></bpmn:{kind}>'

    xml = camunda7(
        "linkEventInvalid",
        START
        + link("intermediateThrowEvent", "throw")
        + link("intermediateCatchEvent", "IntermediateCatchEvent_1")
        + link("intermediateCatchEvent", "IntermediateCatchEvent_2")
        + user("a")
        + user("b")
        + flows("s->throw", "IntermediateCatchEvent_1->a", "IntermediateCatchEvent_2->b"),
    )
    engine.refused(xml, element="IntermediateCatchEvent_2", says="same link event name")


def test_valid_diagram_passes_every_check(engine: Engine) -> None:
    """BpmnParseTest.testParseWithBpmnNamespacePrefix (a valid diagram deploys): a process using
    gateways, a default flow, a boundary event and an event subprocess passes every check."""
    xml = camunda7(
        "process",
        START
        + '<bpmn:exclusiveGateway id="g" default="f3_g_b"/>'
        + user("a")
        + user("b")
        + timer_boundary("timer", "a")
        + user("late")
        + '<bpmn:subProcess id="eventSub" triggeredByEvent="true">'
        '<bpmn:startEvent id="es"><bpmn:signalEventDefinition signalRef="sig"/></bpmn:startEvent>'
        + user("handle")
        + '<bpmn:sequenceFlow id="esf" sourceRef="es" targetRef="handle"/></bpmn:subProcess>'
        + flows("s->g", "g->a: ${x == 1}", "g->b", "timer->late"),
        extra='<bpmn:signal id="sig" name="sig"/>',
    )
    run = engine.start(xml, {"x": 2})
    assert run.open_tasks() == ["b"]
