from __future__ import annotations

from typing import Any

import pytest

from seamline.errors import FormInvalid, LoadError
from seamline.humans.forms import form_from_camunda_forms_json, validate_form

INVOICE_FORM: dict[str, Any] = {
    "id": "approve-invoice",
    "type": "default",
    "components": [
        {"type": "text", "text": "# Approve the invoice"},
        {
            "key": "creditor",
            "label": "Creditor",
            "type": "textfield",
            "validate": {"required": True, "minLength": 2, "maxLength": 40},
        },
        {
            "key": "amount",
            "label": "Amount",
            "type": "number",
            "validate": {"required": True, "min": 0, "max": 10000},
        },
        {"key": "count", "label": "Items", "type": "number", "decimalDigits": 0},
        {"key": "approved", "label": "Approved?", "type": "checkbox", "defaultValue": False},
        {
            "key": "category",
            "label": "Category",
            "type": "select",
            "values": [{"label": "Travel", "value": "travel"}, {"label": "Misc", "value": "misc"}],
        },
        {
            "key": "priority",
            "label": "Priority",
            "type": "radio",
            "values": [{"label": "Low", "value": "low"}, {"label": "High", "value": "high"}],
        },
        {
            "type": "group",
            "label": "Details",
            "components": [
                {"key": "due", "label": "Due", "type": "datetime", "subtype": "date"},
                {"key": "at", "label": "At", "type": "datetime", "subtype": "time"},
                {
                    "key": "notes",
                    "label": "Notes",
                    "type": "textarea",
                    "description": "Anything the accountant should know",
                },
            ],
        },
        {
            "key": "tags",
            "label": "Tags",
            "type": "taglist",
            "values": [{"label": "A", "value": "a"}, {"label": "B", "value": "b"}],
        },
        {
            "key": "code",
            "label": "Code",
            "type": "textfield",
            "validate": {"pattern": "^[A-Z]{3}$"},
        },
        {
            "key": "email",
            "label": "E-mail",
            "type": "textfield",
            "validate": {"validationType": "email"},
        },
        {"key": "owner", "label": "Owner", "type": "select", "valuesKey": "owners"},
        {"key": "ref", "label": "Ref", "type": "textfield", "readonly": True, "defaultValue": "R1"},
        {"type": "button", "action": "submit", "label": "Submit"},
    ],
}


def test_components_become_ordered_fields() -> None:
    schema = form_from_camunda_forms_json(INVOICE_FORM)
    assert schema["x-order"] == [
        "creditor",
        "amount",
        "count",
        "approved",
        "category",
        "priority",
        "due",
        "at",
        "notes",
        "tags",
        "code",
        "email",
        "owner",
        "ref",
    ]
    assert schema["required"] == ["creditor", "amount"]
    assert schema["x-form-id"] == "approve-invoice"
    props = schema["properties"]
    assert props["creditor"]["title"] == "Creditor"
    assert props["amount"]["type"] == "number"
    assert props["count"]["type"] == "integer"
    assert props["approved"] == {
        "type": "boolean",
        "title": "Approved?",
        "x-source-type": "checkbox",
        "default": False,
    }
    assert props["category"]["enum"] == ["travel", "misc"]
    assert props["category"]["x-enum-names"] == ["Travel", "Misc"]
    assert props["due"]["format"] == "date"
    assert props["at"]["format"] == "time"
    assert props["notes"]["description"] == "Anything the accountant should know"
    assert props["tags"]["items"]["enum"] == ["a", "b"]
    assert "owners" in props["owner"]["x-note"]
    assert props["ref"]["readOnly"] is True


