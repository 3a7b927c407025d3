from __future__ import annotations

import html
import re
from pathlib import Path

from seamline.app import App
from tests.integration.web.conftest import Client, sign_in, signed_in
from tests.integration.web.diagrams import XSS_NAME


def _task_row(page: str, task_id: str) -> str:
    found = re.search(rf'<tr id="task-{task_id}">(.*?)</tr>', page, re.S)
    assert found, page
    return found.group(1)


def test_nobody_signed_in_is_sent_to_the_sign_in_page_listing_the_users(client: Client) -> None:
    reply = client.get("/")
    assert reply.status == 303
    assert reply.header("Location") == "/login"
    page = client.get("/login")
    assert page.status == 200
    assert "Ann &lt;Clerk&gt;" in page.text  # display names are escaped too
    assert '<button name="user" value="bob">' in page.text
    assert "X-Seamline-User" in page.text


def test_an_unknown_user_is_refused_without_naming_the_known_ones(client: Client) -> None:
    reply = sign_in(client, "mallory")
    assert reply.status == 403
    assert "unknown user mallory" in reply.text
    assert "known:" not in reply.text
    assert client.get("/").status == 303  # nobody signed in
    header = client.get("/", headers={"X-Seamline-User": "mallory"})
    assert header.status == 403
    assert "unknown user mallory" in header.text and "known:" not in header.text


def test_the_inbox_shows_each_user_their_own_tasks(app: App, files: dict[str, Path]) -> None:
    view = app.run(files["expense"], {})
    task = view.waiting[0].task
    ann = signed_in(app, "ann")
    carl = signed_in(app, "carl")
    page = ann.get("/").text
    row = _task_row(page, task)
    assert "Review expense" in row and "@clerks" in row and "Claim" in row
    assert view.instance.id[:8] in row
    assert f"task-{task}" not in carl.get("/").text


def test_claim_takes_the_task_out_of_the_other_candidates_queue(
    app: App, files: dict[str, Path]
) -> None:
    task = app.run(files["expense"], {}).waiting[0].task
    ann, bob = signed_in(app, "ann"), signed_in(app, "bob")
    reply = ann.post(f"/tasks/{task}/claim")
    assert reply.status == 303 and reply.header("Location") == "/"
    assert app.task(task).assignee == "ann"
    assert "Unclaim" in _task_row(ann.get("/").text, task)
    assert f"task-{task}" not in bob.get("/").text
    # Bob may not take it over: a refusal page, and the task stays with Ann.
    refused = bob.post(f"/tasks/{task}/claim")
    assert refused.status in (403, 409)
    assert app.task(task).assignee == "ann"
    assert ann.post(f"/tasks/{task}/unclaim").status == 303
    assert app.task(task).assignee is None


def test_the_header_from_a_proxy_wins_over_the_cookie(app: App, files: dict[str, Path]) -> None:
    task = app.run(files["expense"], {}).waiting[0].task
    carl = signed_in(app, "carl")
    page = carl.get("/", headers={"X-Seamline-User": "ann"})
    assert page.status == 200
    assert f"task-{task}" in page.text


def test_the_task_page_renders_the_form_with_defaults_beside_the_diagram(
    app: App, files: dict[str, Path]
) -> None:
    task = app.run(files["expense"], {}).waiting[0].task
    page = signed_in(app, "ann").get(f"/tasks/{task}")
    assert page.status == 200
    text = page.text
    assert re.search(r'<input type="number" id="field-amount" name="amount" value="10"', text)
    assert 'step="1"' in text and 'min="0"' in text
    assert '<option value="food" selected>Food</option>' in text
    assert '<input type="date" id="field-spent" name="spent"' in text
    # A yes/no question is a pair of radios, neither chosen until someone answers.
    assert '<input type="radio" id="field-urgent-1" name="urgent" value="true">' in text
    assert '<input type="radio" id="field-urgent-2" name="urgent" value="false">' in text
    assert '<g class="sl-shape sl-userTask sl-active" data-element-id="review">' in text
    assert "<?xml" not in text


