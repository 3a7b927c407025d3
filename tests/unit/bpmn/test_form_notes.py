"""Form keys a user task names that seamline cannot show."""

from __future__ import annotations

from seamline.bpmn.form_links import form_notes


def test_camunda_7_embedded_and_external_forms_are_named() -> None:
    [embedded] = form_notes({"camunda:formKey": "embedded:app:forms/x.html"})
    assert "'embedded:app:forms/x.html'" in embedded and "AngularJS" in embedded
    assert embedded.endswith("generic variables form (name and JSON value rows)")
    [external] = form_notes({"camunda:formKey": "app:tasks/x.jsf"})
    assert "another application" in external


def test_forms_seamline_shows_get_no_note() -> None:
    assert form_notes({"camunda:formKey": "camunda-forms:deployment:x.form"}) == []
    assert form_notes({"zeebe:formDefinition": {"formKey": "camunda-forms:bpmn:f1"}}) == []
    assert form_notes({"zeebe:formDefinition": {"formId": "invoice"}}) == []
    assert form_notes({}) == []


def test_a_camunda_8_custom_form_key_is_named() -> None:
    [note] = form_notes({"zeebe:formDefinition": {"formKey": "my-app:review"}})
    assert "'my-app:review'" in note and "custom or external form" in note
