"""What a task's form starts with, by each modeler's rules."""

from __future__ import annotations

from typing import Any

from seamline import expr
from seamline.errors import SeamlineError
from seamline.humans.forms import (
    form_from_camunda_form_data,
    form_from_camunda_forms_json,
    form_from_spiff_schema,
)
from seamline.humans.prefill import prefill, prefill_of, with_prefill


def juel(text: str, variables: dict[str, Any]) -> Any:
    return expr.compile_juel(text).evaluate(variables)


def test_camunda_7_the_variable_wins_over_the_default_expression() -> None:
    form = form_from_camunda_form_data(
        [
            {"id": "amount", "type": "long", "defaultValue": "${base * 2}"},
            {"id": "doubled", "type": "long", "defaultValue": "${base * 2}"},
            {"id": "note", "type": "string", "defaultValue": "none"},
            {"id": "later", "type": "string", "defaultValue": "${notYetSet}"},
        ]
    )
    variables = {"amount": 7, "base": 21}
    got = prefill(form, variables, lambda text: juel(text, variables))
    assert got == {"amount": 7, "doubled": 42, "note": "none"}


def test_an_expression_that_fails_leaves_the_field_empty() -> None:
    form = form_from_camunda_form_data([{"id": "x", "type": "long", "defaultValue": "${a.b}"}])

    def failing(text: str) -> Any:
        raise SeamlineError("a is not set")

    assert prefill(form, {}, failing) == {}


def test_camunda_forms_bind_fields_by_key_including_dotted_keys() -> None:
    form = form_from_camunda_forms_json(
        {
            "components": [
                {"key": "address.city", "label": "City", "type": "textfield"},
                {"key": "approved", "label": "OK?", "type": "checkbox", "defaultValue": True},
                {"key": "count", "type": "number", "decimalDigits": 0},
            ]
        }
    )
    got = prefill(form, {"address": {"city": "Bern"}, "count": 3.0})
    assert got == {"address.city": "Bern", "approved": True, "count": 3}


def test_spiff_forms_take_the_task_data_by_property_name() -> None:
    form = form_from_spiff_schema(
        {"properties": {"cleared": {"type": "boolean"}, "notes": {"type": "string"}}}
    )
    assert prefill(form, {"cleared": False, "other": 1}) == {"cleared": False}


def test_values_json_cannot_hold_are_left_out_and_dates_become_text() -> None:
    import datetime as dt

    form = form_from_spiff_schema(
        {"properties": {"when": {"type": "string", "format": "date"}, "obj": {}}}
    )
    got = prefill(form, {"when": dt.date(2024, 5, 1), "obj": object()})
    assert got == {"when": "2024-05-01"}


def test_the_prefill_travels_in_the_form() -> None:
    form = form_from_spiff_schema({"properties": {"a": {"type": "integer"}}})
    carried = with_prefill(form, {"a": 1})
    assert carried is not None and prefill_of(carried) == {"a": 1}
    assert "x-prefill" not in form
    assert with_prefill(None, {"a": 1}) is None
    assert prefill_of(None) == {}
