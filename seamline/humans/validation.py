"""Checking submitted form data against a compiled form (a JSON Schema).

Data arrives as typed JSON from the web inbox and as text from a terminal, so values are coerced
first ("42" for a whole number, "yes" for a checkbox, "31/12/2024" for a date) and then checked
with jsonschema. Every problem is reported as one line per field, named by its key.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

from seamline.errors import Bad, FormInvalid
from seamline.expr.schema_regex import bounded

_TRUE = {"true", "yes", "y", "on", "1", "ja", "oui"}
_FALSE = {"false", "no", "n", "off", "0", "nein", "non"}
_TYPE_WORDS = {
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "string": "a text",
    "array": "a list",
    "object": "an object",
    "null": "empty",
}
# Java date patterns (what Camunda writes) to strptime directives.
_JAVA_DATE = (("yyyy", "%Y"), ("yy", "%y"), ("MM", "%m"), ("dd", "%d"), ("HH", "%H"),
              ("mm", "%M"), ("ss", "%S"))  # fmt: skip
_SAMPLE = dt.datetime(2024, 12, 31, 17, 30)
# The address syntax browsers accept in <input type=email> (WHATWG HTML), so the page and the
# server agree; jsonschema's own "email" check only looks for an "@".
_EMAIL = re.compile(
    r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*"
)


def _is_email(value: object) -> bool:
    return not isinstance(value, str) or _EMAIL.fullmatch(value) is not None


_FORMATS = FormatChecker()
_FORMATS.checks("email")(_is_email)


def validate_form(
    schema: Mapping[str, Any], data: Mapping[str, Any], *, element: str | None = None
) -> dict[str, Any]:
    """Return ``data`` with defaults applied and values coerced, or raise :class:`FormInvalid`.

    ``FormInvalid.errors`` holds one message per invalid field, in the form's order, such as
    ``"amount: must be >= 0 (got -5)"`` or ``"name: required"``.
    """
    if not isinstance(data, Mapping):
        raise FormInvalid(f"form data must be an object of field values, got {data!r}")
    out, errors = _coerce_object(schema, data, "")
    # Patterns run on RE2: whoever fills in the form cannot make a pattern backtrack for ever.
    validator_cls = bounded(validators.validator_for(schema, default=Draft202012Validator))
    validator = validator_cls(schema, format_checker=_FORMATS)
    for error in validator.iter_errors(out):
        for key, message in _messages(error):
            errors.setdefault(key, message)
    if errors:
        ordered = _in_form_order(schema, errors)
        raise FormInvalid(
            "invalid form data: " + "; ".join(ordered),
            errors=ordered,
            hint="correct the fields named and submit again",
            element=element,
        )
    return out


def validate_field(schema: Mapping[str, Any], key: str, value: Any) -> Any:
    """Coerce and check one top-level field on its own; returns the value to keep.

    Returns None when the field was left blank and is allowed to be.
    """
    prop = schema.get("properties", {}).get(key, {})
    required = [key] if key in schema.get("required", []) else []
    single = {"type": "object", "properties": {key: prop}, "required": required}
    if "$schema" in schema:
        single["$schema"] = schema["$schema"]
    return validate_form(single, {key: value}).get(key)


def field_type(prop: Mapping[str, Any]) -> str | None:
    """The JSON type of a field, ignoring "null" in a type list; inferred from an enum if absent."""
    kind = prop.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind is None and prop.get("enum"):
        first = prop["enum"][0]
        kind = {bool: "boolean", int: "integer", float: "number"}.get(type(first), "string")
    return kind if isinstance(kind, str) else None


def coerce_value(prop: Mapping[str, Any], value: Any) -> Any:
    """``value`` converted to the field's type; raises :class:`Bad` if it cannot be read."""
    kind = field_type(prop)
    if kind == "integer":
        value = _integer(value)
    elif kind == "number":
        value = _number(value)
    elif kind == "boolean":
        value = _boolean(value)
    elif kind == "string":
        value = _string(prop, value)
    elif kind == "array":
        value = _array(prop, value)
    return _enum_by_name(prop, value)


