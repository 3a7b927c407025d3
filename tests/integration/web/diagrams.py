"""Diagrams and users for the web tests."""

from __future__ import annotations

USERS_TOML = """
[users.ann]
name = "Ann <Clerk>"
groups = ["clerks"]

[users.bob]
groups = ["clerks"]

[users.carl]
groups = ["managers"]

[users.root]
groups = ["admins"]
"""

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" '
    'targetNamespace="http://example.org/seamline">\n'
)

#: start -> Review expense (a form of every kind) -> File it -> end, for the clerks.
EXPENSE = (
    _HEAD
    + """<bpmn:process id="expense" isExecutable="true">
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="review" name="Review expense" camunda:candidateGroups="clerks">
    <bpmn:extensionElements>
      <camunda:formData>
        <camunda:formField id="amount" label="Amount" type="long" defaultValue="10">
          <camunda:validation>
            <camunda:constraint name="required"/>
            <camunda:constraint name="min" config="0"/>
          </camunda:validation>
        </camunda:formField>
        <camunda:formField id="reason" label="Reason" type="string">
          <camunda:validation><camunda:constraint name="required"/></camunda:validation>
        </camunda:formField>
        <camunda:formField id="kind" label="Kind" type="enum" defaultValue="food">
          <camunda:value id="travel" name="Travel"/>
          <camunda:value id="food" name="Food"/>
        </camunda:formField>
        <camunda:formField id="spent" label="Spent on" type="date"/>
        <camunda:formField id="urgent" label="Urgent?" type="boolean"/>
      </camunda:formData>
    </bpmn:extensionElements>
  </bpmn:userTask>
  <bpmn:userTask id="file" name="File it" camunda:candidateGroups="clerks"/>
  <bpmn:endEvent id="end"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
  <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="file"/>
  <bpmn:sequenceFlow id="f3" sourceRef="file" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>
"""
)

XSS_NAME = "<script>alert('x')</script>"

#: One task for the managers whose name is markup.
HOSTILE = (
    _HEAD
    + """<bpmn:process id="hostile" isExecutable="true">
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="evil" name="&lt;script&gt;alert('x')&lt;/script&gt;"
      camunda:candidateGroups="managers"/>
  <bpmn:endEvent id="end"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="evil"/>
  <bpmn:sequenceFlow id="f2" sourceRef="evil" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>
"""
)
