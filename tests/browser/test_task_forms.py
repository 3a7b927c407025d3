"""Task forms in a real browser: what a person sees, decides on and sends is what gets recorded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.browser.conftest import Site, sign_in

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def sample_files(name: str) -> dict[str, str]:
    """Every file of a sample folder, to start a site over."""
    folder = SAMPLES / name
    return {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir() if p.is_file()}


def start(site: Site, diagram: str, data: str) -> tuple[str, str]:
    """Run a diagram with a data file; (instance id, id of the task it waits on)."""
    started = site.run("run", diagram, "--data", f"@{data}", "--json")
    assert started.code == 0, started.stderr
    view = started.json()
    return view["instance"], view["waiting"][0]["task"]


def submit(page: Any) -> None:
    page.click("form.task-form button[type=submit]")
    page.wait_for_load_state()


def cli_errors(stderr: str) -> list[str]:
    """The per-field lines `complete` prints for invalid data."""
    return [line.strip()[2:] for line in stderr.splitlines() if line.strip().startswith("- ")]


def web_errors(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("p.error").all_inner_texts()]


def refuses_unanswered_yes_no(
    page: Any, site: Site, instance: str, task: str, user: str, key: str
) -> None:
    """Complete with the required yes/no untouched: the web and the CLI refuse it alike."""
    sign_in(page, site, user)
    page.goto(site.url(f"/tasks/{task}"))
    radios = page.locator(f"input[type=radio][name={key}]")
    assert radios.count() == 2
    assert [radios.nth(i).is_checked() for i in range(2)] == [False, False]
    before = site.run("show", instance, "--json").json()
    submit(page)
    shown = web_errors(page)
    assert shown == [f"{key}: required"]
    assert "Nothing was saved" in page.locator("p.problem").first.inner_text()

    refused = site.run("--as", user, "complete", task, "--data", "{}")
    assert refused.code == 1, refused.stderr
    assert cli_errors(refused.stderr) == shown

    after = site.run("show", instance, "--json").json()
    assert after["status"] == before["status"] == "waiting"
    assert key not in after["data"]
    assert [w["task"] for w in after["waiting"]] == [task]


def test_an_unanswered_approval_is_refused_not_recorded_as_no(start_site: Any, page: Any) -> None:
    site: Site = start_site(sample_files("invoice-approval"))
    instance, task = start(site, "invoice-approval.bpmn", "data.json")
    refuses_unanswered_yes_no(page, site, instance, task, "tom", "approved")

    # The approver sees what they decide on: the invoice's variables beside the form.
    table = page.locator("table.variables").inner_text()
    assert "Great Pizza for Everyone Inc." in table and "830" in table

    page.check("input[name=approved][value=true]")
    submit(page)
    assert urlsplit(page.url).path == "/"
    done = site.run("show", instance, "--json").json()
    assert done["data"]["approved"] is True
    assert done["status"] == "completed"


def test_an_unanswered_compliance_check_is_refused(start_site: Any, page: Any) -> None:
    site: Site = start_site(sample_files("customer-onboarding"))
    instance, task = start(site, "customer-onboarding.bpmn", "data-high-risk.json")
    refuses_unanswered_yes_no(page, site, instance, task, "carla", "cleared")

    page.check("input[name=cleared][value=false]")
    submit(page)
    done = site.run("show", instance, "--json").json()
    assert done["data"]["cleared"] is False


def test_a_task_without_a_form_takes_variables_row_by_row(start_site: Any, page: Any) -> None:
    site: Site = start_site(sample_files("claims-triage"))
    instance, task = start(site, "claims-triage.bpmn", "data.json")
    sign_in(page, site, "adam")
    page.goto(site.url(f"/tasks/{task}"))
    assert "2400" in page.locator("table.variables").inner_text()

    page.locator("input[name=var-name]").nth(0).fill("approved")
    page.locator("input[name=var-value]").nth(0).fill("yes")
    page.click("#add-variable")
    page.locator("input[name=var-name]").nth(1).fill("remark")
    page.locator("input[name=var-value]").nth(1).fill('"checked the photos"')
    submit(page)
    errors = web_errors(page)
    assert len(errors) == 1
    assert errors[0].startswith("variable row 1 (approved): value is not JSON")
    still = site.run("show", instance, "--json").json()
    assert still["status"] == "waiting" and "approved" not in still["data"]

    # What was typed is kept; correcting the one row is enough.
    assert page.locator("input[name=var-name]").count() == 2
    page.locator("input[name=var-value]").nth(0).fill("true")
    submit(page)
    assert urlsplit(page.url).path == "/"
    done = site.run("show", instance, "--json").json()
    assert done["data"]["approved"] is True
    assert done["data"]["remark"] == "checked the photos"
    assert done["data"]["payment"]["amount"] == 2250  # the approved branch, not the default


C8_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://x">
"""

