"""User task forms from every modeler, compiled to one shape: a JSON Schema object.

The compiled schema keeps what people need to fill it in: each field's label (``title``), the
field order (``x-order``), choices with their display names (``enum`` + ``x-enum-names``),
defaults, and the date formats a field accepts (``x-date-formats``). Data is checked with
:func:`validate_form`, so the terminal walk and the web inbox enforce the same rules.

Extension keywords (ignored by jsonschema, read by seamline): ``x-order``, ``x-enum-names``,
``x-date-formats``, ``x-widget``, ``x-note`` (why a field is looser than drawn),
``x-default-expression`` (a default the engine must evaluate), ``x-source-type``, ``x-form``,
``x-layout`` (fields and texts in drawing order), ``x-unsupported`` (components not shown),
``x-prefill`` (what a task's form starts with, see :mod:`seamline.humans.prefill`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from jsonschema import Draft202012Validator, SchemaError, validators

from seamline.errors import Bad, FormDefinitionError
from seamline.expr.schema_regex import pattern_problem
from seamline.humans.validation import coerce_value, validate_form

__all__ = [
    "FormDefinitionError",
    "form_from_camunda_form_data",
    "form_from_camunda_forms_json",
    "form_from_spiff_schema",
    "validate_form",
]

#: Camunda 7's default date format for ``type="date"`` form fields.
CAMUNDA_DATE_FORMAT = "dd/MM/yyyy"

_CAMUNDA_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "long": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date", "x-date-formats": [CAMUNDA_DATE_FORMAT]},
    "enum": {"type": "string"},
}
# form-js 1.x components that hold no data and need no counterpart here: the page has its own
# Complete button, and a spacer is only white space.
_FORMJS_LAYOUT_ONLY = {"button", "spacer", "default"}
# Components seamline does not show; validate names each one (see formjs_unsupported).
_FORMJS_NOT_SHOWN = {
    "html": "HTML content is not shown (seamline does not render a form's HTML)",
    "image": "images are not shown",
    "iframe": "embedded pages (iframe) are not shown",
    "table": "tables are not shown",
    "documentPreview": "document previews are not shown",
    "expression": "expression fields are not evaluated: their variable is not set",
    "filepicker": "file uploads are not supported: the field is left out",
}
_FORMJS_VALIDATE = {
    "minLength": "minLength",
    "maxLength": "maxLength",
    "min": "minimum",
    "max": "maximum",
    "pattern": "pattern",
}
_FORMJS_DATETIME = {"date": "date", "time": "time", "datetime": "date-time"}


def form_from_camunda_form_data(fields: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Compile Camunda 7 ``camunda:formData`` fields (as the loader records them).

    Each field is ``{"id", "label", "type", "defaultValue", "validation": [{"name", "config"}],
    "values": [{"id", "name"}], "properties": {...}}``. Types: string, long, boolean, date
    (``dd/MM/yyyy`` or ISO), enum; other (custom) types become text with an ``x-note``.
    """
    builder = _Builder("camunda-form-data")
    for index, field in enumerate(fields):
        key = field.get("id")
        if not isinstance(key, str) or not key:
            raise FormDefinitionError(f"form field #{index + 1} has no id; give every field one")
        kind = field.get("type") or "string"
        prop: dict[str, Any] = copy.deepcopy(_CAMUNDA_TYPES.get(kind, {"type": "string"}))
        prop["title"] = field.get("label") or key
        prop["x-source-type"] = kind
        if kind not in _CAMUNDA_TYPES:
            prop["x-note"] = f"custom form field type {kind!r} is read as text"
            if kind == "textarea":
                prop["x-widget"] = "textarea"
        properties = field.get("properties") or {}
        if isinstance(properties.get("description"), str):
            prop["description"] = properties["description"]
        if kind == "enum":
            values = field.get("values") or []
            prop["enum"] = [v.get("id") for v in values]
            prop["x-enum-names"] = [v.get("name") or v.get("id") for v in values]
            if not prop["enum"]:
                raise FormDefinitionError(f"form field {key}: an enum field needs values")
        required = _camunda_constraints(key, prop, field.get("validation") or [])
        _set_default(key, prop, field.get("defaultValue"))
        builder.add(key, prop, required=required)
    return builder.schema(additional=False)


def _camunda_constraints(
    key: str, prop: dict[str, Any], constraints: Sequence[Mapping[str, Any]]
) -> bool:
    """Apply ``camunda:constraint`` entries to ``prop``; returns whether the field is required."""
    required = False
    unchecked: list[str] = []
    for constraint in constraints:
        name = str(constraint.get("name") or "")
        config = constraint.get("config")
        if name == "required":
            required = str(config).strip().lower() != "false"
        elif name == "readonly":
            prop["readOnly"] = str(config).strip().lower() != "false"
        elif name in ("minlength", "maxlength"):
            keyword = "minLength" if name == "minlength" else "maxLength"
            prop[keyword] = _config_number(key, name, config, whole=True)
        elif name in ("min", "max"):
            keyword = "minimum" if name == "min" else "maximum"
            prop[keyword] = _config_number(key, name, config, whole=False)
        else:
            unchecked.append(name)
    if unchecked:
        prop["x-note"] = f"constraints not checked by seamline: {', '.join(unchecked)}"
    return required


