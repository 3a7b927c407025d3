"""Who may take a user task, read from each modeler's way of saying it, through the engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from seamline.app import App
from seamline.errors import Forbidden
from seamline.store.records import TaskStatus
from tests.integration.humans_engine import diagrams as d


def _only_task(app: App, path: Path, data: dict[str, Any] | None = None) -> Any:
    view = app.run(path, data or {})
    assert view.instance.status.value == "waiting", view.instance.error
    [task] = app.tasks(user="root", instance_id=view.instance.id)
    return task


def _visible_to(app: App, task_id: str) -> set[str]:
    return {
        name
        for name in ("al", "ann", "bo", "root")
        if any(t.id == task_id for t in app.tasks(user=name))
    }


def test_lane_name_is_the_candidate_group(app: App, diagram: Callable[..., Path]) -> None:
    path = diagram(d.laned("camunda7", "laned", {"approvers": ["approve"]}))
    task = _only_task(app, path)
    assert task.lane == "approvers" and task.candidate_groups == ("approvers",)
    assert _visible_to(app, task.id) == {"bo", "root"}
    assert task.note is None


def test_lane_mapped_through_lanes_config(app: App, diagram: Callable[..., Path]) -> None:
    xml = d.laned("camunda7", "mapped", {"Team Assistant": ["assign"], "approvers": ["approve"]})
    task = _only_task(app, diagram(xml))
    assert task.lane == "Team Assistant" and task.candidate_groups == ("assistants",)
    assert _visible_to(app, task.id) == {"al", "ann", "root"}
    app.complete(task.id, {}, user="ann")
    [nxt] = app.tasks(user="bo")
    assert nxt.element_id == "approve" and nxt.candidate_groups == ("approvers",)


def test_camunda_assignee_claims_the_task_for_that_user(
    app: App, diagram: Callable[..., Path]
) -> None:
    path = diagram(d.single_task("camunda7", "c7a", d.attrs(camunda_assignee="${owner}")))
    task = _only_task(app, path, {"owner": "bo"})
    assert task.assignee == "bo" and task.status is TaskStatus.CLAIMED
    assert _visible_to(app, task.id) == {"bo", "root"}
    with pytest.raises(Forbidden, match="assigned to bo"):
        app.complete(task.id, {}, user="al")
    assert app.complete(task.id, {}, user="bo").instance.status.value == "completed"


@pytest.mark.parametrize(
    ("attribute", "data", "users", "groups", "visible"),
    [
        ("camunda_candidateUsers", {}, ("al", "bo"), (), {"al", "bo", "root"}),
        ("camunda_candidateGroups", {}, (), ("al", "bo"), {"root"}),
    ],
)
def test_camunda_literal_candidates(
    app: App,
    diagram: Callable[..., Path],
    attribute: str,
    data: dict[str, Any],
    users: tuple[str, ...],
    groups: tuple[str, ...],
    visible: set[str],
) -> None:
    path = diagram(d.single_task("camunda7", "c7lit", d.attrs(**{attribute: "al, bo"})))
    task = _only_task(app, path, data)
    assert (task.candidate_users, task.candidate_groups) == (users, groups)
    assert _visible_to(app, task.id) == visible


def test_camunda_candidate_expressions_over_process_data(
    app: App, diagram: Callable[..., Path]
) -> None:
    extra = d.attrs(
        camunda_candidateUsers="${reviewer}, ann",
        camunda_candidateGroups="${teams}",
    )
    path = diagram(d.single_task("camunda7", "c7expr", extra))
    task = _only_task(app, path, {"reviewer": "bo", "teams": ["approvers", "auditors"]})
    assert task.candidate_users == ("bo", "ann")
    assert task.candidate_groups == ("approvers", "auditors")
    assert _visible_to(app, task.id) == {"ann", "bo", "root"}
    assert task.note is None


def test_zeebe_assignment_definition_literals(app: App, diagram: Callable[..., Path]) -> None:
    ext = '<zeebe:assignmentDefinition candidateGroups="approvers" candidateUsers="al"/>'
    task = _only_task(app, diagram(d.single_task("camunda8", "z", extensions=ext)))
    assert task.candidate_groups == ("approvers",) and task.candidate_users == ("al",)
    assert _visible_to(app, task.id) == {"al", "bo", "root"}


def test_zeebe_feel_expressions(app: App, diagram: Callable[..., Path]) -> None:
    ext = (
        '<zeebe:assignmentDefinition assignee="=owner" '
        'candidateGroups="=[&quot;approvers&quot;, region + &quot;-desk&quot;]" '
        'candidateUsers="=helpers"/>'
    )
    path = diagram(d.single_task("camunda8", "zfeel", extensions=ext))
    task = _only_task(app, path, {"owner": "ann", "region": "emea", "helpers": ["al", "bo"]})
    assert task.assignee == "ann" and task.status is TaskStatus.CLAIMED
    assert task.candidate_groups == ("approvers", "emea-desk")
    assert task.candidate_users == ("al", "bo")
    # The assignee holds it; candidates see it again only once it is given back.
    assert _visible_to(app, task.id) == {"ann", "root"}
    app.unclaim(task.id, user="ann")
    assert _visible_to(app, task.id) == {"al", "bo", "root"}  # ann was only the assignee


def test_spiff_lane_owners_add_candidate_users(app: App, diagram: Callable[..., Path]) -> None:
    xml = d.laned(
        "spiff",
        "spiff_lanes",
        {"Reviewers": ["review"]},
        before='lane_owners = {"Reviewers": ["al"]}',
    )
    task = _only_task(app, diagram(xml))
    assert task.candidate_users == ("al",) and task.candidate_groups == ("Reviewers",)
    assert _visible_to(app, task.id) == {"al", "root"}
    with pytest.raises(Forbidden):
        app.complete(task.id, {}, user="bo")
    assert app.complete(task.id, {}, user="al").instance.status.value == "completed"


def test_explicit_candidates_win_over_the_lane(app: App, diagram: Callable[..., Path]) -> None:
    xml = d.laned("camunda7", "both", {"Team Assistant": ["step"]}).replace(
        '<bpmn:userTask id="step" name="Step"/>',
        '<bpmn:userTask id="step" name="Step" camunda:candidateUsers="bo"/>',
    )
    task = _only_task(app, diagram(xml))
    assert task.candidate_users == ("bo",) and task.candidate_groups == ()


def test_task_nobody_can_take_is_shown_to_admins_with_the_reason(
    app: App, diagram: Callable[..., Path]
) -> None:
    path = diagram(d.single_task("camunda7", "nobody", d.attrs(camunda_candidateGroups="legal")))
    task = _only_task(app, path)
    assert _visible_to(app, task.id) == {"root"}
    assert task.note is not None
    assert "candidate groups legal" in task.note and "only administrators" in task.note


def test_candidate_expression_failure_keeps_the_step_for_admins(
    app: App, diagram: Callable[..., Path]
) -> None:
    path = diagram(d.single_task("camunda7", "broken", d.attrs(camunda_candidateGroups="${team}")))
    view = app.run(path, {})
    assert view.instance.status.value == "waiting"
    [task] = app.tasks(user="root", instance_id=view.instance.id)
    assert _visible_to(app, task.id) == {"root"}
    assert task.note is not None and "team" in task.note and "'task'" in task.note
    assert "only administrators see it" in task.note
    # An administrator can still move the instance on.
    assert app.complete(task.id, {}, user="root").instance.status.value == "completed"


def test_an_open_task_is_offered_to_everyone(app: App, diagram: Callable[..., Path]) -> None:
    task = _only_task(app, diagram(d.single_task("camunda7", "open")))
    assert task.candidate_users == () and task.candidate_groups == ()
    assert _visible_to(app, task.id) == {"root"}  # no queue names it; admins see all
    assert app.complete(task.id, {}, user="bo").instance.status.value == "completed"
