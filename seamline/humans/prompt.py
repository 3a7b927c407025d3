"""Filling in a form at a terminal, one field at a time, asking again until each value is valid."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import click

from seamline.errors import FormInvalid
from seamline.humans.prefill import prefill_of
from seamline.humans.validation import date_formats, field_type, validate_field, validate_form

_HINTS = {"integer": "whole number", "number": "number", "boolean": "yes/no"}


def prompt_form(
    schema: Mapping[str, Any],
    *,
    defaults: Mapping[str, Any] | None = None,
    prompt: Callable[..., Any] = click.prompt,
    echo: Callable[[str], Any] = click.echo,
) -> dict[str, Any]:
    """Ask for every field of a compiled form in order; return the validated data.

    The walk offers what the web page shows: the form's prefill (``x-prefill``: the process's
    current values, else the evaluated defaults); ``defaults`` (e.g. ``--data``) win over both.
    Texts of the form are shown where they are drawn. Read-only fields are shown, not asked.
    ``prompt`` is called as ``prompt(text, default=..., show_default=...)`` and ``echo`` with
    one line, so both can be replaced in tests.
    """
    given = {**prefill_of(schema), **(defaults or {})}
    properties: Mapping[str, Any] = schema.get("properties", {})
    order = [k for k in schema.get("x-order") or list(properties) if k in properties]
    if schema.get("title"):
        echo(str(schema["title"]))
    texts = _texts_before(schema)
    values: dict[str, Any] = {}
    for key in order:
        for text in texts.get(key, []):
            echo(text)
        prop = properties[key]
        if prop.get("readOnly"):
            shown = given.get(key, prop.get("default", ""))
            echo(f"{_label(key, prop)}: {_display(shown)} (read-only)")
            continue
        _ask_into(values, schema, key, given, prompt, echo)
    while True:
        try:
            return validate_form(schema, values)
        except FormInvalid as exc:
            # Rules that span fields only show up on the whole form; ask the named fields again.
            keys = {_field_of(message) for message in exc.errors}
            for message in exc.errors:
                echo(message)
            again = [k for k in order if k in keys and not properties[k].get("readOnly")]
            if not again:
                raise
            for key in again:
                _ask_into(values, schema, key, given, prompt, echo)


def _ask_into(
    values: dict[str, Any],
    schema: Mapping[str, Any],
    key: str,
    given: Mapping[str, Any],
    prompt: Callable[..., Any],
    echo: Callable[[str], Any],
) -> None:
    prop = schema["properties"][key]
    required = key in schema.get("required", [])
    if prop.get("description"):
        echo(f"  {prop['description']}")
    choices = _choices(prop)
    for number, (option, name) in enumerate(choices, start=1):
        suffix = f" ({option})" if str(option) != name else ""
        echo(f"  {number}) {name}{suffix}")
    default = given.get(key, prop.get("default"))
    shown = _display(default) if default is not None else ""
    text = _label(key, prop) + _hint(prop, required, bool(choices))
    while True:
        raw = prompt(text, default=shown, show_default=bool(shown))
        try:
            value = validate_field(schema, key, _parse(prop, raw, choices))
        except FormInvalid as exc:
            for message in exc.errors:
                echo(message)
            continue
        except ValueError as exc:
            echo(f"{key}: {exc}")
            continue
        if value is None:
            values.pop(key, None)
        else:
            values[key] = value
        return


def _texts_before(schema: Mapping[str, Any]) -> dict[str, list[str]]:
    """The form's texts and headings (``x-layout``) by the field they come before."""
    out: dict[str, list[str]] = {}
    pending: list[str] = []
    for item in schema.get("x-layout") or []:
        if not isinstance(item, Mapping):
            continue
        if "field" in item:
            out[str(item["field"])] = pending
            pending = []
        elif isinstance(item.get("text") or item.get("heading"), str):
            pending.append(str(item.get("text") or item.get("heading")))
    return out


def _label(key: str, prop: Mapping[str, Any]) -> str:
    return str(prop.get("title") or key)


def _hint(prop: Mapping[str, Any], required: bool, has_choices: bool) -> str:
    kind = field_type(prop)
    parts: list[str] = []
    if has_choices:
        parts.append("number or name" + (", comma-separated" if kind == "array" else ""))
    elif prop.get("format") in ("date", "date-time", "time"):
        parts.append(" or ".join(date_formats(prop)))
    elif kind == "object" or (kind == "array" and _items_are_objects(prop)):
        parts.append("JSON")
    elif kind == "array":
        parts.append("comma-separated")
    elif kind in _HINTS:
        parts.append(_HINTS[kind])
    if not required:
        parts.append("optional")
    return f" ({', '.join(parts)})" if parts else ""


def _choices(prop: Mapping[str, Any]) -> list[tuple[Any, str]]:
    source = prop.get("items") if field_type(prop) == "array" else prop
    if not isinstance(source, Mapping) or not source.get("enum"):
        return []
    options = list(source["enum"])
    names = list(source.get("x-enum-names") or [])
    names += [str(o) for o in options[len(names) :]]
    return [(option, str(name)) for option, name in zip(options, names, strict=False)]


def _parse(prop: Mapping[str, Any], raw: Any, choices: list[tuple[Any, str]]) -> Any:
    """Turn what was typed into a value: choice numbers to options, JSON for objects."""
    if not isinstance(raw, str):
        return raw
    kind = field_type(prop)
    if kind == "object" or (kind == "array" and not choices and _items_are_objects(prop)):
        if not raw.strip():
            return ""
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValueError(f"must be JSON ({exc.msg} at column {exc.colno})") from None
    if not choices:
        return raw
    if kind == "array":
        return [_pick(part.strip(), choices) for part in raw.split(",") if part.strip()]
    return _pick(raw.strip(), choices)


def _pick(text: str, choices: list[tuple[Any, str]]) -> Any:
    if text.isdigit() and 1 <= int(text) <= len(choices):
        option = choices[int(text) - 1][0]
        # A choice list of numbers is answered with the number itself, not its position.
        if not any(str(o) == text for o, _ in choices):
            return option
    return text


def _items_are_objects(prop: Mapping[str, Any]) -> bool:
    items = prop.get("items")
    return isinstance(items, Mapping) and field_type(items) in ("object", "array")


def _display(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_display(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value)
    return "" if value is None else str(value)


def _field_of(message: str) -> str:
    return message.split(":", 1)[0].split(".", 1)[0]
