from __future__ import annotations

from typing import Any

import pytest

from seamline.errors import FormInvalid, LoadError
from seamline.humans.forms import form_from_spiff_schema, validate_form

SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Request a laptop",
    "type": "object",
    "required": ["model", "quantity"],
    "properties": {
        "model": {
            "type": "string",
            "title": "Model",
            "oneOf": [
                {"const": "mbp", "title": "MacBook Pro"},
                {"const": "x1", "title": "ThinkPad X1"},
            ],
        },
        "quantity": {"type": "integer", "title": "Quantity", "minimum": 1, "default": "1"},
        "needed_by": {"type": "string", "format": "date", "title": "Needed by"},
        "colour": {"type": "string", "enum": ["grey", "black"], "enumNames": ["Grey", "Black"]},
        "accessories": {
            "type": "array",
            "items": {"type": "string", "enum": ["mouse", "dock"]},
            "uniqueItems": True,
        },
        "address": {
            "type": "object",
            "required": ["city"],
            "properties": {"city": {"type": "string"}, "zip": {"type": "integer"}},
        },
    },
}


def test_choices_and_order_are_normalised() -> None:
    schema = form_from_spiff_schema(SCHEMA)
    model = schema["properties"]["model"]
    assert "oneOf" not in model
    assert model["enum"] == ["mbp", "x1"]
    assert model["x-enum-names"] == ["MacBook Pro", "ThinkPad X1"]
    assert schema["properties"]["colour"]["x-enum-names"] == ["Grey", "Black"]
    assert schema["properties"]["quantity"]["default"] == 1
    assert schema["x-order"] == list(SCHEMA["properties"])
    assert schema["title"] == "Request a laptop"
    assert SCHEMA["properties"]["model"].get("oneOf")  # the input is not modified


def test_ui_order_sets_the_field_order() -> None:
    schema = form_from_spiff_schema(SCHEMA, {"ui:order": ["quantity", "model", "*"]})
    assert schema["x-order"][:3] == ["quantity", "model", "needed_by"]


def test_valid_data_is_coerced_including_nested_objects() -> None:
    schema = form_from_spiff_schema(SCHEMA)
    data = validate_form(
        schema,
        {
            "model": "ThinkPad X1",
            "needed_by": "2025-03-01",
            "accessories": "mouse,dock",
            "address": {"city": "Lyon", "zip": "69001"},
        },
    )
    assert data == {
        "model": "x1",
        "quantity": 1,
        "needed_by": "2025-03-01",
        "accessories": ["mouse", "dock"],
        "address": {"city": "Lyon", "zip": 69001},
    }


def test_extra_keys_pass_when_the_schema_allows_them() -> None:
    data = validate_form(form_from_spiff_schema(SCHEMA), {"model": "mbp", "note": "hi"})
    assert data["note"] == "hi"


def test_errors_name_fields_and_nested_fields() -> None:
    with pytest.raises(FormInvalid) as info:
        validate_form(
            form_from_spiff_schema(SCHEMA),
            {"model": "dell", "quantity": 0, "address": {"zip": "x"}},
        )
    assert info.value.errors == [
        "model: must be one of mbp, x1 (got 'dell')",
        "quantity: must be >= 1 (got 0)",
        "address.city: required",
        "address.zip: must be a whole number (got 'x')",
    ]


def test_oneof_that_is_not_a_choice_list_is_kept() -> None:
    schema = form_from_spiff_schema(
        {"properties": {"v": {"oneOf": [{"type": "integer"}, {"type": "boolean"}]}}}
    )
    assert "oneOf" in schema["properties"]["v"]
    with pytest.raises(FormInvalid, match="v: "):
        validate_form(schema, {"v": "text"})


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"type": "array"}, "must describe an object"),
        ({"properties": {"a": {"type": "strin"}}}, "not valid JSON Schema at properties/a/type"),
        ({"properties": {"n": {"type": "integer", "default": "x"}}}, "default value 'x'"),
    ],
)
def test_bad_schemas_are_load_errors(schema: dict[str, Any], message: str) -> None:
    with pytest.raises(LoadError, match=message):
        form_from_spiff_schema(schema)
