"""A task's form (a compiled JSON Schema) as HTML inputs, and posted inputs back as form data.

The schema is the one the terminal walk and the engine use (``seamline.humans.forms``), so the
web inbox renders the same fields, labels, choices and defaults, and the engine's
``validate_form`` checks what comes back: this module only translates between HTML's strings
and the JSON values the schema describes, and leaves every rule to the validation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from seamline.humans.validation import field_type

_DATE_WIDGETS = {"date": "date", "date-time": "datetime-local", "time": "time"}
#: Widgets that show a list of options (``Field.options``).
CHOICE_WIDGETS = ("select", "multiselect", "radio", "checkboxes", "yesno")
#: Display items of a form's layout: they hold no data.
DISPLAY_WIDGETS = ("markdown", "heading", "separator")
# A form's texts are markdown written by the modeler; raw HTML in them is shown as text, and
# markdown-it refuses javascript: and similar link targets.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


@dataclass(frozen=True)
class Option:
    """One choice of a select."""

    value: str
    label: str
    selected: bool


@dataclass
class Field:
    """One input of the rendered form."""

    key: str
    label: str
    #: text, email, textarea, number, yesno, select, radio, multiselect, checkboxes, date, ...,
    #: json; or a display item: markdown (``html``), heading (``label``), separator.
    widget: str
    value: str = ""
    html: Markup = field(default_factory=Markup)
    checked: bool = False
    options: list[Option] = field(default_factory=list)
    required: bool = False
    readonly: bool = False
    description: str | None = None
    note: str | None = None
    step: str | None = None
    minimum: Any = None
    maximum: Any = None
    errors: list[str] = field(default_factory=list)


def ordered_keys(schema: Mapping[str, Any]) -> list[str]:
    """The form's field keys in ``x-order``, then any the order leaves out."""
    properties = schema.get("properties") or {}
    order = [k for k in schema.get("x-order") or [] if k in properties]
    return order + [k for k in properties if k not in order]


def _option_value(value: Any) -> str:
    # Strings travel as themselves so the select posts what a person would type; other JSON
    # values (numbers, booleans) as JSON so they can be told apart from text.
    return value if isinstance(value, str) else json.dumps(value)


def _widget(prop: Mapping[str, Any]) -> str:
    kind = field_type(prop)
    items = prop.get("items")
    source = prop.get("x-source-type")
    if kind == "array" and isinstance(items, Mapping) and items.get("enum"):
        return "checkboxes" if source in ("checklist", "taglist") else "multiselect"
    if prop.get("enum"):
        return "radio" if source == "radio" else "select"
    if kind == "boolean":
        # A pair of choices, not a checkbox: an unticked box cannot say "not answered yet".
        return "yesno"
    if kind in ("integer", "number"):
        return "number"
    if kind in ("array", "object"):
        return "json"
    if kind == "string" and prop.get("format") in _DATE_WIDGETS:
        return _DATE_WIDGETS[str(prop["format"])]
    if prop.get("x-widget") == "textarea":
        return "textarea"
    if kind == "string" and prop.get("format") == "email":
        return "email"
    return "text"


def _choices(prop: Mapping[str, Any], chosen: Sequence[Any]) -> list[Option]:
    names = list(prop.get("x-enum-names") or [])
    values = list(prop.get("enum") or [])
    picked = {_option_value(v) for v in chosen}
    return [
        Option(
            _option_value(v),
            str(names[i]) if i < len(names) and names[i] is not None else str(v),
            _option_value(v) in picked,
        )
        for i, v in enumerate(values)
    ]


def _text(value: Any, widget: str) -> str:
    if value is None:
        return ""
    if widget == "json":
        return value if isinstance(value, str) else json.dumps(value, indent=2)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def build_fields(
    schema: Mapping[str, Any] | None,
    values: Mapping[str, Any] | None = None,
    errors: Sequence[str] = (),
) -> tuple[list[Field], list[str]]:
    """The inputs for ``schema`` filled with ``values`` (else the defaults), and the errors no
    field claims (they are shown above the form)."""
    if not schema:
        return [], list(errors)
    properties: Mapping[str, Any] = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    values = values or {}
    fields: list[Field] = []
    for key in ordered_keys(schema):
        prop = properties.get(key) or {}
        widget = _widget(prop)
        value = values.get(key, prop.get("default"))
        f = Field(
            key=key,
            label=str(prop.get("title") or key),
            widget=widget,
            required=key in required,
            readonly=bool(prop.get("readOnly")),
            description=prop.get("description")
            if isinstance(prop.get("description"), str)
            else None,
            note=prop.get("x-note") if isinstance(prop.get("x-note"), str) else None,
            minimum=prop.get("minimum"),
            maximum=prop.get("maximum"),
        )
        if widget == "number":
            f.step = "1" if field_type(prop) == "integer" else "any"
            f.value = _text(value, widget)
        elif widget == "yesno":
            f.options = _yes_no(value)
        elif widget in ("select", "radio"):
            f.options = _choices(prop, [] if value is None else [value])
        elif widget in ("multiselect", "checkboxes"):
            chosen = value if isinstance(value, list) else []
            f.options = _choices(prop["items"], chosen)
        else:
            f.value = _text(value, widget)
        fields.append(f)
    loose = _attach_errors(fields, errors)
    return _with_layout(schema, fields), loose