def test_valid_data_is_coerced_and_defaulted() -> None:
    schema = form_from_camunda_forms_json(INVOICE_FORM)
    data = validate_form(
        schema,
        {
            "creditor": "Acme",
            "amount": "12.5",
            "count": "3",
            "category": "Travel",
            "due": "2025-01-31",
            "at": "09:30",
            "tags": "a, b",
            "code": "ABC",
        },
    )
    assert data == {
        "creditor": "Acme",
        "amount": 12.5,
        "count": 3,
        "approved": False,
        "category": "travel",
        "due": "2025-01-31",
        "at": "09:30:00",
        "tags": ["a", "b"],
        "code": "ABC",
        "ref": "R1",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": 1}, "creditor: required"),
        ({"creditor": "A", "amount": 1}, "creditor: must be at least 2 characters long (got 1)"),
        ({"creditor": "Acme", "amount": -1}, "amount: must be >= 0 (got -1)"),
        ({"creditor": "Acme", "amount": 20000}, "amount: must be <= 10000 (got 20000)"),
        (
            {"creditor": "Acme", "amount": 1, "code": "ab"},
            "code: must match the pattern ^[A-Z]{3}$ (got 'ab')",
        ),
        (
            {"creditor": "Acme", "amount": 1, "priority": "urgent"},
            "priority: must be one of low, high (got 'urgent')",
        ),
        (
            {"creditor": "Acme", "amount": 1, "tags": "a, c"},
            "tags.1: must be one of a, b (got 'c')",
        ),
        (
            {"creditor": "Acme", "amount": 1, "tags": "a, a"},
            "tags: must not repeat a choice (got ['a', 'a'])",
        ),
        (
            {"creditor": "Acme", "amount": 1, "email": "nobody"},
            "email: must be an email address like name@example.com (got 'nobody')",
        ),
        (
            {"creditor": "Acme", "amount": 1, "due": "soon"},
            "due: must be a date like 2024-12-31 (got 'soon')",
        ),
        ({"creditor": "Acme", "amount": "ten"}, "amount: must be a number (got 'ten')"),
    ],
)
def test_validate_rules_give_field_messages(data: dict[str, Any], message: str) -> None:
    with pytest.raises(FormInvalid) as info:
        validate_form(form_from_camunda_forms_json(INVOICE_FORM), data)
    assert info.value.errors == [message]


def test_dynamic_list_is_a_list_of_objects() -> None:
    schema = form_from_camunda_forms_json(
        {
            "components": [
                {
                    "key": "lines",
                    "type": "dynamiclist",
                    "components": [
                        {"key": "item", "type": "textfield", "validate": {"required": True}},
                        {"key": "qty", "type": "number", "decimalDigits": 0},
                    ],
                }
            ]
        }
    )
    lines = schema["properties"]["lines"]
    assert lines["type"] == "array"
    assert lines["items"]["required"] == ["item"]
    with pytest.raises(FormInvalid) as info:
        validate_form(schema, {"lines": [{"item": "x", "qty": 1}, {"qty": 2}]})
    assert info.value.errors == ["lines.1.item: required"]


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"type": "default"}, "components list"),
        (
            {"components": [{"type": "textfield", "id": "Field_1"}]},
            "Field_1 \\(textfield\\) has no key",
        ),
        (
            {"components": [{"key": "a", "type": "textfield"}, {"key": "a", "type": "number"}]},
            "declared twice",
        ),
        (
            {"components": [{"key": "s", "type": "select", "values": [{"label": "x"}]}]},
            "every option needs a value",
        ),
        (
            {"components": [{"key": "n", "type": "number", "defaultValue": "x"}]},
            "default value 'x' must be a number",
        ),
    ],
)
def test_bad_form_documents(doc: dict[str, Any], message: str) -> None:
    with pytest.raises(LoadError, match=message):
        form_from_camunda_forms_json(doc)


def test_texts_headings_and_separators_keep_their_place_among_the_fields() -> None:
    schema = form_from_camunda_forms_json(INVOICE_FORM)
    layout = schema["x-layout"]
    assert layout[0] == {"text": "# Approve the invoice"}
    assert layout[1] == {"field": "creditor"}
    assert {"heading": "Details"} in layout
    assert layout.index({"heading": "Details"}) == layout.index({"field": "due"}) - 1


def test_components_that_are_not_shown_are_listed_not_dropped() -> None:
    schema = form_from_camunda_forms_json(
        {
            "components": [
                {"type": "iframe", "id": "Frame_1"},
                {"type": "group", "components": [{"type": "html", "id": "Html_1"}]},
                {"type": "spacer"},
                {"type": "button"},
            ]
        }
    )
    assert schema["x-unsupported"] == [
        "component Frame_1 (iframe): embedded pages (iframe) are not shown",
        "component Html_1 (html): HTML content is not shown (seamline does not render a"
        " form's HTML)",
    ]
    assert "x-unsupported" not in form_from_camunda_forms_json(INVOICE_FORM)
