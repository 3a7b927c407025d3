"""A compiled form as HTML inputs, and posted inputs back as data."""

from __future__ import annotations

from seamline.humans.forms import form_from_camunda_form_data, form_from_camunda_forms_json
from seamline.web.formfields import build_fields, parse_posted

APPROVE = form_from_camunda_form_data(
    [
        {"id": "approved", "type": "boolean", "validation": [{"name": "required"}]},
        {"id": "urgent", "type": "boolean"},
    ]
)


def test_a_boolean_is_a_yes_no_pair_with_nothing_chosen() -> None:
    fields, _ = build_fields(APPROVE)
    assert [f.widget for f in fields] == ["yesno", "yesno"]
    assert [(o.value, o.label, o.selected) for o in fields[0].options] == [
        ("true", "Yes", False),
        ("false", "No", False),
    ]
    fields, _ = build_fields(APPROVE, {"approved": False})
    assert [o.selected for o in fields[0].options] == [False, True]


def test_an_unanswered_yes_no_is_left_out_not_sent_as_false() -> None:
    assert parse_posted(APPROVE, {}) == {}
    assert parse_posted(APPROVE, {"approved": ["false"]}) == {"approved": "false"}


def test_errors_show_the_same_message_the_terminal_prints() -> None:
    fields, loose = build_fields(APPROVE, {}, ["approved: required", "(form): odd"])
    assert fields[0].errors == ["approved: required"]
    assert loose == ["(form): odd"]


FORM = form_from_camunda_forms_json(
    {
        "components": [
            {"type": "text",
             "text": "# Title\n<img src=x onerror=alert(1)> [x](javascript:alert(1))"},
            {"type": "group", "label": "Contact", "components": [
                {"key": "mail", "type": "textfield", "validate": {"validationType": "email"}},
            ]},
            {"type": "separator"},
            {"key": "level", "type": "radio", "values": [{"label": "Low", "value": "low"}]},
            {"key": "tags", "type": "checklist", "values": [{"label": "A", "value": "a"}]},
        ]
    }
)  # fmt: skip


def test_texts_headings_and_choices_render_in_drawing_order() -> None:
    fields, _ = build_fields(FORM)
    widgets = [f.widget for f in fields]
    assert widgets == ["markdown", "heading", "email", "separator", "radio", "checkboxes"]
    html = str(fields[0].html)
    assert "<h1>Title</h1>" in html
    assert "<img" not in html and "&lt;img" in html
    assert 'href="javascript' not in html
    assert fields[1].label == "Contact"


def test_an_empty_checklist_posts_an_empty_list_for_the_validation_to_judge() -> None:
    assert parse_posted(FORM, {"tags": ["a"], "level": ["low"]}) == {
        "tags": ["a"],
        "level": "low",
    }
    assert parse_posted(FORM, {})["tags"] == []
