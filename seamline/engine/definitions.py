"""Stored definitions -> loaded ProcessDefinitions, once per content hash and process.

A definition is stored as the exact bytes of its files; loading them again gives the same
specs (the loader is deterministic), so a running instance always continues on the version it
started with, however many newer versions were deployed since.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from seamline.bpmn import loader
from seamline.bpmn.definition import ProcessDefinition
from seamline.engine import listeners, mappings
from seamline.engine.expressions import Evaluator
from seamline.errors import DecisionError, SeamlineError
from seamline.store.protocols import DefinitionStore

Decide = Callable[[str, Mapping[str, Any]], Mapping[str, Any]]


class DefinitionCache:
    """Loads and memoizes definitions and their decision services."""

    def __init__(self, store: DefinitionStore) -> None:
        self.store = store
        self._loaded: dict[tuple[str, str], ProcessDefinition] = {}
        self._decisions: dict[str, Any] = {}
        self._lock = threading.Lock()

    def remember(self, definition: ProcessDefinition) -> None:
        """Keep a definition just loaded from files (saves parsing it again)."""
        mappings.connect(definition)
        listeners.connect(definition)
        with self._lock:
            self._loaded[(definition.content_hash, definition.process_id)] = definition

    def get(self, content_hash: str, process_id: str) -> ProcessDefinition:
        """The definition of ``process_id`` in the stored files with ``content_hash``."""
        key = (content_hash, process_id)
        with self._lock:
            found = self._loaded.get(key)
        if found is not None:
            return found
        stored = self.store.get_definition(content_hash)
        definition = loader.load_definition(dict(stored.sources), process_id)
        self.remember(definition)
        return definition

    def decision_service(self, definition: ProcessDefinition, evaluator: Evaluator) -> Any:
        """The DMN decisions loaded with ``definition`` (parsed once per content hash).

        Python entries in tables (SpiffArena's) run in the same sandbox as scripts.
        """
        from seamline.dmn import DecisionService

        with self._lock:
            service = self._decisions.get(definition.content_hash)
        if service is None:
            sandbox = evaluator.sandbox

            def python(text: str) -> Any:
                sandbox.check(text, mode="eval")
                return _PythonEntry(sandbox, text)

            service = DecisionService.from_sources(definition.dmn_sources(), python=python)
            with self._lock:
                self._decisions[definition.content_hash] = service
        return service

    def decider(self, definition: ProcessDefinition, evaluator: Evaluator) -> Decide:
        """A function evaluating a business rule task's decision and mapping its result."""

        def decide(element_id: str, data: Mapping[str, Any]) -> Mapping[str, Any]:
            element = definition.elements.get(element_id) or definition.element_for_spec(element_id)
            if element is None:
                raise DecisionError(f"{element_id}: unknown business rule task")
            ext = element.extensions
            ref = _decision_ref(ext)
            if not ref:
                raise DecisionError(f"{element_id}: the task names no decision")
            ref = str(evaluator.value(ref, data, where=element_id))
            service = self.decision_service(definition, evaluator)
            try:
                result = service.evaluate(ref, data)
            except SeamlineError as exc:
                raise DecisionError(f"{element_id}: {exc}") from exc
            return _map_result(ext, ref, result, _output_names(service, ref))

        return decide


class _PythonEntry:
    """A Python DMN entry evaluated in the sandbox."""

    def __init__(self, sandbox: Any, text: str) -> None:
        self.sandbox = sandbox
        self.source = text

    def evaluate(self, context: Mapping[str, Any]) -> Any:
        return self.sandbox.evaluate(self.source, context)


def _output_names(service: Any, ref: str) -> list[str]:
    try:
        logic = service.decision(ref).logic
    except SeamlineError:
        return []
    outputs = getattr(logic, "outputs", None)
    if outputs is None:
        return [service.decision(ref).variable_name]
    return [o.name for o in outputs]


def _decision_ref(ext: Mapping[str, Any]) -> str | None:
    called = ext.get("zeebe:calledDecision")
    if isinstance(called, Mapping):
        return called.get("decisionId")
    for key in ("camunda:decisionRef", "spiffworkflow:calledDecisionId", "decisionRef"):
        if ext.get(key):
            return str(ext[key])
    return None


def _result_variable(ext: Mapping[str, Any]) -> str | None:
    called = ext.get("zeebe:calledDecision")
    if isinstance(called, Mapping) and called.get("resultVariable"):
        return str(called["resultVariable"])
    value = ext.get("camunda:resultVariable")
    return str(value) if value else None


def _map_result(
    ext: Mapping[str, Any], ref: str, result: Any, outputs: list[str]
) -> Mapping[str, Any]:
    """Store a decision result as the flavour says.

    With a result variable (Camunda 7 ``camunda:resultVariable``, Camunda 8
    ``zeebe:calledDecision resultVariable``) the result goes there, shaped by Camunda 7's
    ``camunda:mapDecisionResult`` when given; without one, a result with named outputs is merged
    into the process data (SpiffWorkflow's behaviour), and anything else is stored under the
    decision id.
    """
    value = result.value
    variable = _result_variable(ext)
    mapping = ext.get("camunda:mapDecisionResult")
    if variable:
        if mapping == "singleEntry" and isinstance(value, Mapping) and len(value) == 1:
            value = next(iter(value.values()))
        elif mapping == "collectEntries" and isinstance(value, list):
            value = [
                next(iter(v.values())) if isinstance(v, Mapping) and len(v) == 1 else v
                for v in value
            ]
        return {variable: value}
    if isinstance(value, Mapping):
        return dict(value)
    if len(outputs) == 1 and not isinstance(value, list):
        return {outputs[0]: value}
    return {ref: value}
