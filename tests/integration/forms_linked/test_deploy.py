"""`seamline deploy diagram.bpmn` stores the form files the diagram links with it."""

from __future__ import annotations

from pathlib import Path

from seamline.app import App
from seamline.bpmn.discover import with_linked_forms
from seamline.store.memory import MemoryStore
from tests.integration.forms_linked.diagrams import C7_REF_TASK, camunda_form, one_task, write


def test_with_linked_forms_adds_the_form_files_once(tmp_path: Path) -> None:
    write(tmp_path, {"review.bpmn": one_task(C7_REF_TASK), "r.form": camunda_form()})
    diagram, form = tmp_path / "review.bpmn", tmp_path / "r.form"
    assert with_linked_forms([diagram]) == [diagram, form]
    assert with_linked_forms([diagram, form]) == [diagram, form]


def test_deploy_of_a_diagram_takes_its_linked_form(tmp_path: Path) -> None:
    write(tmp_path, {"review.bpmn": one_task(C7_REF_TASK), "r.form": camunda_form()})
    app = App(MemoryStore())
    [deployed] = app.deploy([tmp_path / "review.bpmn"])
    stored = app.store.get_definition(deployed.hash)
    assert str(tmp_path / "r.form") in stored.sources
