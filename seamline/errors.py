"""Every exception seamline defines, and the one table of what each kind means to a user.

Foreign errors (lxml, SpiffWorkflow, sqlite3, psycopg, httpx) are translated where they enter
seamline (``raise LoadError(...) from exc``), so a user only ever sees a ``SeamlineError`` whose
``str()`` is one line naming the file, line, element or instance concerned and what to do.

Each class's docstring is its default message. The tree, with the CLI exit code and the HTTP
status of each kind (from :data:`OUTCOMES`; a kind not listed takes its parent's)::

    SeamlineError                       1  400  the operation failed
    ├── ConfigError                     2  500  bad configuration: the server's, not the client's
    │   ├── DuplicateConnector          2  500
    │   └── PolicyError                 2  500  a policy file does not parse or match the schema
    ├── UsageError                      2  400  the command or request was used wrongly
    │   ├── BodyTooLarge                2  413
    │   ├── HostNotAllowed              2  400
    │   └── UnsupportedMediaType        2  415
    ├── LoadError                       1  400
    │   ├── UnsafeXmlError, LinkedFormError, FormDefinitionError, DmnLoadError
    │   └── MissingDecisionRef              (the cause of a SpiffWorkflow ValidationException)
    ├── ExpressionError                 1  400
    │   ├── ExpressionSyntaxError, SandboxViolation, ScriptTimeout, ScriptMemoryExceeded
    │   └── CandidateExpressionError, CronError
    ├── DecisionError                   1  400
    │   └── HitPolicyViolation, UnknownDecision
    ├── StoreError                      1  500  the store failed: not the client's doing
    │   ├── CorruptState, SchemaTooNew
    │   └── InstanceChanged             3  409  changed meanwhile: load again and retry
    │       └── TaskChanged, MessageTaken
    ├── NotFound                        1  404
    │   └── AmbiguousId, UnmatchedMessage
    ├── EngineError                     1  400
    │   └── InvalidState                1  409  not in this state (HTTP's "conflict")
    ├── Forbidden                       4  403  the acting user may not (also: nobody signed in)
    │   └── PolicyDenied, CrossSiteRefused, NeedsLogin
    ├── FormInvalid                     1  400
    └── ConnectorError                  1  400
        ├── UnknownConnector
        ├── RetryableError
        ├── FatalError
        │   └── RetriesExhausted, TemplateError
        └── BpmnError
            └── ConnectorBpmnError
                └── AgentError

Internal signals (:data:`INTERNAL`) are caught inside seamline and never reach a user; one that
escapes is a bug, like any other exception: exit 70, HTTP 500. They are ``Abort`` (sandbox
guards, a BaseException so scripts cannot catch it), ``Bad``, ``CoercionFailed``,
``PolicyValueError``, ``WireError``, ``ModelCallFailed`` and ``UnsupportedRegex`` (an
``re.error``, as ``re`` callers expect).

Where CLI and web disagreed before this table, the CLI's code was kept and the web follows:
configuration errors answer 500 (the request was fine), an oversized body 413.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple


class Outcome(NamedTuple):
    """What an error kind means outside the process: the CLI's exit code, the HTTP status."""

    exit_code: int
    http_status: int


#: A bug (any exception that is not a SeamlineError): exit 70, HTTP 500.
BUG = Outcome(70, 500)


class SeamlineError(Exception):
    """seamline failed."""

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

    @property
    def exit_code(self) -> int:
        """The exit code the CLI ends with for this kind of error (see :data:`OUTCOMES`)."""
        return outcome(self).exit_code

    @property
    def http_status(self) -> int:
        """The HTTP status the web answers with for this kind of error."""
        return outcome(self).http_status

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


class PolicyError(ConfigError):
    """A policy file does not parse or does not match seamline's policy schema."""


class DuplicateConnector(ConfigError):
    """A connector with this name is already registered."""


class UsageError(SeamlineError):
    """The command was used wrongly."""


class BodyTooLarge(UsageError):
    """The request body is over the limit."""


class HostNotAllowed(UsageError):
    """The request's Host is not one this server answers for."""


class UnsupportedMediaType(UsageError):
    """The request body is not of the type the endpoint takes."""


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


