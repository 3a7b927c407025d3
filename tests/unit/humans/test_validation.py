from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from seamline.errors import FormInvalid
from seamline.humans.validation import validate_field, validate_form

FORM: dict[str, Any] = {
    "type": "object",
    "properties": {
        "text": {"type": "string"},
        "when": {"type": "string", "format": "date"},
        "at": {"type": "string", "format": "date-time"},
        "n": {"type": "integer"},
        "x": {"type": "number"},
        "maybe": {"type": ["integer", "null"]},
    },
    "x-order": ["text", "when", "at", "n", "x", "maybe"],
}


def test_blank_typed_fields_count_as_not_given_but_blank_text_is_kept() -> None:
    assert validate_form(FORM, {"text": "", "when": "", "n": " ", "x": None}) == {"text": ""}


def test_python_values_are_accepted() -> None:
    data = validate_form(
        FORM,
        {"when": dt.date(2025, 1, 2), "at": dt.datetime(2025, 1, 2, 3, 4), "n": 3.0, "x": "2.5"},
    )
    assert data == {"when": "2025-01-02", "at": "2025-01-02T03:04:00", "n": 3, "x": 2.5}


def test_iso_date_time_text_is_normalised() -> None:
    assert validate_form(FORM, {"at": "2025-01-02 03:04"}) == {"at": "2025-01-02T03:04:00"}


def test_nullable_field_keeps_none() -> None:
    assert validate_form(FORM, {"maybe": None}) == {"maybe": None}


def test_fractional_whole_number_is_refused() -> None:
    with pytest.raises(FormInvalid) as info:
        validate_form(FORM, {"n": 2.5})
    assert info.value.errors == ["n: must be a whole number (got 2.5)"]


def test_data_must_be_an_object() -> None:
    with pytest.raises(FormInvalid, match="must be an object"):
        validate_form(FORM, ["n"])  # type: ignore[arg-type]


def test_validate_field_checks_one_field_alone() -> None:
    assert validate_field(FORM, "n", "5") == 5
    assert validate_field(FORM, "when", "") is None
    with pytest.raises(FormInvalid, match="when: must be a date"):
        validate_field(FORM, "when", "tomorrow")


def test_a_required_checklist_with_nothing_ticked_is_required() -> None:
    from seamline.humans.forms import form_from_camunda_forms_json

    form = form_from_camunda_forms_json(
        {"components": [{"key": "tags", "type": "checklist", "validate": {"required": True},
                         "values": [{"label": "A", "value": "a"}]}]}
    )  # fmt: skip
    with pytest.raises(FormInvalid) as info:
        validate_form(form, {"tags": []})
    assert info.value.errors == ["tags: required"]


def test_an_email_needs_a_domain_not_just_an_at_sign() -> None:
    form = {"type": "object", "properties": {"mail": {"type": "string", "format": "email"}}}
    assert validate_form(form, {"mail": "ann@example.com"}) == {"mail": "ann@example.com"}
    for bad in ("ann@", "@example.com", "ann @example.com"):
        with pytest.raises(FormInvalid) as info:
            validate_form(form, {"mail": bad})
        assert info.value.errors == [
            f"mail: must be an email address like name@example.com (got {bad!r})"
        ]