def date_formats(prop: Mapping[str, Any]) -> list[str]:
    """The formats a date field accepts, ISO first, as examples people can copy."""
    fmt = prop.get("format")
    if fmt == "date":
        samples = [_SAMPLE.date().isoformat()]
    elif fmt == "date-time":
        samples = [_SAMPLE.isoformat(timespec="minutes")]
    elif fmt == "time":
        samples = [_SAMPLE.time().isoformat(timespec="minutes")]
    else:
        return []
    return samples + [_SAMPLE.strftime(_strptime(p)) for p in prop.get("x-date-formats", [])]


def _coerce_object(
    schema: Mapping[str, Any], data: Mapping[str, Any], prefix: str
) -> tuple[dict[str, Any], dict[str, str]]:
    out = dict(data)
    errors: dict[str, str] = {}
    required = set(schema.get("required", []))
    for key, prop in schema.get("properties", {}).items():
        name = f"{prefix}{key}"
        if key in out and _blank(out[key], prop, key in required):
            del out[key]
        given = key in out
        if not given and "default" in prop:
            out[key] = copy.deepcopy(prop["default"])
        if key not in out:
            continue
        try:
            out[key] = coerce_value(prop, out[key])
        except Bad as exc:
            errors[name] = f"{name}: {exc} (got {out[key]!r})"
            continue
        if given and prop.get("readOnly") and out[key] != prop.get("default"):
            errors[name] = f"{name}: read-only; leave it out (got {out[key]!r})"
            continue
        if field_type(prop) == "object" and isinstance(out[key], Mapping):
            out[key], inner = _coerce_object(prop, out[key], f"{name}.")
            errors.update(inner)
    return out, errors


def _blank(value: Any, prop: Mapping[str, Any], required: bool) -> bool:
    """Whether a value means "nothing entered": terminals and HTML forms send "" for that."""
    kind = prop.get("type")
    nullable = isinstance(kind, list) and "null" in kind
    if value is None:
        return not nullable
    if isinstance(value, str) and not value.strip():
        plain_text = field_type(prop) == "string" and not prop.get("enum") and "format" not in prop
        return required or not plain_text
    # No choice ticked in a required checklist is as unanswered as an empty text.
    return required and isinstance(value, list) and not value


def _integer(value: Any) -> Any:
    if isinstance(value, bool):
        raise Bad("must be a whole number")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            raise Bad("must be a whole number") from None
    return value


def _number(value: Any) -> Any:
    if isinstance(value, bool):
        raise Bad("must be a number")
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            pass
        try:
            return float(text)
        except ValueError:
            raise Bad("must be a number") from None
    return value


def _boolean(value: Any) -> Any:
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise Bad("must be true or false (yes/no)")
    return value


def _string(prop: Mapping[str, Any], value: Any) -> Any:
    fmt = prop.get("format")
    if fmt not in ("date", "date-time", "time"):
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat() if fmt == "date-time" else value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if not isinstance(value, str):
        return value
    text = value.strip()
    parsers: dict[str, Callable[[str], dt.date | dt.time]] = {
        "date": dt.date.fromisoformat,
        "date-time": dt.datetime.fromisoformat,
        "time": dt.time.fromisoformat,
    }
    try:
        return parsers[fmt](text).isoformat()
    except ValueError:
        pass
    for pattern in prop.get("x-date-formats", []):
        try:
            parsed = dt.datetime.strptime(text, _strptime(pattern))
        except ValueError:
            continue
        return parsed.date().isoformat() if fmt == "date" else parsed.isoformat()
    word = {"date": "a date", "date-time": "a date and time", "time": "a time"}[fmt]
    raise Bad(f"must be {word} like {' or '.join(date_formats(prop))}")


def _array(prop: Mapping[str, Any], value: Any) -> Any:
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    items = prop.get("items")
    if isinstance(value, list) and isinstance(items, Mapping):
        return [coerce_value(items, item) for item in value]
    return value


