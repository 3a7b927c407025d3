"""The connector contract: one verb, ``invoke(call) -> result``, and three kinds of failure.

A connector raises :class:`~seamline.errors.RetryableError` for a transient failure,
:class:`~seamline.errors.BpmnError` (or :class:`ConnectorBpmnError` to carry a payload) for a
business error the diagram can catch, and :class:`~seamline.errors.FatalError` for anything that
needs a person. Anything else that escapes is wrapped by
:func:`seamline.connectors.registry.invoke`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable

from seamline.connectors.secrets import Secrets
from seamline.errors import FatalError, RetryableError


@dataclass(frozen=True)
class ParamSpec:
    """How one connector parameter is described to users (``seamline connectors``)."""

    type: str = "any"
    required: bool = False
    description: str = ""
    default: Any = None
    secret: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON-able description of this parameter."""
        return {
            "type": self.type,
            "required": self.required,
            "description": self.description,
            "default": self.default,
            "secret": self.secret,
        }


def _empty_params() -> Mapping[str, Any]:
    return {}


@dataclass(frozen=True)
class ConnectorCall:
    """One attempt at calling a connector for a service task.

    ``params`` are already rendered from process data and may hold secret values, so the
    ``repr`` redacts them through ``secrets``.
    """

    connector: str
    params: Mapping[str, Any] = field(default_factory=_empty_params)
    instance_id: str = ""
    element_id: str = ""
    #: The same across retries and crash recovery, so a remote side can deduplicate.
    idempotency_key: str = ""
    attempt: int = 1
    #: Absolute UTC time after which the attempt is abandoned.
    deadline: datetime | None = None
    secrets: Secrets = field(default_factory=Secrets)
    #: The engine rendered ``params`` from the diagram: its ``secret:NAME`` references are
    #: resolved already, and any ``secret:`` text left came from data and stays text.
    rendered: bool = False

    def resolve_secret(self, value: Any) -> Any:
        """``value`` with a ``secret:NAME`` reference resolved, unless params were rendered."""
        return value if self.rendered else resolve_secret_ref(value, self.secrets)

    def __repr__(self) -> str:
        params = self.secrets.redact(dict(self.params))
        return (
            f"ConnectorCall(connector={self.connector!r}, params={params!r}, "
            f"instance_id={self.instance_id!r}, element_id={self.element_id!r}, "
            f"idempotency_key={self.idempotency_key!r}, attempt={self.attempt!r}, "
            f"deadline={self.deadline!r})"
        )

    def remaining(self, now: datetime | None = None) -> float | None:
        """Seconds left before the deadline (never negative), or None without a deadline."""
        if self.deadline is None:
            return None
        now = now or datetime.now(UTC)
        return max(0.0, (self.deadline - now).total_seconds())

    def context(self) -> dict[str, Any]:
        """Keyword context for a :class:`~seamline.errors.SeamlineError` raised for this call."""
        return {"element": self.element_id or None, "instance": self.instance_id or None}

    def fatal(self, message: str, *, hint: str | None = None) -> FatalError:
        """A FatalError for this call, naming the connector, element and instance."""
        return FatalError(f"connector '{self.connector}': {message}", hint=hint, **self.context())


@dataclass(frozen=True)
class ConnectorResult:
    """What a connector returns: JSON-able ``data`` for the process, ``meta`` for events."""

    data: Any = None
    #: Status, latency and the like, for events; never secrets.
    meta: Mapping[str, Any] = field(default_factory=_empty_params)


@runtime_checkable
class Connector(Protocol):
    """Anything with a name, a description, its parameters and one verb."""

    name: str
    description: str
    parameters: Mapping[str, ParamSpec]

    def invoke(self, call: ConnectorCall) -> ConnectorResult:
        """Perform one attempt of the call."""
        ...


def describe(connector: Connector, name: str | None = None) -> dict[str, Any]:
    """The JSON-able description of a connector, as listed by ``seamline connectors``."""
    return {
        "name": name or connector.name,
        "description": connector.description,
        "parameters": {key: spec.to_dict() for key, spec in connector.parameters.items()},
    }


def resolve_secret_ref(value: Any, secrets: Secrets) -> Any:
    """Resolve a ``secret:NAME`` string through ``secrets``; other values pass unchanged.

    Connectors call this on parameters marked secret, so a call whose params were not rendered
    (a direct call from a test or a worker) still never needs the value written in a diagram.
    """
    if isinstance(value, str) and value.startswith("secret:"):
        return secrets.get(value.removeprefix("secret:").strip())
    return value


def as_str_list(value: Any, call: ConnectorCall, param: str) -> list[str]:
    """A list parameter whose items must be scalars; FatalError naming ``param`` otherwise."""
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise call.fatal(f"parameter '{param}' must be a list, got {type(value).__name__}")
    items: list[str] = []
    for item in value:
        if isinstance(item, dict | list | tuple | set) or item is None:
            raise call.fatal(f"parameter '{param}' must hold strings, got {item!r}")
        items.append(str(item))
    return items


def within_deadline(call: ConnectorCall, seconds: float, given: Any) -> float:
    """A call's timeout: ``seconds`` (read from parameter value ``given``), positive, and cut to
    what is left of the call's deadline; RetryableError if the deadline has already passed."""
    if seconds <= 0:
        raise call.fatal(f"parameter 'timeout' must be positive, got {given!r}")
    remaining = call.remaining()
    if remaining is not None:
        if remaining <= 0:
            raise RetryableError(
                f"connector '{call.connector}': deadline passed before the call", **call.context()
            )
        seconds = min(seconds, remaining)
    return seconds
