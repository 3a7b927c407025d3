"""BPMN errors and escalations thrown in a process, caught by boundary events and event
subprocesses, across subprocess and call-activity boundaries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from seamline.app import App
from tests.integration.waiting import diagrams as d

ROOTS = '<bpmn:error id="err" errorCode="E42"/><bpmn:escalation id="esc" escalationCode="LATE"/>'


def _thrower(kind: str, how: str) -> str:
    """Inner steps throwing ``kind`` (error/escalation) from an end or intermediate event."""
    ref = f'<bpmn:{kind}EventDefinition {kind}Ref="{"err" if kind == "error" else "esc"}"/>'
    if how == "end":
        return (
            '<bpmn:startEvent id="in_start"/>'
            f'<bpmn:endEvent id="throw">{ref}</bpmn:endEvent>' + d.flow("i1", "in_start", "throw")
        )
    return (
        '<bpmn:startEvent id="in_start"/>'
        f'<bpmn:intermediateThrowEvent id="throw">{ref}</bpmn:intermediateThrowEvent>'
        '<bpmn:userTask id="inner_work" name="Inner work"/>'
        '<bpmn:endEvent id="in_end"/>'
        + d.flow("i1", "in_start", "throw")
        + d.flow("i2", "throw", "inner_work")
        + d.flow("i3", "inner_work", "in_end")
    )


def boundary_on_subprocess(kind: str, how: str, *, interrupting: bool = True) -> str:
    ref = f'<bpmn:{kind}EventDefinition {kind}Ref="{"err" if kind == "error" else "esc"}"/>'
    cancel = "true" if interrupting else "false"
    body = "\n".join(
        [
            '<bpmn:startEvent id="start"/>',
            f'<bpmn:subProcess id="sub">{_thrower(kind, how)}</bpmn:subProcess>',
            f'<bpmn:boundaryEvent id="caught" attachedToRef="sub" cancelActivity="{cancel}">'
            f"{ref}</bpmn:boundaryEvent>",
            '<bpmn:userTask id="handle" name="Handle"/>',
            '<bpmn:endEvent id="end"/>',
            '<bpmn:endEvent id="handled"/>',
            d.flow("f1", "start", "sub"),
            d.flow("f2", "sub", "end"),
            d.flow("f3", "caught", "handle"),
            d.flow("f4", "handle", "handled"),
        ]
    )
    return d.with_roots(d.process("boundary_catch", body), ROOTS)


def event_subprocess(kind: str) -> str:
    ref = f'<bpmn:{kind}EventDefinition {kind}Ref="{"err" if kind == "error" else "esc"}"/>'
    body = "\n".join(
        [
            '<bpmn:startEvent id="start"/>',
            f'<bpmn:subProcess id="sub">{_thrower(kind, "end")}</bpmn:subProcess>',
            '<bpmn:endEvent id="end"/>',
            d.flow("f1", "start", "sub"),
            d.flow("f2", "sub", "end"),
            '<bpmn:subProcess id="on_problem" triggeredByEvent="true">',
            f'<bpmn:startEvent id="esp_start">{ref}</bpmn:startEvent>',
            '<bpmn:userTask id="handle" name="Handle"/>',
            '<bpmn:endEvent id="esp_end"/>',
            d.flow("g1", "esp_start", "handle"),
            d.flow("g2", "handle", "esp_end"),
            "</bpmn:subProcess>",
        ]
    )
    return d.with_roots(d.process("esp_catch", body), ROOTS)


def call_activity(kind: str) -> tuple[str, str]:
    ref = f'<bpmn:{kind}EventDefinition {kind}Ref="{"err" if kind == "error" else "esc"}"/>'
    parent = "\n".join(
        [
            '<bpmn:startEvent id="start"/>',
            '<bpmn:callActivity id="call" calledElement="child"/>',
            f'<bpmn:boundaryEvent id="caught" attachedToRef="call">{ref}</bpmn:boundaryEvent>',
            '<bpmn:userTask id="handle" name="Handle"/>',
            '<bpmn:endEvent id="end"/>',
            '<bpmn:endEvent id="handled"/>',
            d.flow("f1", "start", "call"),
            d.flow("f2", "call", "end"),
            d.flow("f3", "caught", "handle"),
            d.flow("f4", "handle", "handled"),
        ]
    )
    child = d.with_roots(d.process("child", _thrower(kind, "end")), ROOTS)
    return d.with_roots(d.process("parent", parent), ROOTS), child


def waiting(app: App, iid: str) -> list[str]:
    return sorted(w.element for w in app.show(iid).waiting)


def test_error_end_event_caught_by_boundary_on_subprocess(
    app: App, diagram: Callable[..., Path]
) -> None:
    view = app.run(diagram(boundary_on_subprocess("error", "end")))
    assert view.instance.status.value == "waiting"
    assert waiting(app, view.instance.id) == ["handle"]


def test_escalation_end_event_caught_by_boundary_on_subprocess(
    app: App, diagram: Callable[..., Path]
) -> None:
    view = app.run(diagram(boundary_on_subprocess("escalation", "end")))
    assert waiting(app, view.instance.id) == ["handle"]


def test_intermediate_escalation_non_interrupting_keeps_the_subprocess(
    app: App, diagram: Callable[..., Path]
) -> None:
    view = app.run(diagram(boundary_on_subprocess("escalation", "throw", interrupting=False)))
    assert waiting(app, view.instance.id) == ["handle", "inner_work"]


def test_intermediate_escalation_interrupting_cancels_the_subprocess(
    app: App, diagram: Callable[..., Path]
) -> None:
    view = app.run(diagram(boundary_on_subprocess("escalation", "throw", interrupting=True)))
    assert waiting(app, view.instance.id) == ["handle"]


def test_error_caught_by_event_subprocess(app: App, diagram: Callable[..., Path]) -> None:
    view = app.run(diagram(event_subprocess("error")))
    assert view.instance.status.value == "waiting"
    assert waiting(app, view.instance.id) == ["handle"]


def test_escalation_caught_by_event_subprocess(app: App, diagram: Callable[..., Path]) -> None:
    view = app.run(diagram(event_subprocess("escalation")))
    assert "handle" in waiting(app, view.instance.id)


def test_error_from_a_called_process_is_caught_on_the_call_activity(
    app: App, diagram: Callable[..., Path]
) -> None:
    parent, child = call_activity("error")
    diagram(child, "child.bpmn")
    view = app.run(diagram(parent, "parent.bpmn"))
    assert waiting(app, view.instance.id) == ["handle"]


def test_escalation_from_a_called_process_is_caught_on_the_call_activity(
    app: App, diagram: Callable[..., Path]
) -> None:
    parent, child = call_activity("escalation")
    diagram(child, "child.bpmn")
    view = app.run(diagram(parent, "parent.bpmn"))
    assert waiting(app, view.instance.id) == ["handle"]


def test_uncaught_error_fails_the_instance_with_its_code(
    app: App, diagram: Callable[..., Path]
) -> None:
    body = (
        '<bpmn:startEvent id="start"/>'
        + ('<bpmn:endEvent id="boom"><bpmn:errorEventDefinition errorRef="err"/></bpmn:endEvent>')
        + d.flow("f1", "start", "boom")
    )
    view = app.run(diagram(d.with_roots(d.process("uncaught", body), ROOTS)))
    assert view.instance.status.value == "failed"
    assert "E42" in (view.instance.error or "")
    kinds = [e.kind for e in app.store.list_events(view.instance.id)]
    assert "uncaught_error" in kinds
