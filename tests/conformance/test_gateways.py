"""Gateways as Camunda 7's engine runs them: exclusive, parallel, inclusive and event-based.

Upstream: engine/src/test/java/org/camunda/bpm/engine/test/bpmn/gateway (ExclusiveGatewayTest,
ParallelGatewayTest, InclusiveGatewayTest, EventBasedGatewayTest).
"""

from __future__ import annotations

import pytest

from seamline.store.records import InstanceStatus
from tests.conformance.harness import Engine, camunda7, flows, script, user

START = '<bpmn:startEvent id="s"/>'
END = '<bpmn:endEvent id="e"/>'


def xor(default: str = "") -> str:
    attr = f' default="{default}"' if default else ""
    return f'<bpmn:exclusiveGateway id="g"{attr}/>'


def timer_catch(cid: str, duration: str) -> str:
    return (
        f'<bpmn:intermediateCatchEvent id="{cid}"><bpmn:timerEventDefinition>'
        f"<bpmn:timeDuration>{duration}</bpmn:timeDuration></bpmn:timerEventDefinition>"
        "</bpmn:intermediateCatchEvent>"
    )


def message_catch(cid: str, ref: str) -> str:
    return (
        f'<bpmn:intermediateCatchEvent id="{cid}">'
        f'<bpmn:messageEventDefinition messageRef="{ref}"/></bpmn:intermediateCatchEvent>'
    )


def signal_catch(cid: str, ref: str) -> str:
    return (
        f'<bpmn:intermediateCatchEvent id="{cid}">'
        f'<bpmn:signalEventDefinition signalRef="{ref}"/></bpmn:intermediateCatchEvent>'
    )


# -- exclusive gateway ---------------------------------------------------------------------------


def diverging_xor() -> str:
    return camunda7(
        "exclusiveGwDiverging",
        START
        + xor()
        + user("theTask1", 'name="Input is one"')
        + user("theTask2", 'name="Input is two"')
        + user("theTask3", 'name="Input is three"')
        + flows(
            "s->g",
            "g->theTask1: ${input == 1}",
            "g->theTask2: ${input == 2}",
            "g->theTask3: ${input == 3}",
        ),
    )


@pytest.mark.parametrize("value", [1, 2, 3])
def test_exclusive_diverging_takes_the_one_true_branch(engine: Engine, value: int) -> None:
    """ExclusiveGatewayTest.testDivergingExclusiveGateway: input 1..3 picks theTask1..3 only."""
    run = engine.start(diverging_xor(), {"input": value})
    assert run.open_tasks() == [f"theTask{value}"]


def test_exclusive_no_sequence_flow_selected_is_an_incident(engine: Engine) -> None:
    """ExclusiveGatewayTest.testNoSequenceFlowSelected: input 4 matches no branch and there is
    no default: the engine fails at the gateway (Camunda: ENGINE-02004, here an incident)."""
    run = engine.start(diverging_xor(), {"input": 4})
    assert run.status is InstanceStatus.INCIDENT
    assert run.open_tasks() == []
    assert run.error and "[g]" in run.error and "no outgoing sequence flow" in run.error


def test_exclusive_multiple_valid_conditions_take_the_first_defined(engine: Engine) -> None:
    """ExclusiveGatewayTest.testMultipleValidConditions: with input 5 both ``input > 1`` and
    ``input > 3`` hold; Camunda takes only the first outgoing flow in document order."""
    xml = camunda7(
        "exclusiveGwMultipleValidConditions",
        START
        + xor()
        + user("theTask1", 'name="Input is more than one"')
        + user("theTask2", 'name="Input is more than three"')
        + flows("s->g", "g->theTask1: ${input > 1}", "g->theTask2: ${input > 3}"),
    )
    run = engine.start(xml, {"input": 5})
    assert run.open_tasks() == ["theTask1"]


