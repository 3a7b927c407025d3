"""Transaction subprocesses, as Camunda 7's engine runs them.

Upstream: engine/src/test/java/org/camunda/bpm/engine/test/bpmn/subprocess/transaction
(TransactionSubProcessTest). Camunda's ``UndoService`` / ``WaitStateUndoService`` handlers are a
counting Python script (the wait is left out: the tests only ``signal`` it on) or a user task;
receive tasks the tests ``signal`` are user tasks.
"""

from __future__ import annotations

import pytest

from tests.conformance.harness import Engine, camunda7, flows, script, user
from tests.conformance.test_compensation import (
    comp_boundary,
    complete_all,
    mi_script,
    sub,
    throw,
    undo_script,
    undo_user,
)

CANCEL_BOUNDARY = (
    '<bpmn:boundaryEvent id="catchCancelTx" attachedToRef="tx">'
    "<bpmn:cancelEventDefinition/></bpmn:boundaryEvent>"
)


def tx(body: str, tid: str = "tx", attrs: str = "") -> str:
    """A transaction subprocess."""
    return f'<bpmn:transaction id="{tid}" {attrs}>{body}</bpmn:transaction>'


def cancel_end(eid: str = "failure") -> str:
    return f'<bpmn:endEvent id="{eid}"><bpmn:cancelEventDefinition/></bpmn:endEvent>'


def _simple_case(handler: str = "script") -> str:
    undo = undo_script if handler == "script" else undo_user
    inner = (
        '<bpmn:startEvent id="txStart"/><bpmn:parallelGateway id="fork"/>'
        + mi_script("bookHotel", "booked = True")
        + script("bookFlight", "booked = True")
        + comp_boundary("compensateBookHotelEvt", "bookHotel", "undoBookHotel")
        + comp_boundary("compensateBookFlightEvt", "bookFlight", "undoBookFlight")
        + undo("undoBookHotel")
        + undo("undoBookFlight")
        + '<bpmn:parallelGateway id="join"/>'
        + user("askCustomer")
        + script("chargeCard", "charged = True")
        + comp_boundary("chargeCardEvt", "chargeCard", "undoChargeCard")
        + undo("undoChargeCard")
        + '<bpmn:exclusiveGateway id="confirmed"/>'
        + '<bpmn:endEvent id="success"/>'
        + cancel_end()
        + flows("txStart->fork", "fork->bookHotel", "fork->bookFlight", "bookHotel->join",
                "bookFlight->join", "join->askCustomer", "askCustomer->chargeCard",
                "chargeCard->confirmed", "confirmed->success: ${confirmed}",
                "confirmed->failure: ${not confirmed}")
    )  # fmt: skip
    return camunda7(
        "transactionProcess",
        '<bpmn:startEvent id="start"/>'
        + tx(inner)
        + CANCEL_BOUNDARY
        + user("afterCancellation")
        + user("afterSuccess")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->tx", "catchCancelTx->afterCancellation", "afterCancellation->end",
                "tx->afterSuccess", "afterSuccess->end"),
    )  # fmt: skip


COUNTERS = {"undoBookHotel": None, "undoBookFlight": None, "undoChargeCard": None}


def test_simple_case_tx_successful(engine: Engine) -> None:
    """TransactionSubProcessTest.testSimpleCaseTxSuccessful: a transaction that ends normally
    leaves through its sequence flow and runs no compensation handler."""
    run = engine.start(_simple_case(), COUNTERS)
    run.complete("askCustomer", {"confirmed": True})
    assert run.open_tasks() == ["afterSuccess"]
    assert run.data["undoBookHotel"] is None
    assert run.data["undoBookFlight"] is None and run.data["undoChargeCard"] is None
    assert not run.events("compensation")
    run.complete("afterSuccess")
    assert run.ended


