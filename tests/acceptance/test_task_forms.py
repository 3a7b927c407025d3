"""Task forms through the binary: prefill from the process data, and validate naming what a form
asks for that seamline cannot show."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.acceptance.conftest import HANG_GUARD_SECONDS, Seamline

C7 = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://x">
<bpmn:process id="pay" isExecutable="true">
  <bpmn:startEvent id="start"><bpmn:outgoing>a</bpmn:outgoing></bpmn:startEvent>
  <bpmn:userTask id="confirm" name="Confirm payment">
    <bpmn:extensionElements>
      <camunda:formData>
        <camunda:formField id="payee" label="Payee" type="string" defaultValue="${creditor}" />
        <camunda:formField id="amount" label="Amount" type="long" defaultValue="1" />
        <camunda:formField id="fee" label="Fee" type="long" defaultValue="${amount / 100}" />
        <camunda:formField id="memo" label="Memo" type="string" defaultValue="${missing}" />
      </camunda:formData>
    </bpmn:extensionElements>
    <bpmn:incoming>a</bpmn:incoming><bpmn:outgoing>b</bpmn:outgoing>
  </bpmn:userTask>
  <bpmn:endEvent id="end"><bpmn:incoming>b</bpmn:incoming></bpmn:endEvent>
  <bpmn:sequenceFlow id="a" sourceRef="start" targetRef="confirm"/>
  <bpmn:sequenceFlow id="b" sourceRef="confirm" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>
"""


def _typed(sl: Seamline, *args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    """Run the binary with ``stdin`` as what a person types at the terminal."""
    return subprocess.run(
        [sl.binary, "--db", str(sl.db), *args],
        cwd=sl.cwd,
        env=sl.env(),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,
        check=False,
    )


def _bare(tmp_path: Path, files: dict[str, str]) -> Seamline:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return Seamline(tmp_path, tmp_path / "seamline.db")


def test_a_camunda_7_form_starts_from_the_variables_and_evaluated_defaults(
    tmp_path: Path,
) -> None:
    sl = _bare(tmp_path, {"pay.bpmn": C7})
    view = sl.json("run", "pay.bpmn", "--data", '{"creditor": "ACME", "amount": 500}')
    task = view["waiting"][0]["task"]

    # The variable named like the field wins over its default; ${...} defaults are evaluated;
    # one that cannot be evaluated yet leaves the field empty.
    expected = {"payee": "ACME", "amount": 500, "fee": 5}
    listed = sl.json("tasks")
    assert [t["prefill"] for t in listed if t["task"] == task] == [expected]

    # The terminal walk offers the same values: pressing Enter keeps them.
    walked = _typed(sl, "complete", task, "--form", "--json", stdin="\n\n\n\n")
    assert walked.returncode == 0, walked.stderr
    assert json.loads(walked.stdout[walked.stdout.index("{") :])["data"] == {
        "creditor": "ACME",
        "amount": 500,
        "payee": "ACME",
        "fee": 5,
        "memo": "",
    }


FORM: dict[str, Any] = {
    "id": "everything",
    "type": "default",
    "components": [
        {"key": "name", "label": "Name", "type": "textfield"},
        {"type": "html", "id": "Html_1", "content": "<b>hi</b>"},
        {"type": "iframe", "id": "Frame_1", "url": "https://example.com"},
        {"type": "image", "id": "Image_1", "source": "https://example.com/a.png"},
        {"type": "table", "id": "Table_1", "dataSource": "=rows"},
        {"type": "documentPreview", "id": "Docs_1"},
        {"type": "expression", "key": "total", "expression": "=1 + 2"},
        {"type": "filepicker", "key": "upload"},
        {"type": "dynamiclist", "path": "items", "components": [
            {"key": "sku", "label": "SKU", "type": "textfield"}]},
        {"type": "rating-stars", "key": "stars"},
        {"type": "text", "text": "Thanks"},
        {"type": "spacer"},
        {"type": "separator"},
        {"type": "button", "action": "submit", "label": "Send"},
    ],
}  # fmt: skip

C8_LINKED = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://x">
<bpmn:process id="everything" isExecutable="true">
  <bpmn:startEvent id="start"><bpmn:outgoing>a</bpmn:outgoing></bpmn:startEvent>
  <bpmn:userTask id="fill" name="Fill in">
    <bpmn:extensionElements><zeebe:formDefinition formId="everything"/></bpmn:extensionElements>
    <bpmn:incoming>a</bpmn:incoming><bpmn:outgoing>b</bpmn:outgoing>
  </bpmn:userTask>
  <bpmn:endEvent id="end"><bpmn:incoming>b</bpmn:incoming></bpmn:endEvent>
  <bpmn:sequenceFlow id="a" sourceRef="start" targetRef="fill"/>
  <bpmn:sequenceFlow id="b" sourceRef="fill" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>
"""


def _warnings(report: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for f in report for p in f["problems"] if p["severity"] == "warning"]


def test_validate_names_every_form_component_seamline_does_not_show(tmp_path: Path) -> None:
    sl = _bare(tmp_path, {"everything.bpmn": C8_LINKED, "everything.form": json.dumps(FORM)})
    report = sl.json("validate", "everything.bpmn", "everything.form")
    found = {
        p["message"].split(":")[1].strip()
        for p in _warnings(report)
        if p["code"] == "form-component-not-shown"
    }
    assert found == {
        "component Html_1 (html)",
        "component Frame_1 (iframe)",
        "component Image_1 (image)",
        "component Table_1 (table)",
        "component Docs_1 (documentPreview)",
        "component total (expression)",
        "component upload (filepicker)",
        "component items (dynamiclist)",
        "component stars (rating-stars)",
    }
    assert all(p["element"] == "fill" for p in _warnings(report))


C7_HTML_FORM = C7.replace(
    '<bpmn:userTask id="confirm" name="Confirm payment">',
    '<bpmn:userTask id="confirm" name="Confirm payment"'
    ' camunda:formKey="embedded:deployment:confirm.html">',
)


def test_validate_warns_that_an_embedded_html_form_is_not_shown(tmp_path: Path) -> None:
    no_fields = C7.split("<camunda:formData>")[0] + C7.split("</camunda:formData>")[1]
    sl = _bare(tmp_path, {"a.bpmn": C7_HTML_FORM, "b.bpmn": no_fields.replace(
        '<bpmn:userTask id="confirm" name="Confirm payment">',
        '<bpmn:userTask id="confirm" name="Confirm payment" camunda:formKey="embedded:app:x.html">',
    ).replace('id="pay"', 'id="pay2"')})  # fmt: skip
    report = sl.json("validate", "a.bpmn", "b.bpmn")
    warned = [p for p in _warnings(report) if p["code"] == "form-not-shown"]
    shown = {(p["element"], p["message"]) for p in warned}
    assert len(shown) == 2
    messages = sorted(m for _e, m in shown)
    assert "'embedded:app:x.html'" in messages[0] and "generic variables form" in messages[0]
    assert "'embedded:deployment:confirm.html'" in messages[1]
    assert "camunda:formData fields instead" in messages[1]
    assert {e for e, _m in shown} == {"confirm"}
