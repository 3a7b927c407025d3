"""The ``execution`` and ``task`` objects a listener's expression or script is given.

Camunda hands listeners a ``DelegateExecution`` (execution listeners) or a ``DelegateTask``
(task listeners). :class:`Delegate` is the part of both that diagrams use: reading and writing
variables, the event's name, the current activity, and for tasks the assignee. JUEL reaches only
the methods in :data:`METHODS` (and the public fields); the Python sandbox reaches public
attributes, which are the same. Writes are recorded, so the engine knows what changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from seamline.errors import ExpressionError

_DATA = (str, int, float, bool, type(None), list, dict)


@dataclass
class Delegate:
    """What a listener sees of its execution or task; variable writes go to ``variables``."""

    variables: dict[str, Any]
    eventName: str
    currentActivityId: str | None = None
    activityId: str | None = None
    processBusinessKey: str | None = None
    name: str | None = None
    assignee: str | None = None
    taskDefinitionKey: str | None = None
    canceled: bool = False
    _written: dict[str, Any] = field(default_factory=dict, repr=False)
    _removed: set[str] = field(default_factory=set, repr=False)
    _assigned: bool = field(default=False, repr=False)

    # -- variables ---------------------------------------------------------------------------

    def getVariable(self, name: Any) -> Any:
        """The variable's value, None when it is not set (as Camunda returns null)."""
        return self.variables.get(str(name))

    def hasVariable(self, name: Any) -> bool:
        return str(name) in self.variables

    def getVariables(self) -> dict[str, Any]:
        return dict(self.variables)

    def setVariable(self, name: Any, value: Any) -> None:
        """Set a process variable; values are data (text, numbers, booleans, lists, maps)."""
        if not isinstance(name, str) or not name:
            raise ExpressionError("setVariable() needs a variable name")
        if not isinstance(value, _DATA):
            raise ExpressionError(
                f"setVariable({name!r}): a {type(value).__name__} is not a data value"
            )
        self.variables[name] = value
        self._written[name] = value
        self._removed.discard(name)

    def removeVariable(self, name: Any) -> None:
        self.variables.pop(str(name), None)
        self._written.pop(str(name), None)
        self._removed.add(str(name))

    # -- the event and the element -----------------------------------------------------------

    def getEventName(self) -> str:
        return self.eventName

    def getCurrentActivityId(self) -> str | None:
        return self.currentActivityId

    def getActivityId(self) -> str | None:
        return self.activityId

    def getProcessBusinessKey(self) -> str | None:
        return self.processBusinessKey

    def getBusinessKey(self) -> str | None:
        return self.processBusinessKey

    def isCanceled(self) -> bool:
        return self.canceled

    # -- tasks -------------------------------------------------------------------------------

    def getName(self) -> str | None:
        return self.name

    def getTaskDefinitionKey(self) -> str | None:
        return self.taskDefinitionKey

    def getAssignee(self) -> str | None:
        return self.assignee

    def setAssignee(self, assignee: Any) -> None:
        """Hand the task to someone (a create listener changes whom it is created for)."""
        if assignee is not None and not isinstance(assignee, str):
            raise ExpressionError("setAssignee() needs a user name or null")
        self.assignee = assignee
        self._assigned = True

    # -- for the engine ----------------------------------------------------------------------

    def written(self) -> tuple[dict[str, Any], set[str]]:
        """(variables set, variables removed) by the listener."""
        return dict(self._written), set(self._removed)

    def reassigned(self) -> bool:
        """Whether the listener called setAssignee()."""
        return self._assigned


#: The methods JUEL may call on a delegate.
METHODS = frozenset(
    {
        "getVariable",
        "hasVariable",
        "getVariables",
        "setVariable",
        "removeVariable",
        "getEventName",
        "getCurrentActivityId",
        "getActivityId",
        "getProcessBusinessKey",
        "getBusinessKey",
        "isCanceled",
        "getName",
        "getTaskDefinitionKey",
        "getAssignee",
        "setAssignee",
    }
)
