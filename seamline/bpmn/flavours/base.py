"""What every flavour module builds on: the ``Flavour`` enum, the strategy record, XML helpers.

A flavour module (``camunda7``, ``camunda8``, ``spiff``, ``plain``) imports only from here; the
package ``__init__`` puts the modules in its registry.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass
from typing import Any, Literal

from lxml import etree

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
MODELER_NS = "http://camunda.org/schema/modeler/1.0"


class Flavour(enum.StrEnum):
    """The modeler dialect of a BPMN file."""

    CAMUNDA7 = "camunda7"
    CAMUNDA8 = "camunda8"
    SPIFF = "spiff"
    PLAIN = "plain"


@dataclass(frozen=True)
class FormLink:
    """What a user task says about its form file: a file name, or a form id to look up."""

    #: The attribute the diagram uses, for messages (``formJsonSchemaFilename``, ...).
    attribute: str
    #: A path relative to the diagram (``by == "file"``) or a Camunda form id (``by == "id"``).
    value: str
    by: Literal["file", "id"]
    kind: Literal["spiff-schema", "camunda-forms"]
    #: SpiffArena's uiSchema file (only its ``ui:order`` is used).
    ui: str | None = None


@dataclass(frozen=True, slots=True)
class FlavourStrategy:
    """What one flavour means to seamline.

    - ``namespace`` / ``prefix``: the extension namespace and the prefix its extensions are
      recorded under (``prefix:localName``); ``None`` for plain BPMN.
    - ``detects(used, root)``: whether a document using the namespaces ``used`` speaks this
      flavour; flavours are tried in :data:`seamline.bpmn.flavours.DETECTION_ORDER`.
    - ``read_element``: one extension element of this namespace, read into plain data.
    - ``repeated``: extension keys that may repeat, always recorded as lists.
    - ``parser``: the name of the class in :mod:`seamline.spiff.parsers` that builds it.
    - ``normalizations``: the flavour-specific normalizations (modules of
      :mod:`seamline.bpmn.normalize`) that rewrite its extensions as standard BPMN; a record,
      not a switch: :func:`seamline.bpmn.normalize.normalize` runs every fix on every file,
      and each one acts only on the extensions it knows.
    - ``form_link(extensions)``: the form file an element's recorded extensions link, if this
      flavour names one (``None``: the flavour has no form files).
    - ``expression_language``: the dialect its modeler writes expressions in (see
      :func:`seamline.engine.expressions.dialect_of`).
    - ``pass_through``: the task kinds (local BPMN names) that do nothing and pass the token
      straight on, as BPMN 2.0 and Camunda run ``task`` and ``manualTask``; SpiffArena instead
      has a person confirm them, so its strategy lists none.
    """

    flavour: Flavour
    namespace: str | None
    prefix: str | None
    detects: Callable[[Set[str], etree._Element], bool]
    read_element: Callable[[etree._Element], Any] | None
    parser: str
    expression_language: str
    form_link: Callable[[Mapping[str, Any]], FormLink | None] | None = None
    repeated: frozenset[str] = frozenset()
    normalizations: tuple[str, ...] = ()
    pass_through: frozenset[str] = frozenset()


#: BPMN 2.0 (10.3.3): an abstract task and a manual task are not run by the engine; Camunda 7
#: and 8 take them as pass-through activities.
PASS_THROUGH_TASKS = frozenset({"task", "manualTask"})


def bpmn(tag: str) -> str:
    """The Clark name of a BPMN model element, e.g. ``{...MODEL}task``."""
    return f"{{{BPMN_NS}}}{tag}"


def local(tag: Any) -> str:
    """The local part of an element tag ('' for comments and other non-elements)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: Any) -> str:
    """The namespace URI of a tag ('' if it has none)."""
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1:].split("}", 1)[0]
    return ""


def _text(el: etree._Element) -> str | None:
    text = (el.text or "").strip()
    return text or None


def _attrs(el: etree._Element) -> dict[str, Any]:
    return {local(k): v for k, v in el.attrib.items()}


def _children(el: etree._Element, name: str | None = None) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str) and (name is None or local(c.tag) == name)]


def _generic(el: etree._Element) -> Any:
    """Attributes, text and children of an unknown extension element, kept as nested data."""
    data: dict[str, Any] = _attrs(el)
    kids = _children(el)
    if kids:
        grouped: dict[str, list[Any]] = {}
        for kid in kids:
            grouped.setdefault(local(kid.tag), []).append(_generic(kid))
        data.update({k: v[0] if len(v) == 1 else v for k, v in grouped.items()})
    text = _text(el)
    if text is not None:
        if not data:
            return text
        data["text"] = text
    return data
