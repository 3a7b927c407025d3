"""Camunda 7 engine test diagrams run as the Camunda tests they come from say they should.

Each diagram of ../shared/corpus/camunda-engine-tests is run through ``App`` by path, on the
memory store and on a SQLite file (every engine call loads from and commits to the store), and
driven like the Camunda test of the same name: start with data, complete tasks, look at what
is open. Diagrams seamline cannot run are rejected with a clear error, which is asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from seamline.app import App
from seamline.errors import LoadError
from seamline.store.base import Store
from seamline.store.records import InstanceStatus
from tests.corpus.runner import Run

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
ENGINE = CORPUS / "camunda-engine-tests"

pytestmark = pytest.mark.skipif(
    not ENGINE.is_dir(), reason="../shared/corpus is not beside the project"
)

COMPLETED = InstanceStatus.COMPLETED
WAITING = InstanceStatus.WAITING
INCIDENT = InstanceStatus.INCIDENT


def start(store: Store, name: str, data: dict[str, object] | None = None) -> Run:
    """Run one engine-test diagram by file name."""
    return Run.start(App(store), ENGINE / name, data)


def finish(run: Run, *elements: str) -> None:
    """Complete the given tasks in order, then the instance must be completed."""
    for element in elements:
        run.complete(element)
    assert run.status is COMPLETED, run.error
    assert run.open_tasks() == []


# -- exclusive gateway --------------------------------------------------------------------------


@pytest.mark.parametrize("value", [1, 2, 3])
def test_exclusive_diverging_takes_the_flow_whose_condition_holds(store: Store, value: int) -> None:
    run = start(
        store, "ExclusiveGatewayTest.testDivergingExclusiveGateway.bpmn20.xml", {"input": value}
    )
    assert run.open_tasks() == [f"theTask{value}"]
    finish(run, f"theTask{value}")


@pytest.mark.parametrize(("value", "task"), [(1, "theTask1"), (2, "theTask2"), (3, "theTask3")])
def test_exclusive_default_flow_when_no_condition_holds(
    store: Store, value: int, task: str
) -> None:
    run = start(store, "ExclusiveGatewayTest.testDefaultSequenceFlow.bpmn20.xml", {"input": value})
    assert run.open_tasks() == [task]
    finish(run, task)


def test_exclusive_merging_passes_every_token(store: Store) -> None:
    run = start(store, "ExclusiveGatewayTest.testMergingExclusiveGateway.bpmn20.xml")
    assert run.open_tasks() == ["theTask"] * 3
    run.complete("theTask")
    assert run.open_tasks() == ["theTask"] * 2
    finish(run, "theTask", "theTask")


def test_exclusive_no_flow_selected_is_an_incident_naming_the_gateway(store: Store) -> None:
    run = start(store, "ExclusiveGatewayTest.testNoSequenceFlowSelected.bpmn20.xml", {"input": 4})
    assert run.status is INCIDENT
    error = run.error or ""
    assert "exclusiveGw" in error and "no outgoing sequence flow" in error, error
    assert "default flow" in error and "\n" not in error
    assert run.open_tasks() == []
    assert run.history("incident") == ["exclusiveGw"]


def test_exclusive_condition_on_missing_variable_names_gateway_and_variable(store: Store) -> None:
    run = start(store, "ExclusiveGatewayTest.testDivergingExclusiveGateway.bpmn20.xml")
    assert run.status is INCIDENT
    assert "exclusiveGw" in (run.error or "") and "input" in (run.error or "")


# -- inclusive gateway --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "tasks"),
    [(1, ["theTask1", "theTask3"]), (2, ["theTask2"]), (3, ["theTask3"])],
)
def test_inclusive_default_flow(store: Store, value: int, tasks: list[str]) -> None:
    run = start(store, "InclusiveGatewayTest.testDefaultSequenceFlow.bpmn20.xml", {"input": value})
    assert run.open_tasks() == tasks
    finish(run, *tasks)


@pytest.mark.parametrize(
    ("value", "tasks"),
    [(1, ["theTask1", "theTask2", "theTask3"]), (2, ["theTask2", "theTask3"]), (3, ["theTask3"])],
)
def test_inclusive_diverging_takes_every_flow_whose_condition_holds(
    store: Store, value: int, tasks: list[str]
) -> None:
    run = start(
        store, "InclusiveGatewayTest.testDivergingInclusiveGateway.bpmn20.xml", {"input": value}
    )
    assert run.open_tasks() == tasks
    finish(run, *tasks)


def test_inclusive_no_flow_selected_is_an_incident_naming_the_gateway(store: Store) -> None:
    run = start(
        store, "InclusiveGatewayTest.testDivergingInclusiveGateway.bpmn20.xml", {"input": 4}
    )
    assert run.status is INCIDENT
    error = run.error or ""
    assert "inclusiveGw" in error and "no outgoing sequence flow" in error, error


@pytest.mark.parametrize("value", [1, 2, 3])
def test_inclusive_merging_waits_for_every_taken_flow_once(store: Store, value: int) -> None:
    run = start(
        store, "InclusiveGatewayTest.testMergingInclusiveGateway.bpmn20.xml", {"input": value}
    )
    assert run.open_tasks() == ["theTask"]
    finish(run, "theTask")


def test_inclusive_partial_merging_waits_for_the_branch_still_running(store: Store) -> None:
    run = start(
        store, "InclusiveGatewayTest.testPartialMergingInclusiveGateway.bpmn20.xml", {"input": 2}
    )
    assert run.open_tasks() == ["partialTask"]
    run.complete("partialTask")
    assert run.open_tasks() == ["theTask"]
    finish(run, "theTask")


def test_inclusive_split_merge_split(store: Store) -> None:
    run = start(store, "InclusiveGatewayTest.testSplitMergeSplit.bpmn20.xml", {"input": 1})
    assert run.open_tasks() == ["theTask1", "theTask2"]
    run.complete("theTask1")
    assert run.open_tasks() == ["theTask2"]
    run.complete("theTask2")
    assert run.open_tasks() == ["theTask3"]
    finish(run, "theTask3")


def test_inclusive_loop_with_a_groovy_script_is_rejected_at_load(store: Store) -> None:
    # The loop's counter is incremented by a Groovy script, which seamline cannot run.
    with pytest.raises(LoadError) as caught:
        start(store, "InclusiveGatewayTest.testLoop.bpmn20.xml", {"counter": 1})
    text = str(caught.value)
    assert "[A]" in text and "groovy" in text and "\n" not in text
    assert store.list_instances() == []