def _yes_no(value: Any) -> list[Option]:
    chosen = value if isinstance(value, bool) else None
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        chosen = value.strip().lower() == "true"
    return [Option("true", "Yes", chosen is True), Option("false", "No", chosen is False)]


def _with_layout(schema: Mapping[str, Any], fields: list[Field]) -> list[Field]:
    """The fields among the form's texts, headings and separators, in the order drawn."""
    layout = schema.get("x-layout")
    if not isinstance(layout, list):
        return fields
    by_key = {f.key: f for f in fields}
    out: list[Field] = []
    for item in layout:
        if not isinstance(item, Mapping):
            continue
        if "field" in item and item["field"] in by_key:
            out.append(by_key.pop(item["field"]))
        elif isinstance(item.get("text"), str):
            # Safe: markdown-it escapes all HTML in the source (html disabled).
            html = Markup(_MARKDOWN.render(item["text"]))
            out.append(Field(key="", label="", widget="markdown", html=html))
        elif isinstance(item.get("heading"), str):
            out.append(Field(key="", label=item["heading"], widget="heading"))
        elif item.get("separator"):
            out.append(Field(key="", label="", widget="separator"))
    return out + list(by_key.values())


def _attach_errors(fields: list[Field], errors: Sequence[str]) -> list[str]:
    by_key = {f.key: f for f in fields}
    loose: list[str] = []
    # Longest key first, so "a.b: ..." goes to field "a.b" rather than "a" when both exist.
    keys = sorted(by_key, key=len, reverse=True)
    for message in errors:
        owner = next((k for k in keys if message.startswith((f"{k}:", f"{k}."))), None)
        if owner is None:
            loose.append(message)
        else:
            # The whole message, as the terminal and the API print it for the same data.
            by_key[owner].errors.append(message)
    return loose


def parse_posted(
    schema: Mapping[str, Any] | None, posted: Mapping[str, list[str]]
) -> dict[str, Any]:
    """Form data for the engine from posted HTML fields.

    Blank inputs and unanswered yes/no questions are left out (a required one is then reported
    as required, exactly as for ``complete --data``), choices go back to their JSON values;
    everything else stays text for the form's validation to coerce and check.
    """
    if not schema:
        return {}
    properties: Mapping[str, Any] = schema.get("properties") or {}
    data: dict[str, Any] = {}
    for key in ordered_keys(schema):
        prop = properties.get(key) or {}
        if prop.get("readOnly"):
            continue
        widget = _widget(prop)
        given = posted.get(key, [])
        if widget in ("multiselect", "checkboxes"):
            data[key] = [_from_option(prop["items"], v) for v in given if v != ""]
        elif not given or given[-1].strip() == "":
            continue
        elif widget in ("select", "radio"):
            data[key] = _from_option(prop, given[-1])
        elif widget == "json":
            try:
                data[key] = json.loads(given[-1])
            except json.JSONDecodeError:
                data[key] = given[-1]  # the validation names the field and what it expects
        else:
            data[key] = given[-1]
    return data


def _from_option(prop: Mapping[str, Any], text: str) -> Any:
    for value in prop.get("enum") or []:
        if _option_value(value) == text:
            return value
    return text


def resubmitted_values(
    schema: Mapping[str, Any] | None, posted: Mapping[str, list[str]]
) -> dict[str, Any]:
    """What the person entered, to fill the form again after an error: nothing typed is lost,
    and a field left blank stays blank rather than showing its default again."""
    if not schema:
        return {}
    properties: Mapping[str, Any] = schema.get("properties") or {}
    out: dict[str, Any] = {}
    for key in ordered_keys(schema):
        widget = _widget(properties.get(key) or {})
        given = posted.get(key, [])
        if widget in ("multiselect", "checkboxes"):
            out[key] = list(given)
        else:
            out[key] = given[-1] if given else ""
    return out
