"""Unknown connectors are found before anything runs; `seamline connectors` lists them all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seamline.bpmn.definition import ProcessDefinition
from seamline.bpmn.loader import load_files
from seamline.bpmn.problems import Severity
from seamline.connectors.registry import ConnectorRegistry
from seamline.engine.checks import UNKNOWN_CONNECTOR, connector_problems
from tests.integration.connectors_engine.helpers import DIAGRAMS, cli, diagram


def _definition(name: str) -> ProcessDefinition:
    bundle = load_files([diagram(name)])
    [definition] = bundle.definitions.values()
    return definition


def test_unknown_connectors_are_reported_with_element_and_known_names() -> None:
    problems = connector_problems(
        _definition("unknown-connector.bpmn"), ConnectorRegistry.default()
    )
    assert [(p.element, p.code, p.severity) for p in problems] == [
        ("Task_Notify", UNKNOWN_CONNECTOR, Severity.ERROR),
        ("Task_Bill", UNKNOWN_CONNECTOR, Severity.ERROR),
    ]
    typo, billing = problems
    assert "'htpp'" in typo.message and typo.line == 10
    assert typo.file == str(diagram("unknown-connector.bpmn"))
    assert (typo.hint or "").startswith("known connectors: http,")  # the closest name first
    assert "'billing'" in billing.message
    for name in ("http", "python", "shell"):
        assert name in (billing.hint or "")


def test_an_alias_in_the_config_makes_a_connector_known() -> None:
    config = {"connectors": {"billing": {"type": "http", "base_url": "http://127.0.0.1:9"}}}
    problems = connector_problems(
        _definition("unknown-connector.bpmn"), ConnectorRegistry.default(config)
    )
    assert [p.element for p in problems] == ["Task_Notify"]


FLAVOURS = sorted(p.name for p in DIAGRAMS.glob("*.bpmn") if p.name != "unknown-connector.bpmn")


@pytest.mark.parametrize("name", FLAVOURS)
def test_the_flavour_diagrams_bind_cleanly(name: str) -> None:
    assert connector_problems(_definition(name), ConnectorRegistry.default()) == []


def test_java_delegates_are_reported_as_bad_bindings(tmp_path: Path) -> None:
    source = diagram("unknown-connector.bpmn").read_text(encoding="utf-8")
    path = tmp_path / "java.bpmn"
    path.write_text(
        source.replace(
            'camunda:type="external" camunda:topic="billing"',
            'camunda:class="com.example.BillingDelegate"',
        ),
        encoding="utf-8",
    )
    bundle = load_files([path])
    [definition] = bundle.definitions.values()
    problems = connector_problems(definition, ConnectorRegistry.default())
    assert [(p.element, p.code) for p in problems] == [
        ("Task_Notify", UNKNOWN_CONNECTOR),
        ("Task_Bill", "connector-binding"),
    ]
    assert "names Java code" in problems[1].message
    assert 'camunda:type="external"' in (problems[1].hint or "")


def test_validate_cli_reports_the_unknown_connector(tmp_path: Path) -> None:
    done = cli(
        tmp_path / "seamline.db", "validate", "--json", str(diagram("unknown-connector.bpmn"))
    )
    assert done.returncode == 1, done.stdout + done.stderr
    [report] = json.loads(done.stdout)
    found = [p for p in report["problems"] if p["code"] == UNKNOWN_CONNECTOR]
    assert [p["element"] for p in found] == ["Task_Notify", "Task_Bill"]
    assert "known connectors: http" in found[0]["hint"]


def test_connectors_json_lists_built_ins_and_configured_aliases(tmp_path: Path) -> None:
    (tmp_path / "seamline.toml").write_text(
        '[connectors.billing]\ntype = "http"\nbase_url = "https://billing.example"\n',
        encoding="utf-8",
    )
    done = cli(tmp_path / "seamline.db", "connectors", "--json")
    assert done.returncode == 0, done.stderr
    listed = {c["name"]: c for c in json.loads(done.stdout)}
    assert {"http", "python", "shell", "billing"} <= set(listed)
    assert listed["http"]["parameters"]["url"]["required"] is True
    assert "secret" in listed["http"]["parameters"]["auth"]
