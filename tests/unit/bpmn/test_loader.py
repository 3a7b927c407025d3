from __future__ import annotations

import pytest

from seamline.bpmn.definition import content_hash
from seamline.bpmn.flavours import Flavour
from seamline.bpmn.loader import load_definition, load_files, load_sources
from seamline.bpmn.problems import Severity
from seamline.errors import LoadError
from seamline.spiff.specs import ConnectorTask, DecisionTask, SpiffConnectorTask

from .helpers import DMN, codes, diagram, load

LINEAR = """
<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
<bpmn:userTask id="t" name="Approve" camunda:assignee="bob" camunda:candidateGroups="g1"/>
<bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e"/><bpmn:endEvent id="e"/>
"""


def test_linear_process_loads_with_metadata() -> None:
    bundle = load(LINEAR)
    d = bundle.definitions["p"]
    assert d.flavour is Flavour.CAMUNDA7
    info = d.elements["t"]
    assert info.type == "userTask" and info.name == "Approve" and info.line == 6
    assert info.extensions["camunda:assignee"] == "bob"
    assert info.incoming == ("f1",) and info.outgoing == ("f2",)
    assert d.element_for_spec("t") is info
    assert d.elements["f1"].type == "sequenceFlow"


def test_loading_is_deterministic() -> None:
    sources = {"d.bpmn": diagram(LINEAR)}
    a, b = load_sources(sources), load_sources(sources)
    assert (
        a.definitions["p"].content_hash == b.definitions["p"].content_hash == content_hash(sources)
    )
    assert sorted(a.definitions["p"].spec.task_specs) == sorted(b.definitions["p"].spec.task_specs)


def test_content_hash_depends_on_names_and_bytes() -> None:
    assert content_hash({"a": b"x"}) != content_hash({"b": b"x"})
    assert content_hash({"a": b"x"}) != content_hash({"a": b"y"})


def test_service_task_becomes_connector_task() -> None:
    body = LINEAR.replace("userTask", "serviceTask")
    spec = load(body).definitions["p"].spec
    assert isinstance(spec.task_specs["t"], ConnectorTask)


def test_spiff_service_task_keeps_operator_metadata() -> None:
    body = """<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <bpmn:serviceTask id="t"><bpmn:extensionElements>
      <spiffworkflow:serviceTaskOperator id="http/GetRequest" resultVariable="r">
        <spiffworkflow:parameters><spiffworkflow:parameter id="url" type="str" value="'x'"/>
        </spiffworkflow:parameters></spiffworkflow:serviceTaskOperator>
      <spiffworkflow:preScript>a = 1</spiffworkflow:preScript>
    </bpmn:extensionElements></bpmn:serviceTask>"""
    d = load(body).definitions["p"]
    assert d.flavour is Flavour.SPIFF
    task = d.spec.task_specs["t"]
    assert isinstance(task, SpiffConnectorTask) and task.prescript == "a = 1"
    op = d.elements["t"].extensions["spiffworkflow:serviceTaskOperator"]
    assert op == {
        "id": "http/GetRequest",
        "resultVariable": "r",
        "parameters": {"url": {"type": "str", "value": "'x'"}},
    }


@pytest.mark.parametrize(
    "task",
    [
        '<bpmn:businessRuleTask id="t" camunda:decisionRef="dec2"/>',
        '<bpmn:businessRuleTask id="t"><bpmn:extensionElements><zeebe:calledDecision '
        'decisionId="dec2" resultVariable="r"/></bpmn:extensionElements></bpmn:businessRuleTask>',
        '<bpmn:businessRuleTask id="t"><bpmn:extensionElements><spiffworkflow:calledDecisionId>'
        "dec2</spiffworkflow:calledDecisionId></bpmn:extensionElements></bpmn:businessRuleTask>",
    ],
)
def test_business_rule_task_decision_ref(task: str) -> None:
    body = f'<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t"/>{task}'
    bundle = load_sources({"d.bpmn": diagram(body), "d.dmn": DMN})
    d = bundle.definitions["p"]
    spec = d.spec.task_specs["t"]
    assert isinstance(spec, DecisionTask) and spec.decision_ref == "dec2"
    assert d.decisions == {"dec1": "d.dmn", "dec2": "d.dmn"}
    assert d.dmn_sources() == {"d.dmn": DMN}


