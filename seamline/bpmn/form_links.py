"""Forms a user task links by file: SpiffArena JSON Schema files, Camunda Forms (``.form``).

A diagram names its form in one of these ways:

- SpiffArena: ``spiffworkflow:properties`` ``formJsonSchemaFilename`` (and
  ``formUiSchemaFilename``), JSON files beside the diagram;
- Camunda 7: ``camunda:formRef="formId"`` (a ``.form`` file whose ``id`` is formId) or
  ``camunda:formKey="camunda-forms:deployment:name.form"`` (or ``camunda-forms:app:path``);
- Camunda 8: ``zeebe:formDefinition formId="..."`` (a ``.form`` file with that ``id``), or
  ``formKey="camunda-forms:bpmn:ID"`` naming a ``zeebe:userTaskForm`` embedded in the diagram
  (recorded by :mod:`seamline.bpmn.elements` as ``zeebe:formJson``, so no file is involved).

Form files travel with the diagram in ``ProcessDefinition.sources``: they are part of the content
hash, so a running instance keeps the form it was started with.
"""

from __future__ import annotations

import copy
import functools
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from seamline.bpmn.definition import FileReport
from seamline.bpmn.flavours import FORM_PRECEDENCE, strategy_for
from seamline.bpmn.flavours import FormLink as FormLink  # re-exported: callers import it here
from seamline.bpmn.flavours.camunda8 import embedded_key
from seamline.bpmn.flavours.spiff import SPIFF_UI as _SPIFF_UI
from seamline.bpmn.problems import Problem, Severity
from seamline.errors import LinkedFormError, LoadError

#: File name endings of form files among a definition's sources (never parsed as XML).
FORM_SUFFIXES = (".json", ".form")


def is_form_name(name: str) -> bool:
    """Whether a source of this name is a form file (JSON), not a diagram."""
    return name.lower().endswith(FORM_SUFFIXES)


def link_of(extensions: Mapping[str, Any]) -> FormLink | None:
    """The form file an element's extensions link, if any (each flavour's strategy reads it)."""
    for flavour in FORM_PRECEDENCE:
        reader = strategy_for(flavour).form_link
        link = reader(extensions) if reader is not None else None
        if link is not None:
            return link
    return None


def parse_json(data: bytes, name: str) -> Any:
    """A form file's JSON, or a LinkedFormError naming the file, line and column."""
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise LinkedFormError(
            f"form file is not UTF-8 text (byte {exc.start})", code="form-not-json", file=name
        ) from exc
    except json.JSONDecodeError as exc:
        raise LinkedFormError(
            f"form file is not valid JSON: {exc.msg} (column {exc.colno})",
            code="form-not-json",
            file=name,
            line=exc.lineno,
            hint="save the form again from the modeler",
        ) from exc


