"""The task page and the API start a form from the process data, and show that data."""

from __future__ import annotations

import re
from pathlib import Path

from seamline.app import App
from tests.integration.web.conftest import Client, signed_in


def test_the_api_exposes_what_the_form_starts_with(
    client: Client, app: App, files: dict[str, Path]
) -> None:
    view = app.run(files["expense"], {"reason": "taxi", "urgent": True})
    task = view.waiting[0].task
    reply = client.get(f"/api/tasks/{task}", headers={"X-Seamline-User": "ann"})
    assert reply.status == 200
    assert reply.json()["prefill"] == {
        "amount": 10,
        "reason": "taxi",
        "kind": "food",
        "urgent": True,
    }
    # The form itself still describes the fields only.
    assert "reason" in reply.json()["form"]["properties"]


def test_the_task_page_fills_the_form_and_lists_the_variables(
    app: App, files: dict[str, Path]
) -> None:
    view = app.run(files["expense"], {"reason": "taxi <night>", "amount": 42, "cost_centre": 7})
    page = signed_in(app, "ann").get(f"/tasks/{view.waiting[0].task}")
    assert page.status == 200
    assert re.search(r'name="amount" value="42"', page.text)
    assert 'name="reason" value="taxi &lt;night&gt;"' in page.text
    row = r'<tr><td class="mono">(\w+)</td><td class="mono">(.*?)</td></tr>'
    rows = dict(re.findall(row, page.text))
    assert rows == {"amount": "42", "cost_centre": "7", "reason": "&#34;taxi &lt;night&gt;&#34;"}


def test_a_task_without_a_form_refuses_bad_rows_and_saves_nothing(
    app: App, files: dict[str, Path]
) -> None:
    view = app.run(files["expense"], {})
    ann = signed_in(app, "ann")
    ann.post(f"/tasks/{view.waiting[0].task}/complete", form={"amount": "5", "reason": "r"})
    waiting = app.show(view.instance.id).waiting[0]
    reply = ann.post(f"/tasks/{waiting.task}/complete", form={"var-name": "3x", "var-value": "1"})
    assert reply.status == 400
    assert "variable row 1 (3x): a variable name is letters" in reply.text
    assert 'name="var-name" value="3x"' in reply.text
    assert app.task(waiting.task).status.value == "open"
