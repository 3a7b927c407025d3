"""Gateway branches without a condition run as Camunda 7 runs them, whatever the canvas layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from seamline.app import App
from seamline.bpmn.problems import Severity
from seamline.store.memory import MemoryStore

from .helpers import load

TASKS = "xyz"


def flow(fid: str, a: str, b: str, cond: str | None = None) -> str:
    inner = f"<bpmn:conditionExpression>{cond}</bpmn:conditionExpression>" if cond else ""
    return (
        f'<bpmn:sequenceFlow id="{fid}" sourceRef="{a}" targetRef="{b}">{inner}</bpmn:sequenceFlow>'
    )


def branches(gateway: str, flows: str) -> str:
    """A start, a gateway, three script tasks x, y, z each setting its own variable, a join."""
    scripts = "".join(
        f'<bpmn:scriptTask id="{t}" scriptFormat="python">'
        f"<bpmn:script>ran_{t} = True</bpmn:script></bpmn:scriptTask>"
        for t in TASKS
    )
    # The inclusive join merges the data of parallel branches (and passes a single one through).
    join = "".join(flow(f"{t}j", t, "j") for t in TASKS) + '<bpmn:inclusiveGateway id="j"/>'
    end = flow("fe", "j", "e") + '<bpmn:endEvent id="e"/>'
    start = '<bpmn:startEvent id="s"/>' + flow("f0", "s", "g")
    return start + gateway + flows + scripts + join + end


def document(body: str) -> str:
    """A whole file whose shapes put z above y above x: SpiffWorkflow's canvas order reversed."""
    shapes = "".join(
        f'<bpmndi:BPMNShape id="{t}_di" bpmnElement="{t}">'
        f'<dc:Bounds x="300" y="{300 - 100 * i}" width="100" height="80"/></bpmndi:BPMNShape>'
        for i, t in enumerate(TASKS)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
        'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="defs">'
        f'<bpmn:process id="p" isExecutable="true">{body}</bpmn:process>'
        f'<bpmndi:BPMNDiagram id="dia"><bpmndi:BPMNPlane id="pl" bpmnElement="p">{shapes}'
        "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>"
    )


def paths(tmp_path: Path, body: str, values: list[int]) -> list[list[str]]:
    """The tasks run (sorted) for each value of `n`."""
    file = tmp_path / "g.bpmn"
    file.write_text(document(body), encoding="utf-8")
    app = App(MemoryStore())
    out = []
    for n in values:
        view = app.run(file, {"n": n})
        assert view.instance.status.value == "completed"
        out.append(sorted(k[4:] for k in view.instance.data if k.startswith("ran_")))
    return out


def test_first_unconditioned_branch_in_document_order_wins(tmp_path: Path) -> None:
    body = branches(
        '<bpmn:exclusiveGateway id="g"/>',
        flow("a", "g", "x", "n == 1") + flow("b", "g", "y") + flow("c", "g", "z", "n == 3"),
    )
    # Camunda tries a, then b (no condition: taken), so c is never reached.
    assert paths(tmp_path, body, [1, 2, 3]) == [["x"], ["y"], ["y"]]
    [p] = [p for p in load(body).problems if p.code == "gateway-missing-condition"]
    assert p.severity is Severity.WARNING and p.element == "g"
    assert "never taken: c" in p.message and p.hint and "document order" in p.hint


def test_unconditioned_branch_defined_last_is_the_otherwise_branch(tmp_path: Path) -> None:
    body = branches(
        '<bpmn:exclusiveGateway id="g"/>',
        flow("a", "g", "x", "n == 1") + flow("c", "g", "z", "n == 3") + flow("b", "g", "y"),
    )
    assert paths(tmp_path, body, [1, 2, 3]) == [["x"], ["y"], ["z"]]
    [p] = [p for p in load(body).problems if p.code == "gateway-default"]
    assert p.severity is Severity.INFO


def test_declared_default_loses_to_an_unconditioned_branch(tmp_path: Path) -> None:
    body = branches(
        '<bpmn:exclusiveGateway id="g" default="a"/>',
        flow("a", "g", "x") + flow("c", "g", "z", "n == 3") + flow("b", "g", "y"),
    )
    # Camunda skips the default while looking, tries c, then takes b (no condition).
    assert paths(tmp_path, body, [1, 3]) == [["y"], ["z"]]
    [p] = [p for p in load(body).problems if p.code == "gateway-missing-condition"]
    assert "never taken: a" in p.message


def test_conditioned_default_defined_before_the_bare_branch_is_still_tried(
    tmp_path: Path,
) -> None:
    body = branches(
        '<bpmn:exclusiveGateway id="g" default="a"/>',
        flow("a", "g", "x", "n == 1") + flow("b", "g", "y") + flow("c", "g", "z", "n == 3"),
    )
    assert paths(tmp_path, body, [1, 2, 3]) == [["x"], ["y"], ["y"]]


def test_inclusive_unconditioned_branches_always_taken_default_never(tmp_path: Path) -> None:
    body = branches(
        '<bpmn:inclusiveGateway id="g" default="c"/>',
        flow("a", "g", "x", "n == 1") + flow("b", "g", "y") + flow("c", "g", "z"),
    )
    assert paths(tmp_path, body, [1, 2]) == [["x", "y"], ["y"]]
    [p] = [p for p in load(body).problems if p.code == "gateway-unconditional"]
    assert p.severity is Severity.WARNING and p.hint and "c is never taken" in p.hint


@pytest.mark.parametrize("kind", ["exclusiveGateway", "inclusiveGateway"])
def test_fully_conditioned_gateways_are_left_alone(kind: str) -> None:
    body = branches(
        f'<bpmn:{kind} id="g" default="c"/>',
        flow("a", "g", "x", "n == 1") + flow("b", "g", "y", "n == 2") + flow("c", "g", "z"),
    )
    bundle = load(body)
    assert "p" in bundle.definitions
    assert not {p.code for p in bundle.problems} & {
        "gateway-default",
        "gateway-missing-condition",
        "gateway-unconditional",
    }