def test_simple_case_tx_cancelled(engine: Engine) -> None:
    """TransactionSubProcessTest.testSimpleCaseTxCancelled: the cancel end event compensates every
    completed activity of the transaction (bookHotel 5 times, bookFlight, chargeCard), then the
    flow leaves through the cancel boundary event."""
    run = engine.start(_simple_case(), COUNTERS)
    run.complete("askCustomer", {"confirmed": False})
    assert run.data["undoBookHotel"] == 5
    assert run.data["undoBookFlight"] == 1
    assert run.data["undoChargeCard"] == 1
    assert run.open_tasks() == ["afterCancellation"]
    assert run.ran().count("undoBookHotel") == 5
    run.complete("afterCancellation")
    assert run.ended


def test_activity_instance_tree_after_successful_completion(engine: Engine) -> None:
    """TransactionSubProcessTest.testActivityInstanceTreeAfterSuccessfulCompletion: after a
    successful transaction only afterSuccess is active."""
    run = engine.start(_simple_case(), COUNTERS)
    run.complete("askCustomer", {"confirmed": True})
    assert run.waits_for() == ["afterSuccess"]


def test_waitstate_compensation_handler(engine: Engine) -> None:
    """TransactionSubProcessTest.testWaitstateCompensationHandler: with user task handlers the
    cancelled transaction opens all of them at once (5 undoBookHotel, 1 undoBookFlight, 1
    undoChargeCard); when all are done, the flow leaves through the cancel boundary."""
    run = engine.start(_simple_case("user"))
    run.complete("askCustomer", {"confirmed": False})
    assert run.open_tasks() == ["undoBookFlight"] + ["undoBookHotel"] * 5 + ["undoChargeCard"]
    complete_all(run, "undoBookHotel")
    run.complete("undoChargeCard")
    assert run.open_tasks() == ["undoBookFlight"]
    run.complete("undoBookFlight")
    assert run.open_tasks() == ["afterCancellation"]
    run.complete("afterCancellation")
    assert run.ended


def test_parse_with_di(engine: Engine) -> None:
    """TransactionSubProcessTest.testParseWithDI: the same diagram runs to its end both ways
    (cancelled, and confirmed)."""
    for confirmed, after in ((False, "afterCancellation"), (True, "afterSuccess")):
        run = engine.start(_simple_case(), COUNTERS)
        run.complete("askCustomer", {"confirmed": confirmed})
        run.complete(after)
        assert run.ended


def _concurrent() -> str:
    inner = (
        '<bpmn:startEvent id="txStart"/><bpmn:parallelGateway id="fork"/>'
        + mi_script("bookHotel", "booked = True")
        + script("bookFlight", "booked = True")
        + comp_boundary("compensateBookHotelEvt", "bookHotel", "undoBookHotel")
        + comp_boundary("compensateBookFlightEvt", "bookFlight", "undoBookFlight")
        + undo_script("undoBookHotel")
        + undo_script("undoBookFlight")
        + user("receive")
        + user("askCustomer")
        + '<bpmn:exclusiveGateway id="confirmed"/>'
        + '<bpmn:endEvent id="success"/>'
        + cancel_end()
        + flows("txStart->fork", "fork->bookHotel", "fork->bookFlight", "bookHotel->receive",
                "bookFlight->askCustomer", "askCustomer->confirmed",
                "confirmed->success: ${confirmed}", "confirmed->failure: ${not confirmed}",
                "receive->success")
    )  # fmt: skip
    return inner


def test_cancel_end_concurrent(engine: Engine) -> None:
    """TransactionSubProcessTest.testCancelEndConcurrent: a cancel end event on one branch
    compensates the completed activities of both branches and cancels the other branch (its
    receive task); the flow leaves through the cancel boundary event."""
    xml = camunda7(
        "transactionProcess",
        '<bpmn:startEvent id="start"/>'
        + tx(_concurrent())
        + CANCEL_BOUNDARY
        + user("afterCancellation")
        + user("afterSuccess")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->tx", "catchCancelTx->afterCancellation", "afterCancellation->end",
                "tx->afterSuccess", "afterSuccess->end"),
    )  # fmt: skip
    run = engine.start(xml, COUNTERS)
    assert run.open_tasks() == ["askCustomer", "receive"]
    run.complete("askCustomer", {"confirmed": False})
    assert run.data["undoBookHotel"] == 5
    assert run.data["undoBookFlight"] == 1
    assert run.open_tasks() == ["afterCancellation"]
    run.complete("afterCancellation")
    assert run.ended


