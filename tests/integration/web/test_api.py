from __future__ import annotations

from pathlib import Path

import pytest

from seamline.app import App
from seamline.engine.step import task_json
from seamline.web.http import json_default
from tests.integration.web.conftest import Client


def _as(user: str) -> dict[str, str]:
    return {"X-Seamline-User": user}


def test_tasks_have_the_cli_shape_and_follow_the_user(
    client: Client, app: App, files: dict[str, Path]
) -> None:
    view = app.run(files["expense"], {})
    reply = client.get("/api/tasks", headers=_as("ann"))
    assert reply.status == 200
    rows = reply.json()
    expected = task_json(app.task(view.waiting[0].task))
    assert [r["task"] for r in rows] == [expected["task"]]
    assert set(rows[0]) == set(expected)
    assert rows[0]["candidate_groups"] == ["clerks"]
    assert rows[0]["form"]["properties"]["amount"]["type"] == "integer"
    assert rows[0]["created"] == json_default(expected["created"])
    assert client.get("/api/tasks", headers=_as("carl")).json() == []


def test_without_a_user_the_api_answers_403(client: Client) -> None:
    reply = client.get("/api/tasks")
    assert reply.status == 403
    assert "X-Seamline-User" in reply.json()["error"]
    unknown = client.get("/api/tasks", headers=_as("mallory"))
    assert unknown.status == 403
    # Only that the name is unknown: the configured names are not given away.
    assert unknown.json() == {"error": "unknown user mallory"}


def test_complete_returns_the_instance_and_moves_it_on(
    client: Client, app: App, files: dict[str, Path]
) -> None:
    view = app.run(files["expense"], {})
    task = view.waiting[0].task
    reply = client.post(
        f"/api/tasks/{task[:10]}/complete",
        json_body={"amount": 7, "reason": "lunch"},
        headers=_as("bob"),
    )
    assert reply.status == 200, reply.text
    body = reply.json()
    assert set(body) >= {"instance", "process", "status", "waiting", "data"}
    assert body["instance"] == view.instance.id
    assert body["status"] == "waiting"
    assert [w["element"] for w in body["waiting"]] == ["file"]
    assert body["data"]["amount"] == 7 and body["data"]["kind"] == "food"
    shown = client.get(f"/api/instances/{view.instance.id}", headers=_as("bob")).json()
    assert shown == {**app.show(view.instance.id).to_json(), "history": shown["history"]}
    assert any(e["kind"] == "task_completed" for e in shown["history"])


def test_error_kinds_map_to_status_codes(client: Client, app: App, files: dict[str, Path]) -> None:
    view = app.run(files["expense"], {})
    task = view.waiting[0].task
    invalid = client.post(
        f"/api/tasks/{task}/complete", json_body={"amount": -1}, headers=_as("ann")
    )
    assert invalid.status == 400
    body = invalid.json()
    assert body["errors"] == ["amount: must be >= 0 (got -1)", "reason: required"]
    assert "\n" not in body["error"]
    forbidden = client.post(
        f"/api/tasks/{task}/complete", json_body={"amount": 1, "reason": "x"}, headers=_as("carl")
    )
    assert forbidden.status == 403
    assert set(forbidden.json()) == {"error"}
    missing = client.get("/api/instances/ffffffffffff", headers=_as("ann"))
    assert missing.status == 404 and missing.json()["error"]
    assert client.get("/api/nothing", headers=_as("ann")).status == 404
    bad_json = client.post(
        f"/api/tasks/{task}/complete",
        body=b"{nope",
        content_type="application/json",
        headers=_as("ann"),
    )
    assert bad_json.status == 400
    assert bad_json.json()["error"].startswith("the request body is not valid JSON")
    not_object = client.post(f"/api/tasks/{task}/complete", json_body=[1], headers=_as("ann"))
    assert not_object.status == 400
    # Nothing above moved the instance.
    assert app.show(view.instance.id).instance.version == view.instance.version


def test_a_task_completed_meanwhile_is_a_conflict(
    client: Client, app: App, files: dict[str, Path]
) -> None:
    task = app.run(files["expense"], {}).waiting[0].task
    app.complete(task, {"amount": 1, "reason": "x"}, user="ann")
    again = client.post(
        f"/api/tasks/{task}/complete", json_body={"amount": 1, "reason": "x"}, headers=_as("ann")
    )
    assert again.status == 409
    assert "only open tasks complete" in again.json()["error"]


def test_claim_and_unclaim(client: Client, app: App, files: dict[str, Path]) -> None:
    task = app.run(files["expense"], {}).waiting[0].task
    claimed = client.post(f"/api/tasks/{task}/claim", headers=_as("ann"))
    assert claimed.status == 200 and claimed.json()["assignee"] == "ann"
    taken = client.post(f"/api/tasks/{task}/claim", headers=_as("bob"))
    assert taken.status in (403, 409)
    released = client.post(f"/api/tasks/{task}/unclaim", headers=_as("ann"))
    assert released.json()["assignee"] is None


def test_a_bug_is_a_one_line_500(client: Client, app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**_: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(app, "tasks", broken)
    reply = client.get("/api/tasks", headers=_as("ann"))
    assert reply.status == 500
    assert reply.json() == {"error": "internal error: RuntimeError: boom (please report it)"}
    page = client.get("/", headers=_as("ann"))
    assert page.status == 500
    assert "Traceback" not in page.text and "internal error: RuntimeError: boom" in page.text


def test_instances_list(client: Client, app: App, files: dict[str, Path]) -> None:
    view = app.run(files["expense"], {}, business_key="B-1")
    rows = client.get("/api/instances?status=waiting", headers=_as("ann")).json()
    assert rows[0]["instance"] == view.instance.id and rows[0]["business_key"] == "B-1"
    assert client.get("/api/instances?limit=x", headers=_as("ann")).status == 400