def _config_number(key: str, name: str, config: Any, *, whole: bool) -> int | float:
    text = str(config).strip()
    try:
        return int(text) if whole else (int(text) if text.lstrip("-").isdigit() else float(text))
    except ValueError:
        raise FormDefinitionError(
            f"form field {key}: constraint {name} needs a number as config (got {config!r})"
        ) from None


def form_from_camunda_forms_json(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Compile a Camunda Forms (form-js) document: ``{"components": [...]}``.

    Inputs (textfield, textarea, number, checkbox, select, radio, checklist, taglist, datetime)
    become fields; groups are flattened (their label kept as a heading) and dynamic lists become
    lists of objects. Texts (markdown), headings and separators are kept in ``x-layout`` in
    drawing order; components seamline cannot show are listed in ``x-unsupported``.
    """
    if not isinstance(doc, Mapping) or not isinstance(doc.get("components"), list):
        raise FormDefinitionError("a Camunda form must be an object with a components list")
    builder = _Builder("camunda-forms")
    _formjs_components(doc["components"], builder)
    schema = builder.schema(additional=False)
    if isinstance(doc.get("id"), str):
        schema["x-form-id"] = doc["id"]
    return schema


def _formjs_components(components: Sequence[Any], builder: _Builder) -> None:
    for index, component in enumerate(components):
        if not isinstance(component, Mapping):
            raise FormDefinitionError(f"form component #{index + 1} is not an object")
        kind = str(component.get("type") or "")
        if kind == "group":
            if isinstance(component.get("label"), str) and component["label"]:
                builder.layout.append({"heading": component["label"]})
            _formjs_components(component.get("components") or [], builder)
            continue
        if kind == "text":
            if isinstance(component.get("text"), str) and component["text"].strip():
                builder.layout.append({"text": component["text"]})
            continue
        if kind == "separator":
            builder.layout.append({"separator": True})
            continue
        if kind in _FORMJS_LAYOUT_ONLY:
            continue
        if kind in _FORMJS_NOT_SHOWN:
            builder.unsupported.append(_not_shown(component, index, _FORMJS_NOT_SHOWN[kind]))
            continue
        key = component.get("key") or component.get("path")
        if not isinstance(key, str) or not key:
            where = component.get("id") or f"#{index + 1}"
            raise FormDefinitionError(f"form component {where} ({kind}) has no key; give it one")
        if kind == "dynamiclist":
            inner = _Builder("camunda-forms")
            _formjs_components(component.get("components") or [], inner)
            prop: dict[str, Any] = {"type": "array", "items": inner.schema(additional=False)}
            builder.unsupported.extend(inner.unsupported)
            note = "dynamic lists are edited as JSON text (a list of objects)"
            builder.unsupported.append(_not_shown(component, index, note))
        elif kind not in _FORMJS_FIELDS:
            note = f"component type {kind!r} is not known to seamline and is read as text"
            builder.unsupported.append(_not_shown(component, index, note))
            prop = _formjs_field(key, kind, component)
        else:
            prop = _formjs_field(key, kind, component)
        prop["title"] = component.get("label") or key
        prop["x-source-type"] = kind
        if isinstance(component.get("description"), str):
            prop["description"] = component["description"]
        if component.get("readonly") is True or component.get("disabled") is True:
            prop["readOnly"] = True
        validate = component.get("validate") or {}
        for source, keyword in _FORMJS_VALIDATE.items():
            if validate.get(source) not in (None, ""):
                prop[keyword] = validate[source]
        if validate.get("validationType") == "email":
            prop["format"] = "email"
        _set_default(key, prop, component.get("defaultValue"))
        builder.add(key, prop, required=bool(validate.get("required")))


_FORMJS_FIELDS = {
    "textfield", "textarea", "number", "checkbox", "datetime", "select", "radio", "checklist",
    "taglist",
}  # fmt: skip


def _not_shown(component: Mapping[str, Any], index: int, what: str) -> str:
    """One line naming a component the form cannot show, and what happens instead."""
    name = component.get("key") or component.get("path") or component.get("id") or f"#{index + 1}"
    return f"component {name} ({component.get('type')}): {what}"


def formjs_unsupported(schema: Mapping[str, Any]) -> list[str]:
    """What a compiled Camunda form leaves out or shows differently, one line per component."""
    notes = schema.get("x-unsupported")
    return [str(n) for n in notes] if isinstance(notes, list) else []


def _formjs_field(key: str, kind: str, component: Mapping[str, Any]) -> dict[str, Any]:
    if kind in ("textfield", "textarea"):
        prop: dict[str, Any] = {"type": "string"}
        if kind == "textarea":
            prop["x-widget"] = "textarea"
        return prop
    if kind == "number":
        whole = component.get("decimalDigits") == 0
        return {"type": "integer" if whole else "number"}
    if kind == "checkbox":
        return {"type": "boolean"}
    if kind == "datetime":
        subtype = str(component.get("subtype") or "date")
        return {"type": "string", "format": _FORMJS_DATETIME.get(subtype, "date-time")}
    if kind in ("select", "radio", "checklist", "taglist"):
        choice = _formjs_choices(key, component)
        if kind in ("checklist", "taglist"):
            return {"type": "array", "items": choice, "uniqueItems": True}
        return choice
    return {"type": "string", "x-note": f"component type {kind!r} is read as text"}


def _formjs_choices(key: str, component: Mapping[str, Any]) -> dict[str, Any]:
    values = component.get("values")
    if not values:
        source = component.get("valuesKey") or component.get("valuesExpression")
        note = f"options come from {source!r} at run time and are not checked"
        return {"type": "string", "x-note": note}
    if not all(isinstance(v, Mapping) and "value" in v for v in values):
        raise FormDefinitionError(f"form component {key}: every option needs a value")
    return {
        "enum": [v["value"] for v in values],
        "x-enum-names": [v.get("label") or str(v["value"]) for v in values],
    }


def form_from_spiff_schema(
    schema: Mapping[str, Any], ui_schema: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Adopt a SpiffArena (react-jsonschema-form) JSON Schema as the form.

    Choices given as ``oneOf``/``anyOf`` of ``{"const", "title"}`` or with ``enumNames`` gain
    ``enum`` + ``x-enum-names``; the field order is the ``ui:order`` of ``ui_schema`` if given,
    else the order of ``properties``. Nothing else of the uiSchema is used.
    """
    if not isinstance(schema, Mapping):
        raise FormDefinitionError("a form schema must be a JSON object")
    out = copy.deepcopy(dict(schema))
    out.setdefault("type", "object")
    if out["type"] != "object":
        raise FormDefinitionError(f"a form schema must describe an object (got {out['type']!r})")
    properties = out.setdefault("properties", {})
    for prop in properties.values():
        if isinstance(prop, dict):
            _spiff_choices(prop)
    order = list(properties)
    ui_order = (ui_schema or {}).get("ui:order")
    if isinstance(ui_order, list):
        listed = [k for k in ui_order if k in properties]
        order = listed + [k for k in order if k not in listed]
    out.setdefault("x-order", order)
    out.setdefault("x-form", "spiff-schema")
    _check_schema(out)
    for key, prop in properties.items():
        if isinstance(prop, dict) and "default" in prop:
            _set_default(key, prop, prop.pop("default"))
    return out


def _spiff_choices(prop: dict[str, Any]) -> None:
    if "enumNames" in prop and "enum" in prop:
        prop["x-enum-names"] = prop.pop("enumNames")
    for keyword in ("oneOf", "anyOf"):
        options = prop.get(keyword)
        if (
            isinstance(options, list)
            and options
            and all(isinstance(o, Mapping) and "const" in o for o in options)
        ):
            del prop[keyword]
            prop["enum"] = [o["const"] for o in options]
            prop["x-enum-names"] = [o.get("title") or str(o["const"]) for o in options]
    items = prop.get("items")
    if isinstance(items, dict):
        _spiff_choices(items)


def _set_default(key: str, prop: dict[str, Any], raw: Any) -> None:
    """Store a field's default, read as the field's type; expressions are left to the engine."""
    if raw is None or raw == "":
        return
    if isinstance(raw, str) and ("${" in raw or "#{" in raw or raw.lstrip().startswith("=")):
        prop["x-default-expression"] = raw
        return
    try:
        prop["default"] = coerce_value(prop, raw)
    except Bad as exc:
        raise FormDefinitionError(f"form field {key}: default value {raw!r} {exc}") from None


def _check_schema(schema: Mapping[str, Any]) -> None:
    validator_cls = validators.validator_for(schema, default=Draft202012Validator)
    try:
        validator_cls.check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(root)"
        raise FormDefinitionError(
            f"form schema is not valid JSON Schema at {where}: {exc.message}"
        ) from exc
    problem = pattern_problem(schema)
    if problem:
        raise FormDefinitionError(f"form schema {problem}")


class _Builder:
    """Collects fields in order into an object schema."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.properties: dict[str, dict[str, Any]] = {}
        self.required: list[str] = []
        #: Fields, texts, headings and separators in the order drawn (only kept with texts).
        self.layout: list[dict[str, Any]] = []
        self.unsupported: list[str] = []

    def add(self, key: str, prop: dict[str, Any], *, required: bool) -> None:
        if key in self.properties:
            raise FormDefinitionError(f"form field {key} is declared twice; keys must be unique")
        self.properties[key] = prop
        self.layout.append({"field": key})
        if required:
            self.required.append(key)

    def schema(self, *, additional: bool) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "properties": self.properties,
            "required": self.required,
            "additionalProperties": additional,
            "x-order": list(self.properties),
            "x-form": self.source,
        }
        if any("field" not in item for item in self.layout):
            schema["x-layout"] = self.layout
        if self.unsupported:
            schema["x-unsupported"] = self.unsupported
        _check_schema(schema)
        return schema
