"""Small inline diagrams for the loader tests."""

from __future__ import annotations

from seamline.bpmn.definition import Bundle
from seamline.bpmn.loader import load_sources

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" '
    'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" '
    'xmlns:semantic="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs">\n'
)


def diagram(body: str, process: str = "p", extra: str = "", attrs: str = "") -> bytes:
    """A one-process BPMN document around ``body``."""
    return (
        f'{HEAD}{extra}<bpmn:process id="{process}" isExecutable="true" {attrs}>\n{body}\n'
        "</bpmn:process>\n</bpmn:definitions>\n"
    ).encode()


def load(body: str, **kw: str) -> Bundle:
    """Load one inline diagram named d.bpmn."""
    return load_sources({"d.bpmn": diagram(body, **kw)})


def codes(bundle: Bundle) -> set[str]:
    """The problem codes of a bundle."""
    return {p.code for p in bundle.problems}


DMN = b"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="dd" name="d" namespace="x">
  <decision id="dec1" name="First"><decisionTable id="t1">
    <input id="i1">
      <inputExpression id="ie1" typeRef="number"><text>amount</text></inputExpression>
    </input>
    <output id="o1" name="size" typeRef="string"/>
    <rule id="r1">
      <inputEntry id="e1"><text>&lt; 100</text></inputEntry>
      <outputEntry id="oe1"><text>"small"</text></outputEntry>
    </rule>
  </decisionTable></decision>
  <decision id="dec2" name="Second"><decisionTable id="t2">
    <input id="i2">
      <inputExpression id="ie2" typeRef="number"><text>amount</text></inputExpression>
    </input>
    <output id="o2" name="big" typeRef="boolean"/>
    <rule id="r2">
      <inputEntry id="e2"><text>-</text></inputEntry>
      <outputEntry id="oe2"><text>amount &gt;= 100</text></outputEntry>
    </rule>
  </decisionTable></decision>
</definitions>
"""
