from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from seamline.errors import FormInvalid, LoadError
from seamline.humans.forms import form_from_camunda_form_data, validate_form

CAMUNDA = "http://camunda.org/schema/1.0/bpmn"


def field(key: str, kind: str | None = "string", **kw: Any) -> dict[str, Any]:
    return {"id": key, "label": kw.pop("label", key.title()), "type": kind, **kw}


def rule(name: str, config: str | None = None) -> dict[str, Any]:
    return {"name": name, "config": config}


def errors_of(schema: dict[str, Any], data: dict[str, Any]) -> list[str]:
    with pytest.raises(FormInvalid) as info:
        validate_form(schema, data)
    return info.value.errors


def test_field_types_order_and_labels() -> None:
    schema = form_from_camunda_form_data(
        [
            field("name", label="Your name"),
            field("amount", "long"),
            field("urgent", "boolean"),
            field("due", "date"),
            field(
                "decision",
                "enum",
                values=[{"id": "approve", "name": "Approve"}, {"id": "reject", "name": "Reject"}],
            ),
            field("untyped", None),
        ]
    )
    props = schema["properties"]
    assert schema["x-order"] == ["name", "amount", "urgent", "due", "decision", "untyped"]
    assert props["name"] == {"type": "string", "title": "Your name", "x-source-type": "string"}
    assert props["amount"]["type"] == "integer"
    assert props["urgent"]["type"] == "boolean"
    assert props["due"]["format"] == "date"
    assert props["decision"]["enum"] == ["approve", "reject"]
    assert props["decision"]["x-enum-names"] == ["Approve", "Reject"]
    assert props["untyped"]["type"] == "string"
    assert schema["additionalProperties"] is False


def test_custom_type_is_text_with_a_note() -> None:
    prop = form_from_camunda_form_data([field("notes", "textarea")])["properties"]["notes"]
    assert prop["type"] == "string"
    assert "textarea" in prop["x-note"]
    assert prop["x-widget"] == "textarea"


def test_terminal_strings_are_coerced() -> None:
    schema = form_from_camunda_form_data(
        [field("amount", "long"), field("urgent", "boolean"), field("due", "date")]
    )
    data = {"amount": "42", "urgent": "yes", "due": "31/12/2024"}
    assert validate_form(schema, data) == {"amount": 42, "urgent": True, "due": "2024-12-31"}
    assert validate_form(schema, {"due": "2024-12-31", "urgent": "false"}) == {
        "due": "2024-12-31",
        "urgent": False,
    }


@pytest.mark.parametrize(
    ("fields", "data", "message"),
    [
        (
            [field("amount", "long")],
            {"amount": "abc"},
            "amount: must be a whole number (got 'abc')",
        ),
        ([field("amount", "long")], {"amount": True}, "amount: must be a whole number (got True)"),
        (
            [field("ok", "boolean")],
            {"ok": "perhaps"},
            "ok: must be true or false (yes/no) (got 'perhaps')",
        ),
        (
            [field("due", "date")],
            {"due": "31.12.2024"},
            "due: must be a date like 2024-12-31 or 31/12/2024 (got '31.12.2024')",
        ),
        ([field("name", validation=[rule("required")])], {}, "name: required"),
        ([field("name", validation=[rule("required")])], {"name": "  "}, "name: required"),
        (
            [field("name", validation=[rule("minlength", "3")])],
            {"name": "ab"},
            "name: must be at least 3 characters long (got 2)",
        ),
        (
            [field("name", validation=[rule("maxlength", "2")])],
            {"name": "abc"},
            "name: must be at most 2 characters long (got 3)",
        ),
        (
            [field("amount", "long", validation=[rule("min", "0")])],
            {"amount": -5},
            "amount: must be >= 0 (got -5)",
        ),
        (
            [field("amount", "long", validation=[rule("max", "10")])],
            {"amount": "11"},
            "amount: must be <= 10 (got 11)",
        ),
        (
            [
                field(
                    "decision",
                    "enum",
                    values=[
                        {"id": "approve", "name": "Approve"},
                        {"id": "reject", "name": "Reject"},
                    ],
                )
            ],
            {"decision": "maybe"},
            "decision: must be one of approve, reject (got 'maybe')",
        ),
        (
            [field("code", defaultValue="x", validation=[rule("readonly")])],
            {"code": "y"},
            "code: read-only; leave it out (got 'y')",
        ),
        ([field("a")], {"b": 1}, "b: not a field of this form (fields: a)"),
    ],
)
def test_each_constraint_gives_one_message_per_field(
    fields: list[dict[str, Any]], data: dict[str, Any], message: str
) -> None:
    assert errors_of(form_from_camunda_form_data(fields), data) == [message]


