"""What every flavour module builds on: the ``Flavour`` enum, the strategy record, XML helpers.

A flavour module (``camunda7``, ``camunda8``, ``spiff``, ``plain``) imports only from here; the
package ``__init__`` puts the modules in its registry.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass, field
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
    - ``io_mapping(extensions)``: an activity's input/output parameters (:class:`IoMapping`).
    - ``call_mapping(extensions)``: how a call activity passes variables (:class:`CallMapping`);
      ``None``: SpiffWorkflow's own data flow (everything both ways).
    - ``assignment(extensions)``: who a user task names (:class:`Assignment`).
    - ``schedule(extensions)``: a user task's due and follow-up dates and priority.
    - ``checks(root)``: what the flavour's engine refuses to deploy, as (element, message, hint).
    - ``connector(extensions)``: what a service task calls (:class:`ConnectorSpec`);
      ``retries(extensions)``: how its failed calls are retried (:class:`RetrySpec`);
      ``properties(extensions)``: the element's extension properties (name -> value);
      ``result_variable(extensions)``: where a task's result goes, if the flavour says.
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
    io_mapping: Callable[[Mapping[str, Any]], IoMapping | None] | None = None
    call_mapping: Callable[[Mapping[str, Any]], CallMapping | None] | None = None
    assignment: Callable[[Mapping[str, Any]], Assignment | None] | None = None
    schedule: Callable[[Mapping[str, Any]], Schedule | None] | None = None
    checks: Callable[[etree._Element], list[tuple[etree._Element, str, str]]] | None = None
    connector: Callable[[Mapping[str, Any]], ConnectorSpec | None] | None = None
    retries: Callable[[Mapping[str, Any]], RetrySpec | None] | None = None
    properties: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None
    result_variable: Callable[[Mapping[str, Any]], str | None] | None = None


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


# -- what a flavour's extensions say, read into flavour-free records ------------------------------
#
# The engine and the humans layer act on these records; only the flavour modules know which
# ``prefix:name`` keys hold them.


#: How a script nested in a list or map value is recorded: ``{NESTED_SCRIPT: source,
#: NESTED_LANGUAGE: scriptFormat}``.
NESTED_SCRIPT = "seamline:script"
NESTED_LANGUAGE = "seamline:scriptFormat"


@dataclass(frozen=True)
class Param:
    """One input or output parameter of an activity: ``name`` gets ``value``.

    ``kind`` is ``text`` (a literal or an expression, ``${...}`` / ``=...``), ``list`` or
    ``map`` (nested values of any kind, as :class:`Param`-free data: texts, lists, dicts and
    ``{"script": ..., "language": ...}`` entries) or ``script`` (``value`` is its source,
    ``language`` its ``scriptFormat``).
    """

    name: str
    kind: str
    value: Any
    language: str | None = None


@dataclass(frozen=True)
class IoMapping:
    """An activity's input and output parameters, and how its variables reach the parent scope.

    - ``inputs`` are local to the activity: set when it starts, gone when it ends;
    - ``outputs`` are evaluated over the activity's variables when it completes;
    - ``outputs_only``: Camunda 8 — when there are output mappings, *only* they reach the
      parent scope (what a job or a person completed the task with stays local); Camunda 7 sets
      completion variables on the parent scope either way.
    """

    inputs: tuple[Param, ...] = ()
    outputs: tuple[Param, ...] = ()
    outputs_only: bool = False
    #: A script-free script task (Camunda 8 ``zeebe:script``): ``name`` (its result variable,
    #: may be empty) gets ``value`` (an expression), before the outputs are evaluated.
    result: Param | None = None

    def __bool__(self) -> bool:
        return bool(self.inputs or self.outputs or self.result)


@dataclass(frozen=True)
class VariableFlow:
    """One ``in`` or ``out`` mapping of a call activity.

    ``source`` names a variable, ``expression`` computes the value (``sourceExpression``);
    ``everything`` (``variables="all"``) copies every variable; ``local`` reads only the call
    activity's own (input) variables for ``in``, and writes onto the call activity only (not the
    parent scope) for ``out``.
    """

    target: str | None = None
    source: str | None = None
    expression: str | None = None
    everything: bool = False
    local: bool = False


@dataclass(frozen=True)
class CallMapping:
    """How variables flow between a call activity and the process it calls.

    Camunda 7 passes nothing unless ``camunda:in`` / ``camunda:out`` say so; Camunda 8 passes
    everything both ways unless ``propagateAllParentVariables`` / ``propagateAllChildVariables``
    are false (input mappings, then, are what the child gets; output mappings what comes back).
    ``called`` is the process to call, an expression if it is chosen at run time.
    """

    called: str | None = None
    inputs: tuple[VariableFlow, ...] = ()
    outputs: tuple[VariableFlow, ...] = ()
    #: An expression (or literal) giving the called instance's business key, if one is passed.
    business_key: str | None = None
    #: Whether the called instance has a business key of its own (Camunda 7: only when passed).
    own_business_key: bool = False


@dataclass(frozen=True)
class Assignment:
    """Who an element names for a user task, as written (names, comma lists or expressions)."""

    assignee: Any = None
    users: tuple[Any, ...] = ()
    groups: tuple[Any, ...] = ()

    def __or__(self, other: Assignment) -> Assignment:
        """Both together; the first assignee named wins."""
        return Assignment(
            self.assignee if self.assignee not in (None, "") else other.assignee,
            self.users + other.users,
            self.groups + other.groups,
        )


@dataclass(frozen=True)
class Schedule:
    """A user task's due date, follow-up date and priority, as written."""

    due: Any = None
    follow_up: Any = None
    priority: Any = None