class MissingDecisionRef(LoadError):
    """A business rule task names no decision and no connector.

    Raised as the cause of SpiffWorkflow's ``ValidationException`` (the parser only lets that
    through), so the loader can tell this problem from other parse errors.
    """


class LinkedFormError(LoadError):
    """A form linked by a user task cannot be found or read: fix the link or add the file."""

    def __init__(self, message: str | None = None, *, code: str, **kwargs: Any) -> None:
        super().__init__(message, code=code, **kwargs)


class FormDefinitionError(LoadError):
    """A form definition cannot be compiled: fix the form in the modeler."""

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, code="bad-form", **kwargs)


class DmnLoadError(LoadError):
    """The DMN file cannot be loaded."""


# -- expressions, scripts and decisions --------------------------------------------------------


class ExpressionError(SeamlineError):
    """An expression could not be parsed or evaluated."""


class ExpressionSyntaxError(ExpressionError):
    """An expression is not valid in its language."""


class SandboxViolation(ExpressionError):
    """A script or expression tried to do something the sandbox does not allow."""


class ScriptTimeout(ExpressionError):
    """A script or expression ran longer than its time limit."""


class ScriptMemoryExceeded(ExpressionError):
    """A script or expression grew the process's memory by more than its memory limit."""


class CandidateExpressionError(ExpressionError):
    """An assignee or candidate expression gave a value that is not a name or a list of names."""


class CronError(ExpressionError):
    """A cron timer cycle that cannot be read (Quartz in Camunda 7, Spring in Camunda 8)."""


class DecisionError(SeamlineError):
    """A decision table could not be evaluated."""


class HitPolicyViolation(DecisionError):
    """The matching rules break the decision table's hit policy."""


class UnknownDecision(DecisionError):
    """No decision has this id."""


# -- the store and instances -------------------------------------------------------------------


class StoreError(SeamlineError):
    """The store failed."""


class CorruptState(StoreError):
    """A stored row cannot be read back."""


class SchemaTooNew(StoreError):
    """The database was written by a newer seamline."""


class InstanceChanged(StoreError):
    """The instance was changed by someone else since it was loaded; nothing was written."""


class TaskChanged(InstanceChanged):
    """The task was claimed, assigned or finished by someone else; nothing was written."""


class MessageTaken(InstanceChanged):
    """The message was consumed by another step first; nothing was written."""


class NotFound(SeamlineError):
    """The requested object does not exist."""


class AmbiguousId(NotFound):
    """The id prefix matches more than one object."""


class UnmatchedMessage(NotFound):
    """No instance waits for the message and no process starts with it."""


class EngineError(SeamlineError):
    """The engine could not advance the instance."""


class InvalidState(EngineError):
    """The operation does not apply to the object in its current state."""


# -- people ------------------------------------------------------------------------------------


class Forbidden(SeamlineError):
    """The acting user may not do this."""


class PolicyDenied(Forbidden):
    """A policy denied the action."""

    def __init__(
        self, message: str | None = None, *, policies: tuple[str, ...] = (), **kw: Any
    ) -> None:
        self.policies = policies
        super().__init__(message, **kw)


class CrossSiteRefused(Forbidden):
    """A state-changing request came from another site, or without a valid CSRF token."""


class NeedsLogin(Forbidden):
    """Nobody said who is acting, and users are configured."""


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


class ConnectorBpmnError(BpmnError):
    """A business error raised by a connector, with a JSON-able payload for the process."""

    def __init__(
        self, code: str, message: str | None = None, *, data: Any = None, **kw: Any
    ) -> None:
        self.data = data
        super().__init__(code, message, **kw)


class AgentError(ConnectorBpmnError):
    """AGENT_INVALID_OUTPUT or AGENT_LIMIT_EXCEEDED, carrying the turn's redacted ``meta``.

    The model calls that led to the error are part of the audit trail as much as those of a
    successful turn, so the engine can record ``meta`` with the BPMN error it throws.
    """

    def __init__(
        self,
        code: str,
        message: str | None = None,
        *,
        meta: Mapping[str, Any] | None = None,
        **kw: Any,
    ) -> None:
        self.meta: dict[str, Any] = dict(meta or {})
        super().__init__(code, message, **kw)


