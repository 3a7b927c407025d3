"""How each modeler flavour names a service task's connector, its inputs and its outputs.

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

from seamline.bpmn.definition import ElementInfo
from seamline.connectors.retry import RetryPolicy, parse_duration
from seamline.errors import ConfigError, SeamlineError, UnknownConnector

#: Connector types other tools use, and the built-in that runs them.
TYPE_ALIASES = {
    "http-connector": "http",
    "io.camunda:http-json:1": "http",
    "io.camunda:http-json:2": "http",
    "http/json": "http",
}
_PLAIN_IMPLEMENTATIONS = {"##webservice", "##unspecified", "webservice", ""}


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


def _nested(flat: Mapping[str, Any]) -> dict[str, Any]:
    """Zeebe input targets are paths: ``authentication.type`` sets ``type`` in ``authentication``.

    Connector templates (the REST connector's ``authentication.token``) depend on it.
    """
    out: dict[str, Any] = {}
    for target, source in flat.items():
        *parents, leaf = target.split(".")
        node = out
        for part in parents:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[leaf] = source
    return out


def _retry(ext: Mapping[str, Any]) -> RetryPolicy:
    cycle = ext.get("camunda:failedJobRetryTimeCycle")
    if isinstance(cycle, Mapping):
        cycle = cycle.get("text")
    if cycle:
        return RetryPolicy.from_camunda_cycle(str(cycle))
    task_def = ext.get("zeebe:taskDefinition")
    if isinstance(task_def, Mapping) and task_def.get("retries"):
        # Zeebe waits a fixed ``retryBackoff`` (a task header) between attempts.
        backoff = (ext.get("zeebe:taskHeaders") or {}).get("retryBackoff")
        if backoff:
            delay = parse_duration(str(backoff))
            return RetryPolicy.from_zeebe(
                str(task_def["retries"]), delays=(delay,), jitter=0.0, max_delay=max(delay, 300.0)
            )
        return RetryPolicy.from_zeebe(str(task_def["retries"]))
    props = {**_props(ext)}
    if props.get("retries"):
        return RetryPolicy.from_zeebe(str(props["retries"]))
    return RetryPolicy()


def _props(ext: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("camunda:properties", "zeebe:properties", "spiffworkflow:properties"):
        value = ext.get(key)
        if isinstance(value, Mapping):
            out.update(value)
    return out


def _camunda_inputs(io: Mapping[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for p in io.get("inputs", []):
        if p.get("kind") == "script":
            raise ConfigError(
                f"input parameter '{p.get('name')}' is a {p.get('language') or ''} script;"
                " scripts in input mappings are not run (use an expression)"
            )
        params[str(p.get("name"))] = p.get("value")
    return params


def _camunda_outputs(io: Mapping[str, Any]) -> tuple[Output, ...]:
    outs = []
    for p in io.get("outputs", []):
        if p.get("kind") == "script":
            raise ConfigError(
                f"output parameter '{p.get('name')}' is a {p.get('language') or ''} script;"
                " scripts in output mappings are not run (use an expression)"
            )
        outs.append(Output(str(p.get("name")), p.get("value"), str(p.get("kind") or "text")))
    return tuple(outs)


def bind(element: ElementInfo) -> Binding:
    """Read the connector binding of a service (or send / business rule) task."""
    ext = element.extensions
    retry = _retry(ext)
    spiff = ext.get("spiffworkflow:serviceTaskOperator")
    if isinstance(spiff, Mapping) and spiff.get("id"):
        params = {k: (v or {}).get("value") for k, v in (spiff.get("parameters") or {}).items()}
        return Binding(
            connector=str(spiff["id"]),
            params=params,
            dialect="python",
            result_variable=spiff.get("resultVariable") or None,
            retry=retry,
        )
    task_def = ext.get("zeebe:taskDefinition")
    if isinstance(task_def, Mapping) and task_def.get("type"):
        io = ext.get("zeebe:ioMapping") or {}
        headers = dict(ext.get("zeebe:taskHeaders") or {})
        params = _nested({str(i.get("target")): i.get("source") for i in io.get("inputs", [])})
        outputs = tuple(
            Output(str(o.get("target")), o.get("source")) for o in io.get("outputs", [])
        )
        return Binding(
            connector=TYPE_ALIASES.get(str(task_def["type"]), str(task_def["type"])),
            params=params,
            dialect="value",
            result_variable=headers.get("resultVariable") or None,
            result_expression=headers.get("resultExpression") or None,
            outputs=outputs,
            retry=retry,
        )
    connector = ext.get("camunda:connector")
    io = ext.get("camunda:inputOutput") or {}
    if isinstance(connector, Mapping) and connector.get("connectorId"):
        cio = connector.get("inputOutput") or {}
        params = {**_camunda_inputs(cio), **_camunda_inputs(io)}
        return Binding(
            connector=_alias(str(connector["connectorId"])),
            params=params,
            dialect="value",
            result_variable=ext.get("camunda:resultVariable") or None,
            outputs=_camunda_outputs(cio) + _camunda_outputs(io),
            retry=retry,
        )
    if ext.get("camunda:type") == "external" or ext.get("camunda:topic"):
        return Binding(
            connector=str(ext.get("camunda:topic")),
            params=_camunda_inputs(io),
            dialect="value",
            result_variable=ext.get("camunda:resultVariable") or None,
            outputs=_camunda_outputs(io),
            retry=retry,
            external=True,
        )
    for java in ("camunda:class", "camunda:delegateExpression", "camunda:expression"):
        if ext.get(java):
            raise UnknownConnector(
                f"{java}={ext[java]!r} names Java code, which seamline cannot run",
                element=element.id,
                file=element.file,
                line=element.line,
                hint='use camunda:type="external" camunda:topic="<connector>" instead',
            )
    name = _props(ext).get("connector") or ext.get("implementation")
    if isinstance(name, str) and name.strip().lower() not in _PLAIN_IMPLEMENTATIONS:
        props = {k: v for k, v in _props(ext).items() if k not in ("connector", "retries")}
        return Binding(
            connector=TYPE_ALIASES.get(name, name),
            params={**props, **_camunda_inputs(io)},
            dialect="value",
            result_variable=ext.get("camunda:resultVariable") or props.get("resultVariable"),
            outputs=_camunda_outputs(io),
            retry=retry,
        )
    raise UnknownConnector(
        "the service task names no connector",
        element=element.id,
        file=element.file,
        line=element.line,
        hint="set camunda:topic, zeebe:taskDefinition type, spiffworkflow:serviceTaskOperator,"
        " or the implementation attribute",
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
