"""Who may take a user task: assignee, candidate users and candidate groups.

Modelers say it in different ways (Camunda 7 attributes, a Camunda 8
``zeebe:assignmentDefinition``, BPMN's ``potentialOwner`` / ``humanPerformer``); the flavour
strategies read those (:func:`seamline.bpmn.flavours.assignment`) and the engine hands the result
in as a :class:`Naming`. :func:`candidates_from` adds the lane a task sits in and SpiffArena's
``lane_owners`` process variable, and evaluates what is an expression, into one
:class:`Candidates` record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from seamline.errors import CandidateExpressionError
from seamline.humans.identity import Directory, User


class Naming(Protocol):
    """Who an element names, as written: an assignee, candidate users, candidate groups (each
    a name, a comma list, an expression or a list of those)."""

    @property
    def assignee(self) -> Any: ...

    @property
    def users(self) -> Sequence[Any]: ...

    @property
    def groups(self) -> Sequence[Any]: ...


@dataclass(frozen=True)
class Candidates:
    """Who may take a task. All empty means the task is open to every user."""

    users: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    assignee: str | None = None

    @property
    def open(self) -> bool:
        """True when the task names nobody, so any user may take it."""
        return not (self.users or self.groups or self.assignee)

    def nobody_can_take(self, directory: Directory) -> str | None:
        """Why no known user (administrators aside) can take the task, or None if one can.

        Administrators can take anything, so they are left out: the point is to warn that a
        task would otherwise sit in nobody's queue. An empty directory means there is nobody to
        check against, and gives None.
        """
        users = directory.users()
        if self.open or not users:
            return None
        if any(_named(user, self) for user in users):
            return None
        wanted: list[str] = []
        if self.assignee:
            wanted.append(f"assignee {self.assignee}")
        if self.users:
            wanted.append(f"candidate users {', '.join(self.users)}")
        if self.groups:
            wanted.append(f"candidate groups {', '.join(self.groups)}")
        return (
            f"no configured user matches {'; '.join(wanted)}; only administrators can take it"
            " (add the user or group to seamline.toml, or map the lane in [lanes])"
        )


def _named(user: User, c: Candidates) -> bool:
    return user.name == c.assignee or user.name in c.users or not user.groups.isdisjoint(c.groups)


def may_take(user: User, c: Candidates) -> bool:
    """True if ``user`` may take a task with candidates ``c``.

    The assignee, a candidate user, a member of a candidate group or an administrator may; on an
    open task anyone may.
    """
    return user.admin or c.open or _named(user, c)


def candidates_from(
    named: Naming,
    *,
    lane: str | None,
    lane_groups: Mapping[str, str],
    evaluate: Callable[[str], Any],
    lane_owners: Mapping[str, Sequence[str]] | None = None,
) -> Candidates:
    """Who may take a task: what the element names, its lane and the process data.

    Values that are expressions (``${...}``/``#{...}`` in Camunda 7, ``=...`` FEEL in Camunda 8)
    are handed to ``evaluate`` as written and may give a name, a comma list or a list of names.

    The lane counts only when the element names nobody itself: an explicit assignment drawn on the
    task is more specific than the swimlane around it. The lane's name is the candidate group
    unless ``lane_groups`` maps it; ``lane_owners[lane]`` adds candidate users.
    """
    assignee = _one(named.assignee, evaluate, "assignee")
    users = _names(list(named.users), evaluate, "candidateUsers")
    groups = _names(list(named.groups), evaluate, "candidateGroups")
    if lane and not (assignee or users or groups):
        groups.append(lane_groups.get(lane, lane))
        users += _flatten(list((lane_owners or {}).get(lane, [])), "lane_owners")
    return Candidates(users=_unique(users), groups=_unique(groups), assignee=assignee)


def is_expression(text: str) -> bool:
    """True if ``text`` must be evaluated rather than read as names."""
    stripped = text.strip()
    return stripped.startswith("=") or "${" in stripped or "#{" in stripped


def _one(raw: Any, evaluate: Callable[[str], Any], what: str) -> str | None:
    names = _names(raw, evaluate, what)
    if len(names) > 1:
        raise CandidateExpressionError(
            f"{what}: gave several names ({', '.join(names)}); an assignee is one user"
            " (use candidateUsers for several)"
        )
    return names[0] if names else None


def _names(raw: Any, evaluate: Callable[[str], Any], what: str) -> list[str]:
    """Names from a literal comma list, an expression, or a list of either."""
    if raw is None:
        return []
    if isinstance(raw, str):
        if raw.strip().startswith("="):
            # A FEEL expression is the whole attribute; its commas are FEEL's, not a list's.
            return _flatten(evaluate(raw.strip()), what)
        out: list[str] = []
        for part in split_names(raw):
            out += _flatten(evaluate(part), what) if is_expression(part) else [part]
        return out
    if isinstance(raw, Iterable):
        out = []
        for item in raw:
            out += _names(item, evaluate, what)
        return out
    raise CandidateExpressionError(f"{what}: expected names, got {type(raw).__name__} {raw!r}")


def _flatten(value: Any, what: str) -> list[str]:
    """What an expression gave, as names: None, a name, a comma list or a list of names."""
    if value is None:
        return []
    if isinstance(value, str):
        return split_names(value)
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        out: list[str] = []
        for item in value:
            out += _flatten(item, what)
        return out
    raise CandidateExpressionError(
        f"{what}: the expression gave {type(value).__name__} {value!r};"
        " it must give a name, a comma-separated text or a list of names"
    )


def split_names(text: str) -> list[str]:
    """Split a comma list, keeping commas inside ``${...}`` with their expression."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))