REVIEW_FORM = {
    "id": "review-form",
    "type": "default",
    "components": [
        {"type": "text", "text": "# Check the supplier\n**Be quick** <script>alert(1)</script>"},
        {"key": "supplier", "label": "Supplier", "type": "textfield"},
        {
            "key": "contact",
            "label": "Contact e-mail",
            "type": "textfield",
            "validate": {"validationType": "email"},
        },
        {
            "key": "rating",
            "label": "Rating",
            "type": "radio",
            "values": [{"label": "Good", "value": "good"}, {"label": "Poor", "value": "poor"}],
        },
        {
            "key": "checks",
            "label": "Checks done",
            "type": "checklist",
            "values": [{"label": "Tax id", "value": "tax"}, {"label": "Bank", "value": "bank"}],
        },
    ],
}

REVIEW = (
    C8_HEAD
    + """<bpmn:process id="review" isExecutable="true">
  <bpmn:extensionElements>
    <zeebe:userTaskForm id="f1">"""
    + json.dumps(REVIEW_FORM).replace("&", "&amp;").replace("<", "&lt;")
    + """</zeebe:userTaskForm>
  </bpmn:extensionElements>
  <bpmn:startEvent id="start"><bpmn:outgoing>a</bpmn:outgoing></bpmn:startEvent>
  <bpmn:userTask id="check" name="Check supplier">
    <bpmn:extensionElements>
      <zeebe:formDefinition formKey="camunda-forms:bpmn:f1"/>
    </bpmn:extensionElements>
    <bpmn:incoming>a</bpmn:incoming><bpmn:outgoing>b</bpmn:outgoing>
  </bpmn:userTask>
  <bpmn:endEvent id="end"><bpmn:incoming>b</bpmn:incoming></bpmn:endEvent>
  <bpmn:sequenceFlow id="a" sourceRef="start" targetRef="check"/>
  <bpmn:sequenceFlow id="b" sourceRef="check" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>
"""
)


def test_a_camunda_form_shows_its_text_choices_and_the_process_data(
    start_site: Any, page: Any
) -> None:
    data = {"supplier": "ACME <AG>", "rating": "poor"}
    site: Site = start_site({"review.bpmn": REVIEW, "data.json": json.dumps(data)})
    instance, task = start(site, "review.bpmn", "data.json")
    page.goto(site.url(f"/tasks/{task}"))

    text = page.locator(".form-text")
    assert text.locator("h1").inner_text() == "Check the supplier"
    assert text.locator("strong").inner_text() == "Be quick"
    assert "<script>alert(1)</script>" in text.inner_text()  # shown as text, never run
    assert page.locator(".form-text script").count() == 0

    # Fields bound to variables by key start from them, as in Camunda Tasklist.
    assert page.input_value("input[name=supplier]") == "ACME <AG>"
    assert page.is_checked("input[name=rating][value=poor]")
    assert page.locator("input[type=checkbox][name=checks]").count() == 2
    assert page.get_attribute("input[name=contact]", "type") == "email"

    page.fill("input[name=contact]", "ann@")
    page.check("input[name=checks][value=bank]")
    submit(page)
    wrong = "contact: must be an email address like name@example.com (got 'ann@')"
    assert web_errors(page) == [wrong]
    assert site.run("show", instance, "--json").json()["status"] == "waiting"

    page.fill("input[name=contact]", "ann@acme.example")
    submit(page)
    done = site.run("show", instance, "--json").json()
    assert done["status"] == "completed"
    assert done["data"]["contact"] == "ann@acme.example"
    assert done["data"]["checks"] == ["bank"]
    assert done["data"]["rating"] == "poor"


C7_EMBEDDED = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://x">
<bpmn:process id="legacy" isExecutable="true">
  <bpmn:startEvent id="start"><bpmn:outgoing>a</bpmn:outgoing></bpmn:startEvent>
  <bpmn:userTask id="decide" name="Decide" camunda:formKey="embedded:app:forms/decide.html">
    <bpmn:incoming>a</bpmn:incoming><bpmn:outgoing>b</bpmn:outgoing>
  </bpmn:userTask>
  <bpmn:endEvent id="end"><bpmn:incoming>b</bpmn:incoming></bpmn:endEvent>
  <bpmn:sequenceFlow id="a" sourceRef="start" targetRef="decide"/>
  <bpmn:sequenceFlow id="b" sourceRef="decide" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>
"""


def test_an_embedded_html_form_is_named_on_the_page(start_site: Any, page: Any) -> None:
    site: Site = start_site({"legacy.bpmn": C7_EMBEDDED, "data.json": "{}"})
    instance, task = start(site, "legacy.bpmn", "data.json")
    page.goto(site.url(f"/tasks/{task}"))
    note = page.locator("p.form-note").inner_text()
    assert "embedded:app:forms/decide.html" in note
    assert "generic variables form" in note
    page.locator("input[name=var-name]").fill("decision")
    page.locator("input[name=var-value]").fill('"go"')
    submit(page)
    assert site.run("show", instance, "--json").json()["data"]["decision"] == "go"
