"""What a task's form starts with, read from the process data the way each modeler's engine does.

- Camunda 7 generated forms (``camunda:formData``): a field shows the variable named by its id;
  without one, its ``defaultValue``, which is an expression (``${...}``) evaluated against the
  variables (Camunda's ``FormFieldHandler``: the variable wins over the default).
- Camunda Forms (form-js, C7 and C8 Tasklist): each field is bound to the variable its ``key``
  names (a dotted key reaches into objects); without one, the form's ``defaultValue``.
- SpiffArena JSON-Schema forms: the task data of the property's name, else the schema default.

The result is stored in the compiled form as ``x-prefill``, so the web page, the terminal walk
and the JSON API offer the same values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from seamline.errors import Bad, SeamlineError
from seamline.humans.validation import coerce_value

_MISSING = object()


def prefill(
    schema: Mapping[str, Any],
    variables: Mapping[str, Any],
    evaluate: Callable[[str], Any] | None = None,
) -> dict[str, Any]:
    """The value each top-level field of ``schema`` starts with; fields without one are absent.

    ``evaluate`` reads a default that is an expression (``x-default-expression``); one that fails
    (say, a variable it names is not set yet) leaves the field empty rather than failing the step.
    """
    out: dict[str, Any] = {}
    dotted = schema.get("x-form") == "camunda-forms"
    for key, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, Mapping):
            continue
        value = _lookup(variables, key, dotted=dotted)
        if value is _MISSING or value is None:
            value = _default(prop, evaluate)
        if value is _MISSING or value is None:
            continue
        jsonable = _jsonable(value)
        if jsonable is _MISSING:
            continue
        try:
            out[key] = coerce_value(prop, jsonable)
        except Bad:
            out[key] = jsonable  # shown as it is; the validation names it if it is submitted
    return out


def with_prefill(
    schema: Mapping[str, Any] | None,
    variables: Mapping[str, Any],
    evaluate: Callable[[str], Any] | None = None,
) -> dict[str, Any] | None:
    """A copy of ``schema`` carrying its :func:`prefill` as ``x-prefill`` (None stays None)."""
    if schema is None:
        return None
    out = dict(schema)
    out["x-prefill"] = prefill(schema, variables, evaluate)
    return out


def prefill_of(schema: Mapping[str, Any] | None) -> dict[str, Any]:
    """The ``x-prefill`` stored in a task's form; empty if none."""
    values = (schema or {}).get("x-prefill")
    return dict(values) if isinstance(values, Mapping) else {}


def _lookup(variables: Mapping[str, Any], key: str, *, dotted: bool) -> Any:
    if key in variables:
        return variables[key]
    if not dotted or "." not in key:
        return _MISSING
    value: Any = variables
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _default(prop: Mapping[str, Any], evaluate: Callable[[str], Any] | None) -> Any:
    expression = prop.get("x-default-expression")
    if isinstance(expression, str) and evaluate is not None:
        try:
            return evaluate(expression)
        except SeamlineError:
            return _MISSING
    return prop.get("default", _MISSING)


def _jsonable(value: Any) -> Any:
    """``value`` as JSON data (dates as ISO text); _MISSING for what JSON cannot hold."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, Decimal):  # FEEL and JUEL numbers
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        items = [_jsonable(v) for v in value]
        return _MISSING if any(i is _MISSING for i in items) else items
    if isinstance(value, Mapping):
        pairs = {str(k): _jsonable(v) for k, v in value.items()}
        return _MISSING if any(v is _MISSING for v in pairs.values()) else pairs
    return _MISSING