def _multi_instance_tx() -> str:
    inner = (
        '<bpmn:multiInstanceLoopCharacteristics isSequential="false">'
        "<bpmn:loopCardinality>5</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>"
        + _concurrent().replace(mi_script("bookHotel", "booked = True"),
                                script("bookHotel", "booked = True"))
    )  # fmt: skip
    return camunda7(
        "transactionProcess",
        '<bpmn:startEvent id="start"/>'
        + tx(inner)
        + CANCEL_BOUNDARY
        + user("afterCancellation")
        + user("afterSuccess")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->tx", "catchCancelTx->afterCancellation", "afterCancellation->end",
                "tx->afterSuccess", "afterSuccess->end"),
    )  # fmt: skip


@pytest.mark.refused("a cancel boundary event on a multi-instance transaction is not run yet")
def test_multi_instance_tx(engine: Engine) -> None:
    """TransactionSubProcessTest.testMultiInstanceTx: a multi-instance transaction with a cancel
    boundary event is refused at load, naming the boundary event."""
    engine.refused(_multi_instance_tx(), element="catchCancelTx", says="multi-instance")


def _nested() -> str:
    inner_tx = (
        '<bpmn:startEvent id="innerTxstart"/><bpmn:parallelGateway id="innerTxfork"/>'
        + mi_script("innerTxbookHotel", "booked = True")
        + script("innerTxbookFlight", "booked = True")
        + comp_boundary("innerTxcompensateBookHotelEvt", "innerTxbookHotel",
                        "innerTxundoBookHotel")
        + comp_boundary("innerTxcompensateBookFlightEvt", "innerTxbookFlight",
                        "innerTxundoBookFlight")
        + undo_script("innerTxundoBookHotel")
        + undo_script("innerTxundoBookFlight")
        + '<bpmn:parallelGateway id="innerTxjoin"/>'
        + user("innerTxaskCustomer")
        + '<bpmn:exclusiveGateway id="innerTxconfirmed"/>'
        + '<bpmn:endEvent id="innerTxsuccess"/>'
        + cancel_end("innerTxfailure")
        + flows("innerTxstart->innerTxfork", "innerTxfork->innerTxbookHotel",
                "innerTxfork->innerTxbookFlight", "innerTxbookHotel->innerTxjoin",
                "innerTxbookFlight->innerTxjoin", "innerTxjoin->innerTxaskCustomer",
                "innerTxaskCustomer->innerTxconfirmed",
                "innerTxconfirmed->innerTxsuccess: ${confirmed}",
                "innerTxconfirmed->innerTxfailure: ${not confirmed}")
    )  # fmt: skip
    outer = (
        '<bpmn:startEvent id="outerStart"/><bpmn:parallelGateway id="outerFork"/>'
        + tx(inner_tx, "innerTx")
        + '<bpmn:boundaryEvent id="catchInnerCancel" attachedToRef="innerTx">'
        "<bpmn:cancelEventDefinition/></bpmn:boundaryEvent>"
        + user("afterInnerCancellation")
        + '<bpmn:endEvent id="innerDone"/>'
        + script("bookFlightBefore", "flightBefore = True")
        + comp_boundary("compensateBookFlightEvt", "bookFlightBefore", "undoBookFlight")
        + undo_script("undoBookFlight")
        + user("bookFlight")
        + cancel_end("outerFailure")
        + flows("outerStart->outerFork", "outerFork->innerTx", "outerFork->bookFlightBefore",
                "bookFlightBefore->bookFlight", "bookFlight->outerFailure",
                "catchInnerCancel->afterInnerCancellation",
                "afterInnerCancellation->innerDone", "innerTx->innerDone")
    )  # fmt: skip
    return camunda7(
        "transactionProcess",
        '<bpmn:startEvent id="start"/>'
        + tx(outer, "outerTx")
        + '<bpmn:boundaryEvent id="catchOuterCancel" attachedToRef="outerTx">'
        "<bpmn:cancelEventDefinition/></bpmn:boundaryEvent>"
        + user("afterOuterCancellation")
        + '<bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>'
        + flows("start->outerTx", "catchOuterCancel->afterOuterCancellation",
                "afterOuterCancellation->end", "outerTx->end2"),
    )  # fmt: skip


