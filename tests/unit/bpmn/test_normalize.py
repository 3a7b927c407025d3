from __future__ import annotations

from SpiffWorkflow.bpmn.specs.mixins.exclusive_gateway import ExclusiveGateway

from seamline.bpmn.problems import Severity

from .helpers import codes, load

S = '<bpmn:startEvent id="s"/>'
E = '<bpmn:endEvent id="e"/>'


def flow(fid: str, a: str, b: str, cond: str | None = None) -> str:
    inner = f"<bpmn:conditionExpression>{cond}</bpmn:conditionExpression>" if cond else ""
    return (
        f'<bpmn:sequenceFlow id="{fid}" sourceRef="{a}" targetRef="{b}">{inner}</bpmn:sequenceFlow>'
    )


def test_flow_without_id_gets_stable_id() -> None:
    body = S + '<bpmn:sequenceFlow sourceRef="s" targetRef="t"/><bpmn:task id="t"/>'
    a, b = load(body), load(body)
    assert "flow-id-generated" in codes(a)
    assert "t" in a.definitions["p"].spec.task_specs
    assert set(a.definitions["p"].elements) == set(b.definitions["p"].elements)


def test_reserved_ids_renamed_but_original_kept() -> None:
    body = '<bpmn:startEvent id="Start"/>' + flow("f", "Start", "End") + '<bpmn:endEvent id="End"/>'
    bundle = load(body)
    d = bundle.definitions["p"]
    assert "reserved-id-renamed" in codes(bundle)
    info = d.elements["End"]
    assert info.spec_name != "End" and info.spec_name in d.spec.task_specs
    assert d.element_for_spec(info.spec_name) is info
    problem = next(p for p in bundle.problems if p.code == "reserved-id-renamed")
    assert problem.element in {"Start", "End"}


def test_link_events_rewired() -> None:
    body = (
        S + flow("f1", "s", "throw")
        + '<bpmn:intermediateThrowEvent id="throw"><bpmn:linkEventDefinition name="L"/>'
        "</bpmn:intermediateThrowEvent>"
        '<bpmn:intermediateCatchEvent id="catch"><bpmn:linkEventDefinition name="L"/>'
        "</bpmn:intermediateCatchEvent>" + flow("f2", "catch", "t") + '<bpmn:task id="t"/>'
    )  # fmt: skip
    bundle = load(body)
    d = bundle.definitions["p"]
    assert "link-rewired" in codes(bundle)
    assert {"throw", "catch", "t"} <= set(d.spec.task_specs)
    assert d.elements["catch"].type == "intermediateCatchEvent"


def test_unmatched_link_is_error() -> None:
    body = (
        S + flow("f1", "s", "throw")
        + '<bpmn:intermediateThrowEvent id="throw"><bpmn:linkEventDefinition name="L"/>'
        "</bpmn:intermediateThrowEvent>"
    )  # fmt: skip
    bundle = load(body)
    assert "link-unmatched" in codes(bundle) and not bundle.definitions


def test_qname_refs_stripped_and_message_named() -> None:
    extra = '<bpmn:message id="msg1"/>'
    body = (
        S + flow("f1", "s", "r")
        + '<bpmn:receiveTask id="r" messageRef="semantic:msg1"/>'
    )  # fmt: skip
    bundle = load(body, extra=extra)
    assert {"qname-ref", "message-name-generated"} <= codes(bundle)
    assert bundle.definitions["p"].spec.task_specs["r"].event_definition.name == "msg1"


def test_data_store_kept_as_metadata() -> None:
    extra = '<bpmn:dataStore id="ds" name="DB"/>'
    body = (
        S + flow("f1", "s", "t")
        + '<bpmn:dataStoreReference id="dsr" dataStoreRef="ds"/>'
        '<bpmn:task id="t"><bpmn:dataOutputAssociation id="a"><bpmn:targetRef>dsr</bpmn:targetRef>'
        "</bpmn:dataOutputAssociation></bpmn:task>"
    )  # fmt: skip
    bundle = load(body, extra=extra)
    assert {"data-store", "data-association-kept"} <= codes(bundle)
    ext = bundle.definitions["p"].elements["t"].extensions
    assert ext["seamline:dataOutputAssociation"] == [{"refs": ["dsr"]}]


def test_process_without_start_event_starts_at_nodes_without_incoming() -> None:
    body = '<bpmn:task id="a"/><bpmn:task id="b"/>' + flow("f", "a", "c") + '<bpmn:task id="c"/>'
    bundle = load(body)
    assert "implicit-start" in codes(bundle)
    assert {"a", "b", "c"} <= set(bundle.definitions["p"].spec.task_specs)


