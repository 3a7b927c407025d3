"""Checks of a loaded definition against this installation, for `seamline validate`.

The loader (``seamline.bpmn``) knows diagrams but not connectors; whether a service task can run
here depends on the connectors installed and configured, so that check lives on the engine side.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from seamline.bpmn.definition import ElementInfo, ProcessDefinition
from seamline.bpmn.problems import Problem, Severity
from seamline.connectors.registry import ConnectorRegistry
from seamline.engine.bindings import bind, is_chosen_at_run_time
from seamline.errors import SeamlineError
from seamline.spiff.specs import ConnectorTask

UNKNOWN_CONNECTOR = "unknown-connector"
BAD_BINDING = "connector-binding"


def _connector_elements(definition: ProcessDefinition) -> Iterator[ElementInfo]:
    """Elements of ``definition`` that a connector runs, once each, in document order."""
    seen: set[str] = set()
    specs: list[Any] = [definition.spec, *definition.subprocess_specs.values()]
    found: list[ElementInfo] = []
    for spec in specs:
        for task_spec in spec.task_specs.values():
            if not isinstance(task_spec, ConnectorTask):
                continue
            element = definition.elements.get(str(task_spec.bpmn_id or "")) or (
                definition.element_for_spec(task_spec.name)
            )
            # Called processes from other files are checked as their own definitions.
            if element is None or element.id in seen or element.file != definition.file:
                continue
            seen.add(element.id)
            found.append(element)
    yield from sorted(found, key=lambda e: (e.line or 0, e.id))


def _known(name: str, registry: ConnectorRegistry) -> str:
    names = registry.names()
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    listed = ", ".join(close + [n for n in names if n not in close]) or "none"
    return f"known connectors: {listed}"


def connector_problems(definition: ProcessDefinition, registry: ConnectorRegistry) -> list[Problem]:
    """Service tasks of ``definition`` whose connector is not installed, or cannot be read.

    One ERROR per element: ``unknown-connector`` naming the connector and the known ones, or
    ``connector-binding`` when the binding itself is invalid (a Java delegate, a script mapping).
    Elements the loader already reported are skipped, so no problem is reported twice.
    """
    reported = {p.element for p in definition.problems if p.severity is Severity.ERROR}
    problems: list[Problem] = []
    for element in _connector_elements(definition):
        if element.id in reported:
            continue
        try:
            binding = bind(element)
        except SeamlineError as exc:
            problems.append(
                Problem(
                    element.file,
                    element.line,
                    element.id,
                    Severity.ERROR,
                    BAD_BINDING,
                    exc.message,
                    exc.hint,
                )
            )
            continue
        if binding.connector in registry or is_chosen_at_run_time(binding.connector):
            continue
        problems.append(
            Problem(
                element.file,
                element.line,
                element.id,
                Severity.ERROR,
                UNKNOWN_CONNECTOR,
                f"'{element.name or element.id}' calls connector '{binding.connector}',"
                " which is not installed",
                f"{_known(binding.connector, registry)}; or add "
                f'[connectors.{binding.connector}] type = "<connector>" to seamline.toml',
            )
        )
    return problems