NESTED = {"innerTxundoBookHotel": None, "innerTxundoBookFlight": None, "undoBookFlight": None}


def test_nested_cancel_inner(engine: Engine) -> None:
    """TransactionSubProcessTest.testNestedCancelInner: cancelling the inner transaction
    compensates its activities only (5 and 1) and leaves it through its cancel boundary; the
    outer transaction goes on."""
    run = engine.start(_nested(), NESTED)
    assert run.open_tasks() == ["bookFlight", "innerTxaskCustomer"]
    run.complete("innerTxaskCustomer", {"confirmed": False})
    assert run.ran().count("innerTxundoBookHotel") == 5
    assert run.ran().count("innerTxundoBookFlight") == 1
    assert "undoBookFlight" not in run.ran()
    assert run.open_tasks() == ["afterInnerCancellation", "bookFlight"]


def test_nested_cancel_outer(engine: Engine) -> None:
    """TransactionSubProcessTest.testNestedCancelOuter: cancelling the outer transaction while the
    inner one is still running compensates the outer's completed activity only; the inner
    transaction's handlers are not invoked, and the flow leaves through the outer boundary."""
    run = engine.start(_nested(), NESTED)
    run.complete("bookFlight")
    assert run.open_tasks() == ["afterOuterCancellation"]
    assert run.data["undoBookFlight"] == 1
    assert run.data["innerTxundoBookHotel"] is None
    assert run.data["innerTxundoBookFlight"] is None
    run.complete("afterOuterCancellation")
    assert run.ended


def _tx_compensate_subprocess() -> str:
    inner_sub = sub(
        "innerSubProcess",
        '<bpmn:startEvent id="innerStart"/>'
        + user("innerTask")
        + comp_boundary("innerTaskBoundary", "innerTask", "undoInnerTask")
        + undo_user("undoInnerTask")
        + '<bpmn:endEvent id="innerEnd"/>'
        + flows("innerStart->innerTask", "innerTask->innerEnd"),
    )
    body = (
        '<bpmn:startEvent id="txStart"/>'
        + inner_sub
        + user("beforeCancel")
        + '<bpmn:exclusiveGateway id="cancelGw"/>'
        + cancel_end("cancelEnd")
        + '<bpmn:endEvent id="txEnd"/>'
        + flows("txStart->innerSubProcess", "innerSubProcess->beforeCancel",
                "beforeCancel->cancelGw", "cancelGw->cancelEnd: ${cancelTx}",
                "cancelGw->txEnd: ${not cancelTx}")
    )  # fmt: skip
    return camunda7(
        "txProcess",
        '<bpmn:startEvent id="start"/>'
        + tx(body)
        + CANCEL_BOUNDARY
        + user("afterCancel")
        + user("afterTx")
        + '<bpmn:exclusiveGateway id="compensateGw"/>'
        + throw("compensateEnd", end=True)
        + '<bpmn:endEvent id="end"/><bpmn:endEvent id="cancelledEnd"/>'
        + flows("start->tx", "catchCancelTx->afterCancel", "afterCancel->cancelledEnd",
                "tx->afterTx", "afterTx->compensateGw",
                "compensateGw->compensateEnd: ${compensate}",
                "compensateGw->end: ${not compensate}"),
    )  # fmt: skip