def _enum_by_name(prop: Mapping[str, Any], value: Any) -> Any:
    """Accept a choice's display name for its id, since that is what people read."""
    options = prop.get("enum")
    names = prop.get("x-enum-names")
    if not options or not names or value in options or not isinstance(value, str):
        return value
    for option, name in zip(options, names, strict=False):
        if isinstance(name, str) and name.strip().lower() == value.strip().lower():
            return option
    return value


def _strptime(java_pattern: str) -> str:
    out = java_pattern
    for java, directive in _JAVA_DATE:
        out = out.replace(java, directive)
    return out


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    """(field key, message) pairs for one jsonschema error."""
    path = ".".join(str(p) for p in error.absolute_path)
    got = error.instance
    kind = error.validator
    if kind == "required" and isinstance(got, Mapping):
        missing = [k for k in error.validator_value if k not in got]
        return [(_join(path, k), f"{_join(path, k)}: required") for k in missing]
    if kind in ("dependentRequired", "dependencies") and isinstance(got, Mapping):
        pairs = [
            (dep, key)
            for key, deps in error.validator_value.items()
            if key in got and isinstance(deps, list)
            for dep in deps
            if dep not in got
        ]
        if pairs:
            return [
                (_join(path, d), f"{_join(path, d)}: required when {k} is given") for d, k in pairs
            ]
    if kind == "additionalProperties" and isinstance(got, Mapping):
        known = list(error.schema.get("properties", {}))
        extra = [k for k in got if k not in known]
        fields = ", ".join(known) or "none"
        return [
            (_join(path, k), f"{_join(path, k)}: not a field of this form (fields: {fields})")
            for k in extra
        ]
    return [(path or "(form)", f"{path or '(form)'}: {_describe(error)}")]


def _describe(error: ValidationError) -> str:
    value = error.validator_value
    got = error.instance
    kind = error.validator
    simple = {
        "minimum": f"must be >= {value}",
        "maximum": f"must be <= {value}",
        "exclusiveMinimum": f"must be > {value}",
        "exclusiveMaximum": f"must be < {value}",
        "pattern": f"must match the pattern {value}",
        "format": _FORMAT_WORDS.get(str(value), f"must be a valid {value}"),
        "const": f"must be {value!r}",
        "multipleOf": f"must be a multiple of {value}",
        "uniqueItems": "must not repeat a choice",
    }
    if kind in simple:
        return f"{simple[kind]} (got {got!r})"
    if kind == "enum":
        return f"must be one of {', '.join(str(v) for v in value)} (got {got!r})"
    if kind == "type":
        kinds = value if isinstance(value, list) else [value]
        words = " or ".join(_TYPE_WORDS.get(str(k), str(k)) for k in kinds)
        return f"must be {words} (got {got!r})"
    if kind in ("minLength", "maxLength"):
        bound = "at least" if kind == "minLength" else "at most"
        return f"must be {bound} {value} characters long (got {len(got)})"
    if kind in ("minItems", "maxItems"):
        bound = "at least" if kind == "minItems" else "at most"
        return f"must have {bound} {value} choices (got {len(got)})"
    if kind in ("oneOf", "anyOf"):
        consts = [o.get("const") for o in value if isinstance(o, Mapping) and "const" in o]
        if len(consts) == len(value):
            return f"must be one of {', '.join(str(c) for c in consts)} (got {got!r})"
    return str(error.message)


_FORMAT_WORDS = {"email": "must be an email address like name@example.com"}


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _in_form_order(schema: Mapping[str, Any], errors: Mapping[str, str]) -> list[str]:
    order: Sequence[str] = schema.get("x-order") or list(schema.get("properties", {}))

    def rank(key: str) -> tuple[int, str]:
        top = key.split(".", 1)[0]
        return (order.index(top) if top in order else len(order), key)

    return [errors[k] for k in sorted(errors, key=rank)]
