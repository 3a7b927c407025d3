"""Forms linked by file or embedded by key, through App: the task gets the form and enforces it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from seamline.app import App
from seamline.errors import FormInvalid, LoadError
from seamline.store.memory import MemoryStore
from tests.integration.forms_linked.diagrams import (
    C7_KEY_TASK,
    C7_REF_TASK,
    C8_EMBEDDED_TASK,
    C8_ID_TASK,
    SPIFF_SCHEMA,
    SPIFF_TASK,
    SPIFF_UI,
    camunda_form,
    embedded,
    one_task,
    write,
)

CAMUNDA_KINDS: dict[str, dict[str, Any]] = {
    "camunda7-formRef": {"review.bpmn": one_task(C7_REF_TASK), "any-name.form": camunda_form()},
    "camunda7-formKey": {"review.bpmn": one_task(C7_KEY_TASK), "review.form": camunda_form()},
    "camunda8-formId": {"review.bpmn": one_task(C8_ID_TASK), "linked.form": camunda_form()},
    "camunda8-embedded": {
        "review.bpmn": one_task(C8_EMBEDDED_TASK, process_ext=embedded(camunda_form()))
    },
}


@pytest.fixture
def app() -> App:
    return App(MemoryStore())


def _started(app: App, folder: Path, files: dict[str, Any]) -> Any:
    write(folder, files)
    view = app.run(folder / "review.bpmn", {})
    [task] = app.tasks(instance_id=view.instance.id)
    assert task.element_id == "review_task"
    return task


@pytest.mark.parametrize("kind", sorted(CAMUNDA_KINDS))
def test_camunda_form_is_compiled_and_enforced(app: App, tmp_path: Path, kind: str) -> None:
    task = _started(app, tmp_path, CAMUNDA_KINDS[kind])
    assert task.form is not None
    assert task.form["x-form"] == "camunda-forms"
    assert task.form["x-order"] == ["amount", "decision"]  # the display-only text is left out
    assert task.form["properties"]["decision"]["enum"] == ["approve", "reject"]

    with pytest.raises(FormInvalid) as refused:
        app.complete(task.id, {"amount": 5000, "decision": "maybe"})
    assert [e.split(":")[0] for e in refused.value.errors] == ["amount", "decision"]
    with pytest.raises(FormInvalid) as missing:
        app.complete(task.id, {"decision": "approve"})
    assert missing.value.errors == ["amount: required"]

    done = app.complete(task.id, {"amount": "250", "decision": "approve"})
    assert done.instance.status.value == "completed"
    assert done.instance.data["amount"] == 250  # coerced to the form's integer


def test_spiff_schema_file_with_ui_order(app: App, tmp_path: Path) -> None:
    files = {
        "review.bpmn": one_task(SPIFF_TASK),
        "review-schema.json": SPIFF_SCHEMA,
        "review-uischema.json": SPIFF_UI,
    }
    task = _started(app, tmp_path, files)
    assert task.form is not None
    assert task.form["x-order"] == ["approved", "amount", "size"]
    assert task.form["properties"]["size"]["enum"] == ["s", "l"]

    with pytest.raises(FormInvalid) as refused:
        app.complete(task.id, {"amount": -3, "size": "xl"})
    fields = {e.split(":")[0] for e in refused.value.errors}
    assert fields == {"approved", "amount", "size"}

    done = app.complete(task.id, {"approved": True, "amount": 3, "size": "s"})
    assert done.instance.status.value == "completed"


@pytest.mark.parametrize(
    ("files", "code", "needle"),
    [
        ({"review.bpmn": one_task(SPIFF_TASK)}, "form-not-found", "review-schema.json"),
        ({"review.bpmn": one_task(C7_REF_TASK)}, "form-not-found", "reviewForm"),
        (
            {"review.bpmn": one_task(C8_ID_TASK), "a.form": camunda_form(),
             "b.form": camunda_form()},
            "form-ambiguous",
            "reviewForm",
        ),
        (
            {"review.bpmn": one_task(C8_EMBEDDED_TASK, process_ext=embedded(camunda_form("x"))
                                     .replace("userTaskForm_1", "other"))},
            "form-not-found",
            "userTaskForm_1",
        ),
    ],
)  # fmt: skip
def test_unusable_link_is_a_located_error(
    app: App, tmp_path: Path, files: dict[str, Any], code: str, needle: str
) -> None:
    write(tmp_path, files)
    with pytest.raises(LoadError) as failed:
        app.run(tmp_path / "review.bpmn", {})
    assert failed.value.code == code
    assert failed.value.context["element"] == "review_task"
    assert failed.value.context["line"] == 9  # the user task's line
    assert needle in str(failed.value)


def test_form_file_that_is_not_json_names_file_and_line(app: App, tmp_path: Path) -> None:
    write(tmp_path, {"review.bpmn": one_task(SPIFF_TASK), "review-uischema.json": SPIFF_UI})
    (tmp_path / "review-schema.json").write_text('{\n  "type": "object",\n  oops\n}\n')
    with pytest.raises(LoadError) as failed:
        app.run(tmp_path / "review.bpmn", {})
    assert failed.value.code == "form-not-json"
    assert failed.value.context["element"] == "review_task"
    assert "review-schema.json" in failed.value.message and "line 3" in failed.value.message


def test_form_that_does_not_compile_is_a_load_error(app: App, tmp_path: Path) -> None:
    bad = camunda_form()
    del bad["components"][1]["key"]
    write(tmp_path, {"review.bpmn": one_task(C7_REF_TASK), "review.form": bad})
    with pytest.raises(LoadError) as failed:
        app.run(tmp_path / "review.bpmn", {})
    assert failed.value.code == "bad-form"
    assert "review.form" in failed.value.message and "has no key" in failed.value.message