def test_compensate_subprocess_in_cancelled_tx(engine: Engine) -> None:
    """TransactionSubProcessTest.testCompensateSubprocess: cancelling the transaction compensates
    the activity of a subprocess completed inside it (undoInnerTask), then leaves through the
    cancel boundary to afterCancel."""
    run = engine.start(_tx_compensate_subprocess())
    run.complete("innerTask")
    run.set_data({"cancelTx": True, "compensate": False})
    run.complete("beforeCancel")
    assert run.open_tasks() == ["undoInnerTask"]
    run.complete("undoInnerTask")
    assert run.open_tasks() == ["afterCancel"]
    run.complete("afterCancel")
    assert run.ended


def test_compensate_subprocess_not_triggered(engine: Engine) -> None:
    """TransactionSubProcessTest.testCompensateSubprocessNotTriggered: a transaction that ends
    normally leaves to afterTx, and nothing is compensated."""
    run = engine.start(_tx_compensate_subprocess())
    run.complete("innerTask")
    run.set_data({"cancelTx": False, "compensate": False})
    run.complete("beforeCancel")
    assert run.open_tasks() == ["afterTx"]
    run.complete("afterTx")
    assert run.ended
    assert "undoInnerTask" not in run.ran()


def test_compensate_subprocess_after_tx_completion(engine: Engine) -> None:
    """TransactionSubProcessTest.testCompensateSubprocessAfterTxCompletion: compensation thrown
    after the transaction completed compensates the subprocess inside it (undoInnerTask)."""
    run = engine.start(_tx_compensate_subprocess())
    run.complete("innerTask")
    run.set_data({"cancelTx": False, "compensate": True})
    run.complete("beforeCancel")
    run.complete("afterTx")
    assert run.open_tasks() == ["undoInnerTask"]
    run.complete("undoInnerTask")
    assert run.ended


def test_error_in_transaction_does_not_compensate(engine: Engine) -> None:
    """A transaction hazard (BPMN 2.0, 10.3.5, as Camunda 7's user guide describes it; no
    TransactionSubProcessTest covers it): an error leaving a transaction through an error
    boundary event interrupts it without compensating its completed activities."""
    body = (
        '<bpmn:startEvent id="txStart"/>'
        + script("bookHotel", "booked = True")
        + comp_boundary("compensateBookHotelEvt", "bookHotel", "undoBookHotel")
        + undo_script("undoBookHotel")
        + '<bpmn:endEvent id="errorEnd"><bpmn:errorEventDefinition errorRef="err"/>'
        "</bpmn:endEvent>" + flows("txStart->bookHotel", "bookHotel->errorEnd")
    )
    xml = camunda7(
        "txProcess",
        '<bpmn:startEvent id="start"/>'
        + tx(body)
        + '<bpmn:boundaryEvent id="catchError" attachedToRef="tx">'
        '<bpmn:errorEventDefinition errorRef="err"/></bpmn:boundaryEvent>'
        + user("afterError")
        + '<bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>'
        + flows("start->tx", "catchError->afterError", "afterError->end", "tx->end2"),
        '<bpmn:error id="err" errorCode="failed"/>',
    )
    run = engine.start(xml, {"undoBookHotel": None})
    assert run.open_tasks() == ["afterError"]
    assert run.data["undoBookHotel"] is None
    assert "undoBookHotel" not in run.ran()


