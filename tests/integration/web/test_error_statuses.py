"""The web answers each error kind with the status the errors table gives it."""

from __future__ import annotations

from pathlib import Path

from seamline.app import App
from seamline.web.http import MAX_BODY_BYTES
from tests.integration.web.conftest import Client


def test_a_body_over_the_limit_answers_413_and_changes_nothing(
    client: Client, app: App, files: dict[str, Path]
) -> None:
    view = app.run(files["expense"], {})
    task = view.waiting[0].task
    padding = "x" * (MAX_BODY_BYTES + 1)
    reply = client.post(
        f"/api/tasks/{task}/complete",
        body=f'{{"amount": 7, "reason": "{padding}"}}'.encode(),
        headers={"X-Seamline-User": "bob"},
        content_type="application/json",
    )
    assert reply.status == 413, reply.text[:200]
    assert reply.json() == {"error": "the request body is over 1 MiB"}
    assert app.task(task).status.value == "open"