#: Where standard BPMN resource roles are recorded in an element's extensions.
RESOURCE_ROLES = "resourceRoles"


def _role_parts(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += char == "{"
        depth -= char == "}"
        if char == "," and depth <= 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def _unwrap(part: str, kind: str) -> str | None:
    if part.startswith(f"{kind}(") and part.endswith(")"):
        return part[len(kind) + 1 : -1].strip()
    return None


def standard_assignment(extensions: Mapping[str, Any]) -> Assignment | None:
    """BPMN's ``humanPerformer`` (the assignee) and ``potentialOwner`` (candidates) as Camunda 7
    reads their ``formalExpression``: ``user(kermit), group(sales)``; a bare name is a group for
    a potential owner and the user for a human performer."""
    roles = extensions.get(RESOURCE_ROLES)
    if not isinstance(roles, list):
        return None
    found = Assignment()
    for role in roles:
        text = str(role.get("expression") or "").strip() if isinstance(role, Mapping) else ""
        if not text:
            continue
        if role.get("role") == "humanPerformer":
            found = found | Assignment(assignee=_unwrap(text, "user") or text)
            continue
        users: list[str] = []
        groups: list[str] = []
        for part in _role_parts(text):
            user = _unwrap(part, "user")
            if user is not None:
                users.append(user)
            else:
                groups.append(_unwrap(part, "group") or part)
        found = found | Assignment(None, tuple(users), tuple(groups))
    return found if found != Assignment() else None


@dataclass(frozen=True)
class ConnectorSpec:
    """What a service task's extensions say it calls, and how data flows in and out.

    ``params`` are the inputs (``dialect`` ``python``: Python expressions, SpiffArena;
    ``value``: literals or marked expressions); ``inputs`` / ``outputs`` are parameters still
    to be checked (a script among them cannot be a connector mapping). ``delegate`` names Java
    code (``camunda:class``...) the task would run, which seamline cannot.
    """

    connector: str
    dialect: str = "value"
    params: Mapping[str, Any] = field(default_factory=dict)
    inputs: tuple[Param, ...] = ()
    outputs: tuple[Param, ...] = ()
    result_variable: str | None = None
    result_expression: str | None = None
    external: bool = False
    delegate: tuple[str, str] | None = None


@dataclass(frozen=True)
class RetrySpec:
    """How a flavour says failed connector calls are retried: a Camunda 7 retry time cycle
    (``kind="cycle"``) or a Zeebe retry count (``kind="count"``, with an optional backoff)."""

    kind: str
    value: str
    backoff: str | None = None
