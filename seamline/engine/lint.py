"""Load-time checks of every expression and script a diagram holds.

The loader decides the dialect of each text from its syntax (``${}`` / ``#{}`` JUEL, leading
``=`` FEEL, otherwise Python for expression positions) and this module parses it, so a typo is
an error at load naming file, line and element, not a wrong answer at run time. Scripts in a
language seamline does not run (JavaScript, Groovy) are rejected here too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from seamline.bpmn.definition import ElementInfo, ProcessDefinition
from seamline.bpmn.flavours.listeners import listeners_of
from seamline.bpmn.problems import Problem, Severity
from seamline.engine.expressions import Evaluator, dialect_of
from seamline.errors import SeamlineError

_PYTHON_FORMATS = {None, "", "python", "text/x-python", "text/python", "py"}
_EXPRESSION_LANGUAGES = {None, "", "python", "feel", "juel", "text/x-python"}

# (where in the extensions, how to read it): "expr" is always an expression, "value" only when
# marked as JUEL/FEEL (plain text is a literal such as a group name).
_VALUE_KEYS = (
    "camunda:assignee",
    "camunda:candidateUsers",
    "camunda:candidateGroups",
    "camunda:dueDate",
    "camunda:followUpDate",
    "camunda:priority",
    "camunda:decisionRef",
    "camunda:collection",
)


def _texts(element: ElementInfo) -> Iterator[tuple[str, str, str]]:
    """(what, text, reading) for every expression-bearing text of an element."""
    ext = element.extensions
    cond = ext.get("conditionExpression")
    if isinstance(cond, str) and cond.strip():
        yield "condition", cond, "expr"
    timer = ext.get("timer")
    if isinstance(timer, Mapping):
        for key, text in timer.items():
            if isinstance(text, str) and text.strip():
                yield key, text, "value"
    for key in _VALUE_KEYS:
        value = ext.get(key)
        if isinstance(value, str) and value.strip():
            yield key, value, "value"
    assignment = ext.get("zeebe:assignmentDefinition")
    if isinstance(assignment, Mapping):
        for key, value in assignment.items():
            if isinstance(value, str):
                yield f"zeebe:assignmentDefinition {key}", value, "value"
    for io_key in ("camunda:inputOutput",):
        io = ext.get(io_key)
        if isinstance(io, Mapping):
            for p in [*io.get("inputs", []), *io.get("outputs", [])]:
                if p.get("kind") == "text" and isinstance(p.get("value"), str):
                    yield f"parameter {p.get('name')}", p["value"], "value"
    mapping = ext.get("zeebe:ioMapping")
    if isinstance(mapping, Mapping):
        for p in [*mapping.get("inputs", []), *mapping.get("outputs", [])]:
            if isinstance(p.get("source"), str):
                yield f"mapping {p.get('target')}", p["source"], "value"
    loop = ext.get("loop")
    if isinstance(loop, Mapping):
        for key in ("loopCardinality", "completionCondition", "loopCondition"):
            if isinstance(loop.get(key), str) and loop[key].strip():
                yield key, loop[key], "expr"
    spiff = ext.get("spiffworkflow:serviceTaskOperator")
    if isinstance(spiff, Mapping):
        for name, param in (spiff.get("parameters") or {}).items():
            value = (param or {}).get("value")
            if isinstance(value, str) and value.strip():
                yield f"parameter {name}", value, "expr"


def _problem(element: ElementInfo, code: str, message: str, hint: str | None) -> Problem:
    return Problem(element.file, element.line, element.id, Severity.ERROR, code, message, hint)


def expression_problems(definition: ProcessDefinition, evaluator: Evaluator) -> list[Problem]:
    """Every expression or script of ``definition`` that does not parse, located; and a
    warning for every extension seamline reads but does not act on."""
    problems: list[Problem] = []
    for element in definition.elements.values():
        problems.extend(_check_element(element, evaluator))
        problems.extend(_not_run(element))
    return problems


# Extensions a modeler may draw that seamline records but does not carry out, with what it
# does instead. They are warnings: the diagram runs, and validate says what will not happen.
_NOT_RUN = {
    "camunda:in": "call activity variable mappings are not applied: the called process sees all"
    " of the caller's data",
    "camunda:out": "call activity variable mappings are not applied: all of the called process's"
    " data flows back",
}


def _not_run(element: ElementInfo) -> list[Problem]:
    problems = []
    for key, what in _NOT_RUN.items():
        if element.extensions.get(key):
            problems.append(
                Problem(
                    element.file,
                    element.line,
                    element.id,
                    Severity.WARNING,
                    "extension-not-run",
                    f"{key}: {what}",
                    "move the logic into a script task or a connector if it matters",
                )
            )
    return problems


def _check_element(element: ElementInfo, evaluator: Evaluator) -> list[Problem]:
    problems: list[Problem] = []
    ext = element.extensions
    language = ext.get("conditionLanguage")
    if isinstance(language, str) and language.strip().lower() not in _EXPRESSION_LANGUAGES:
        problems.append(
            _problem(
                element,
                "expression-language",
                f"condition language {language!r} cannot be evaluated",
                "write the condition in Python, JUEL (${...}) or FEEL (=...)",
            )
        )
        return problems
    script: Any = ext.get("script")
    if element.type == "scriptTask" and isinstance(script, Mapping):
        fmt = (script.get("format") or "").strip().lower() or None
        if fmt not in _PYTHON_FORMATS:
            problems.append(
                _problem(
                    element,
                    "script-language",
                    f"scripts in {script.get('format')!r} cannot run; seamline runs Python scripts",
                    "rewrite the script in Python (it runs sandboxed)",
                )
            )
        elif isinstance(script.get("text"), str):
            problems.extend(_parse(element, evaluator, "script", script["text"], "script"))
    for what, text, reading in _texts(element):
        if reading == "value" and dialect_of(text) == "python":
            continue
        problems.extend(_parse(element, evaluator, what, text, "expr"))
    problems.extend(_listener_problems(element, evaluator))
    return problems


def _listener_problems(element: ElementInfo, evaluator: Evaluator) -> list[Problem]:
    """Listener expressions and scripts parse (their bodies run in a step, long after load)."""
    problems: list[Problem] = []
    for kind in ("execution", "task"):
        for listener in listeners_of(element.extensions, kind):
            what = f"{kind} listener ({listener.event})"
            if listener.script is not None:
                problems.extend(_parse(element, evaluator, what, listener.script, "script"))
            elif listener.expression:
                problems.extend(_parse(element, evaluator, what, listener.expression, "expr"))
    return problems


def _parse(
    element: ElementInfo, evaluator: Evaluator, what: str, text: str, mode: str
) -> list[Problem]:
    where = f"{element.id} {what}"
    try:
        if mode == "script":
            evaluator.sandbox.check(text, mode="exec", where=where)
        else:
            evaluator.check(text, where=where)
    except SeamlineError as exc:
        message = str(exc.message).splitlines()[0]
        return [_problem(element, "expression-syntax", f"{what}: {message}", exc.hint)]
    return []
