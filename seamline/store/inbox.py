"""The inbox rules, stated once: which human tasks a user may see, and in what order.

The rules are data (the tuples of :class:`Term` below). MemoryStore evaluates them as a
predicate over :class:`HumanTask` records (:func:`matches`); the SQL stores compile the same
tuples to one query (:func:`compile_sql`). Neither side spells a rule of its own, so they
cannot drift; the contract suite checks both against an independent statement of the rules over
a generated matrix of users, groups, claims and due dates.

A task is in ``query``'s inbox when

- it passes every FILTER (status, instance, ``--group``, ``--overdue``), and
- unless the query is an administrator's: it REACHES the user (assigned to them, offered to them
  by name, or offered to one of their groups) and is HELD by nobody else (unassigned, or
  assigned to them).

``--mine`` narrows the inbox to the user's own tasks: their groups, the ``--group`` filter and
administrator rights are set aside (:meth:`InboxQuery.effective`).

A term whose parameter is ``None`` is left out (a filter not asked for; a way of reaching that
does not apply); a parameter that is an empty list matches nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from typing import Any

from seamline.store.records import ACTIVE_TASK_STATUSES, HumanTask, TaskStatus

__all__ = [
    "FILTERS",
    "HOLD",
    "ORDER",
    "REACH",
    "InboxQuery",
    "Op",
    "Term",
    "compile_sql",
    "matches",
    "sort_key",
]


@dataclass(frozen=True)
class InboxQuery:
    """What `seamline tasks` asks: who is looking, through which filters.

    ``overdue_at`` is "now" when ``--overdue`` is given (tasks due strictly before it), else None.
    """

    user: str | None = None
    groups: Sequence[str] = ()
    admin: bool = False
    mine: bool = False
    group: str | None = None
    overdue_at: datetime | None = None
    instance_id: str | None = None
    status: Sequence[TaskStatus] = ACTIVE_TASK_STATUSES
    limit: int = 100

    def effective(self) -> InboxQuery:
        """The query the rules see: ``mine`` drops groups, the group filter and admin rights."""
        if self.mine:
            return replace(self, groups=(), group=None, admin=False, mine=False)
        return self

    def value(self, param: str) -> Any:
        """A term's parameter: a field of the query, lists deduplicated in order."""
        got = getattr(self, param)
        if isinstance(got, str | datetime) or got is None:
            return got
        return list(dict.fromkeys(str(v) for v in got))


class Op(Enum):
    """How a term compares a task field with a query parameter."""

    EQ = "eq"  #: the field equals the parameter
    IS_NULL = "is_null"  #: the field is empty (no parameter)
    IN = "in"  #: the field is one of the parameter's values
    BEFORE = "before"  #: the field is set and earlier than the parameter
    HAS = "has"  #: the list field contains the parameter
    HAS_ANY = "has_any"  #: the list field shares a value with the parameter


@dataclass(frozen=True)
class Term:
    """One comparison of a task field with a query parameter (``None``: no parameter)."""

    field: str
    op: Op
    param: str | None = None


#: Every filter must hold.
FILTERS: tuple[Term, ...] = (
    Term("status", Op.IN, "status"),
    Term("instance_id", Op.EQ, "instance_id"),
    Term("candidate_groups", Op.HAS, "group"),
    Term("due_at", Op.BEFORE, "overdue_at"),
)
#: How a task reaches a user; one must hold (skipped for administrators).
REACH: tuple[Term, ...] = (
    Term("assignee", Op.EQ, "user"),
    Term("candidate_users", Op.HAS, "user"),
    Term("candidate_groups", Op.HAS_ANY, "groups"),
)
#: Who may hold a task the user sees; one must hold (skipped for administrators).
HOLD: tuple[Term, ...] = (
    Term("assignee", Op.IS_NULL),
    Term("assignee", Op.EQ, "user"),
)
#: The inbox order: field and whether it is descending.
ORDER: tuple[tuple[str, bool], ...] = (("priority", True), ("created_at", False), ("id", False))


def _active(terms: Sequence[Term], q: InboxQuery) -> list[tuple[Term, Any]]:
    """The terms that apply to ``q``, with their parameter values."""
    out = []
    for term in terms:
        value = None if term.param is None else q.value(term.param)
        if term.param is None or value is not None:
            out.append((term, value))
    return out


# -- the rules as a predicate (MemoryStore) ------------------------------------------------------


def _holds(task: HumanTask, term: Term, value: Any) -> bool:
    got = getattr(task, term.field)
    if term.op is Op.EQ:
        return bool(got == value)
    if term.op is Op.IS_NULL:
        return got is None
    if term.op is Op.IN:
        return str(got) in value
    if term.op is Op.BEFORE:
        return got is not None and bool(got < value)
    if term.op is Op.HAS:
        return value in got
    return bool(set(value).intersection(got))


def matches(query: InboxQuery, task: HumanTask) -> bool:
    """Whether ``task`` is in the inbox ``query`` asks for."""
    q = query.effective()
    if not all(_holds(task, t, v) for t, v in _active(FILTERS, q)):
        return False
    if q.admin:
        return True
    return any(_holds(task, t, v) for t, v in _active(REACH, q)) and any(
        _holds(task, t, v) for t, v in _active(HOLD, q)
    )


def sort_key(task: HumanTask) -> tuple[Any, ...]:
    """The inbox order as a sort key."""
    return tuple(-getattr(task, f) if desc else getattr(task, f) for f, desc in ORDER)


# -- the rules as SQL (SqliteStore, PostgresStore) -----------------------------------------------

