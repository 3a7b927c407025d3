"""Small diagrams written the way a modeler writes them, for engine tests."""

from __future__ import annotations

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
  id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
"""
TAIL = "</bpmn:definitions>\n"


def process(pid: str, body: str) -> str:
    return f'{HEAD}<bpmn:process id="{pid}" isExecutable="true">\n{body}\n</bpmn:process>\n{TAIL}'


def flow(fid: str, src: str, dst: str, condition: str | None = None) -> str:
    if condition is None:
        return f'<bpmn:sequenceFlow id="{fid}" sourceRef="{src}" targetRef="{dst}"/>'
    cond = condition.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        f'<bpmn:sequenceFlow id="{fid}" sourceRef="{src}" targetRef="{dst}">'
        f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{cond}</bpmn:conditionExpression>'
        "</bpmn:sequenceFlow>"
    )


def script(tid: str, code: str) -> str:
    code = code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return (
        f'<bpmn:scriptTask id="{tid}" scriptFormat="python">'
        f"<bpmn:script>{code}</bpmn:script></bpmn:scriptTask>"
    )


APPROVAL = process(
    "approval",
    "\n".join(
        [
            '<bpmn:startEvent id="start"/>',
            script("prepare", "total = amount * 2"),
            '<bpmn:userTask id="review" name="Review"/>',
            '<bpmn:exclusiveGateway id="decide" default="f_no"/>',
            script("book", "booked = True"),
            '<bpmn:endEvent id="done"/>',
            '<bpmn:endEvent id="rejected"/>',
            flow("f1", "start", "prepare"),
            flow("f2", "prepare", "review"),
            flow("f3", "review", "decide"),
            flow("f_yes", "decide", "book", "approved == True"),
            flow("f_no", "decide", "rejected"),
            flow("f4", "book", "done"),
        ]
    ),
)

LOOP = process(
    "loop",
    "\n".join(
        [
            '<bpmn:startEvent id="start"/>',
            script("inc", "i = i + 1"),
            '<bpmn:exclusiveGateway id="again" default="f_out"/>',
            '<bpmn:endEvent id="end"/>',
            flow("f1", "start", "inc"),
            flow("f2", "inc", "again"),
            flow("f_back", "again", "inc", "i < n"),
            flow("f_out", "again", "end"),
        ]
    ),
)

USER_LOOP = process(
    "user_loop",
    "\n".join(
        [
            '<bpmn:startEvent id="start"/>',
            '<bpmn:userTask id="work" name="Work"/>',
            script("count", "i = i + 1\nhistory_note = 'x' * 10"),
            '<bpmn:exclusiveGateway id="again" default="f_out"/>',
            '<bpmn:endEvent id="end"/>',
            flow("f1", "start", "work"),
            flow("f2", "work", "count"),
            flow("f3", "count", "again"),
            flow("f_back", "again", "work", "i < n"),
            flow("f_out", "again", "end"),
        ]
    ),
)

FAILING = process(
    "failing",
    "\n".join(
        [
            '<bpmn:startEvent id="start"/>',
            script("divide", "ratio = 10 / divisor"),
            '<bpmn:userTask id="after" name="After"/>',
            '<bpmn:endEvent id="end"/>',
            flow("f1", "start", "divide"),
            flow("f2", "divide", "after"),
            flow("f3", "after", "end"),
        ]
    ),
)

PARALLEL = process(
    "parallel",
    "\n".join(
        [
            '<bpmn:startEvent id="start"/>',
            '<bpmn:parallelGateway id="split"/>',
            '<bpmn:userTask id="a" name="A"/>',
            '<bpmn:userTask id="b" name="B"/>',
            '<bpmn:parallelGateway id="join"/>',
            script("after", "joined = True"),
            '<bpmn:endEvent id="end"/>',
            flow("f1", "start", "split"),
            flow("f2", "split", "a"),
            flow("f3", "split", "b"),
            flow("f4", "a", "join"),
            flow("f5", "b", "join"),
            flow("f6", "join", "after"),
            flow("f7", "after", "end"),
        ]
    ),
)