def test_business_rule_task_without_reference_is_located_error() -> None:
    body = '<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t"/>'
    body += '<bpmn:businessRuleTask id="t" camunda:resultVariable="x"/>'
    bundle = load(body)
    assert "p" not in bundle.definitions
    [problem] = [p for p in bundle.problems if p.code == "decision-ref-missing"]
    assert problem.element == "t" and problem.line == 4


def test_unknown_decision_is_error() -> None:
    body = '<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t"/>'
    body += '<bpmn:businessRuleTask id="t" camunda:decisionRef="nope"/>'
    assert "decision-not-found" in codes(load(body))


def test_call_activity_resolves_across_files() -> None:
    caller = diagram(
        '<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="c"/>'
        '<bpmn:callActivity id="c" calledElement="child"/>',
        process="parent",
    )
    child = diagram(LINEAR, process="child")
    bundle = load_sources({"a.bpmn": caller, "b.bpmn": child})
    d = bundle.definitions["parent"]
    assert set(d.subprocess_specs) == {"child"}
    assert d.elements["t"].process_id == "child" and d.elements["t"].file == "b.bpmn"
    alone = load_sources({"a.bpmn": caller})
    assert "called-process-not-found" in codes(alone)


def test_non_executable_process_is_skipped_with_info() -> None:
    data = diagram(LINEAR).replace(b'isExecutable="true"', b'isExecutable="false"')
    result = load_sources({"d.bpmn": data})
    assert not result.definitions
    assert [p.severity for p in result.problems if p.code == "not-executable"] == [Severity.INFO]
    assert result.files[0].ok


def test_load_definition_raises_load_error_with_problems() -> None:
    with pytest.raises(LoadError) as info:
        load_definition({"d.bpmn": b"<nope"}, "p")
    assert info.value.problems and info.value.code == "xml-syntax"
    with pytest.raises(LoadError) as missing:
        load_definition({"d.bpmn": diagram(LINEAR)}, "other")
    assert missing.value.code == "process-not-found"
    assert load_definition({"d.bpmn": diagram(LINEAR)}, "p").process_id == "p"


def test_load_files_reports_missing_file(tmp_path: object) -> None:
    bundle = load_files(["/nonexistent/x.bpmn"])
    assert bundle.files[0].problems[0].code == "file-not-found"


def test_zeebe_extensions_recorded() -> None:
    body = """<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t"/>
    <bpmn:serviceTask id="t"><bpmn:extensionElements>
      <zeebe:taskDefinition type="mail" retries="3"/>
      <zeebe:ioMapping><zeebe:input source="=a" target="b"/></zeebe:ioMapping>
      <zeebe:taskHeaders><zeebe:header key="k" value="v"/></zeebe:taskHeaders>
    </bpmn:extensionElements></bpmn:serviceTask>"""
    d = load(body).definitions["p"]
    ext = d.elements["t"].extensions
    assert d.flavour is Flavour.CAMUNDA8
    assert ext["zeebe:taskDefinition"] == {"type": "mail", "retries": "3"}
    assert ext["zeebe:ioMapping"] == {"inputs": [{"source": "=a", "target": "b"}], "outputs": []}
    assert ext["zeebe:taskHeaders"] == {"k": "v"}


def test_camunda_input_output_and_form_data_recorded() -> None:
    body = """<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t"/>
    <bpmn:userTask id="t" camunda:formKey="embedded:x"><bpmn:extensionElements>
      <camunda:inputOutput>
        <camunda:inputParameter name="a">${x}</camunda:inputParameter>
        <camunda:inputParameter name="l"><camunda:list><camunda:value>1</camunda:value>
        </camunda:list></camunda:inputParameter>
        <camunda:outputParameter name="o"><camunda:script scriptFormat="python">1</camunda:script>
        </camunda:outputParameter>
      </camunda:inputOutput>
      <camunda:formData><camunda:formField id="amount" label="Amount" type="long">
        <camunda:validation><camunda:constraint name="required"/></camunda:validation>
      </camunda:formField></camunda:formData>
    </bpmn:extensionElements></bpmn:userTask>"""
    ext = load(body).definitions["p"].elements["t"].extensions
    io = ext["camunda:inputOutput"]
    assert io["inputs"][0] == {"name": "a", "kind": "text", "value": "${x}"}
    assert io["inputs"][1]["kind"] == "list" and io["inputs"][1]["value"] == ["1"]
    assert io["outputs"][0]["kind"] == "script" and io["outputs"][0]["language"] == "python"
    field = ext["camunda:formData"][0]
    assert field["id"] == "amount" and field["validation"] == [{"name": "required", "config": None}]
    assert ext["camunda:formKey"] == "embedded:x"
