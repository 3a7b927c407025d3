"""Connector names resolve here: built-ins, ``seamline.connectors`` entry points, config aliases.

:func:`invoke` is the one way the engine calls a connector: it applies the retry policy's
time limit, passes the three failure kinds through and turns anything else into a FatalError.
"""

from __future__ import annotations

import dataclasses
import difflib
import logging
import threading
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from importlib import metadata
from typing import Any

from seamline.connectors.base import Connector, ConnectorCall, ConnectorResult, ParamSpec, describe
from seamline.connectors.retry import RetryPolicy
from seamline.connectors.templating import render_params
from seamline.errors import (
    BpmnError,
    ConfigError,
    DuplicateConnector,
    FatalError,
    RetriesExhausted,
    RetryableError,
    SeamlineError,
    UnknownConnector,
)

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "seamline.connectors"


class AliasConnector:
    """A configured name for another connector, whose default params merge under the call's.

    From ``[connectors.crm] type = "http"  base_url = "https://crm.example"``. Mappings merge
    key by key, so alias ``headers`` and call ``headers`` combine. Secret references in the
    defaults (``secret:NAME``, ``{{ secrets.NAME }}``) resolve at call time.
    """

    def __init__(self, name: str, target: Connector, defaults: Mapping[str, Any]) -> None:
        self.name = name
        self.target = target
        self.defaults = dict(defaults)
        self.description = f"{target.description} (alias of '{target.name}')"
        self.parameters: Mapping[str, ParamSpec] = {
            key: (
                dataclasses.replace(spec, required=False, default=self.defaults[key])
                if key in self.defaults and not spec.secret
                else spec
            )
            for key, spec in target.parameters.items()
        }
        self.enforces_deadline = bool(getattr(target, "enforces_deadline", False))

    def invoke(self, call: ConnectorCall) -> ConnectorResult:
        """Merge the alias defaults under the call's params and invoke the target."""
        defaults = render_params(
            self.defaults, {}, call.secrets, element=call.element_id, instance=call.instance_id
        )
        params = _merge(defaults, call.params)
        return self.target.invoke(dataclasses.replace(call, params=params))


def _merge(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        below = merged.get(key)
        if isinstance(below, Mapping) and isinstance(value, Mapping):
            merged[key] = _merge(below, value)
        else:
            merged[key] = value
    return merged


class ConnectorRegistry:
    """Connectors by name. A duplicate name is an error; an unknown one lists the known ones."""

    def __init__(self) -> None:
        self._connectors: dict[str, Connector] = {}

    def register(self, connector: Connector, *, name: str | None = None) -> Connector:
        """Register ``connector`` under ``name`` (default ``connector.name``) and return it."""
        key = name or getattr(connector, "name", None)
        if not key or not isinstance(key, str):
            raise ConfigError(f"connector {connector!r} has no name", hint="set its name attribute")
        if not callable(getattr(connector, "invoke", None)):
            raise ConfigError(f"connector '{key}' has no invoke(call) method")
        if key in self._connectors:
            raise DuplicateConnector(
                f"connector '{key}' is already registered",
                hint="choose another name or remove the duplicate entry point or alias",
            )
        self._connectors[key] = connector
        return connector

    def get(self, name: str) -> Connector:
        """The connector registered as ``name``; UnknownConnector listing the known names."""
        try:
            return self._connectors[name]
        except KeyError:
            raise UnknownConnector(
                f"no connector named '{name}'",
                hint=f"known: {', '.join(self._ranked(name)) or 'none'}",
            ) from None

    def _ranked(self, name: str) -> list[str]:
        if not self._connectors:
            return []
        close = difflib.get_close_matches(name, self.names(), n=len(self._connectors), cutoff=0.4)
        return close + [n for n in self.names() if n not in close]

    def __contains__(self, name: object) -> bool:
        return name in self._connectors

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self._connectors)

    def names(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._connectors)

    def describe(self) -> list[dict[str, Any]]:
        """Name, description and parameters of every connector, for ``seamline connectors``."""
        return [describe(self._connectors[name], name) for name in self.names()]

    def alias(
        self, alias: str, target: str, defaults: Mapping[str, Any] | None = None
    ) -> Connector:
        """Register ``alias`` as ``target`` with ``defaults`` merged under each call's params."""
        return self.register(AliasConnector(alias, self.get(target), defaults or {}), name=alias)

    def load_entry_points(self, group: str = ENTRY_POINT_GROUP) -> list[str]:
        """Register the connectors that installed packages declare in entry-point ``group``.

        An entry point may name a connector object, a class or a factory taking no arguments;
        it is registered under the entry point's name. Returns the names registered.
        """
        loaded: list[str] = []
        for entry in sorted(metadata.entry_points(group=group), key=lambda e: e.name):
            where = f"entry point '{entry.name} = {entry.value}' in group {group}"
            try:
                obj = entry.load()
                connector = obj() if isinstance(obj, type) or not hasattr(obj, "invoke") else obj
            except Exception as exc:
                raise ConfigError(
                    f"{where} cannot be loaded: {type(exc).__name__}: {exc}",
                    hint="fix or uninstall the package that declares it",
                ) from exc
            self.register(connector, name=entry.name)
            loaded.append(entry.name)
        return loaded

    @classmethod
    def default(cls, config: Mapping[str, Any] | None = None) -> ConnectorRegistry:
        """The built-ins (http, python, shell), entry-point connectors, then config aliases.

        Reads ``python_allow`` and ``shell_allow`` (top level or inside ``connectors``) and every
        table ``connectors.<alias>`` with a ``type`` naming the target connector.
        """
        from seamline.connectors import http, llm, python, shell

        config = config or {}
        section = config.get("connectors", {})
        if not isinstance(section, Mapping):
            raise ConfigError("[connectors] must be a table")

        def setting(key: str) -> list[str]:
            value = config.get(key, section.get(key, []))
            if isinstance(value, str) or not isinstance(value, list | tuple):
                raise ConfigError(f"{key} must be a list of strings", hint=f'{key} = ["..."]')
            return [str(v) for v in value]

        registry = cls()
        registry.register(http.HttpConnector())
        registry.register(
            python.PythonConnector(allow=setting("python_allow"), path=setting("python_path"))
        )
        registry.register(shell.ShellConnector(allow=setting("shell_allow")))
        registry.register(llm.LlmConnector(config, tools=registry))
        registry.load_entry_points()
        for alias, table in section.items():
            if not isinstance(table, Mapping):
                continue
            defaults = dict(table)
            target = defaults.pop("type", None)
            if not isinstance(target, str):
                raise ConfigError(
                    f'[connectors.{alias}] needs type = "<connector>"',
                    hint=f"known: {', '.join(registry.names())}",
                )
            registry.alias(str(alias), target, defaults)
        return registry


