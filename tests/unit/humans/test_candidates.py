from __future__ import annotations

from typing import Any

import pytest

from seamline.bpmn import flavours
from seamline.errors import ExpressionError
from seamline.humans.candidates import Candidates, candidates_from, may_take, split_names
from seamline.humans.identity import ConfigDirectory, User

VARS: dict[str, Any] = {
    "${approver}": "demo",
    "${approverGroups}": ["accounting", "sales"],
    "${reviewers}": "kermit, gonzo",
    "${loopCounter}": "",
    "=approver": "demo",
    '=["clerks","riskteam"]': ["clerks", "riskteam"],
    "=reviewers": "kermit,gonzo",
    "${nobody}": None,
}


def evaluate(text: str) -> Any:
    """Stands in for the engine: looks expressions up instead of evaluating them."""
    return VARS[text]


def read(extensions: dict[str, Any], **kw: Any) -> Candidates:
    kw.setdefault("lane", None)
    kw.setdefault("lane_groups", {})
    return candidates_from(flavours.assignment(extensions), evaluate=evaluate, **kw)


def test_camunda_literal_assignee_users_and_groups() -> None:
    c = read(
        {
            "camunda:assignee": "demo",
            "camunda:candidateUsers": "kermit, gonzo",
            "camunda:candidateGroups": "accounting,management",
        }
    )
    assert c == Candidates(("kermit", "gonzo"), ("accounting", "management"), "demo")


def test_camunda_expressions_give_names_lists_or_comma_lists() -> None:
    c = read(
        {
            "camunda:assignee": "${approver}",
            "camunda:candidateUsers": "${reviewers}, fozzie",
            "camunda:candidateGroups": "${approverGroups}",
        }
    )
    assert c.assignee == "demo"
    assert c.users == ("kermit", "gonzo", "fozzie")
    assert c.groups == ("accounting", "sales")


def test_expression_giving_none_names_nobody() -> None:
    assert read({"camunda:assignee": "${nobody}"}).assignee is None


def test_expression_giving_a_number_is_an_expression_error() -> None:
    with pytest.raises(ExpressionError, match="candidateGroups: the expression gave int"):
        candidates_from(
            flavours.assignment({"camunda:candidateGroups": "${n}"}),
            lane=None,
            lane_groups={},
            evaluate=lambda _: 3,
        )


def test_assignee_expression_giving_several_names_is_refused() -> None:
    with pytest.raises(ExpressionError, match="an assignee is one user"):
        read({"camunda:assignee": "${reviewers}"})


def test_activiti_attributes_are_read_like_camunda() -> None:
    assert read({"activiti:candidateGroups": "management"}).groups == ("management",)


def test_zeebe_assignment_definition_static_and_feel() -> None:
    c = read(
        {
            "zeebe:assignmentDefinition": {
                "assignee": "=approver",
                "candidateGroups": '=["clerks","riskteam"]',
                "candidateUsers": "=reviewers",
            }
        }
    )
    assert c == Candidates(("kermit", "gonzo"), ("clerks", "riskteam"), "demo")
    static = read({"zeebe:assignmentDefinition": {"candidateGroups": "clerks, riskteam"}})
    assert static.groups == ("clerks", "riskteam")


def test_lane_name_is_the_group_unless_mapped() -> None:
    assert read({}, lane="Accounting").groups == ("Accounting",)
    mapped = read({}, lane="Accounting", lane_groups={"Accounting": "accounting"})
    assert mapped.groups == ("accounting",)


def test_explicit_assignment_wins_over_the_lane() -> None:
    c = read({"camunda:candidateGroups": "clerks"}, lane="Accounting")
    assert c.groups == ("clerks",)


def test_spiff_lane_owners_add_users() -> None:
    c = read({}, lane="Reviewer", lane_owners={"Reviewer": ["kermit"], "Other": ["piggy"]})
    assert c == Candidates(("kermit",), ("Reviewer",), None)


def test_duplicates_are_dropped_in_order() -> None:
    c = read({"camunda:candidateUsers": "a, b, a", "camunda:candidateGroups": "g, g"})
    assert (c.users, c.groups) == (("a", "b"), ("g",))


def test_split_keeps_commas_inside_expressions() -> None:
    assert split_names("a, ${f(x, y)} ,b,,") == ["a", "${f(x, y)}", "b"]


ALICE = User("alice", frozenset({"clerks"}))
BOB = User("bob")
ROOT = User("root", admin=True)


@pytest.mark.parametrize(
    ("user", "c", "allowed"),
    [
        (BOB, Candidates(assignee="bob"), True),
        (BOB, Candidates(users=("bob",)), True),
        (ALICE, Candidates(groups=("clerks",)), True),
        (ROOT, Candidates(groups=("clerks",)), True),
        (BOB, Candidates(), True),
        (BOB, Candidates(groups=("clerks",), assignee="alice"), False),
        (ALICE, Candidates(users=("bob",), groups=("riskteam",)), False),
    ],
)
def test_may_take(user: User, c: Candidates, allowed: bool) -> None:
    assert may_take(user, c) is allowed


def test_nobody_can_take_gives_a_reason_naming_what_was_wanted() -> None:
    directory = ConfigDirectory([ALICE, BOB, ROOT])
    reason = Candidates(groups=("riskteam",), assignee="zoe").nobody_can_take(directory)
    assert reason is not None
    assert "assignee zoe" in reason and "candidate groups riskteam" in reason
    assert "only administrators" in reason


def test_somebody_can_take() -> None:
    directory = ConfigDirectory([ALICE, BOB, ROOT])
    assert Candidates(groups=("clerks",)).nobody_can_take(directory) is None
    assert Candidates(users=("bob",)).nobody_can_take(directory) is None
    assert Candidates().nobody_can_take(directory) is None


def test_empty_directory_has_nobody_to_check_against() -> None:
    assert Candidates(groups=("clerks",)).nobody_can_take(ConfigDirectory()) is None
