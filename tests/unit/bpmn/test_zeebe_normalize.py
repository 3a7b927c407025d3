"""Camunda 8 multi-instance collections (zeebe:loopCharacteristics) load and run."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from seamline.app import App
from seamline.bpmn.loader import load_sources
from seamline.bpmn.normalize import called_process
from seamline.bpmn.problems import Severity
from seamline.store.memory import MemoryStore

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs">'
)


def diagram(loop: str, sequential: str = "false") -> str:
    """A process whose Python script task runs once per element of `items`."""
    return (
        f'{HEAD}<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/>'
        '<bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="t"/>'
        '<bpmn:scriptTask id="t" scriptFormat="python">'
        f'<bpmn:multiInstanceLoopCharacteristics isSequential="{sequential}">'
        f"<bpmn:extensionElements>{loop}</bpmn:extensionElements>"
        "</bpmn:multiInstanceLoopCharacteristics>"
        "<bpmn:script>answer = item * 10</bpmn:script></bpmn:scriptTask>"
        '<bpmn:sequenceFlow id="f1" sourceRef="t" targetRef="e"/><bpmn:endEvent id="e"/>'
        "</bpmn:process></bpmn:definitions>"
    )


def zeebe(collection: str = "= items", output: str = "=answer") -> str:
    """A zeebe:loopCharacteristics element."""
    return (
        f'<zeebe:loopCharacteristics inputCollection="{collection}" inputElement="item" '
        f'outputCollection="results" outputElement="{output}"/>'
    )


@pytest.mark.parametrize("sequential", ["true", "false"])
def test_each_element_runs_and_results_are_collected(tmp_path: Path, sequential: str) -> None:
    file = tmp_path / "mi.bpmn"
    file.write_text(diagram(zeebe(), sequential), encoding="utf-8")
    view = App(MemoryStore()).run(file, {"items": [3, 1, 2]})
    assert view.instance.status.value == "completed", view.instance.error
    assert view.instance.data["results"] == [30, 10, 20]


def test_translation_is_reported_and_spec_reads_the_variables() -> None:
    bundle = load_sources({"mi.bpmn": diagram(zeebe()).encode()})
    task = bundle.definitions["p"].spec.task_specs["t"]
    assert task.collection == "items" and task.element_variable == "item"
    assert task.output_collection == "results" and task.output_element == "answer"
    [p] = [p for p in bundle.problems if p.code == "multi-instance-zeebe"]
    assert p.severity is Severity.INFO and p.element == "t" and "items" in p.message


def test_input_only_loop_has_no_output() -> None:
    loop = '<zeebe:loopCharacteristics inputCollection="=items" inputElement="item"/>'
    task = load_sources({"mi.bpmn": diagram(loop).encode()}).definitions["p"].spec.task_specs["t"]
    assert task.collection == "items" and task.output_collection is None


def test_collection_and_output_element_expressions_are_evaluated(tmp_path: Path) -> None:
    file = tmp_path / "mi.bpmn"
    file.write_text(diagram(zeebe("=order.items", "=answer * 2")), encoding="utf-8")
    view = App(MemoryStore()).run(file, {"order": {"items": [3, 1]}})
    assert view.instance.status.value == "completed", view.instance.error
    assert view.instance.data["results"] == [60, 20]


@pytest.mark.parametrize(
    ("loop", "words"),
    [
        (
            '<zeebe:loopCharacteristics inputCollection="=items" outputCollection="r"/>',
            "output element",
        ),
    ],
)
def test_an_output_collection_without_element_is_a_located_error(loop: str, words: str) -> None:
    bundle = load_sources({"mi.bpmn": diagram(loop).encode()})
    assert not bundle.definitions
    [p] = [p for p in bundle.problems if p.code == "multi-instance-collection"]
    assert p.severity is Severity.ERROR and p.element == "t" and p.line and p.hint
    assert words in p.message


def test_standard_cardinality_is_left_alone() -> None:
    loop = zeebe() + "</bpmn:extensionElements><bpmn:loopCardinality>3</bpmn:loopCardinality>"
    xml = diagram(loop).replace(
        "</bpmn:loopCardinality></bpmn:extensionElements>", "</bpmn:loopCardinality>"
    )
    bundle = load_sources({"mi.bpmn": xml.encode()})
    task = bundle.definitions["p"].spec.task_specs["t"]
    assert task.loop_cardinality == "3" and task.collection is None
    assert "multi-instance-zeebe" not in {p.code for p in bundle.problems}


def caller(called: str, attribute: str = "") -> dict[str, bytes]:
    """A caller whose call activity names its process only in zeebe:calledElement, and callee."""
    caller_xml = (
        f'{HEAD}<bpmn:process id="main" isExecutable="true"><bpmn:startEvent id="s"/>'
        '<bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="c"/>'
        f'<bpmn:callActivity id="c" {attribute}><bpmn:extensionElements>{called}'
        "</bpmn:extensionElements></bpmn:callActivity>"
        '<bpmn:sequenceFlow id="f1" sourceRef="c" targetRef="e"/><bpmn:endEvent id="e"/>'
        "</bpmn:process></bpmn:definitions>"
    )
    callee = (
        f'{HEAD}<bpmn:process id="sub" isExecutable="true"><bpmn:startEvent id="s2"/>'
        '<bpmn:sequenceFlow id="g0" sourceRef="s2" targetRef="e2"/><bpmn:endEvent id="e2"/>'
        "</bpmn:process></bpmn:definitions>"
    )
    return {"main.bpmn": caller_xml.encode(), "sub.bpmn": callee.encode()}


@pytest.mark.parametrize("process_id", ["sub", '= "sub"'])
def test_zeebe_called_element_names_the_called_process(process_id: str) -> None:
    called = f"<zeebe:calledElement processId='{process_id}'/>"
    bundle = load_sources(caller(called))
    assert set(bundle.definitions["main"].subprocess_specs) == {"sub"}
    [p] = [p for p in bundle.problems if p.code == "called-element-zeebe"]
    assert p.element == "c" and p.severity is Severity.INFO


def test_standard_called_element_attribute_wins() -> None:
    called = '<zeebe:calledElement processId="=other"/>'
    bundle = load_sources(caller(called, attribute='calledElement="sub"'))
    assert "main" in bundle.definitions
    assert not {p.code for p in bundle.problems} & {
        "called-element-zeebe",
        "called-element-expression",
    }


def test_process_chosen_by_expression_brings_every_loaded_process() -> None:
    bundle = load_sources(caller('<zeebe:calledElement processId="=which"/>'))
    assert set(bundle.definitions["main"].subprocess_specs) >= {"sub"}
    [p] = [p for p in bundle.problems if p.code == "called-element-expression"]
    assert p.severity is Severity.INFO and p.element == "c" and "=which" in p.message


def test_called_process_reads_the_attribute_then_zeebe() -> None:
    def call(inner: str, attribute: str = "") -> etree._Element:
        xml = caller(inner, attribute)["main.bpmn"]
        root = etree.fromstring(xml)
        return next(root.iter("{http://www.omg.org/spec/BPMN/20100524/MODEL}callActivity"))

    assert called_process(call('<zeebe:calledElement processId="sub"/>')) == "sub"
    assert called_process(call("", 'calledElement="a"')) == "a"
    assert called_process(call('<zeebe:calledElement processId="=x"/>')) is None
    assert called_process(call("")) is None