class FatalError(ConnectorError):
    """A failure that retrying will not fix: the instance gets an incident."""


class RetriesExhausted(FatalError):
    """A transient failure happened on the last attempt the retry policy allows."""


class TemplateError(FatalError):
    """A connector parameter could not be rendered from the process data."""


# -- internal signals: caught inside seamline, never shown to a user ----------------------------


class Abort(BaseException):
    """A guard's refusal (``kind`` "violation") or the clock running out (``kind`` "timeout").

    A BaseException so that ``except Exception`` in a sandboxed script cannot swallow it.
    """

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


class Bad(ValueError):
    """A value cannot be read as its field's type; the text is the message after the key."""


class CoercionFailed(ValueError):
    """The value cannot be read as the declared type."""


class PolicyValueError(ValueError):
    """A process variable that does not fit the Cedar type its policies declare for it."""


class WireError(ValueError):
    """A response body that is not what the provider's API documents."""


class ModelCallFailed(Exception):
    """Carries the status of a failed model call alongside the seamline error to raise."""

    def __init__(self, error: FatalError | RetryableError, status: str) -> None:
        self.error = error
        self.status = status
        super().__init__(error.message)


class UnsupportedRegex(re.error):
    """A pattern RE2 cannot run; the message names the construct and what to do."""


#: The internal signals above; each is handled where it is raised.
INTERNAL: tuple[type[BaseException], ...] = (
    Abort,
    Bad,
    CoercionFailed,
    PolicyValueError,
    WireError,
    ModelCallFailed,
    UnsupportedRegex,
)


# -- the table ---------------------------------------------------------------------------------

_FAILED = Outcome(1, 400)
_CONFIG = Outcome(2, 500)
_USAGE = Outcome(2, 400)
_STORE = Outcome(1, 500)
_CHANGED = Outcome(3, 409)
_NOT_FOUND = Outcome(1, 404)
_FORBIDDEN = Outcome(4, 403)

#: Every error kind's exit code and HTTP status: the CLI (``handle_errors``) and the web
#: (``status_for``) both read this, so they cannot disagree.
OUTCOMES: Mapping[type[SeamlineError], Outcome] = {
    **dict.fromkeys((ConfigError, DuplicateConnector, PolicyError), _CONFIG),
    **dict.fromkeys((UsageError, HostNotAllowed), _USAGE),
    BodyTooLarge: Outcome(2, 413),
    UnsupportedMediaType: Outcome(2, 415),
    **dict.fromkeys((StoreError, CorruptState, SchemaTooNew), _STORE),
    **dict.fromkeys((InstanceChanged, TaskChanged, MessageTaken), _CHANGED),
    **dict.fromkeys((NotFound, AmbiguousId, UnmatchedMessage), _NOT_FOUND),
    InvalidState: Outcome(1, 409),
    **dict.fromkeys((Forbidden, PolicyDenied, CrossSiteRefused, NeedsLogin), _FORBIDDEN),
    **dict.fromkeys(
        (
            SeamlineError,
            *(LoadError, UnsafeXmlError, MissingDecisionRef, LinkedFormError),
            *(FormDefinitionError, DmnLoadError),
            *(ExpressionError, ExpressionSyntaxError, SandboxViolation, ScriptTimeout),
            *(ScriptMemoryExceeded, CandidateExpressionError, CronError),
            *(DecisionError, HitPolicyViolation, UnknownDecision, EngineError, FormInvalid),
            *(ConnectorError, UnknownConnector, RetryableError, BpmnError, ConnectorBpmnError),
            *(AgentError, FatalError, RetriesExhausted, TemplateError),
        ),
        _FAILED,
    ),
}


def outcome(exc: BaseException) -> Outcome:
    """The exit code and HTTP status for ``exc``: its nearest kind in :data:`OUTCOMES`.

    A subclass defined elsewhere (a plugin's) takes its nearest listed ancestor's; anything
    that is not a SeamlineError is a bug.
    """
    for kind in type(exc).__mro__:
        found = OUTCOMES.get(kind)
        if found is not None:
            return found
    return BUG
