"""Execution and task listeners as diagrams draw them: read, or refused where they cannot run.

Camunda 7 diagrams attach ``camunda:executionListener`` (events ``start``, ``end``, ``take``) to
flow nodes, sequence flows and the process, and ``camunda:taskListener`` (``create``,
``assignment``, ``complete``, ``delete``, ``timeout``) to user tasks. seamline runs the ones
whose body is a JUEL expression (``expression="${...}"``) or an inline Python script
(``<camunda:script scriptFormat="python">``); the engine's side is
:mod:`seamline.engine.listeners`.

Everything else is refused at load with the element and the line, never ignored: Java delegate
bodies (``camunda:class``, ``camunda:delegateExpression``), script resources, scripts in other
languages, the ``update`` event (seamline raises none), and Camunda 8's job-worker
listeners (``zeebe:executionListeners``, ``zeebe:taskListeners``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from seamline.bpmn.flavours import BPMN_NS, CAMUNDA_NS, ZEEBE_NS, bpmn, local, namespace
from seamline.bpmn.problems import Problem, Severity

EXECUTION_EVENTS = frozenset({"start", "end", "take"})
TASK_EVENTS = frozenset({"create", "assignment", "complete", "delete", "timeout"})
_PYTHON = frozenset({"python", "py", "python3", "text/x-python"})
_DELEGATE_HINT = "use an expression or a script"


@dataclass(frozen=True)
class Listener:
    """One listener: when it runs (``event``) and its body (an expression or a script)."""

    kind: str  # "execution" or "task"
    event: str
    expression: str | None = None
    script: str | None = None
    #: A timeout task listener's timer (``timeDuration`` / ``timeDate`` / ``timeCycle``).
    timer: Mapping[str, str] = field(default_factory=dict)
    id: str | None = None


def _timer_of(data: Mapping[str, Any]) -> dict[str, str]:
    definition = data.get("timerEventDefinition")
    found: dict[str, str] = {}
    if isinstance(definition, Mapping):
        for key in ("timeDuration", "timeDate", "timeCycle"):
            value = definition.get(key)
            if isinstance(value, Mapping):
                value = value.get("text") or value.get("value")
            if isinstance(value, str) and value.strip():
                found[key] = value.strip()
    return found


def listeners_of(extensions: Mapping[str, Any], kind: str) -> list[Listener]:
    """The runnable listeners of one element (``kind``: "execution" or "task"), in order.

    Only bodies the loader accepted reach here (refusals stop the load first).
    """
    raw = extensions.get(f"camunda:{kind}Listener")
    if not isinstance(raw, Sequence):
        return []
    found: list[Listener] = []
    for data in raw:
        if not isinstance(data, Mapping):
            continue
        script = data.get("script")
        text = script.get("value") if isinstance(script, Mapping) else None
        found.append(
            Listener(
                kind=kind,
                event=str(data.get("event") or ("take" if kind == "execution" else "create")),
                expression=data.get("expression"),
                script=text if isinstance(text, str) else None,
                timer=_timer_of(data),
                id=data.get("id"),
            )
        )
    return found


def process_listeners(root: etree._Element, process_id: str) -> list[Listener]:
    """The execution listeners drawn on the ``bpmn:process`` itself (not recorded per element)."""
    for process in root.iter(bpmn("process")):
        if process.get("id") != process_id:
            continue
        found = []
        for el in _own_listeners(process, CAMUNDA_NS, "executionListener"):
            script = el.find(f"{{{CAMUNDA_NS}}}script")
            found.append(
                Listener(
                    kind="execution",
                    event=el.get("event") or "start",
                    expression=el.get("expression"),
                    script=(script.text or "") if script is not None else None,
                )
            )
        return found
    return []


def _own_listeners(owner: etree._Element, ns: str, tag: str) -> Iterator[etree._Element]:
    for ext in owner.findall(bpmn("extensionElements")):
        yield from ext.iter(f"{{{ns}}}{tag}")


def _refuse(file: str, owner: etree._Element, line: int | None, message: str, hint: str) -> Problem:
    element = owner.get("id") or local(owner.tag)
    return Problem(file, line, element, Severity.ERROR, "unsupported-listener", message, hint)


def _body_problem(el: etree._Element, what: str) -> tuple[str, str] | None:
    """Why one Camunda 7 listener cannot run (message, hint), or None if it can."""
    if el.get("class") or el.get("delegateExpression"):
        attr = "class" if el.get("class") else "delegateExpression"
        return (
            f"{what} with camunda:{attr}: Java delegate listeners are not supported yet",
            _DELEGATE_HINT,
        )
    script = el.find(f"{{{CAMUNDA_NS}}}script")
    if script is not None:
        if script.get("resource"):
            return (
                f"{what} script resource {script.get('resource')!r} is not supported",
                "write the script inline in the listener",
            )
        fmt = (script.get("scriptFormat") or "").strip().lower()
        if fmt not in _PYTHON:
            return (
                f"{what} script in {script.get('scriptFormat')!r} cannot run;"
                " seamline runs Python scripts",
                'rewrite it in Python (scriptFormat="python")',
            )
        return None
    if not (el.get("expression") or "").strip():
        return (f"{what} has no body", "give it an expression or a script")
    return None


def _event_problem(el: etree._Element, kind: str, owner: etree._Element) -> str | None:
    event = el.get("event") or ""
    if kind == "executionListener":
        if local(owner.tag) == "sequenceFlow":
            return None  # a flow's listeners run when it is taken, whatever the event says
        if event not in EXECUTION_EVENTS:
            return f"execution listener event {event!r} is not one Camunda raises"
        return None
    if event == "update":
        return "task listener event 'update' is not supported: seamline raises no update events"
    if event == "timeout":
        timer = el.find(bpmn("timerEventDefinition"))
        kinds = ("timeDuration", "timeDate", "timeCycle")
        if timer is None or not any(timer.find(bpmn(k)) is not None for k in kinds):
            return "a timeout task listener needs a timerEventDefinition with a time"
    if event not in TASK_EVENTS:
        return f"task listener event {event!r} is not one Camunda raises"
    return None


def listener_problems(root: etree._Element, file: str) -> list[Problem]:
    """Errors for every listener seamline cannot run, located at its element and line."""
    problems: list[Problem] = []
    for kind in ("executionListener", "taskListener"):
        what = "execution listener" if kind == "executionListener" else "task listener"
        for el in root.iter(f"{{{CAMUNDA_NS}}}{kind}"):
            owner = _owner(el)
            reason = _body_problem(el, what)
            event = _event_problem(el, kind, owner)
            if reason is not None:
                problems.append(_refuse(file, owner, el.sourceline, *reason))
            elif event is not None:
                problems.append(
                    _refuse(file, owner, el.sourceline, event, "remove the listener or change it")
                )
    for tag in ("executionListeners", "taskListeners"):
        for el in root.iter(f"{{{ZEEBE_NS}}}{tag}"):
            owner = _owner(el)
            problems.append(
                _refuse(
                    file,
                    owner,
                    el.sourceline,
                    f"zeebe:{tag}: job worker listeners are not supported yet",
                    "model the work as a service task before or after the element",
                )
            )
    return problems


def _owner(el: etree._Element) -> etree._Element:
    """The BPMN element whose extensionElements hold ``el``."""
    node = el.getparent()
    while node is not None and (
        local(node.tag) == "extensionElements" or namespace(node.tag) != BPMN_NS
    ):
        node = node.getparent()
    return node if node is not None else el