def test_invalid_form_data_is_shown_per_field_and_nothing_is_committed(
    app: App, files: dict[str, Path]
) -> None:
    view = app.run(files["expense"], {})
    task = view.waiting[0].task
    ann = signed_in(app, "ann")
    reply = ann.post(f"/tasks/{task}/complete", form={"amount": "-5", "reason": "", "kind": "food"})
    assert reply.status == 400
    errors = dict(re.findall(r'<p class="error" data-field="(\w+)">(.*?)</p>', reply.text))
    assert set(errors) == {"amount", "reason"}
    assert "must be &gt;= 0" in errors["amount"]
    assert errors["reason"] == "reason: required"
    # What was typed is kept, and nothing moved.
    assert 'name="amount" value="-5"' in reply.text
    assert app.show(view.instance.id).instance.version == view.instance.version
    assert app.task(task).status.value == "open"


def test_completing_moves_the_instance_on_and_the_diagram_shows_it(
    app: App, files: dict[str, Path]
) -> None:
    view = app.run(files["expense"], {})
    task = view.waiting[0].task
    ann = signed_in(app, "ann")
    reply = ann.post(
        f"/tasks/{task}/complete",
        form={"amount": "42", "reason": "taxi", "kind": "travel", "spent": "2024-05-01",
              "urgent": "true"},
    )  # fmt: skip
    assert reply.status == 303
    assert reply.header("Location") == f"/?completed={task[:8]}"
    after = app.show(view.instance.id)
    assert [w.element for w in after.waiting] == ["file"]
    assert after.instance.data["amount"] == 42 and after.instance.data["urgent"] is True
    assert after.instance.data["kind"] == "travel"
    assert f"Task {task[:8]} completed." in ann.get(reply.header("Location") or "").text
    page = ann.get(f"/instances/{view.instance.id}")
    assert page.status == 200
    assert '<g class="sl-shape sl-userTask sl-completed" data-element-id="review">' in page.text
    assert '<g class="sl-shape sl-userTask sl-active" data-element-id="file">' in page.text
    assert "task completed" in page.text and "taxi" in page.text
    assert f'href="/tasks/{after.waiting[0].task}"' in page.text


def test_markup_in_names_is_escaped_everywhere(app: App, files: dict[str, Path]) -> None:
    view = app.run(files["hostile"], {"note": XSS_NAME}, business_key=XSS_NAME)
    task = view.waiting[0].task
    carl = signed_in(app, "carl")
    for url in ("/", f"/tasks/{task}", f"/instances/{view.instance.id}", "/instances"):
        page = carl.get(url)
        assert page.status == 200, url
        assert XSS_NAME not in page.text, url
        assert html.escape(XSS_NAME, quote=False) in page.text or "&lt;script&gt;" in page.text


def test_instances_list_colours_statuses(app: App, files: dict[str, Path]) -> None:
    view = app.run(files["expense"], {})
    page = signed_in(app, "ann").get("/instances")
    assert f'href="/instances/{view.instance.id}"' in page.text
    assert 'class="status st-waiting"' in page.text
    assert signed_in(app, "ann").get("/instances?status=bogus").status == 400


def test_missing_pages_and_objects_are_one_line_404s(client: Client, app: App) -> None:
    ann = signed_in(app, "ann")
    assert ann.get("/nowhere").status == 404
    reply = ann.get("/tasks/ffffffffffff")
    assert reply.status == 404
    assert "Traceback" not in reply.text
    assert ann.get("/instances/ffffffffffff").status == 404
    assert ann.request("DELETE", "/").status == 405


def test_without_configured_users_the_operator_acts_without_signing_in(
    files: dict[str, Path],
) -> None:
    from seamline.store.memory import MemoryStore
    from seamline.web.wsgi import make_wsgi_app

    app = App(MemoryStore())
    task = app.run(files["expense"], {}).waiting[0].task
    browser = Client(make_wsgi_app(app))
    assert f"task-{task}" in browser.get("/").text
    assert "No users are configured" in browser.get("/login").text
    done = browser.post(f"/tasks/{task}/complete", form={"amount": "3", "reason": "ok"})
    assert done.status == 303
    assert app.task(task).status.value == "completed"


def test_the_invoice_sample_task_page_renders(app: App) -> None:
    from tests.conftest import SAMPLES

    view = app.run(
        SAMPLES / "invoice-approval" / "invoice-approval.bpmn",
        {"invoiceNumber": "1", "creditor": "c", "invoiceCategory": "Misc", "amount": 10.0},
    )
    task = view.waiting[0].task
    page = signed_in(app, "root").get(f"/tasks/{task}")
    assert page.status == 200
    assert 'name="approved" value="true"' in page.text and 'name="comment"' in page.text
    assert "<svg" in page.text
