"""Diagram pieces the error, escalation and boundary cases share (drawn here, not upstream)."""

from __future__ import annotations

from tests.conformance.harness import flows, user


def error(eid: str, code: str | None = None, message: str | None = None) -> str:
    """A ``bpmn:error`` root element (``code`` None: no errorCode attribute)."""
    attrs = f' errorCode="{code}"' if code is not None else ""
    if message is not None:
        attrs += f' camunda:errorMessage="{message}"'
    return f'<bpmn:error id="{eid}" name="{eid}"{attrs}/>'


def escalation(eid: str, code: str | None = None) -> str:
    """A ``bpmn:escalation`` root element."""
    attrs = f' escalationCode="{code}"' if code is not None else ""
    return f'<bpmn:escalation id="{eid}" name="{eid}"{attrs}/>'


def error_def(ref: str | None = None, attrs: str = "") -> str:
    """An errorEventDefinition (``ref`` None: a catch-all)."""
    r = f' errorRef="{ref}"' if ref is not None else ""
    return f"<bpmn:errorEventDefinition{r} {attrs}/>"


def escalation_def(ref: str | None = None, attrs: str = "") -> str:
    """An escalationEventDefinition (``ref`` None: a catch-all)."""
    r = f' escalationRef="{ref}"' if ref is not None else ""
    return f"<bpmn:escalationEventDefinition{r} {attrs}/>"


def end(eid: str, definition: str = "") -> str:
    """An end event (none, or with ``definition`` inside)."""
    return f'<bpmn:endEvent id="{eid}">{definition}</bpmn:endEvent>'


def throw(eid: str, definition: str) -> str:
    """An intermediate throw event."""
    return f'<bpmn:intermediateThrowEvent id="{eid}">{definition}</bpmn:intermediateThrowEvent>'


def start(eid: str, definition: str = "", attrs: str = "") -> str:
    """A start event."""
    return f'<bpmn:startEvent id="{eid}" {attrs}>{definition}</bpmn:startEvent>'


def boundary(eid: str, attached: str, definition: str, *, cancel: bool | None = None) -> str:
    """A boundary event on ``attached`` (``cancel`` None: the attribute is left out)."""
    c = "" if cancel is None else f' cancelActivity="{str(cancel).lower()}"'
    return (
        f'<bpmn:boundaryEvent id="{eid}" attachedToRef="{attached}"{c}>{definition}'
        "</bpmn:boundaryEvent>"
    )


def sub(eid: str, inner: str, attrs: str = "", loop: str = "") -> str:
    """An embedded subprocess (``loop``: its multiInstanceLoopCharacteristics)."""
    return f'<bpmn:subProcess id="{eid}" {attrs}>{loop}{inner}</bpmn:subProcess>'


def esp(eid: str, start_id: str, definition: str, inner: str, *, interrupting: bool = True) -> str:
    """An event subprocess whose start event ``start_id`` holds ``definition``; ``inner`` follows
    it (flows from the start included by the caller)."""
    flag = "" if interrupting else ' isInterrupting="false"'
    return (
        f'<bpmn:subProcess id="{eid}" triggeredByEvent="true">'
        f'<bpmn:startEvent id="{start_id}"{flag}>{definition}</bpmn:startEvent>'
        f"{inner}</bpmn:subProcess>"
    )


def parallel_mi(n: int, sequential: bool = False) -> str:
    """Multi-instance loop characteristics with a cardinality of ``n``."""
    seq = "true" if sequential else "false"
    return (
        f'<bpmn:multiInstanceLoopCharacteristics isSequential="{seq}">'
        f"<bpmn:loopCardinality>{n}</bpmn:loopCardinality>"
        "</bpmn:multiInstanceLoopCharacteristics>"
    )


def call(eid: str, called: str, attrs: str = "") -> str:
    """A call activity of process ``called``."""
    return f'<bpmn:callActivity id="{eid}" calledElement="{called}" {attrs}/>'


def caught_path(boundary_id: str, task: str, end_id: str) -> str:
    """After a boundary event: a user task, then an end event."""
    return user(task) + end(end_id) + flows(f"{boundary_id}->{task}", f"{task}->{end_id}")
