"""A service task's connector binding: what it calls and how its data flows in and out.

Each flavour's strategy reads how its modeler names them (:func:`seamline.bpmn.flavours.
connector`, :func:`seamline.bpmn.flavours.retries`); this module turns that into a
:class:`Binding` (aliases, retry policies, what seamline cannot run):

- Camunda 7: ``camunda:type="external" camunda:topic="X"``; ``camunda:connector`` (its
  ``http-connector`` runs on the ``http`` built-in); ``camunda:inputOutput`` parameters.
- Camunda 8: ``zeebe:taskDefinition type="X"`` with ``zeebe:ioMapping`` and ``zeebe:taskHeaders``
  (``resultVariable``, ``resultExpression``, ``retries``); ``io.camunda:http-json:1`` is ``http``.
- SpiffArena: ``spiffworkflow:serviceTaskOperator id="X"`` with parameters (Python expressions)
  and ``resultVariable``.
- Plain BPMN: the ``implementation`` attribute, or a ``connector`` extension property.

A :class:`Binding` is read once per element; :meth:`Binding.render` evaluates its inputs over
the task's data in the diagram's own dialect, then renders jinja2 templates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from seamline.bpmn import flavours
from seamline.bpmn.definition import ElementInfo
from seamline.bpmn.flavours import Param
from seamline.connectors.retry import RetryPolicy, parse_duration
from seamline.errors import ConfigError, SeamlineError, UnknownConnector

#: Connector types other tools use, and the built-in that runs them.
TYPE_ALIASES = {
    "http-connector": "http",
    "io.camunda:http-json:1": "http",
    "io.camunda:http-json:2": "http",
    "http/json": "http",
}


@dataclass(frozen=True)
class Output:
    """One output mapping: ``target`` gets the value of ``source`` (evaluated over the result)."""

    target: str
    source: Any
    kind: str = "text"


@dataclass(frozen=True)
class Binding:
    """What a service task calls and how its data flows in and out."""

    connector: str
    params: Mapping[str, Any]
    dialect: str  # "python" (Spiff: parameter values are expressions), "value" (marked or literal)
    result_variable: str | None = None
    result_expression: str | None = None
    outputs: tuple[Output, ...] = ()
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    external: bool = False


def _alias(name: str) -> str:
    return TYPE_ALIASES.get(name, name)


def _retry(ext: Mapping[str, Any]) -> RetryPolicy:
    spec = flavours.retries(ext)
    if spec is None:
        return RetryPolicy()
    if spec.kind == "cycle":
        return RetryPolicy.from_camunda_cycle(spec.value)
    if spec.backoff:
        # Zeebe waits a fixed ``retryBackoff`` (a task header) between attempts.
        delay = parse_duration(spec.backoff)
        return RetryPolicy.from_zeebe(
            spec.value, delays=(delay,), jitter=0.0, max_delay=max(delay, 300.0)
        )
    return RetryPolicy.from_zeebe(spec.value)


def _no_scripts(params: tuple[Param, ...], what: str) -> None:
    for p in params:
        if p.kind == "script":
            raise ConfigError(
                f"{what} parameter '{p.name}' is a {p.language or ''} script;"
                f" scripts in {what} mappings are not run (use an expression)"
            )


def bind(element: ElementInfo) -> Binding:
    """Read the connector binding of a service (or send / business rule) task, as the
    element's flavour names it (:func:`seamline.bpmn.flavours.connector`)."""
    spec = flavours.connector(element.extensions)
    if spec is None:
        raise UnknownConnector(
            "the service task names no connector",
            element=element.id,
            file=element.file,
            line=element.line,
            hint="set camunda:topic, zeebe:taskDefinition type, spiffworkflow:serviceTaskOperator,"
            " or the implementation attribute",
        )
    if spec.delegate is not None:
        key, value = spec.delegate
        raise UnknownConnector(
            f"{key}={value!r} names Java code, which seamline cannot run",
            element=element.id,
            file=element.file,
            line=element.line,
            hint='use camunda:type="external" camunda:topic="<connector>" instead',
        )
    _no_scripts(spec.inputs, "input")
    _no_scripts(spec.outputs, "output")
    params = {**spec.params, **{p.name: p.value for p in spec.inputs}}
    return Binding(
        connector=_alias(spec.connector),
        params=params,
        dialect=spec.dialect,
        result_variable=spec.result_variable or None,
        result_expression=spec.result_expression or None,
        outputs=tuple(Output(p.name, p.value, p.kind) for p in spec.outputs),
        retry=_retry(element.extensions),
        external=spec.external,
    )


def is_chosen_at_run_time(connector: str) -> bool:
    """A connector name that is an expression (``camunda:topic="${...}"``, ``type="=..."``)."""
    text = connector.strip()
    return "${" in text or "#{" in text or text.startswith("=")


def chosen(binding: Binding, task: Any) -> Binding:
    """``binding`` with its connector name evaluated over the task's data, when the diagram
    gives an expression: Camunda evaluates the topic (job type) when the activity starts."""
    if not is_chosen_at_run_time(binding.connector):
        return binding
    evaluator = task.workflow.script_engine.evaluator
    name = evaluator.value(binding.connector, task.data, where=f"connector {binding.connector}")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"the connector expression {binding.connector!r} gave {name!r}")
    return replace(binding, connector=_alias(name.strip()))


def describe_error(exc: SeamlineError) -> str:
    """One line for an event or incident."""
    return str(exc).splitlines()[0]
