"""Linked forms travel with the definition: stored by content hash, kept by running instances;
the customer-onboarding sample and a corpus diagram with a SpiffArena schema form."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from seamline.app import App
from seamline.errors import FormInvalid, LoadError
from seamline.store.memory import MemoryStore
from seamline.store.sqlite import SqliteStore
from tests.integration.forms_linked.diagrams import HEAD, write

SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "customer-onboarding"

_TASK = """<bpmn:userTask id="{id}" name="{id}">
  <bpmn:extensionElements><spiffworkflow:properties>
    <spiffworkflow:property name="formJsonSchemaFilename" value="amount.json"/>
  </spiffworkflow:properties></bpmn:extensionElements>
</bpmn:userTask>"""
TWO_TASKS = (
    f'{HEAD}<bpmn:process id="twice" isExecutable="true">\n<bpmn:startEvent id="start"/>\n'
    f"{_TASK.format(id='first')}\n{_TASK.format(id='second')}\n<bpmn:endEvent id='end'/>\n"
    '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first"/>\n'
    '<bpmn:sequenceFlow id="f2" sourceRef="first" targetRef="second"/>\n'
    '<bpmn:sequenceFlow id="f3" sourceRef="second" targetRef="end"/>\n'
    "</bpmn:process>\n</bpmn:definitions>\n"
)


def amount_form(maximum: int) -> dict[str, Any]:
    """A SpiffArena schema with one bounded, required field."""
    return {
        "type": "object",
        "required": ["amount"],
        "properties": {"amount": {"type": "integer", "maximum": maximum}},
    }


def test_a_changed_form_file_does_not_change_a_running_instance(tmp_path: Path) -> None:
    db, diagram = tmp_path / "forms.db", tmp_path / "twice.bpmn"
    write(tmp_path, {"twice.bpmn": TWO_TASKS, "amount.json": amount_form(100)})
    with App(SqliteStore(db)) as app:
        old = app.run(diagram, {})
    write(tmp_path, {"amount.json": amount_form(10)})
    with App(SqliteStore(db)) as app:
        new = app.run(diagram, {})
        assert new.instance.definition_hash != old.instance.definition_hash
    # A fresh App reads the old instance's definition, form file included, from the store.
    with App(SqliteStore(db)) as app:
        [first] = app.tasks(instance_id=old.instance.id)
        assert first.form is not None and first.form["properties"]["amount"]["maximum"] == 100
        app.complete(first.id, {"amount": 50})
        [second] = app.tasks(instance_id=old.instance.id)  # its row built after the change
        assert second.element_id == "second"
        assert second.form is not None and second.form["properties"]["amount"]["maximum"] == 100
        assert app.complete(second.id, {"amount": 50}).instance.status.value == "completed"

        [newer] = app.tasks(instance_id=new.instance.id)
        with pytest.raises(FormInvalid) as refused:
            app.complete(newer.id, {"amount": 50})
        assert refused.value.errors == ["amount: must be <= 10 (got 50)"]


def test_customer_onboarding_compliance_form_is_enforced() -> None:
    app = App(MemoryStore())
    data = json.loads((SAMPLE / "data-high-risk.json").read_text())
    view = app.run(SAMPLE / "customer-onboarding.bpmn", data)
    [task] = app.tasks(instance_id=view.instance.id)
    assert task.element_id == "Task_ComplianceCheck"
    assert task.form is not None
    assert task.form["x-order"] == ["cleared", "compliance_notes"]  # the uiSchema's order
    assert task.form["properties"]["cleared"]["title"] == "Cleared for onboarding"

    with pytest.raises(FormInvalid) as refused:
        app.complete(task.id, {"cleared": "perhaps", "compliance_notes": "x" * 1001})
    assert [e.split(":")[0] for e in refused.value.errors] == ["cleared", "compliance_notes"]
    with pytest.raises(FormInvalid) as missing:
        app.complete(task.id, {"compliance_notes": "owner unknown"})
    assert missing.value.errors == ["cleared: required"]

    done = app.complete(task.id, {"cleared": "false", "compliance_notes": "owner unknown"})
    assert done.instance.status.value == "completed"
    assert done.instance.data["cleared"] is False


SPIFF_PROPERTIES = ("spiffworkflow-tests", "spiff", "data", "spiff_properties.bpmn")


def test_corpus_spiff_form_file_missing_is_located(corpus: Path) -> None:
    # The corpus keeps the diagram but not the form files it names.
    with pytest.raises(LoadError) as failed:
        App(MemoryStore()).run(corpus.joinpath(*SPIFF_PROPERTIES), {})
    assert failed.value.code == "form-not-found"
    assert failed.value.context["element"] == "Activity_04b30i8"
    assert failed.value.context["line"] == 12
    assert "my_json_jschema.json" in failed.value.message


def test_corpus_spiff_diagram_runs_with_its_schema_form(corpus: Path, tmp_path: Path) -> None:
    diagram = tmp_path / "spiff_properties.bpmn"
    shutil.copyfile(corpus.joinpath(*SPIFF_PROPERTIES), diagram)
    schema = {
        "title": "Complete Form",
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "title": "Name", "minLength": 2},
            "colour": {"type": "string", "enum": ["red", "blue"], "enumNames": ["Red", "Blue"]},
        },
    }
    write(tmp_path, {"my_json_jschema.json": schema, "my_ui_jschema.json": {}})
    app = App(MemoryStore())
    view = app.run(diagram, {})
    [task] = app.tasks(instance_id=view.instance.id)
    assert task.element_id == "Activity_04b30i8"
    assert task.form is not None and task.form["properties"]["colour"]["x-enum-names"] == [
        "Red",
        "Blue",
    ]
    with pytest.raises(FormInvalid) as refused:
        app.complete(task.id, {"name": "x", "colour": "green"})
    assert [e.split(":")[0] for e in refused.value.errors] == ["name", "colour"]
    done = app.complete(task.id, {"name": "Ada", "colour": "red"})
    assert done.instance.status.value == "completed"