def test_errors_come_one_per_field_in_form_order() -> None:
    schema = form_from_camunda_form_data(
        [
            field("name", validation=[rule("required"), rule("minlength", "5")]),
            field("amount", "long", validation=[rule("min", "0"), rule("max", "-10")]),
        ]
    )
    messages = errors_of(schema, {"amount": -5})
    assert messages == ["name: required", "amount: must be >= 0 (got -5)"]


def test_form_invalid_is_one_line() -> None:
    schema = form_from_camunda_form_data([field("n", "long", validation=[rule("required")])])
    with pytest.raises(FormInvalid) as info:
        validate_form(schema, {}, element="Task_1")
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("[Task_1]: invalid form data: n: required")


def test_defaults_are_typed_and_applied() -> None:
    schema = form_from_camunda_form_data(
        [
            field("amount", "long", defaultValue="7"),
            field("urgent", "boolean", defaultValue="true"),
            field("due", "date", defaultValue="01/02/2025"),
            field("who", defaultValue="${initiator}"),
        ]
    )
    props = schema["properties"]
    assert props["who"]["x-default-expression"] == "${initiator}"
    assert "default" not in props["who"]
    assert validate_form(schema, {}) == {"amount": 7, "urgent": True, "due": "2025-02-01"}
    assert validate_form(schema, {"amount": ""})["amount"] == 7


def test_readonly_field_keeps_its_default() -> None:
    schema = form_from_camunda_form_data(
        [field("code", defaultValue="A1", validation=[rule("readonly")])]
    )
    assert schema["properties"]["code"]["readOnly"] is True
    assert validate_form(schema, {}) == {"code": "A1"}
    assert validate_form(schema, {"code": "A1"}) == {"code": "A1"}


def test_unknown_constraint_is_noted_not_checked() -> None:
    schema = form_from_camunda_form_data([field("x", validation=[rule("validator", "a.B")])])
    assert "validator" in schema["properties"]["x"]["x-note"]
    assert validate_form(schema, {"x": "anything"}) == {"x": "anything"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ([{"label": "no id"}], "form field #1 has no id"),
        ([field("a"), field("a")], "form field a is declared twice"),
        ([field("e", "enum")], "form field e: an enum field needs values"),
        ([field("a", validation=[rule("min", "ten")])], "constraint min needs a number"),
        ([field("n", "long", defaultValue="many")], "default value 'many' must be a whole number"),
    ],
)
def test_bad_definitions_are_load_errors(fields: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(LoadError, match=message) as info:
        form_from_camunda_form_data(fields)
    assert info.value.code == "bad-form"


def _fields_from_bpmn(path: Path, task_id: str) -> list[dict[str, Any]]:
    """Read camunda:formField elements into the shape the loader records."""
    tree = etree.parse(str(path))
    ns = {"c": CAMUNDA}
    out = []
    for el in tree.xpath(f"//*[@id='{task_id}']//c:formField", namespaces=ns):
        out.append(
            {
                "id": el.get("id"),
                "label": el.get("label"),
                "type": el.get("type"),
                "defaultValue": el.get("defaultValue"),
                "validation": [
                    {"name": c.get("name"), "config": c.get("config")}
                    for c in el.xpath("c:validation/c:constraint", namespaces=ns)
                ],
                "values": [
                    {"id": v.get("id"), "name": v.get("name")}
                    for v in el.xpath("c:value", namespaces=ns)
                ],
                "properties": {
                    p.get("id"): p.get("value")
                    for p in el.xpath("c:properties/c:property", namespaces=ns)
                },
            }
        )
    return out


def test_corpus_enum_form_with_constraint_and_default(corpus: Path) -> None:
    path = corpus / "spiffworkflow-tests" / "camunda" / "data" / "random_fact.bpmn"
    schema = form_from_camunda_form_data(_fields_from_bpmn(path, "Task_User_Select_Type"))
    prop = schema["properties"]["type"]
    assert prop["enum"] == ["norris", "cat", "buzzword"]
    assert prop["description"].startswith("Choose from the list")
    assert validate_form(schema, {}) == {"type": "cat"}
    assert validate_form(schema, {"type": "Chuck Norris"}) == {"type": "norris"}
    assert errors_of(schema, {"type": "dog"}) == [
        "type: must be one of norris, cat, buzzword (got 'dog')"
    ]