#: List fields live one row per name in task_candidates, under this kind.
CANDIDATE_KIND = {"candidate_users": "user", "candidate_groups": "group"}
#: Writes a timestamp as the dialect stores it (value, what it is for the error message).
Encode = Callable[[datetime, str], Any]


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def _candidates(term: Term, values: Sequence[Any]) -> tuple[str, list[Any]]:
    """A SELECT of the ids of tasks whose list field holds one of ``values``; index lookups."""
    names = "name = ?" if len(values) == 1 else f"name IN ({_marks(values)})"
    kind = CANDIDATE_KIND[term.field]
    return f"SELECT task_id FROM task_candidates WHERE kind = '{kind}' AND {names}", list(values)


def _ids(term: Term, value: Any) -> tuple[str, list[Any]] | None:
    """A term as a SELECT of matching task ids (None: matches nothing)."""
    if term.op is Op.EQ:
        return f"SELECT id AS task_id FROM tasks WHERE {term.field} = ?", [value]
    if term.op is Op.HAS:
        return _candidates(term, [value])
    if term.op is Op.HAS_ANY:
        return _candidates(term, value) if value else None
    raise ValueError(f"inbox term {term} cannot select task ids")


def _where(term: Term, value: Any, encode: Encode) -> tuple[str, list[Any]]:
    """A term as a condition on the tasks row ``t``."""
    col = f"t.{term.field}"
    if term.op is Op.EQ:
        return f"{col} = ?", [value]
    if term.op is Op.IS_NULL:
        return f"{col} IS NULL", []
    if term.op is Op.IN:
        return (f"{col} IN ({_marks(value)})", list(value)) if value else ("1 = 0", [])
    if term.op is Op.BEFORE:
        return f"{col} IS NOT NULL AND {col} < ?", [encode(value, term.param or term.field)]
    ids = _ids(term, value)
    if ids is None:
        return "1 = 0", []
    return f"t.id IN ({ids[0]})", ids[1]


#: A query's FROM clause with its parameters, and WHERE conditions with theirs.
_Plan = tuple[str, list[Any], list[str], list[Any]]


def _from_reach(q: InboxQuery, encode: Encode) -> _Plan | None:
    """Drive from the user's own rows: REACH, each an index lookup, in one UNION; then HOLD."""
    reach = [s for s in (_ids(t, v) for t, v in _active(REACH, q)) if s is not None]
    if not reach:
        return None
    # UNION drops a task reached twice; a lone SELECT (one name IN several groups) needs
    # DISTINCT for the same.
    union = " UNION ".join(s for s, _ in reach)
    if len(reach) == 1:
        union = union.replace("SELECT ", "SELECT DISTINCT ", 1)
    hold = [_where(t, v, encode) for t, v in _active(HOLD, q)]
    return (
        f"({union}) mine CROSS JOIN tasks t",
        [p for _, ps in reach for p in ps],
        ["t.id = mine.task_id", "(" + " OR ".join(s for s, _ in hold) + ")"],
        [p for _, ps in hold for p in ps],
    )


def _from_filters(filters: list[tuple[Term, Any]]) -> _Plan:
    """An administrator's query: drive from a candidate filter (``--group``) if there is one,
    taking it out of ``filters``; filtering every open task by a subquery instead makes the
    planner walk the whole table."""
    driver = next((tv for tv in filters if tv[0].op is Op.HAS), None)
    if driver is None:
        return "tasks t", [], [], []
    filters.remove(driver)
    sub, sub_params = _candidates(driver[0], [driver[1]])
    return f"({sub}) g CROSS JOIN tasks t", sub_params, ["t.id = g.task_id"], []


def compile_sql(query: InboxQuery, columns: str, encode: Encode) -> tuple[str, list[Any]] | None:
    """The inbox as one SQL query with ``?`` placeholders and its parameters; None when nothing
    can match. ``columns`` are the task columns to select; ``encode`` writes a timestamp.

    The query starts from index lookups (the user's own rows, or an administrator's group)
    rather than from every open task, so it stays fast however many tasks are open.
    """
    q = query.effective()
    filters = _active(FILTERS, q)
    plan = _from_filters(filters) if q.admin else _from_reach(q, encode)
    if plan is None:
        return None
    source, source_params, where, params = plan
    for term, value in filters:
        if term.op is Op.IN and not value:
            return None
        sql, ps = _where(term, value, encode)
        where.append(sql)
        params.extend(ps)
    select = ", ".join("t." + c.strip() for c in columns.split(","))
    order = ", ".join(f"t.{f} DESC" if desc else f"t.{f}" for f, desc in ORDER)
    text = f"SELECT {select} FROM {source} WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?"
    return text, [*source_params, *params, q.limit]


class KeywordInbox:
    """``list_tasks``, the keyword form of ``inbox``, for a store that implements ``inbox``."""

    def inbox(self, query: InboxQuery) -> list[HumanTask]:
        """The tasks ``query`` may see; every store defines its own."""
        raise NotImplementedError

    def list_tasks(
        self,
        *,
        user: str | None = None,
        groups: Sequence[str] = (),
        status: Sequence[TaskStatus] = ACTIVE_TASK_STATUSES,
        instance_id: str | None = None,
        group: str | None = None,
        overdue_at: datetime | None = None,
        admin: bool = False,
        limit: int = 100,
    ) -> list[HumanTask]:
        """Tasks the user may see, or every task when ``admin`` (see :class:`InboxQuery`)."""
        return self.inbox(
            InboxQuery(
                user=user,
                groups=groups,
                status=status,
                instance_id=instance_id,
                group=group,
                overdue_at=overdue_at,
                admin=admin,
                limit=limit,
            )
        )
