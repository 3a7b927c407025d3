"""The inbox rules as data: every term names a real field, and --mine narrows the inbox."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime

import pytest

from seamline.store import inbox
from seamline.store.inbox import FILTERS, HOLD, ORDER, REACH, InboxQuery, Op, Term
from seamline.store.records import HumanTask, TaskStatus

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def task(**kw: object) -> HumanTask:
    values: dict[str, object] = {
        "id": "t1",
        "instance_id": "i1",
        "process_id": "p",
        "element_id": "Review",
        "name": None,
        "status": TaskStatus.OPEN,
        "candidate_users": (),
        "candidate_groups": (),
        "assignee": None,
        "created_at": T0,
        "due_at": None,
        "follow_up_at": None,
        "priority": 50,
        "form": None,
        "business_key": None,
        "lane": None,
    }
    values.update(kw)
    return HumanTask(**values)  # type: ignore[arg-type]


def encode(value: datetime, where: str) -> str:
    return value.isoformat()


def test_every_term_names_a_task_field_and_a_query_field() -> None:
    task_fields = {f.name for f in fields(HumanTask)}
    query_fields = {f.name for f in fields(InboxQuery)}
    for term in (*FILTERS, *REACH, *HOLD):
        assert term.field in task_fields, term
        assert term.param is None or term.param in query_fields, term
        if term.op in (Op.HAS, Op.HAS_ANY):
            assert term.field in inbox.CANDIDATE_KIND, term
    assert {f for f, _ in ORDER} <= task_fields


def test_mine_sets_groups_group_and_admin_aside() -> None:
    offered = task(candidate_groups=("g1",))
    assert inbox.matches(InboxQuery(user="u1", groups=("g1",)), offered)
    assert not inbox.matches(InboxQuery(user="u1", groups=("g1",), mine=True), offered)
    assert not inbox.matches(InboxQuery(user="u1", admin=True, mine=True), offered)
    own = task(candidate_users=("u1",))
    assert inbox.matches(InboxQuery(user="u1", group="g9", mine=True), own)
    assert not inbox.matches(InboxQuery(user="u1", group="g9"), own)


def test_someone_elses_claim_hides_the_task_from_candidates() -> None:
    held = task(candidate_users=("u1",), candidate_groups=("g1",), assignee="u2")
    assert not inbox.matches(InboxQuery(user="u1", groups=("g1",)), held)
    assert inbox.matches(InboxQuery(user="u2"), held)
    assert inbox.matches(InboxQuery(user="u1", admin=True), held)


def test_overdue_is_strictly_before() -> None:
    assert not inbox.matches(InboxQuery(admin=True, overdue_at=T0), task(due_at=T0))
    assert not inbox.matches(InboxQuery(admin=True, overdue_at=T0), task())


@pytest.mark.parametrize(
    "query",
    [InboxQuery(), InboxQuery(admin=True, status=()), InboxQuery(groups=(), mine=True)],
)
def test_queries_that_cannot_match_compile_to_nothing(query: InboxQuery) -> None:
    assert inbox.compile_sql(query, "id", encode) is None


def test_sql_takes_one_parameter_per_placeholder() -> None:
    q = InboxQuery(user="u1", groups=("g1", "g2", "g1"), group="g1", overdue_at=T0, instance_id="i")
    built = inbox.compile_sql(q, "id, status", encode)
    assert built is not None
    sql, params = built
    assert sql.count("?") == len(params)
    assert params[-1] == q.limit
    assert params.count("g2") == 1


def test_a_term_with_no_id_form_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot select task ids"):
        inbox._ids(Term("due_at", Op.BEFORE, "overdue_at"), T0)