def test_subprocess_without_start_and_empty_subprocess() -> None:
    body = (
        S + flow("f1", "s", "sub")
        + '<bpmn:subProcess id="sub"><bpmn:task id="in"/></bpmn:subProcess>'
        + flow("f2", "sub", "empty") + '<bpmn:subProcess id="empty"/>'
    )  # fmt: skip
    bundle = load(body)
    assert {"implicit-start", "implicit-end", "empty-subprocess"} <= codes(bundle)
    d = bundle.definitions["p"]
    assert "in" in d.subprocess_specs["sub"].task_specs


def test_timer_literals_quoted_but_expressions_untouched() -> None:
    def timer(tid: str, kind: str, text: str) -> str:
        return (
            f'<bpmn:intermediateCatchEvent id="{tid}"><bpmn:timerEventDefinition>'
            f"<bpmn:{kind}>{text}</bpmn:{kind}></bpmn:timerEventDefinition>"
            "</bpmn:intermediateCatchEvent>"
        )

    body = (
        S + flow("f1", "s", "t1") + timer("t1", "timeDuration", "PT5M")
        + flow("f2", "t1", "t2") + timer("t2", "timeCycle", "R3/PT10H")
        + flow("f3", "t2", "t3") + timer("t3", "timeDate", "2026-01-01T10:00:00Z")
        + flow("f4", "t3", "t4") + timer("t4", "timeDuration", "${delay}")
        + flow("f5", "t4", "t5") + timer("t5", "timeDuration", "=duration")
    )  # fmt: skip
    d = load(body).definitions["p"]
    specs = d.spec.task_specs
    assert specs["t1"].event_definition.expression == "'PT5M'"
    assert specs["t2"].event_definition.expression == "'R3/PT10H'"
    assert specs["t3"].event_definition.expression == "'2026-01-01T10:00:00Z'"
    assert specs["t4"].event_definition.expression == "${delay}"
    assert specs["t5"].event_definition.expression == "=duration"
    assert d.elements["t1"].extensions["timer"] == {"timeDuration": "PT5M"}


def test_empty_timer_is_error() -> None:
    body = (
        S + flow("f1", "s", "t")
        + '<bpmn:intermediateCatchEvent id="t"><bpmn:timerEventDefinition/>'
        "</bpmn:intermediateCatchEvent>"
    )  # fmt: skip
    bundle = load(body)
    assert "timer-empty" in codes(bundle) and not bundle.definitions


def test_exclusive_gateway_single_unconditioned_branch_becomes_default() -> None:
    body = (
        S + flow("f0", "s", "g") + '<bpmn:exclusiveGateway id="g"/>'
        + flow("a", "g", "x", "x &gt; 1") + flow("b", "g", "y")
        + '<bpmn:task id="x"/><bpmn:task id="y"/>'
    )  # fmt: skip
    bundle = load(body)
    assert "gateway-default" in codes(bundle)
    assert isinstance(bundle.definitions["p"].spec.task_specs["g"], ExclusiveGateway)


def test_exclusive_gateway_several_unconditioned_branches_warn() -> None:
    body = (
        S + flow("f0", "s", "g") + '<bpmn:exclusiveGateway id="g"/>'
        + flow("a", "g", "x") + flow("b", "g", "y") + '<bpmn:task id="x"/><bpmn:task id="y"/>'
    )  # fmt: skip
    bundle = load(body)
    [p] = [p for p in bundle.problems if p.code == "gateway-missing-condition"]
    assert p.severity is Severity.WARNING and "p" in bundle.definitions


def test_task_with_several_outgoing_flows_splits_in_parallel() -> None:
    body = (
        S + flow("f0", "s", "t") + '<bpmn:task id="t"/>'
        + flow("a", "t", "x") + flow("b", "t", "y") + '<bpmn:task id="x"/><bpmn:task id="y"/>'
    )  # fmt: skip
    bundle = load(body)
    d = bundle.definitions["p"]
    assert "implicit-split" in codes(bundle)
    split = d.elements["t__split"]
    assert split.type == "parallelGateway" and split.extensions["seamline:synthetic"]
    assert {"x", "y"} <= set(d.spec.task_specs)


def test_task_with_conditional_outgoing_flows_splits_inclusively() -> None:
    body = (
        S + flow("f0", "s", "t") + '<bpmn:task id="t"/>'
        + flow("a", "t", "x", "ok") + flow("b", "t", "y") + '<bpmn:task id="x"/><bpmn:task id="y"/>'
    )  # fmt: skip
    d = load(body).definitions["p"]
    assert d.elements["t__split"].type == "inclusiveGateway"


def test_data_input_association_to_data_input_kept() -> None:
    body = (
        S + flow("f0", "s", "t")
        + '<bpmn:task id="t"><bpmn:dataInputAssociation id="a"><bpmn:sourceRef>di</bpmn:sourceRef>'
        "</bpmn:dataInputAssociation></bpmn:task>"
    )  # fmt: skip
    bundle = load(body)
    assert "data-association-kept" in codes(bundle) and "p" in bundle.definitions
