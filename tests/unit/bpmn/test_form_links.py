"""Form links: read from each modeler's extensions, found beside the diagram, checked at load."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from seamline.bpmn.check import check_files
from seamline.bpmn.discover import companions, linked_forms
from seamline.bpmn.form_links import FormLink, find_file, link_of
from seamline.bpmn.loader import load_sources
from seamline.bpmn.problems import Severity

from .helpers import diagram

FORM = {"id": "f1", "components": [{"type": "textfield", "key": "name", "label": "Name"}]}
SCHEMA = {"type": "object", "properties": {"name": {"type": "string"}}}


def task(attrs: str = "", ext: str = "", tid: str = "t") -> str:
    """start -> one user task -> end."""
    inner = f"<bpmn:extensionElements>{ext}</bpmn:extensionElements>" if ext else ""
    return (
        '<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/>\n'
        f'<bpmn:userTask id="{tid}" {attrs}>{inner}</bpmn:userTask>\n'
        '<bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e"/><bpmn:endEvent id="e"/>'
    )


SPIFF = (
    "<spiffworkflow:properties>"
    '<spiffworkflow:property name="formJsonSchemaFilename" value="schema.json"/>'
    '<spiffworkflow:property name="formUiSchemaFilename" value="ui.json"/>'
    "</spiffworkflow:properties>"
)


@pytest.mark.parametrize(
    ("ext", "expected"),
    [
        ({"spiffworkflow:properties": {"formJsonSchemaFilename": "a.json"}},
         FormLink("formJsonSchemaFilename", "a.json", "file", "spiff-schema")),
        ({"camunda:formRef": "f1", "camunda:formRefBinding": "latest"},
         FormLink("camunda:formRef", "f1", "id", "camunda-forms")),
        ({"camunda:formKey": "camunda-forms:deployment:x.form"},
         FormLink("camunda:formKey", "x.form", "file", "camunda-forms")),
        ({"camunda:formKey": "camunda-forms:app:forms/x.form"},
         FormLink("camunda:formKey", "forms/x.form", "file", "camunda-forms")),
        ({"zeebe:formDefinition": {"formId": "f1"}},
         FormLink("zeebe:formDefinition formId", "f1", "id", "camunda-forms")),
        ({"camunda:formKey": "embedded:app:forms/x.html"}, None),
        ({"zeebe:formDefinition": {"formKey": "camunda-forms:bpmn:userTaskForm_1"}}, None),
        ({"zeebe:formDefinition": {"externalReference": "https://forms.example/1"}}, None),
        ({"spiffworkflow:properties": {"other": "x"}}, None),
    ],
)  # fmt: skip
def test_link_of_each_flavour(ext: dict[str, Any], expected: FormLink | None) -> None:
    assert link_of(ext) == expected


def test_find_file_prefers_the_sibling_then_a_unique_base_name() -> None:
    names = ["a/x.json", "b/x.json", "b/d.bpmn", "c/only.json"]
    assert find_file("b/d.bpmn", "x.json", names) == "b/x.json"
    assert find_file("z/d.bpmn", "x.json", names) is None  # two candidates elsewhere: no guess
    assert find_file("z/d.bpmn", "only.json", names) == "c/only.json"
    assert find_file("b/d.bpmn", "./sub/../x.json", names) == "b/x.json"


def _write(folder: Path, files: dict[str, Any]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content if isinstance(content, str) else json.dumps(content))


def test_companions_bring_linked_forms_by_name_and_by_id(tmp_path: Path) -> None:
    caller = diagram(
        task(ext=SPIFF) + '<bpmn:callActivity id="c" calledElement="sub"/>', process="main"
    )
    called = diagram(task('camunda:formRef="f1"'), process="sub")
    _write(tmp_path, {
        "main.bpmn": caller.decode(), "sub.bpmn": called.decode(), "schema.json": SCHEMA,
        "ui.json": {}, "linked.form": FORM, "other.form": {**FORM, "id": "f2"},
        "data.json": {"x": 1}, "broken.form": "{",
    })  # fmt: skip
    found = [p.name for p in companions(tmp_path / "main.bpmn")]
    assert found == ["sub.bpmn", "schema.json", "ui.json", "linked.form"]
    assert [p.name for p in linked_forms(tmp_path / "sub.bpmn")] == ["linked.form"]


def test_missing_linked_file_is_left_out(tmp_path: Path) -> None:
    _write(tmp_path, {"d.bpmn": diagram(task(ext=SPIFF)).decode(), "schema.json": SCHEMA})
    assert [p.name for p in companions(tmp_path / "d.bpmn")] == ["schema.json"]


def test_loader_keeps_form_files_as_sources_and_reports_them() -> None:
    sources = {"x/d.bpmn": diagram(task(ext=SPIFF)), "x/schema.json": json.dumps(SCHEMA).encode(),
               "x/ui.json": b'{"ui:order": ["name"]}'}  # fmt: skip
    bundle = load_sources(sources)
    assert bundle.ok, bundle.problems
    definition = bundle.definitions["p"]
    assert set(definition.sources) == set(sources)
    kinds = {r.file: r.kind for r in bundle.files}
    assert kinds == {"x/d.bpmn": "bpmn", "x/schema.json": "form", "x/ui.json": "form"}


def test_missing_form_is_an_error_on_the_task_line() -> None:
    bundle = load_sources({"d.bpmn": diagram(task(ext=SPIFF))})
    assert "p" not in bundle.definitions
    [problem] = [p for p in bundle.problems if p.severity is Severity.ERROR]
    assert (problem.code, problem.element, problem.line) == ("form-not-found", "t", 5)
    assert "schema.json" in problem.message


def test_missing_form_in_a_non_executable_process_is_only_a_warning() -> None:
    bundle = load_sources({"d.bpmn": diagram(task(ext=SPIFF)).replace(
        b'isExecutable="true"', b'isExecutable="false"')})  # fmt: skip
    assert bundle.ok
    assert {p.code: p.severity for p in bundle.problems}["form-not-found"] is Severity.WARNING


def test_form_file_that_is_not_json_is_reported_on_file_and_task() -> None:
    sources = {"d.bpmn": diagram(task('camunda:formKey="camunda-forms:deployment:f.form"')),
               "f.form": b'{\n "id": "f1",\n}'}  # fmt: skip
    bundle = load_sources(sources)
    located = {(p.file, p.element, p.line, p.code) for p in bundle.problems}
    assert ("d.bpmn", "t", 5, "form-not-json") in located
    assert ("f.form", None, 3, "form-not-json") in located
    assert bundle.problems[0].file == "d.bpmn"  # the task's problem comes first


def test_embedded_camunda8_form_is_recorded_on_the_task() -> None:
    body = json.dumps(FORM).replace("<", "&lt;")
    extra = f'<zeebe:userTaskForm id="userTaskForm_1">{body}</zeebe:userTaskForm>'
    key = '<zeebe:formDefinition formKey="camunda-forms:bpmn:userTaskForm_1"/>'
    bundle = load_sources(
        {
            "d.bpmn": diagram(
                f"<bpmn:extensionElements>{extra}</bpmn:extensionElements>" + task(ext=key)
            )
        }
    )
    assert bundle.ok, bundle.problems
    ext = bundle.definitions["p"].elements["t"].extensions
    assert ext["zeebe:formJson"] == FORM
    assert ext["zeebe:userTaskForm"]["id"] == "userTaskForm_1"


def test_embedded_form_that_is_not_json_is_located() -> None:
    extra = '<zeebe:userTaskForm id="userTaskForm_1">{"components": </zeebe:userTaskForm>'
    key = '<zeebe:formDefinition formKey="camunda-forms:bpmn:userTaskForm_1"/>'
    bundle = load_sources(
        {
            "d.bpmn": diagram(
                f"<bpmn:extensionElements>{extra}</bpmn:extensionElements>" + task(ext=key)
            )
        }
    )
    [problem] = bundle.problems
    assert (problem.code, problem.element) == ("form-not-json", "t")


def test_validate_reads_the_linked_forms_beside_a_diagram(tmp_path: Path) -> None:
    _write(tmp_path, {"d.bpmn": diagram(task(ext=SPIFF)).decode(), "schema.json": SCHEMA,
                      "ui.json": {}})  # fmt: skip
    [report] = check_files([tmp_path / "d.bpmn"])
    assert report.ok and report.processes == ("p",), report.problems
    (tmp_path / "schema.json").unlink()
    [report] = check_files([tmp_path / "d.bpmn"])
    assert not report.ok and [p.code for p in report.problems] == ["form-not-found"]


def test_validate_a_form_file_given_on_its_own(tmp_path: Path) -> None:
    _write(tmp_path, {"good.form": FORM, "bad.json": "{oops"})
    good, bad = check_files([tmp_path / "good.form", tmp_path / "bad.json"])
    assert good.ok and good.kind == "form"
    assert not bad.ok and bad.problems[0].code == "form-not-json"
