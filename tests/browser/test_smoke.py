"""The inbox in a real browser: a signed-in clerk sees, claims and completes a task."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from tests.browser.conftest import Site, sign_in
from tests.integration.web.diagrams import EXPENSE, USERS_TOML


def test_a_clerk_completes_a_task_in_chromium(start_site: Any, page: Any) -> None:
    site: Site = start_site({"seamline.toml": USERS_TOML, "expense.bpmn": EXPENSE})
    started = site.run("run", "expense.bpmn", "--json")
    assert started.code == 0, started.stderr
    task = started.json()["waiting"][0]["task"]

    sign_in(page, site, "ann")
    assert page.locator(f"#task-{task}").count() == 1
    page.goto(site.url(f"/tasks/{task}"))
    page.click("form[action$=claim] button")
    page.wait_for_load_state()
    page.goto(site.url(f"/tasks/{task}"))
    page.fill("input[name=reason]", "train to Bern")
    page.fill("input[name=amount]", "12")
    page.click("form.task-form button[type=submit]")
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/"
    assert "completed" in page.locator("p.notice").inner_text()

    shown = site.run("show", started.json()["instance"], "--json").json()
    assert shown["data"]["reason"] == "train to Bern"
    assert shown["data"]["amount"] == 12