def form_id_of(data: bytes) -> str | None:
    """The ``id`` of a Camunda Forms document; None if it has none or is not JSON."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    form_id = doc.get("id") if isinstance(doc, dict) else None
    return form_id if isinstance(form_id, str) else None


def _norm(name: str) -> str:
    return os.path.normpath(name)


def find_file(diagram: str, relative: str, names: Iterable[str]) -> str | None:
    """The source holding ``relative`` as seen from the diagram ``diagram``.

    The file beside the diagram wins; otherwise the one source with that base name (sources
    stored under other names, e.g. loaded from another folder).
    """
    names = [n for n in names if is_form_name(n)]
    wanted = _norm(str(PurePath(diagram).parent / relative))
    for name in names:
        if _norm(name) == wanted:
            return name
    base = PurePath(relative).name
    same = [n for n in names if PurePath(n).name == base]
    return same[0] if len(same) == 1 else None


def find_by_id(form_id: str, sources: Mapping[str, bytes]) -> list[str]:
    """The ``.form``/JSON sources whose ``id`` is ``form_id``."""
    return [
        name
        for name in sorted(sources)
        if is_form_name(name) and form_id_of(sources[name]) == form_id
    ]


@dataclass(frozen=True)
class Resolved:
    """A linked form found among the sources: its documents and where they came from."""

    link: FormLink
    schema_file: str
    schema: Any
    ui_file: str | None = None
    ui: Any = None


def resolve(
    link: FormLink, diagram: str, sources: Mapping[str, bytes], *, element: str | None = None
) -> Resolved:
    """Find and read the files ``link`` names; LinkedFormError (located) if that fails."""
    where: dict[str, Any] = {"file": diagram, "element": element}
    if link.by == "id":
        owners = find_by_id(link.value, sources)
        if not owners:
            raise LinkedFormError(
                f"{link.attribute} names form id {link.value!r}, but no .form file loaded with"
                " the diagram has that id",
                code="form-not-found",
                hint="put the .form file beside the diagram (or load it together with it)",
                **where,
            )
        if len(owners) > 1:
            raise LinkedFormError(
                f"form id {link.value!r} is the id of several files: {', '.join(owners)}",
                code="form-ambiguous",
                hint="keep one file per form id",
                **where,
            )
        schema_file = owners[0]
    else:
        found = find_file(diagram, link.value, sources)
        if found is None:
            raise LinkedFormError(
                f"{link.attribute} names form file {link.value!r}, which was not loaded with the"
                " diagram",
                code="form-not-found",
                hint="put the file beside the diagram (or load it together with it)",
                **where,
            )
        schema_file = found
    schema = _read(schema_file, sources, link.attribute, where)
    if link.ui is None:
        return Resolved(link, schema_file, schema)
    ui_file = find_file(diagram, link.ui, sources)
    if ui_file is None:
        raise LinkedFormError(
            f"{_SPIFF_UI} names file {link.ui!r}, which was not loaded with the diagram",
            code="form-not-found",
            hint="put the file beside the diagram, or remove the property",
            **where,
        )
    return Resolved(link, schema_file, schema, ui_file, _read(ui_file, sources, _SPIFF_UI, where))


def _read(name: str, sources: Mapping[str, bytes], attribute: str, where: dict[str, Any]) -> Any:
    try:
        return parse_json(sources[name], name)
    except LinkedFormError as exc:
        raise LinkedFormError(
            f"{attribute} names {name}, which is not valid JSON: {exc.message}"
            + (f" at line {exc.context['line']}" if exc.context.get("line") else ""),
            code="form-not-json",
            hint="save the form again from the modeler",
            **where,
        ) from exc


def linked_form(
    extensions: Mapping[str, Any],
    diagram: str,
    sources: Mapping[str, bytes],
    *,
    element: str | None = None,
) -> dict[str, Any] | None:
    """The form a task links by file or embeds by key, compiled to JSON Schema; None if none.

    Raises a located :class:`~seamline.errors.LoadError` when the link cannot be followed or the
    form cannot be compiled.
    """
    key = embedded_key(extensions)
    if key is not None:
        return _embedded(extensions, key, diagram, element)
    link = link_of(extensions)
    if link is None:
        return None
    found = resolve(link, diagram, sources, element=element)
    ui = sources[found.ui_file] if found.ui_file else b""
    try:
        return copy.deepcopy(_compiled(link.kind, sources[found.schema_file], ui))
    except LoadError as exc:
        raise LoadError(
            f"form {found.schema_file}: {exc.message}",
            code=exc.code,
            hint=exc.hint or "fix the form in the modeler",
            file=diagram,
            element=element,
        ) from exc


def _embedded(
    extensions: Mapping[str, Any], key: str, diagram: str, element: str | None
) -> dict[str, Any]:
    from seamline.humans import forms

    where: dict[str, Any] = {"file": diagram, "element": element}
    doc = extensions.get("zeebe:formJson")
    if not isinstance(doc, Mapping):
        raw = extensions.get("zeebe:userTaskForm")
        if raw is None:
            raise LinkedFormError(
                f"formKey names embedded form {key!r}, but the diagram has no zeebe:userTaskForm"
                " with that id",
                code="form-not-found",
                hint="link the form again in the modeler",
                **where,
            )
        raise LinkedFormError(
            f"embedded form {key!r} (zeebe:userTaskForm) is not a JSON object",
            code="form-not-json",
            hint="link the form again in the modeler",
            **where,
        )
    try:
        return forms.form_from_camunda_forms_json(doc)
    except LoadError as exc:
        raise LoadError(
            f"embedded form {key!r}: {exc.message}", code="bad-form", file=diagram, element=element
        ) from exc


@functools.lru_cache(maxsize=256)
def _compiled(kind: str, schema: bytes, ui: bytes) -> dict[str, Any]:
    """Compile once per file content: every commit rebuilds the rows of all waiting tasks."""
    from seamline.humans import forms

    doc = json.loads(schema.decode("utf-8-sig"))
    if kind == "camunda-forms":
        return forms.form_from_camunda_forms_json(doc)
    ui_doc = json.loads(ui.decode("utf-8-sig")) if ui else None
    if ui_doc is not None and not isinstance(ui_doc, Mapping):
        raise LinkedFormError(f"{_SPIFF_UI} must hold a JSON object", code="bad-form")
    return forms.form_from_spiff_schema(doc, ui_doc)


_FALLBACK = "the task falls back to the generic variables form (name and JSON value rows)"


def form_notes(extensions: Mapping[str, Any]) -> list[str]:
    """What a task's form key asks for that seamline cannot show, one line each.

    Camunda 7 embedded HTML forms (``embedded:app:`` / ``embedded:deployment:``) are AngularJS
    pages for Camunda's own Tasklist; other keys name an external application's form.
    """
    inline = bool(extensions.get("camunda:formData"))
    instead = "seamline shows the camunda:formData fields instead" if inline else _FALLBACK
    notes: list[str] = []
    key = extensions.get("camunda:formKey")
    if isinstance(key, str) and key.strip() and link_of(extensions) is None:
        if key.startswith("embedded:"):
            what = "a Camunda 7 embedded HTML form (AngularJS), which seamline cannot show"
        else:
            what = "a form of another application, which seamline cannot show"
        notes.append(f"camunda:formKey {key.strip()!r} names {what}; {instead}")
    definition = extensions.get("zeebe:formDefinition")
    if isinstance(definition, Mapping) and not isinstance(
        extensions.get("zeebe:formJson"), Mapping
    ):
        custom = definition.get("formKey") or definition.get("externalReference")
        if isinstance(custom, str) and custom.strip() and embedded_key(extensions) is None:
            notes.append(
                f"zeebe:formDefinition {custom.strip()!r} names a custom or external form, which"
                f" seamline cannot show; {_FALLBACK}"
            )
    return notes


def form_problems(
    diagram: str, elements: Iterable[Any], sources: Mapping[str, bytes]
) -> list[Problem]:
    """Located errors for the user tasks among ``elements`` whose linked form cannot be used,
    and warnings for form keys and form components seamline cannot show."""
    from seamline.humans.forms import formjs_unsupported

    problems: list[Problem] = []
    for info in elements:
        if info.type != "userTask":
            continue
        for note in form_notes(info.extensions):
            problems.append(
                Problem(diagram, info.line, info.id, Severity.WARNING, "form-not-shown", note,
                        "draw the form with Camunda Forms or camunda:formData fields")
            )  # fmt: skip
        try:
            compiled = linked_form(info.extensions, diagram, sources, element=info.id)
        except LoadError as exc:
            problems.append(
                Problem(diagram, info.line, info.id, Severity.ERROR,
                        exc.code, exc.message, exc.hint)
            )  # fmt: skip
            continue
        for note in formjs_unsupported(compiled or {}):
            problems.append(
                Problem(diagram, info.line, info.id, Severity.WARNING, "form-component-not-shown",
                        f"form: {note}", "leave it out of the form, or model it another way")
            )  # fmt: skip
    return problems


def form_file_report(name: str, data: bytes) -> FileReport:
    """How a form file loaded with diagrams fared: it must at least be JSON."""
    try:
        parse_json(data, name)
    except LinkedFormError as exc:
        problem = Problem(
            name, exc.context.get("line"), None, Severity.ERROR, exc.code, exc.message, exc.hint
        )
        return FileReport(name, False, None, (), (problem,), "form")
    return FileReport(name, True, None, (), (), "form")
