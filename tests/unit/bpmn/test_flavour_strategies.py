"""Flavour strategies: one per flavour, each hook read from a tiny diagram of that flavour."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from seamline.bpmn import flavours
from seamline.bpmn.definition import ElementInfo
from seamline.bpmn.flavours import (
    DETECTION_ORDER,
    FORM_PRECEDENCE,
    STRATEGIES,
    Flavour,
    FormLink,
    bpmn,
    detect_flavour,
    read_extensions,
    strategy_for,
)
from seamline.engine.bindings import bind
from seamline.engine.expressions import dialect_of
from seamline.humans.candidates import Candidates, candidates_from
from seamline.spiff.parsers import PARSERS

from .helpers import diagram

SEAMLINE = Path(__file__).resolve().parents[3] / "seamline"

# One user task and one service task per flavour, as each modeler writes them.
SNIPPETS: dict[Flavour, str] = {
    Flavour.CAMUNDA7: (
        '<bpmn:userTask id="u" camunda:assignee="ann" camunda:candidateGroups="ops, hr"'
        ' camunda:formRef="f7"/>'
        '<bpmn:serviceTask id="s" camunda:type="external" camunda:topic="mailer"/>'
    ),
    Flavour.CAMUNDA8: (
        '<bpmn:userTask id="u"><bpmn:extensionElements>'
        '<zeebe:assignmentDefinition assignee="ann" candidateGroups="ops, hr"/>'
        '<zeebe:formDefinition formId="f8"/>'
        "</bpmn:extensionElements></bpmn:userTask>"
        '<bpmn:serviceTask id="s"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="io.camunda:http-json:1"/>'
        "</bpmn:extensionElements></bpmn:serviceTask>"
    ),
    Flavour.SPIFF: (
        '<bpmn:userTask id="u"><bpmn:extensionElements><spiffworkflow:properties>'
        '<spiffworkflow:property name="formJsonSchemaFilename" value="s.json"/>'
        "</spiffworkflow:properties></bpmn:extensionElements></bpmn:userTask>"
        '<bpmn:serviceTask id="s"><bpmn:extensionElements>'
        '<spiffworkflow:serviceTaskOperator id="http/GetRequest">'
        '<spiffworkflow:parameters><spiffworkflow:parameter id="url" type="str"'
        " value=\"'https://x'\"/></spiffworkflow:parameters>"
        "</spiffworkflow:serviceTaskOperator>"
        "</bpmn:extensionElements></bpmn:serviceTask>"
    ),
    Flavour.PLAIN: ('<bpmn:userTask id="u"/><bpmn:serviceTask id="s" implementation="mailer"/>'),
}

# What the consumers read from each snippet (as they did before the strategies).
CANDIDATES = {
    Flavour.CAMUNDA7: Candidates(users=(), groups=("ops", "hr"), assignee="ann"),
    Flavour.CAMUNDA8: Candidates(users=(), groups=("ops", "hr"), assignee="ann"),
    Flavour.SPIFF: Candidates(users=(), groups=("Lane A",), assignee=None),
    Flavour.PLAIN: Candidates(users=(), groups=("Lane A",), assignee=None),
}
CONNECTORS = {
    Flavour.CAMUNDA7: ("mailer", {}),
    Flavour.CAMUNDA8: ("http", {}),
    Flavour.SPIFF: ("http/GetRequest", {"url": "'https://x'"}),
    Flavour.PLAIN: ("mailer", {}),
}
FORMS = {
    Flavour.CAMUNDA7: FormLink("camunda:formRef", "f7", "id", "camunda-forms"),
    Flavour.CAMUNDA8: FormLink("zeebe:formDefinition formId", "f8", "id", "camunda-forms"),
    Flavour.SPIFF: FormLink("formJsonSchemaFilename", "s.json", "file", "spiff-schema"),
    Flavour.PLAIN: None,
}
# An expression as each flavour's modeler writes it.
EXPRESSIONS = {
    Flavour.CAMUNDA7: "${amount > 10}",
    Flavour.CAMUNDA8: "= amount > 10",
    Flavour.SPIFF: "amount > 10",
    Flavour.PLAIN: "amount > 10",
}


def _element(flavour: Flavour, element_id: str) -> tuple[etree._Element, dict[str, Any]]:
    root = etree.fromstring(diagram(SNIPPETS[flavour]))
    assert detect_flavour(root) is flavour
    for tag in ("userTask", "serviceTask"):
        for el in root.iter(bpmn(tag)):
            if el.get("id") == element_id:
                return el, read_extensions(el)
    raise AssertionError(element_id)


def _info(el: etree._Element, ext: dict[str, Any]) -> ElementInfo:
    return ElementInfo(
        id=str(el.get("id")),
        spec_name=str(el.get("id")),
        type=etree.QName(el).localname,
        name=None,
        process_id="p",
        file="d.bpmn",
        line=None,
        lane=None,
        extensions={**ext, **{k: v for k, v in el.attrib.items() if "}" not in k}},
        incoming=(),
        outgoing=(),
    )


def test_every_flavour_has_a_strategy() -> None:
    assert set(STRATEGIES) == set(Flavour)
    assert set(DETECTION_ORDER) == set(Flavour)
    assert set(FORM_PRECEDENCE) == set(Flavour)
    for flavour in Flavour:
        strategy = strategy_for(flavour)
        assert strategy.flavour is flavour
        assert (
            (strategy.namespace is None) == (strategy.prefix is None) == (flavour is Flavour.PLAIN)
        )


@pytest.mark.parametrize("flavour", list(Flavour))
def test_detection_and_parser(flavour: Flavour) -> None:
    _element(flavour, "u")  # detects the flavour of its own snippet
    assert PARSERS[flavour].__name__ == strategy_for(flavour).parser


@pytest.mark.parametrize("flavour", list(Flavour))
def test_candidates(flavour: Flavour) -> None:
    _, ext = _element(flavour, "u")
    got = candidates_from(
        flavours.assignment(ext), lane="Lane A", lane_groups={}, evaluate=lambda text: text
    )
    assert got == CANDIDATES[flavour]


@pytest.mark.parametrize("flavour", list(Flavour))
def test_connector(flavour: Flavour) -> None:
    el, ext = _element(flavour, "s")
    binding = bind(_info(el, ext))
    assert (binding.connector, dict(binding.params)) == CONNECTORS[flavour]


@pytest.mark.parametrize("flavour", list(Flavour))
def test_form(flavour: Flavour) -> None:
    _, ext = _element(flavour, "u")
    hook = strategy_for(flavour).form_link
    assert (hook(ext) if hook is not None else None) == FORMS[flavour]


@pytest.mark.parametrize("flavour", list(Flavour))
def test_expression_language(flavour: Flavour) -> None:
    assert dialect_of(EXPRESSIONS[flavour]) == strategy_for(flavour).expression_language


def test_camunda7_repeated_extensions_are_lists() -> None:
    root = etree.fromstring(
        diagram(
            '<bpmn:callActivity id="c"><bpmn:extensionElements>'
            '<camunda:in source="a" target="b"/><camunda:in source="c" target="d"/>'
            "</bpmn:extensionElements></bpmn:callActivity>"
        )
    )
    (el,) = root.iter(bpmn("callActivity"))
    assert read_extensions(el)["camunda:in"] == [
        {"source": "a", "target": "b"},
        {"source": "c", "target": "d"},
    ]


# Modules outside seamline/bpmn/flavours/ that still name a flavour namespace constant.
NAMESPACE_CONSTANTS = {"CAMUNDA_NS", "ZEEBE_NS", "SPIFF_NS"}
ALLOWED = {
    "spiff/parsers.py",  # the parser classes, which only seamline.spiff may build
}
KNOWN_EXCEPTIONS: set[str] = set()


def _names(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.alias):
            found.add(node.name)
    return found & NAMESPACE_CONSTANTS


def test_namespace_constants_stay_in_the_flavour_modules() -> None:
    offenders = set()
    for path in SEAMLINE.rglob("*.py"):
        rel = path.relative_to(SEAMLINE).as_posix()
        if rel.startswith("bpmn/flavours/"):
            continue
        if _names(path):
            offenders.add(rel)
    assert offenders == ALLOWED | KNOWN_EXCEPTIONS


# Modules that ask the flavour strategies instead of reading ``prefix:name`` extension keys.
STRATEGY_CLIENTS = (
    "engine/mappings.py",
    "engine/call_flow.py",
    "engine/bindings.py",
    "humans/candidates.py",
)


@pytest.mark.parametrize("rel", STRATEGY_CLIENTS)
def test_engine_and_humans_ask_the_strategies(rel: str) -> None:
    text = (SEAMLINE / rel).read_text(encoding="utf-8")
    strings = [
        node.value
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    prefixes = ("camunda:", "zeebe:", "spiffworkflow:", "activiti:", "flowable:")
    assert not [s for s in strings if s.startswith(prefixes)], rel


def test_call_mappings_per_flavour() -> None:
    c7 = flavours.call_mapping(Flavour.CAMUNDA7, {"calledElement": "sub"})
    assert c7 is not None and c7.inputs == () and c7.outputs == ()  # Camunda 7 passes nothing
    c8 = flavours.call_mapping(Flavour.CAMUNDA8, {"zeebe:calledElement": {"processId": "sub"}})
    assert c8 is not None and c8.inputs[0].everything and not c8.inputs[0].local
    assert c8.outputs[0].everything and not c8.outputs[0].local
    assert flavours.call_mapping(Flavour.SPIFF, {}) is None  # SpiffWorkflow's own data flow
    assert flavours.call_mapping(Flavour.PLAIN, {}) is None


def test_resource_assignments_are_standard() -> None:
    roles = [
        {"role": "potentialOwner", "expression": "user(kermit), group(sales), management"},
        {"role": "humanPerformer", "expression": "gonzo"},
    ]
    got = flavours.assignment({"resourceRoles": roles})
    assert got == flavours.Assignment("gonzo", ("kermit",), ("sales", "management"))


def test_connectors_and_retries_per_flavour() -> None:
    spec = flavours.connector({"camunda:type": "external", "camunda:topic": "t"})
    assert spec is not None and spec.connector == "t" and spec.external
    retry = flavours.retries({"camunda:failedJobRetryTimeCycle": "R3/PT1M"})
    assert retry == flavours.RetrySpec("cycle", "R3/PT1M")
    zeebe_retry = flavours.retries(
        {"zeebe:taskDefinition": {"type": "x", "retries": "5"}, "zeebe:taskHeaders": {}}
    )
    assert zeebe_retry == flavours.RetrySpec("count", "5")
    assert flavours.connector({}) is None