def invoke(
    registry: ConnectorRegistry, call: ConnectorCall, policy: RetryPolicy
) -> ConnectorResult:
    """Perform one attempt of ``call`` and return its result, with secrets redacted.

    RetryableError, BpmnError and FatalError pass through with the element and instance added;
    a RetryableError on the last attempt ``policy`` allows becomes :class:`RetriesExhausted`.
    Any other exception becomes a FatalError naming the connector and the element.

    Time limit: a call without a deadline gets ``now + policy.timeout``. Connectors that set
    ``enforces_deadline = True`` (http, shell) turn the deadline into their own I/O timeouts.
    Any other connector runs in a daemon thread that is waited for until the deadline; past
    it the attempt fails with RetryableError and the thread is abandoned (Python cannot stop a
    thread), its eventual result discarded; the idempotency key lets the next attempt be
    recognised as a repeat by the remote side.
    """
    fields = {
        "instance": call.instance_id,
        "element": call.element_id,
        "connector": call.connector,
        "attempt": call.attempt,
    }
    log.debug("connector call begins", extra=fields)
    started = time.monotonic()
    try:
        result = _attempt(registry, call, policy)
    except SeamlineError as exc:
        # The kind (and a BPMN error's code) only: messages may quote what a remote side said.
        failed = getattr(exc, "code", None) or type(exc).__name__
        seconds = round(time.monotonic() - started, 3)
        log.info("connector call failed", extra={**fields, "outcome": failed, "seconds": seconds})
        raise
    seconds = round(time.monotonic() - started, 3)
    log.info("connector call done", extra={**fields, "outcome": "ok", "seconds": seconds})
    return result


def _attempt(
    registry: ConnectorRegistry, call: ConnectorCall, policy: RetryPolicy
) -> ConnectorResult:
    """One attempt of ``call``, as :func:`invoke` describes."""
    where = call.context()
    try:
        connector = registry.get(call.connector)
        if call.deadline is None and policy.timeout is not None:
            deadline = datetime.now(UTC) + timedelta(seconds=policy.timeout)
            call = dataclasses.replace(call, deadline=deadline)
        remaining = call.remaining()
        if remaining is not None and remaining <= 0:
            raise RetryableError(f"connector '{call.connector}': deadline passed before the call")
        if remaining is None or getattr(connector, "enforces_deadline", False):
            result = connector.invoke(call)
        else:
            result = _run_until(connector, call, remaining)
        if not isinstance(result, ConnectorResult):
            result = ConnectorResult(data=result)
        return ConnectorResult(
            data=call.secrets.redact(result.data), meta=call.secrets.redact(dict(result.meta))
        )
    except RetryableError as exc:
        _locate(exc, call)
        if policy.next_delay(call.attempt, exc.retry_after) is None:
            raise RetriesExhausted(
                f"connector '{call.connector}' gave up after attempt {call.attempt} of "
                f"{policy.max_attempts}: {exc.message}",
                hint="fix the cause, then retry the incident",
                **where,
            ) from exc
        raise
    except (BpmnError, FatalError) as exc:
        _locate(exc, call)
        raise
    except SeamlineError as exc:
        raise FatalError(
            f"connector '{call.connector}': {call.secrets.redact(exc.message)}",
            hint=exc.hint,
            **where,
        ) from exc
    except Exception as exc:
        message = call.secrets.redact(f"{type(exc).__name__}: {exc}")
        raise FatalError(
            f"connector '{call.connector}' failed unexpectedly: {message}",
            hint="this is a bug in the connector; its traceback is chained to this error",
            **where,
        ) from exc


def _locate(exc: SeamlineError, call: ConnectorCall) -> None:
    """Add the element and instance to an error a connector raised, and redact its message."""
    for key, value in call.context().items():
        if value and not exc.context.get(key):
            exc.context[key] = value
    exc.message = call.secrets.redact(exc.message)
    exc.args = (exc.message,)


def _run_until(connector: Connector, call: ConnectorCall, seconds: float) -> ConnectorResult:
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["result"] = connector.invoke(call)
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=target, name=f"connector-{call.connector}", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise RetryableError(
            f"connector '{call.connector}' did not finish within {seconds:.3g}s",
            hint="raise the timeout or make the connector faster",
        )
    if "error" in outcome:
        raise outcome["error"]
    result: ConnectorResult = outcome["result"]
    return result