def test_cancel_boundary_no_transaction_fails(engine: Engine) -> None:
    """TransactionSubProcessTest.testCancelBoundaryNoTransactionFails: a cancel boundary event on
    an embedded subprocess is refused at deployment, naming it."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="start"/>'
        + sub("subprocess", '<bpmn:startEvent id="s2"/><bpmn:endEvent id="e2"/>' + flows("s2->e2"))
        + '<bpmn:boundaryEvent id="catchCancelTx" attachedToRef="subprocess">'
        "<bpmn:cancelEventDefinition/></bpmn:boundaryEvent>"
        + '<bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>'
        + flows("start->subprocess", "subprocess->end", "catchCancelTx->end2"),
    )
    engine.refused(xml, element="catchCancelTx", says="transaction")


def test_cancel_end_no_transaction_fails(engine: Engine) -> None:
    """TransactionSubProcessTest.testCancelEndNoTransactionFails: a cancel end event outside a
    transaction is refused at deployment, naming it."""
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="start"/>' + cancel_end() + flows("start->failure"),
    )
    engine.refused(xml, element="failure", says="transaction")


def test_compensate_transaction_with_event_subprocess(engine: Engine) -> None:
    """TransactionSubProcessTest.testCompensateTransactionWithEventSubprocess: cancelling the
    transaction compensates its completed inner subprocess through that subprocess's
    compensation event subprocess, which re-throws for its activity: the activity's handler
    (blackBoxCompensationHandler) opens; once it is done the process ends."""
    event_sub = sub(
        "eventSubProcess",
        '<bpmn:startEvent id="eventSubProcessStart"><bpmn:compensateEventDefinition/>'
        "</bpmn:startEvent>"
        + throw("eventSubProcessThrowCompensation", "activity")
        + '<bpmn:endEvent id="eventSubProcessEnd"/>'
        + flows("eventSubProcessStart->eventSubProcessThrowCompensation",
                "eventSubProcessThrowCompensation->eventSubProcessEnd"),
        'triggeredByEvent="true"',
    )  # fmt: skip
    inner = sub(
        "innerSubProcess",
        '<bpmn:startEvent id="innerSubProcessStart"/>'
        + script("activity", "done = True")
        + '<bpmn:endEvent id="innerSubProcessEnd"/>'
        + event_sub
        + comp_boundary("compensateBoundaryEvent", "activity", "blackBoxCompensationHandler")
        + undo_user("blackBoxCompensationHandler")
        + flows("innerSubProcessStart->activity", "activity->innerSubProcessEnd"),
    )
    body = (
        '<bpmn:startEvent id="txStart"/>'
        + inner
        + user("beforeCancelEnd")
        + cancel_end("cancelEnd")
        + flows("txStart->innerSubProcess", "innerSubProcess->beforeCancelEnd",
                "beforeCancelEnd->cancelEnd")
    )  # fmt: skip
    xml = camunda7(
        "txProcess",
        '<bpmn:startEvent id="start"/>'
        + tx(body)
        + CANCEL_BOUNDARY
        + '<bpmn:endEvent id="end"/><bpmn:endEvent id="cancelled"/>'
        + flows("start->tx", "tx->end", "catchCancelTx->cancelled"),
    )
    run = engine.start(xml)
    run.complete("beforeCancelEnd")
    assert run.open_tasks() == ["blackBoxCompensationHandler"]
    run.complete("blackBoxCompensationHandler")
    assert run.ended
    assert run.passed().get("cancelled") == 1


def test_multiple_cancel_boundary_fails(engine: Engine) -> None:
    """TransactionSubProcessTest.testMultipleCancelBoundaryFails: two cancel boundary events on
    one transaction are refused at deployment, naming the second (catchCancelTx2)."""
    body = '<bpmn:startEvent id="txStart"/>' + user("task") + cancel_end()
    xml = camunda7(
        "p",
        '<bpmn:startEvent id="start"/>'
        + tx(body + flows("txStart->task", "task->failure"))
        + CANCEL_BOUNDARY
        + '<bpmn:boundaryEvent id="catchCancelTx2" attachedToRef="tx">'
        "<bpmn:cancelEventDefinition/></bpmn:boundaryEvent>"
        + '<bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/><bpmn:endEvent id="end3"/>'
        + flows("start->tx", "tx->end", "catchCancelTx->end2", "catchCancelTx2->end3"),
    )
    engine.refused(xml, element="catchCancelTx2", says="more than one cancel boundary")
