"""One exception root for everything seamline raises.

Foreign errors (lxml, SpiffWorkflow, sqlite3, psycopg, httpx) are translated where they enter
seamline (``raise LoadError(...) from exc``), so a user only ever sees a ``SeamlineError`` whose
``str()`` is one line naming the file, line, element or instance concerned and what to do.

Each class's docstring is its default message.
"""

from __future__ import annotations

from typing import Any


class SeamlineError(Exception):
    """seamline failed."""

    #: Exit code the CLI uses for this kind of error.
    exit_code: int = 1

    def __init__(self, message: str | None = None, *, hint: str | None = None, **context: Any):
        self.message = message or (self.__doc__ or "").strip().splitlines()[0]
        self.hint = hint
        self.context = context
        super().__init__(self.message)

    def __str__(self) -> str:
        location = self.location()
        text = f"{location}: {self.message}" if location else self.message
        if self.hint:
            text = f"{text} ({self.hint})"
        return text

    def location(self) -> str:
        """Where the problem is, as ``file:line [element]`` or ``instance X``; empty if unknown."""
        parts: list[str] = []
        file = self.context.get("file")
        line = self.context.get("line")
        element = self.context.get("element")
        instance = self.context.get("instance")
        if file:
            parts.append(f"{file}:{line}" if line else str(file))
        if element:
            parts.append(f"[{element}]")
        if instance:
            parts.append(f"instance {instance}")
        return " ".join(parts)


# -- configuration and usage -------------------------------------------------------------------


class ConfigError(SeamlineError):
    """The configuration is invalid."""

    exit_code = 2


class UsageError(SeamlineError):
    """The command was used wrongly."""

    exit_code = 2


# -- loading diagrams --------------------------------------------------------------------------


class LoadError(SeamlineError):
    """The diagram cannot be loaded."""

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str = "load-error",
        problems: list[Any] | None = None,
        **kwargs: Any,
    ):
        self.code = code
        self.problems = list(problems or [])
        super().__init__(message, **kwargs)


class UnsafeXmlError(LoadError):
    """The file uses XML features that are refused for safety (entities, DTDs, oversize)."""


# -- expressions and scripts -------------------------------------------------------------------


class ExpressionError(SeamlineError):
    """An expression could not be parsed or evaluated."""


class ExpressionSyntaxError(ExpressionError):
    """An expression is not valid in its language."""


class SandboxViolation(ExpressionError):
    """A script or expression tried to do something the sandbox does not allow."""


class ScriptTimeout(ExpressionError):
    """A script or expression ran longer than its time limit."""


class DecisionError(SeamlineError):
    """A decision table could not be evaluated."""


# -- the store and instances -------------------------------------------------------------------


class StoreError(SeamlineError):
    """The store failed."""


class NotFound(SeamlineError):
    """The requested object does not exist."""


class InstanceChanged(StoreError):
    """The instance was changed by someone else since it was loaded; nothing was written."""

    exit_code = 3


class CorruptState(StoreError):
    """A stored row cannot be read back."""


class EngineError(SeamlineError):
    """The engine could not advance the instance."""


class InvalidState(EngineError):
    """The operation does not apply to the object in its current state."""


# -- people ------------------------------------------------------------------------------------


class Forbidden(SeamlineError):
    """The acting user may not do this."""

    exit_code = 4


class FormInvalid(SeamlineError):
    """The submitted data does not match the task's form."""

    def __init__(self, message: str | None = None, *, errors: list[str] | None = None, **kw: Any):
        self.errors = list(errors or [])
        super().__init__(message, **kw)


# -- connectors --------------------------------------------------------------------------------


class ConnectorError(SeamlineError):
    """A connector failed."""


class UnknownConnector(ConnectorError):
    """No connector is registered under this name."""


class RetryableError(ConnectorError):
    """A transient failure: the call may succeed if tried again later."""

    def __init__(self, message: str | None = None, *, retry_after: float | None = None, **kw: Any):
        self.retry_after = retry_after
        super().__init__(message, **kw)


class BpmnError(ConnectorError):
    """A business error, thrown into the process as a BPMN error event."""

    def __init__(self, code: str, message: str | None = None, **kw: Any):
        self.code = code
        super().__init__(message or f"BPMN error {code}", **kw)


class FatalError(ConnectorError):
    """A failure that retrying will not fix: the instance gets an incident."""