def test_exclusive_merging_passes_each_token_on(engine: Engine) -> None:
    """ExclusiveGatewayTest.testMergingExclusiveGateway: a converging exclusive gateway does not
    join: each of the two parallel tokens reaching it passes on, so the task after it runs
    twice."""
    xml = camunda7(
        "exclusiveGwMerging",
        START
        + '<bpmn:parallelGateway id="fork"/>'
        + '<bpmn:exclusiveGateway id="merge"/>'
        + user("theTask")
        + END
        + flows("s->fork", "fork->merge", "fork->merge", "merge->theTask", "theTask->e"),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["theTask", "theTask"]


def test_exclusive_whitespace_in_expression(engine: Engine) -> None:
    """ExclusiveGatewayTest.testWhitespaceInExpression: newlines and blanks around the JUEL
    expression do not matter."""
    xml = camunda7(
        "whiteSpaceInExpression",
        START
        + xor()
        + user("theTask1")
        + user("theTask2")
        + flows("s->g", "g->theTask1: \n  ${input == 1}  \n", "g->theTask2: ${input != 1}"),
    )
    run = engine.start(xml, {"input": 1})
    assert run.open_tasks() == ["theTask1"]


def test_exclusive_unknown_variable_fails(engine: Engine) -> None:
    """ExclusiveGatewayTest.testUnknownVariableInExpression: ``input`` is not set (``iinput``
    is): evaluating the condition fails instead of choosing a branch."""
    run = engine.start(diverging_xor(), {"iinput": 1})
    assert run.status is InstanceStatus.INCIDENT
    assert run.open_tasks() == []
    assert run.error and "unknown variable input" in run.error


@pytest.mark.parametrize(("value", "task"), [(1, "theTask1"), (5, "theTask2")])
def test_exclusive_default_sequence_flow(engine: Engine, value: int, task: str) -> None:
    """ExclusiveGatewayTest.testDefaultSequenceFlow: input 1 takes its branch, input 5 none of
    the conditions: the default flow."""
    xml = camunda7(
        "exclusiveGwDefaultSequenceFlow",
        START
        + xor(default="f3_g_theTask2")
        + user("theTask1", 'name="Input is one"')
        + user("theTask2", 'name="Default input"')
        + user("theTask3")
        + flows("s->g", "g->theTask1: ${input == 1}", "g->theTask2", "g->theTask3: ${input == 3}"),
    )
    run = engine.start(xml, {"input": value})
    assert run.open_tasks() == [task]


def test_exclusive_loop_with_many_iterations(engine: Engine) -> None:
    """ExclusiveGatewayTest.testLoopWithManyIterations: a gateway looping back 1000 times
    through a script does not overflow; the instance ends."""
    xml = camunda7(
        "testProcess",
        START
        + script("init", "i = 0")
        + xor(default="f4_g_e")
        + script("inc", "i = i + 1")
        + END
        + flows("s->init", "init->g", "g->inc: ${i < numOfIterations}", "g->e", "inc->g"),
    )
    run = engine.start(xml, {"numOfIterations": 1000})
    assert run.ended, run.error
    assert run.data["i"] == 1000


def test_exclusive_default_flow_with_condition_is_refused(engine: Engine) -> None:
    """ExclusiveGatewayTest.testDefaultFlowWithCondition: the default flow flow3 has a
    condition: deployment fails naming the gateway."""
    xml = camunda7(
        "exclusiveGwDefaultSequenceFlow",
        START
        + xor(default="f3_g_theTask2")
        + user("theTask1")
        + user("theTask2")
        + flows("s->g", "g->theTask1: ${input == 1}", "g->theTask2: ${input == 3}"),
    )
    engine.refused(xml, element="g", says="default flow but has a condition")


def test_exclusive_flow_without_condition_no_default_is_refused(engine: Engine) -> None:
    """ExclusiveGatewayTest.testFlowWithoutConditionNoDefaultFlow: two outgoing flows without
    condition and no default: deployment fails naming the gateway and the first such flow."""
    xml = camunda7(
        "exclusiveGwDefaultSequenceFlow",
        START
        + xor()
        + user("theTask1")
        + user("theTask2")
        + '<bpmn:sequenceFlow id="flow1" sourceRef="s" targetRef="g"/>'
        + '<bpmn:sequenceFlow id="flow2" sourceRef="g" targetRef="theTask1">'
        '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${input == 1}'
        "</bpmn:conditionExpression></bpmn:sequenceFlow>"
        + '<bpmn:sequenceFlow id="flow3" sourceRef="g" targetRef="theTask2"/>'
        + '<bpmn:sequenceFlow id="flow4" sourceRef="g" targetRef="theTask2"/>',
    )
    message = engine.refused(xml, element="g", says="without condition which is not the default")
    assert "flow3" in message


def test_exclusive_no_outgoing_flow_is_refused(engine: Engine) -> None:
    """ExclusiveGatewayTest.testNoOutgoingFlow: a gateway with no outgoing sequence flow."""
    xml = camunda7("exclusiveGwDefaultSequenceFlow", START + xor() + flows("s->g"))
    engine.refused(xml, element="g", says="no outgoing sequence flows")


def test_exclusive_decision_functionality(engine: Engine) -> None:
    """ExclusiveGatewayTest.testDecisionFunctionality: inputs 1, 2, 3 each reach their task in
    its own instance; input 4 matches nothing and fails."""
    xml = camunda7(
        "exclusiveGateway",
        START
        + xor()
        + user("sendMail", 'name="Send e-mail for more information"')
        + user("checkBalance", 'name="Check account balance"')
        + user("callCustomer", 'name="Call customer"')
        + flows(
            "s->g",
            "g->sendMail: ${input == 1}",
            "g->checkBalance: ${input == 2}",
            "g->callCustomer: ${input == 3}",
        ),
    )
    engine.deploy(xml)
    got = [engine.start("exclusiveGateway", {"input": i}).open_tasks() for i in (1, 2, 3)]
    assert got == [["sendMail"], ["checkBalance"], ["callCustomer"]]
    failed = engine.start("exclusiveGateway", {"input": 4})
    assert failed.status is InstanceStatus.INCIDENT


# -- parallel gateway ----------------------------------------------------------------------------


def test_parallel_fork_join(engine: Engine) -> None:
    """ParallelGatewayTest.testForkJoin: the fork makes two tasks; the join waits for both, then
    one task follows."""
    xml = camunda7(
        "forkJoin",
        START
        + '<bpmn:parallelGateway id="fork"/><bpmn:parallelGateway id="join"/>'
        + user("receivePayment")
        + user("shipOrder")
        + user("archiveOrder")
        + END
        + flows(
            "s->fork",
            "fork->receivePayment",
            "fork->shipOrder",
            "receivePayment->join",
            "shipOrder->join",
            "join->archiveOrder",
            "archiveOrder->e",
        ),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["receivePayment", "shipOrder"]
    run.complete("receivePayment")
    assert run.open_tasks() == ["shipOrder"]
    run.complete("shipOrder")
    assert run.open_tasks() == ["archiveOrder"]
    run.complete("archiveOrder")
    assert run.ended


def test_parallel_unbalanced_fork_join(engine: Engine) -> None:
    """ParallelGatewayTest.testUnbalancedForkJoin: a fork of three branches, two of which join
    first; the outer join waits for the inner join's token and the third branch."""
    xml = camunda7(
        "UnbalancedForkJoin",
        START
        + '<bpmn:parallelGateway id="fork"/><bpmn:parallelGateway id="join"/>'
        + '<bpmn:parallelGateway id="join2"/>'
        + user("task1")
        + user("task2")
        + user("task3")
        + user("task4")
        + END
        + flows(
            "s->fork",
            "fork->task1",
            "fork->task2",
            "fork->task3",
            "task1->join",
            "task2->join",
            "join->task4",
            "task3->join2",
            "task4->join2",
            "join2->e",
        ),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["task1", "task2", "task3"]
    run.complete("task1").complete("task2")
    assert run.open_tasks() == ["task3", "task4"]
    run.complete("task3")
    assert run.open_tasks() == ["task4"]
    run.complete("task4")
    assert run.ended


def test_parallel_split_merge_no_wait_states(engine: Engine) -> None:
    """ParallelGatewayTest.testSplitMergeNoWaitstates: fork and join with only scripts between
    them: the instance ends in one go, each branch ran once."""
    xml = camunda7(
        "forkJoinNoWaitStates",
        START
        + '<bpmn:parallelGateway id="fork"/><bpmn:parallelGateway id="join"/>'
        + script("a", "a = 1")
        + script("b", "b = 2")
        + END
        + flows("s->fork", "fork->a", "fork->b", "a->join", "b->join", "join->e"),
    )
    run = engine.start(xml)
    assert run.ended, run.error
    assert sorted(run.ran()) == ["a", "b"]
    assert run.visited("join") == 1


def test_parallel_unstructured_concurrency_two_joins(engine: Engine) -> None:
    """ParallelGatewayTest.testUnstructuredConcurrencyTwoJoins: one fork of four manual tasks,
    two joins of two each, a final join; manual tasks pass straight through: the instance
    ends at once."""
    xml = camunda7(
        "unstructuredConcurrencyTwoJoins",
        START
        + '<bpmn:parallelGateway id="fork"/><bpmn:parallelGateway id="join1"/>'
        + '<bpmn:parallelGateway id="join2"/><bpmn:parallelGateway id="join3"/>'
        + "".join(f'<bpmn:manualTask id="task{i}"/>' for i in range(1, 5))
        + END
        + flows(
            "s->fork",
            "fork->task1",
            "fork->task2",
            "fork->task3",
            "fork->task4",
            "task1->join1",
            "task2->join1",
            "task3->join2",
            "task4->join2",
            "join1->join3",
            "join2->join3",
            "join3->e",
        ),
    )
    run = engine.start(xml)
    assert run.ended, run.error


def test_parallel_fork_followed_by_only_end_events(engine: Engine) -> None:
    """ParallelGatewayTest.testForkFollowedByOnlyEndEvents: every branch of the fork ends at
    once: the instance is ended."""
    xml = camunda7(
        "forkFollowedByEndEvents",
        START
        + '<bpmn:parallelGateway id="fork"/>'
        + '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/><bpmn:endEvent id="e3"/>'
        + flows("s->fork", "fork->e1", "fork->e2", "fork->e3"),
    )
    run = engine.start(xml)
    assert run.ended, run.error


def test_parallel_nested_fork_join(engine: Engine) -> None:
    """ParallelGatewayTest.testNestedForkJoin: a fork whose second branch forks again; each
    join waits for its own branches."""
    xml = camunda7(
        "nestedForkJoin",
        START
        + '<bpmn:parallelGateway id="fork1"/><bpmn:parallelGateway id="fork2"/>'
        + '<bpmn:parallelGateway id="join2"/><bpmn:parallelGateway id="join1"/>'
        + user("task0")
        + user("task1")
        + user("task2")
        + user("task3")
        + user("task4")
        + END
        + flows(
            "s->task0",
            "task0->fork1",
            "fork1->task1",
            "fork1->fork2",
            "fork2->task2",
            "fork2->task3",
            "task2->join2",
            "task3->join2",
            "join2->join1",
            "task1->join1",
            "join1->task4",
            "task4->e",
        ),
    )
    run = engine.start(xml)
    run.complete("task0")
    assert run.open_tasks() == ["task1", "task2", "task3"]
    run.complete("task2").complete("task3")
    assert run.open_tasks() == ["task1"]
    run.complete("task1")
    assert run.open_tasks() == ["task4"]


def test_parallel_gateway_ignores_conditions(engine: Engine) -> None:
    """Camunda 7 user guide, Parallel Gateway (ParallelGatewayActivityBehavior): conditions on
    the outgoing flows of a parallel gateway are ignored; every branch is taken."""
    xml = camunda7(
        "parallelConditions",
        START
        + '<bpmn:parallelGateway id="fork"/>'
        + user("a")
        + user("b")
        + flows("s->fork", "fork->a: ${x == 1}", "fork->b: ${x == 2}"),
    )
    run = engine.start(xml, {"x": 3})
    assert run.open_tasks() == ["a", "b"]


def test_parallel_completing_join_in_subprocess(engine: Engine) -> None:
    """ParallelGatewayTest.testCompletingJoinInSubProcess: a fork and join inside an embedded
    subprocess; after both tasks the subprocess and then the instance end."""
    inner = (
        '<bpmn:startEvent id="ss"/><bpmn:parallelGateway id="fork"/>'
        '<bpmn:parallelGateway id="join"/><bpmn:endEvent id="se"/>'
        + user("a")
        + user("b")
        + flows("ss->fork", "fork->a", "fork->b", "a->join", "b->join", "join->se").replace(
            'id="f', 'id="sub_f'
        )
    )
    xml = camunda7(
        "process",
        START
        + f'<bpmn:subProcess id="sub">{inner}</bpmn:subProcess>'
        + END
        + flows("s->sub", "sub->e"),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["a", "b"]
    run.complete("a")
    assert not run.ended
    run.complete("b")
    assert run.ended, run.error


# -- inclusive gateway ---------------------------------------------------------------------------


def diverging_or() -> str:
    return camunda7(
        "inclusiveGwDiverging",
        START
        + '<bpmn:inclusiveGateway id="g"/>'
        + user("theTask1")
        + user("theTask2")
        + user("theTask3")
        + flows(
            "s->g",
            "g->theTask1: ${input == 1}",
            "g->theTask2: ${input <= 2}",
            "g->theTask3: ${input <= 3}",
        ),
    )


@pytest.mark.parametrize(
    ("value", "tasks"),
    [(1, ["theTask1", "theTask2", "theTask3"]), (2, ["theTask2", "theTask3"]), (3, ["theTask3"])],
)
def test_inclusive_diverging_takes_every_true_branch(
    engine: Engine, value: int, tasks: list[str]
) -> None:
    """InclusiveGatewayTest.testDivergingInclusiveGateway: every branch whose condition holds is
    taken (input 1: all three, 2: two, 3: one)."""
    run = engine.start(diverging_or(), {"input": value})
    assert run.open_tasks() == tasks


def test_inclusive_no_sequence_flow_selected_is_an_incident(engine: Engine) -> None:
    """InclusiveGatewayTest.testNoSequenceFlowSelected: input 4 matches nothing, no default:
    the engine fails at the gateway."""
    run = engine.start(diverging_or(), {"input": 4})
    assert run.status is InstanceStatus.INCIDENT
    assert run.open_tasks() == []
    assert run.error and "no outgoing sequence flow" in run.error


@pytest.mark.parametrize(("value", "tasks"), [(1, ["a"]), (3, ["b", "c"]), (5, ["d"])])
def test_inclusive_default_sequence_flow(engine: Engine, value: int, tasks: list[str]) -> None:
    """InclusiveGatewayTest.testDefaultSequenceFlow: the default flow only when no condition
    holds; otherwise every branch that holds."""
    xml = camunda7(
        "inclusiveGwDefaultSequenceFlow",
        START
        + '<bpmn:inclusiveGateway id="g" default="f5_g_d"/>'
        + user("a")
        + user("b")
        + user("c")
        + user("d")
        + flows(
            "s->g",
            "g->a: ${input == 1}",
            "g->b: ${input == 3}",
            "g->c: ${input >= 3 && input < 5}",
            "g->d",
        ),
    )
    run = engine.start(xml, {"input": value})
    assert run.open_tasks() == tasks


def test_inclusive_merging_waits_only_for_active_branches(engine: Engine) -> None:
    """InclusiveGatewayTest.testMergingInclusiveGateway: with input 2 only the branch of the
    fork that holds is active; the merging inclusive gateway does not wait for the others and
    one task follows."""
    xml = camunda7(
        "inclusiveGwMerging",
        START
        + '<bpmn:inclusiveGateway id="fork"/><bpmn:inclusiveGateway id="merge"/>'
        + user("theTask")
        + flows(
            "s->fork",
            "fork->merge: ${input == 1}",
            "fork->merge: ${input == 2}",
            "fork->merge: ${input == 3}",
            "merge->theTask",
        ).replace('sourceRef="fork" targetRef="merge"', 'sourceRef="fork" targetRef="merge"'),
    )
    run = engine.start(xml, {"input": 2})
    assert run.open_tasks() == ["theTask"]


def test_inclusive_partial_merging(engine: Engine) -> None:
    """InclusiveGatewayTest.testPartialMergingInclusiveGateway: the join waits for the branch
    still running (partialTask) before passing on to theTask, once."""
    xml = camunda7(
        "partialInclusiveGwMerging",
        START
        + '<bpmn:inclusiveGateway id="fork"/><bpmn:inclusiveGateway id="merge"/>'
        + user("partialTask")
        + user("theTask")
        + flows(
            "s->fork",
            "fork->partialTask: ${input >= 1}",
            "fork->merge: ${input == 2}",
            "partialTask->merge",
            "merge->theTask",
        ),
    )
    run = engine.start(xml, {"input": 2})
    assert run.open_tasks() == ["partialTask"]
    run.complete("partialTask")
    assert run.open_tasks() == ["theTask"]


def test_inclusive_split_merge_split(engine: Engine) -> None:
    """InclusiveGatewayTest.testSplitMergeSplit: a split of two tasks joined, then split again
    into two tasks."""
    xml = camunda7(
        "inclusiveSplitMergeSplit",
        START
        + '<bpmn:inclusiveGateway id="fork"/><bpmn:inclusiveGateway id="merge"/>'
        + '<bpmn:inclusiveGateway id="fork2"/>'
        + user("task1")
        + user("task2")
        + user("task3")
        + user("task4")
        + flows(
            "s->fork",
            "fork->task1: ${true}",
            "fork->task2: ${true}",
            "task1->merge",
            "task2->merge",
            "merge->fork2",
            "fork2->task3: ${true}",
            "fork2->task4: ${true}",
        ),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["task1", "task2"]
    run.complete("task1").complete("task2")
    assert run.open_tasks() == ["task3", "task4"]


def test_inclusive_loop(engine: Engine) -> None:
    """InclusiveGatewayTest.testLoop: an inclusive gateway looping back through a script until
    ``counter`` reaches its limit, then the instance ends."""
    xml = camunda7(
        "inclusiveTestLoop",
        START
        + script("init", "counter = 1")
        + '<bpmn:inclusiveGateway id="g" default="f4_g_e"/>'
        + script("inc", "counter = counter + 1")
        + END
        + flows("s->init", "init->g", "g->inc: ${counter < 5}", "g->e", "inc->g"),
    )
    run = engine.start(xml)
    assert run.ended, run.error
    assert run.data["counter"] == 5


# -- event-based gateway -------------------------------------------------------------------------


def alert_and_timer() -> str:
    return camunda7(
        "catchSignal",
        START
        + '<bpmn:eventBasedGateway id="gw1"/>'
        + signal_catch("signalEvent", "alertSignal")
        + timer_catch("timerEvent", "PT10S")
        + user("afterSignal")
        + user("afterTimer")
        + flows(
            "s->gw1",
            "gw1->signalEvent",
            "gw1->timerEvent",
            "signalEvent->afterSignal",
            "timerEvent->afterTimer",
        ),
        extra='<bpmn:signal id="alertSignal" name="alert"/>',
    )


def test_event_gateway_signal_cancels_timer(engine: Engine) -> None:
    """EventBasedGatewayTest.testCatchSignalCancelsTimer: the signal arrives first (thrown by
    another process): afterSignal opens and the timer is gone for good."""
    run = engine.start(alert_and_timer())
    assert run.waits_for() == ["gw1"]
    thrower = camunda7(
        "throwSignal",
        START + '<bpmn:intermediateThrowEvent id="throw">'
        '<bpmn:signalEventDefinition signalRef="alertSignal"/></bpmn:intermediateThrowEvent>'
        + END
        + flows("s->throw", "throw->e"),
        extra='<bpmn:signal id="alertSignal" name="alert"/>',
    )
    engine.start(thrower)
    assert run.open_tasks() == ["afterSignal"]
    engine.advance(seconds=20)
    assert run.open_tasks() == ["afterSignal"]
    run.complete("afterSignal")
    assert run.ended


def test_event_gateway_timer_cancels_signal(engine: Engine) -> None:
    """EventBasedGatewayTest.testCatchTimerCancelsSignal: ten seconds pass first: afterTimer
    opens and a later signal finds nothing waiting."""
    run = engine.start(alert_and_timer())
    engine.advance(seconds=11)
    assert run.open_tasks() == ["afterTimer"]
    engine.signal("alert")
    assert run.open_tasks() == ["afterTimer"]
    run.complete("afterTimer")
    assert run.ended


def test_event_gateway_signal_message_and_timer(engine: Engine) -> None:
    """EventBasedGatewayTest.testCatchSignalAndMessageAndTimer: a gateway racing a message, a
    signal and a timer; the message wins even after the timer's due time was reached in the
    clock (the job has not run yet), afterMessage opens and nothing else remains."""
    xml = camunda7(
        "catchSignal",
        START
        + '<bpmn:eventBasedGateway id="gw1"/>'
        + signal_catch("signalEvent", "alertSignal")
        + message_catch("messageEvent", "newInvoice")
        + timer_catch("timerEvent", "PT10S")
        + user("afterSignal")
        + user("afterMessage")
        + user("afterTimer")
        + flows(
            "s->gw1",
            "gw1->signalEvent",
            "gw1->messageEvent",
            "gw1->timerEvent",
            "signalEvent->afterSignal",
            "messageEvent->afterMessage",
            "timerEvent->afterTimer",
        ),
        extra='<bpmn:signal id="alertSignal" name="alert"/>'
        '<bpmn:message id="newInvoice" name="newInvoice"/>',
    )
    run = engine.start(xml)
    assert sorted(k for _, k in run.waiting()) == ["event"]
    engine.message("newInvoice")
    assert run.open_tasks() == ["afterMessage"]
    engine.advance(seconds=20)
    engine.signal("alert")
    assert run.open_tasks() == ["afterMessage"]
    run.complete("afterMessage")
    assert run.ended


def test_event_gateway_time_cycle(engine: Engine) -> None:
    """EventBasedGatewayTest.testTimeCycle: a timer branch with a cycle fires once, one period
    after the gateway is entered (the gateway is left, no timer remains); the task after it
    completes and the instance ends."""
    xml = camunda7(
        "process",
        START
        + '<bpmn:eventBasedGateway id="gw"/>'
        + '<bpmn:intermediateCatchEvent id="timer"><bpmn:timerEventDefinition>'
        "<bpmn:timeCycle>R/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition>"
        "</bpmn:intermediateCatchEvent>"
        + message_catch("msg", "m")
        + user("task")
        + END
        + '<bpmn:endEvent id="e2"/>'
        + flows("s->gw", "gw->timer", "gw->msg", "timer->task", "task->e", "msg->e2"),
        extra='<bpmn:message id="m" name="never"/>',
    )
    run = engine.start(xml)
    engine.advance(minutes=59)
    assert run.open_tasks() == []
    engine.advance(minutes=1, seconds=1)
    assert run.open_tasks() == ["task"]
    assert run.waiting() == [("task", "user_task")]
    engine.advance(hours=3)
    assert run.open_tasks() == ["task"]
    run.complete("task")
    assert run.ended


@pytest.mark.refused("a timer cycle from a start date or cron on an event-based gateway branch")
def test_event_gateway_time_cycle_with_start_date(engine: Engine) -> None:
    """EventBasedGatewayTest.testTimeCycle with the cycle's start date given
    (``R/2026-01-05T10:00:00Z/PT1H``): seamline refuses that form on a gateway branch."""
    xml = camunda7(
        "process",
        START
        + '<bpmn:eventBasedGateway id="gw"/>'
        + '<bpmn:intermediateCatchEvent id="timer"><bpmn:timerEventDefinition>'
        "<bpmn:timeCycle>R/2026-01-05T10:00:00Z/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition>"
        "</bpmn:intermediateCatchEvent>"
        + message_catch("msg", "m")
        + user("task")
        + END
        + '<bpmn:endEvent id="e2"/>'
        + flows("s->gw", "gw->timer", "gw->msg", "timer->task", "task->e", "msg->e2"),
        extra='<bpmn:message id="m" name="never"/>',
    )
    engine.refused(xml, element="timer", says="timer cycle")


def test_event_gateway_connected_to_activity_is_refused(engine: Engine) -> None:
    """EventBasedGatewayTest.testConnectedToActitity: a gateway branch leads to a user task:
    deployment fails naming the gateway."""
    xml = camunda7(
        "process",
        START
        + '<bpmn:eventBasedGateway id="gw1"/>'
        + timer_catch("timer", "PT1H")
        + user("task")
        + user("after")
        + flows("s->gw1", "gw1->task", "gw1->timer", "timer->after"),
    )
    engine.refused(xml, element="gw1", says="intermediate catch events")


def test_event_gateway_invalid_incoming_flow_is_refused(engine: Engine) -> None:
    """EventBasedGatewayTest.testInvalidSequenceFlow: a catch event after the gateway has a
    second incoming flow (invalidFlow): deployment fails naming that flow."""
    xml = camunda7(
        "process",
        START
        + '<bpmn:parallelGateway id="fork"/>'
        + '<bpmn:eventBasedGateway id="gw1"/>'
        + timer_catch("timer1", "PT1H")
        + timer_catch("timer2", "PT2H")
        + user("after")
        + flows(
            "s->fork", "fork->gw1", "gw1->timer1", "gw1->timer2", "timer1->after", "timer2->after"
        )
        + '<bpmn:sequenceFlow id="invalidFlow" sourceRef="fork" targetRef="timer1"/>',
    )
    engine.refused(xml, element="invalidFlow", says="invalid incoming sequence flow")


def test_event_gateway_with_one_branch_is_refused(engine: Engine) -> None:
    """BPMN 2.0 (10.6.6) and Camunda 8's validator: an event-based gateway needs at least two
    outgoing flows."""
    xml = camunda7(
        "process",
        START
        + '<bpmn:eventBasedGateway id="gw1"/>'
        + timer_catch("timer", "PT1H")
        + user("after")
        + flows("s->gw1", "gw1->timer", "timer->after"),
    )
    engine.refused(xml, element="gw1", says="at least two")
