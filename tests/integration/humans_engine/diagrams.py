"""Small user-task diagrams in each modeler's dialect, for the human-task queue tests."""

from __future__ import annotations

import itertools
from xml.sax.saxutils import quoteattr

_NS = {
    "camunda7": 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"',
    "camunda8": 'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"',
    "spiff": 'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"',
}


def attrs(**values: str) -> str:
    """XML attributes from keyword arguments (``camunda_assignee`` -> ``camunda:assignee``)."""
    return " ".join(f"{k.replace('_', ':', 1)}={quoteattr(v)}" for k, v in values.items())


def definitions(flavour: str, body: str, collaboration: str = "") -> str:
    """A definitions document in the given dialect around ``body``."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        f'{_NS[flavour]} id="defs" targetNamespace="http://example.org/seamline">\n'
        f"{collaboration}{body}</bpmn:definitions>\n"
    )


def single_task(
    flavour: str,
    pid: str,
    task_attrs: str = "",
    extensions: str = "",
    *,
    before: str = "",
) -> str:
    """start -> [script ``before``] -> user task ``task`` -> end."""
    ext = f"<bpmn:extensionElements>{extensions}</bpmn:extensionElements>" if extensions else ""
    nodes = ['<bpmn:startEvent id="start"/>']
    flows = []
    first = "task"
    if before:
        nodes.append(
            f'<bpmn:scriptTask id="prepare"><bpmn:script>{before}</bpmn:script></bpmn:scriptTask>'
        )
        flows.append('<bpmn:sequenceFlow id="f0" sourceRef="prepare" targetRef="task"/>')
        first = "prepare"
    nodes.append(f'<bpmn:userTask id="task" name="Do it" {task_attrs}>{ext}</bpmn:userTask>')
    nodes.append('<bpmn:endEvent id="end"/>')
    flows.append(f'<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="{first}"/>')
    flows.append('<bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end"/>')
    body = f'<bpmn:process id="{pid}" isExecutable="true">\n' + "\n".join(nodes + flows)
    return definitions(flavour, body + "\n</bpmn:process>\n")


def laned(flavour: str, pid: str, lanes: dict[str, list[str]], *, before: str = "") -> str:
    """start -> [script] -> one user task per lane, in sequence -> end; lane name -> task ids."""
    order = [task for tasks in lanes.values() for task in tasks]
    lane_xml = "".join(
        f'<bpmn:lane id="lane_{i}" name={quoteattr(name)}>'
        + "".join(f"<bpmn:flowNodeRef>{t}</bpmn:flowNodeRef>" for t in tasks)
        + "</bpmn:lane>"
        for i, (name, tasks) in enumerate(lanes.items())
    )
    nodes = ['<bpmn:startEvent id="start"/>']
    chain = ["start"]
    if before:
        nodes.append(
            f'<bpmn:scriptTask id="prepare"><bpmn:script>{before}</bpmn:script></bpmn:scriptTask>'
        )
        chain.append("prepare")
    nodes += [f'<bpmn:userTask id="{t}" name="{t.title()}"/>' for t in order]
    nodes.append('<bpmn:endEvent id="end"/>')
    chain += [*order, "end"]
    flows = [
        f'<bpmn:sequenceFlow id="f{i}" sourceRef="{a}" targetRef="{b}"/>'
        for i, (a, b) in enumerate(itertools.pairwise(chain))
    ]
    body = (
        f'<bpmn:process id="{pid}" isExecutable="true">\n'
        f'<bpmn:laneSet id="lanes">{lane_xml}</bpmn:laneSet>\n'
        + "\n".join(nodes + flows)
        + "\n</bpmn:process>\n"
    )
    collaboration = (
        f'<bpmn:collaboration id="collab"><bpmn:participant id="pool" processRef="{pid}"/>'
        "</bpmn:collaboration>\n"
    )
    return definitions(flavour, body, collaboration)


def form_field(fid: str, ftype: str, *constraints: tuple[str, str | None], values: str = "") -> str:
    """One ``camunda:formField`` with validation constraints (name, config)."""
    rules = "".join(
        f'<camunda:constraint name="{n}"' + (f' config="{c}"/>' if c is not None else "/>")
        for n, c in constraints
    )
    validation = f"<camunda:validation>{rules}</camunda:validation>" if rules else ""
    return (
        f'<camunda:formField id="{fid}" label="{fid.title()}" type="{ftype}">'
        f"{validation}{values}</camunda:formField>"
    )


#: A Camunda 7 form with one field per type and the usual constraints.
FORM = (
    "<camunda:formData>"
    + "".join(
        [
            form_field(
                "name", "string", ("required", None), ("minlength", "2"), ("maxlength", "5")
            ),
            form_field("amount", "long", ("min", "1"), ("max", "10")),
            form_field("ok", "boolean"),
            form_field("when", "date"),
            form_field(
                "color",
                "enum",
                values='<camunda:value id="red" name="Red"/><camunda:value id="blue" name="Blue"/>',
            ),
        ]
    )
    + "</camunda:formData>"
)

#: seamline.toml for the queue tests: two clerks, an approver, an administrator.
USERS_TOML = """
[users.al]
groups = ["assistants"]

[users.ann]
groups = ["assistants"]

[users.bo]
groups = ["approvers"]

[users.root]
admin = true

[lanes]
"Team Assistant" = "assistants"
"""
