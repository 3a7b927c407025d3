"""One-user-task diagrams in each modeler's way of linking a form, and their form files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
  id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
"""


def one_task(task: str, pid: str = "review", process_ext: str = "") -> str:
    """start -> ``task`` (a userTask with id ``review_task``) -> end."""
    return (
        f'{HEAD}<bpmn:process id="{pid}" isExecutable="true">{process_ext}\n'
        '<bpmn:startEvent id="start"/>\n'
        f"{task}\n"
        '<bpmn:endEvent id="end"/>\n'
        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review_task"/>\n'
        '<bpmn:sequenceFlow id="f2" sourceRef="review_task" targetRef="end"/>\n'
        "</bpmn:process>\n</bpmn:definitions>\n"
    )


SPIFF_TASK = """<bpmn:userTask id="review_task" name="Review">
  <bpmn:extensionElements><spiffworkflow:properties>
    <spiffworkflow:property name="formJsonSchemaFilename" value="review-schema.json"/>
    <spiffworkflow:property name="formUiSchemaFilename" value="review-uischema.json"/>
  </spiffworkflow:properties></bpmn:extensionElements>
</bpmn:userTask>"""

C7_REF_TASK = '<bpmn:userTask id="review_task" name="Review" camunda:formRef="reviewForm"/>'
C7_KEY_TASK = (
    '<bpmn:userTask id="review_task" name="Review"'
    ' camunda:formKey="camunda-forms:deployment:review.form"/>'
)
C8_ID_TASK = """<bpmn:userTask id="review_task" name="Review">
  <bpmn:extensionElements><zeebe:formDefinition formId="reviewForm"/></bpmn:extensionElements>
</bpmn:userTask>"""
C8_EMBEDDED_TASK = """<bpmn:userTask id="review_task" name="Review">
  <bpmn:extensionElements>
    <zeebe:formDefinition formKey="camunda-forms:bpmn:userTaskForm_1"/>
  </bpmn:extensionElements>
</bpmn:userTask>"""

SPIFF_SCHEMA: dict[str, Any] = {
    "title": "Review",
    "type": "object",
    "required": ["approved", "amount"],
    "properties": {
        "amount": {"type": "integer", "title": "Amount", "minimum": 0},
        "approved": {"type": "boolean", "title": "Approved"},
        "size": {"type": "string", "oneOf": [{"const": "s", "title": "Small"}, {"const": "l"}]},
    },
}
SPIFF_UI: dict[str, Any] = {"ui:order": ["approved", "amount", "size"]}


def camunda_form(form_id: str = "reviewForm", max_amount: int = 1000) -> dict[str, Any]:
    """A form-js document with a required number field, a select and display-only text."""
    return {
        "id": form_id,
        "type": "default",
        "schemaVersion": 16,
        "components": [
            {"type": "text", "text": "# Review", "id": "Text_1"},
            {
                "type": "number",
                "key": "amount",
                "label": "Amount",
                "decimalDigits": 0,
                "validate": {"required": True, "min": 0, "max": max_amount},
            },
            {
                "type": "select",
                "key": "decision",
                "label": "Decision",
                "values": [
                    {"label": "Approve", "value": "approve"},
                    {"label": "Reject", "value": "reject"},
                ],
                "validate": {"required": True},
            },
        ],
    }


def embedded(form: dict[str, Any]) -> str:
    """The process extension holding ``form`` as Camunda 8 embeds it."""
    body = json.dumps(form).replace("&", "&amp;").replace("<", "&lt;")
    return (
        "<bpmn:extensionElements>"
        f'<zeebe:userTaskForm id="userTaskForm_1">{body}</zeebe:userTaskForm>'
        "</bpmn:extensionElements>"
    )


def write(folder: Path, files: dict[str, str | dict[str, Any]]) -> None:
    """Write diagrams (text) and forms (objects, as JSON) into ``folder``."""
    for name, content in files.items():
        text = content if isinstance(content, str) else json.dumps(content, indent=2)
        (folder / name).write_text(text, encoding="utf-8")
