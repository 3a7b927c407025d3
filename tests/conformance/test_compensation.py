"""Compensation, as Camunda 7's engine runs it.

Upstream: engine/src/test/java/org/camunda/bpm/engine/test/bpmn/event/compensate
(CompensateEventTest, CompensateEventOrderTest, CompensationEventParseInvalidProcessTest).
Camunda's ``UndoService`` delegate (a handler that counts its runs in a process variable) is a
Python script here; receive tasks the tests ``signal`` are user tasks; user task names Camunda's
tests complete by name are the task ids.
"""

from __future__ import annotations

import pytest

from seamline.testing import FakeConnector
from tests.conformance.harness import Engine, camunda7, flows, script, user

#: Camunda's UndoService: count the runs of a handler in a process variable.
COUNT = "{0} = ({0} or 0) + 1"


def comp_boundary(bid: str, attached: str, handler: str) -> str:
    """A compensation boundary event on ``attached``, associated with ``handler``."""
    return (
        f'<bpmn:boundaryEvent id="{bid}" attachedToRef="{attached}">'
        "<bpmn:compensateEventDefinition/></bpmn:boundaryEvent>"
        f'<bpmn:association id="{bid}_assoc" associationDirection="One" sourceRef="{bid}"'
        f' targetRef="{handler}"/>'
    )


def undo_script(hid: str, code: str | None = None) -> str:
    """A script compensation handler (Camunda's UndoService counting under its own id)."""
    return script(hid, code or COUNT.format(hid), attrs='isForCompensation="true"')


def undo_user(hid: str) -> str:
    """A user task compensation handler."""
    return user(hid, 'isForCompensation="true"')


def throw(tid: str, ref: str | None = None, *, end: bool = False) -> str:
    """A compensate intermediate throw (or end) event, for the scope or one activity."""
    tag = "endEvent" if end else "intermediateThrowEvent"
    attr = f' activityRef="{ref}"' if ref else ""
    return f'<bpmn:{tag} id="{tid}"><bpmn:compensateEventDefinition{attr}/></bpmn:{tag}>'


def mi(inner: str, n: int = 5, *, sequential: bool = True) -> str:
    """Multi-instance loop characteristics with a cardinality."""
    seq = "true" if sequential else "false"
    return (
        f'<bpmn:multiInstanceLoopCharacteristics isSequential="{seq}">'
        f"<bpmn:loopCardinality>{n}</bpmn:loopCardinality>"
        f"</bpmn:multiInstanceLoopCharacteristics>{inner}"
    )


def mi_script(tid: str, code: str, n: int = 5, *, sequential: bool = True) -> str:
    """A script task run ``n`` times (multi-instance)."""
    seq = "true" if sequential else "false"
    return (
        f'<bpmn:scriptTask id="{tid}" scriptFormat="python">'
        f'<bpmn:multiInstanceLoopCharacteristics isSequential="{seq}">'
        f"<bpmn:loopCardinality>{n}</bpmn:loopCardinality>"
        f"</bpmn:multiInstanceLoopCharacteristics>"
        f"<bpmn:script>{code}</bpmn:script></bpmn:scriptTask>"
    )


def mi_user(tid: str, n: int = 5, *, sequential: bool = False) -> str:
    """A user task with ``n`` instances."""
    seq = "true" if sequential else "false"
    return user(
        tid,
        inner=f'<bpmn:multiInstanceLoopCharacteristics isSequential="{seq}">'
        f"<bpmn:loopCardinality>{n}</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>",
    )


def sub(sid: str, body: str, attrs: str = "") -> str:
    """An embedded subprocess."""
    return f'<bpmn:subProcess id="{sid}" {attrs}>{body}</bpmn:subProcess>'


def complete_all(run: object, element: str) -> None:
    """Complete every open task of ``element``."""
    for task in [t for t in run.tasks() if t.element_id == element]:  # type: ignore[attr-defined]
        run.app.complete(task.id, None)  # type: ignore[attr-defined]


def _two_mi_bookings() -> str:
    return (
        '<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>'
        + mi_script("bookHotel", "booked = True")
        + comp_boundary("compensateBookHotelEvt", "bookHotel", "undoBookHotel")
        + undo_script("undoBookHotel")
        + mi_script("bookFlight", "booked = True")
        + comp_boundary("compensateBookFlightEvt", "bookFlight", "undoBookFlight")
        + undo_script("undoBookFlight")
        + '<bpmn:parallelGateway id="join"/>'
    )


def test_compensate_scope(engine: Engine) -> None:
    """CompensateEventTest.testCompensateScope: a throw without activityRef compensates every
    completed activity of its scope, once per completed instance (5 and 5)."""
    xml = camunda7(
        "compensateProcess",
        _two_mi_bookings()
        + throw("throwCompensate")
        + user("beforeEnd")
        + '<bpmn:endEvent id="end"/>'
        + flows(
            "start->fork", "fork->bookHotel", "fork->bookFlight", "bookHotel->join",
            "bookFlight->join", "join->throwCompensate", "throwCompensate->beforeEnd",
            "beforeEnd->end",
        ),
    )  # fmt: skip
    run = engine.start(xml, {"undoBookHotel": None, "undoBookFlight": None})
    assert run.data["undoBookHotel"] == 5
    assert run.data["undoBookFlight"] == 5
    assert run.ran().count("undoBookHotel") == 5
    run.complete("beforeEnd")
    assert run.ended


def test_compensate_activity_ref(engine: Engine) -> None:
    """CompensateEventTest.testCompensateActivityRef: with activityRef only that activity's
    handler runs (5 times); the other handler never does."""
    xml = camunda7(
        "compensateProcess",
        _two_mi_bookings()
        + throw("throwCompensate", "bookHotel")
        + user("beforeEnd")
        + '<bpmn:endEvent id="end"/>'
        + flows(
            "start->fork", "fork->bookHotel", "fork->bookFlight", "bookHotel->join",
            "bookFlight->join", "join->throwCompensate", "throwCompensate->beforeEnd",
            "beforeEnd->end",
        ),
    )  # fmt: skip
    run = engine.start(xml, {"undoBookHotel": None, "undoBookFlight": None})
    assert run.data["undoBookHotel"] == 5
    assert run.data["undoBookFlight"] is None
    assert "undoBookFlight" not in run.ran()
    run.complete("beforeEnd")
    assert run.ended


def test_compensation_end_event_with_scope(engine: Engine) -> None:
    """CompensateEventTest.testCompensationEndEventWithScope: a compensate end event runs every
    handler of its scope (5 and 5), then the process ends."""
    xml = camunda7(
        "compensateProcess",
        _two_mi_bookings()
        + throw("end", end=True)
        + flows(
            "start->fork", "fork->bookHotel", "fork->bookFlight", "bookHotel->join",
            "bookFlight->join", "join->end",
        ),
    )  # fmt: skip
    run = engine.start(xml, {"undoBookHotel": None, "undoBookFlight": None})
    assert run.ended
    assert run.ran().count("undoBookHotel") == 5
    assert run.ran().count("undoBookFlight") == 5


def test_compensation_end_event_with_activity_ref(engine: Engine) -> None:
    """CompensateEventTest.testCompensationEndEventWithActivityRef: a compensate end event with
    activityRef runs that activity's handler only (5 and 0)."""
    xml = camunda7(
        "compensateProcess",
        _two_mi_bookings()
        + throw("end", "bookHotel", end=True)
        + flows(
            "start->fork", "fork->bookHotel", "fork->bookFlight", "bookHotel->join",
            "bookFlight->join", "join->end",
        ),
    )  # fmt: skip
    run = engine.start(xml, {"undoBookHotel": None, "undoBookFlight": None})
    assert run.ended
    assert run.ran().count("undoBookHotel") == 5
    assert run.ran().count("undoBookFlight") == 0


def test_compensate_subprocess(engine: Engine) -> None:
    """CompensateEventTest.testCompensateSubprocess: compensating a completed subprocess runs the
    handlers of the activities inside it (bookHotel completed 5 times: 5)."""
    inner = (
        '<bpmn:startEvent id="startInScope"/>'
        + mi_script("bookHotel", "booked = True")
        + comp_boundary("compensateBookHotelEvt", "bookHotel", "undoBookHotel")
        + undo_script("undoBookHotel")
        + '<bpmn:endEvent id="endInScope"/>'
        + flows("startInScope->bookHotel", "bookHotel->endInScope")
    )
    xml = camunda7(
        "compensateProcess",
        '<bpmn:startEvent id="start"/>'
        + sub("scope", inner)
        + throw("throwCompensate", "scope")
        + user("beforeEnd")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->scope", "scope->throwCompensate", "throwCompensate->beforeEnd",
                "beforeEnd->end"),
    )  # fmt: skip
    run = engine.start(xml, {"undoBookHotel": None})
    assert run.data["undoBookHotel"] == 5
    run.complete("beforeEnd")
    assert run.ended


def test_compensate_mi_subprocess(engine: Engine) -> None:
    """CompensateEventTest.testCompensateMiSubprocess: each of the 5 completed instances of a
    multi-instance subprocess is compensated: the inner handler runs 5 times."""
    inner = mi(
        '<bpmn:startEvent id="startInScope"/>'
        + script("bookHotel", "booked = True")
        + comp_boundary("compensateBookHotelEvt", "bookHotel", "undoBookHotel")
        + undo_script("undoBookHotel")
        + '<bpmn:endEvent id="endInScope"/>'
        + flows("startInScope->bookHotel", "bookHotel->endInScope")
    )
    xml = camunda7(
        "compensateProcess",
        '<bpmn:startEvent id="start"/>'
        + sub("scope", inner)
        + throw("throwCompensate", "scope")
        + user("beforeEnd")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->scope", "scope->throwCompensate", "throwCompensate->beforeEnd",
                "beforeEnd->end"),
    )  # fmt: skip
    run = engine.start(xml, {"undoBookHotel": None})
    assert run.data["undoBookHotel"] == 5
    run.complete("beforeEnd")
    assert run.ended


def _hotel_flight_nested() -> str:
    flight = (
        '<bpmn:startEvent id="startInScopeFlight"/>'
        + user("bookFlight")
        + comp_boundary("compensateBookFlight", "bookFlight", "undoBookFlight")
        + undo_user("undoBookFlight")
        + '<bpmn:endEvent id="endInScopeFlight"/>'
        + flows("startInScopeFlight->bookFlight", "bookFlight->endInScopeFlight")
    )
    return (
        '<bpmn:startEvent id="startInScope"/>'
        + user("bookHotel")
        + comp_boundary("compensateBookHotel", "bookHotel", "undoBookHotel")
        + undo_user("undoBookHotel")
        + sub("scopeFlight", flight)
        + '<bpmn:endEvent id="endInScope"/>'
        + flows("startInScope->bookHotel", "bookHotel->scopeFlight", "scopeFlight->endInScope")
    )


def test_compensate_subprocess_inside_subprocess(engine: Engine) -> None:
    """CompensateEventTest.testCompensateSubprocessInsideSubprocess: a throw in the process
    compensates the activities of a completed subprocess nested in a completed subprocess; both
    handlers (user tasks) open, and once both are done the process ends."""
    xml = camunda7(
        "compensateProcess",
        '<bpmn:startEvent id="start"/>'
        + sub("scopeHotel", _hotel_flight_nested())
        + user("throwCompensation")
        + throw("throwing")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->scopeHotel", "scopeHotel->throwCompensation",
                "throwCompensation->throwing", "throwing->end"),
    )  # fmt: skip
    run = engine.start(xml)
    run.complete("bookHotel")
    run.complete("bookFlight")
    run.complete("throwCompensation")
    assert run.open_tasks() == ["undoBookFlight", "undoBookHotel"]
    run.complete("undoBookHotel")
    assert not run.ended
    run.complete("undoBookFlight")
    assert run.ended


def test_compensate_parallel_subprocess_handlers_wait_together(engine: Engine) -> None:
    """CompensateEventTest.testCompensateParallelSubprocessCompHandlerWaitstate: the 5 user task
    handlers of a 5-times completed activity are open at once; the throw waits for all."""
    inner = (
        '<bpmn:startEvent id="startInScope"/>'
        + mi_script("bookHotel", "booked = True", sequential=False)
        + comp_boundary("compensateBookHotelEvt", "bookHotel", "undoBookHotel")
        + undo_user("undoBookHotel")
        + throw("throwCompensate")
        + '<bpmn:endEvent id="endInScope"/>'
        + flows("startInScope->bookHotel", "bookHotel->throwCompensate",
                "throwCompensate->endInScope")
    )  # fmt: skip
    xml = camunda7(
        "compensateProcess",
        '<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>'
        + sub("scope", inner)
        + user("parallelTask")
        + '<bpmn:parallelGateway id="join"/>'
        + user("beforeEnd")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->fork", "fork->scope", "fork->parallelTask", "scope->join",
                "parallelTask->join", "join->beforeEnd", "beforeEnd->end"),
    )  # fmt: skip
    run = engine.start(xml)
    assert run.open_tasks() == ["parallelTask"] + ["undoBookHotel"] * 5
    complete_all(run, "undoBookHotel")
    run.complete("parallelTask")
    run.complete("beforeEnd")
    assert run.ended


def test_delete_while_handlers_wait(engine: Engine) -> None:
    """CompensateEventTest.testDeleteParallelSubprocessCompHandlerWaitstate: an instance whose 5
    handlers wait can be cancelled; nothing is left open."""
    inner = (
        '<bpmn:startEvent id="startInScope"/>'
        + mi_script("bookHotel", "booked = True", sequential=False)
        + comp_boundary("compensateBookHotelEvt", "bookHotel", "undoBookHotel")
        + undo_user("undoBookHotel")
        + throw("throwCompensate")
        + '<bpmn:endEvent id="endInScope"/>'
        + flows("startInScope->bookHotel", "bookHotel->throwCompensate",
                "throwCompensate->endInScope")
    )  # fmt: skip
    xml = camunda7(
        "compensateProcess",
        '<bpmn:startEvent id="start"/>'
        + sub("scope", inner)
        + '<bpmn:endEvent id="end"/>'
        + flows("start->scope", "scope->end"),
    )
    run = engine.start(xml)
    assert run.open_tasks() == ["undoBookHotel"] * 5
    run.cancel()
    assert run.open_tasks() == []
    assert run.status.value == "cancelled"


def test_compensate_subprocess_with_boundary_event(engine: Engine) -> None:
    """CompensateEventTest.testCompensateSubprocessWithBoundaryEvent: a subprocess with its own
    compensation boundary event is compensated by its handler (undoSubprocess)."""
    inner = '<bpmn:startEvent id="startInScope"/><bpmn:endEvent id="endInScope"/>' + flows(
        "startInScope->endInScope"
    )
    xml = camunda7(
        "compensateProcess",
        '<bpmn:startEvent id="start"/>'
        + sub("subprocess", inner)
        + comp_boundary("compensateSubProcess", "subprocess", "undoSubprocess")
        + undo_user("undoSubprocess")
        + throw("throwCompensate", "subprocess")
        + user("beforeEnd")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->subprocess", "subprocess->throwCompensate",
                "throwCompensate->beforeEnd", "beforeEnd->end"),
    )  # fmt: skip
    run = engine.start(xml)
    assert run.open_tasks() == ["undoSubprocess"]
    run.complete("undoSubprocess")
    run.complete("beforeEnd")
    assert run.ended


def _scope_task_subprocess() -> str:
    inner = (
        '<bpmn:startEvent id="startInScope"/>'
        + user("scopeTask")
        + '<bpmn:endEvent id="endInScope"/>'
        + comp_boundary("compensateScopeTask", "scopeTask", "undoScopeTask")
        + undo_user("undoScopeTask")
        + flows("startInScope->scopeTask", "scopeTask->endInScope")
    )
    return sub("subprocess", inner)


def test_compensate_activity_in_subprocess(engine: Engine) -> None:
    """CompensateEventTest.testCompensateActivityInSubprocess: nothing is compensated until the
    throw; then the handler of the subprocess's inner task opens, and the process goes on."""
    xml = camunda7(
        "compensateProcess",
        '<bpmn:startEvent id="start"/>'
        + _scope_task_subprocess()
        + user("beforeCompensate")
        + throw("throwCompensate", "subprocess")
        + user("beforeEnd")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->subprocess", "subprocess->beforeCompensate",
                "beforeCompensate->throwCompensate", "throwCompensate->beforeEnd",
                "beforeEnd->end"),
    )  # fmt: skip
    run = engine.start(xml)
    run.complete("scopeTask")
    assert run.open_tasks() == ["beforeCompensate"]
    run.complete("beforeCompensate")
    assert run.open_tasks() == ["undoScopeTask"]
    run.complete("undoScopeTask")
    assert run.open_tasks() == ["beforeEnd"]
    run.complete("beforeEnd")
    assert run.ended


def test_compensate_activity_in_concurrent_subprocess(engine: Engine) -> None:
    """CompensateEventTest.testCompensateActivityInConcurrentSubprocess: a subprocess completed
    on one of two parallel branches is compensated after the join."""
    xml = camunda7(
        "compensateProcess",
        '<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>'
        + user("outerTask")
        + _scope_task_subprocess()
        + '<bpmn:parallelGateway id="join"/>'
        + user("beforeCompensate")
        + throw("throwCompensate", "subprocess")
        + user("beforeEnd")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->fork", "fork->outerTask", "outerTask->join", "fork->subprocess",
                "subprocess->join", "join->beforeCompensate",
                "beforeCompensate->throwCompensate", "throwCompensate->beforeEnd",
                "beforeEnd->end"),
    )  # fmt: skip
    run = engine.start(xml)
    run.complete("scopeTask")
    run.complete("outerTask")
    run.complete("beforeCompensate")
    assert run.open_tasks() == ["undoScopeTask"]
    run.complete("undoScopeTask")
    run.complete("beforeEnd")
    assert run.ended


def _vacation(booking: str) -> str:
    return (
        '<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>'
        + booking
        + user("requestVacation")
        + '<bpmn:exclusiveGateway id="accepted" default="f_yes"/>'
        + throw("throwCompensate", end=True)
        + '<bpmn:endEvent id="endAccepted"/><bpmn:endEvent id="endBooked"/>'
        + '<bpmn:sequenceFlow id="f_yes" sourceRef="accepted" targetRef="endAccepted"/>'
        + flows("start->fork", "fork->bookHotel", "fork->requestVacation",
                "requestVacation->accepted", "accepted->throwCompensate: ${not accept}",
                "bookHotel->endBooked")
    )  # fmt: skip


def test_compensate_concurrent_mi_activity(engine: Engine) -> None:
    """CompensateEventTest.testCompensateConcurrentMiActivity: compensation thrown while a
    multi-instance activity is still running (4 of 5 done) compensates none of its instances."""
    booking = mi_user("bookHotel") + comp_boundary(
        "compensateBookHotel", "bookHotel", "undoBookHotel"
    )
    xml = camunda7("compensateProcess", _vacation(booking) + undo_user("undoBookHotel"))
    run = engine.start(xml)
    for task in run.tasks()[:4]:
        if task.element_id == "bookHotel":
            run.app.complete(task.id, None)
    booking_left = [t for t in run.tasks() if t.element_id == "bookHotel"]
    run.complete("requestVacation", {"accept": False})
    assert "undoBookHotel" not in run.open_tasks()
    for task in booking_left:
        run.app.complete(task.id, None)
    complete_all(run, "bookHotel")
    assert run.ended


def test_compensate_activity_ref_mi_activity(engine: Engine) -> None:
    """CompensateEventTest.testCompensateActivityRefMiActivity: after all 5 instances of a
    multi-instance activity completed, a throw for it opens 5 handler tasks at once."""
    booking = mi_user("bookHotel") + comp_boundary(
        "compensateBookHotel", "bookHotel", "undoBookHotel"
    )
    body = (
        '<bpmn:startEvent id="start"/>'
        + booking
        + undo_user("undoBookHotel")
        + user("requestVacation")
        + '<bpmn:exclusiveGateway id="accepted" default="f_yes"/>'
        + throw("throwCompensate", "bookHotel", end=True)
        + '<bpmn:endEvent id="endAccepted"/>'
        + '<bpmn:sequenceFlow id="f_yes" sourceRef="accepted" targetRef="endAccepted"/>'
        + flows("start->bookHotel", "bookHotel->requestVacation",
                "requestVacation->accepted", "accepted->throwCompensate: ${not accept}")
    )  # fmt: skip
    run = engine.start(camunda7("compensateProcess", body))
    complete_all(run, "bookHotel")
    run.complete("requestVacation", {"accept": False})
    assert run.open_tasks() == ["undoBookHotel"] * 5
    complete_all(run, "undoBookHotel")
    assert run.ended


def test_two_compensations_run_in_reverse_order(engine: Engine) -> None:
    """CompensateEventOrderTest.testTwoCompensateEventsInReverseOrder: the handler of the
    activity completed last (B, for serviceTask2) runs before the other (A)."""
    body = (
        '<bpmn:startEvent id="start"/>'
        + script("serviceTask1", "done = 1")
        + comp_boundary("compensationBoundary1", "serviceTask1", "A")
        + undo_script("A", "order = order + ['A']")
        + script("serviceTask2", "done = 2")
        + comp_boundary("compensationBoundary2", "serviceTask2", "B")
        + undo_script("B", "order = order + ['B']")
        + throw("compensationEvent")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->serviceTask1", "serviceTask1->serviceTask2",
                "serviceTask2->compensationEvent", "compensationEvent->end")
    )  # fmt: skip
    run = engine.start(camunda7("Process_1", body), {"order": []})
    assert run.ended
    assert run.data["order"] == ["B", "A"]
    ran = run.ran()
    assert ran.index("B") < ran.index("A")


def test_compensation_is_in_the_history(engine: Engine) -> None:
    """CompensateEventHistoryTest.testBoundaryCompensationHandlerHistory: the handler's run is
    recorded in the history (one compensation event naming the handler it ran)."""
    body = (
        '<bpmn:startEvent id="start"/>'
        + script("serviceTask", "done = 1")
        + comp_boundary("compensationBoundary", "serviceTask", "compensationHandler")
        + undo_script("compensationHandler", "undone = 1")
        + throw("throwCompensation")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->serviceTask", "serviceTask->throwCompensation",
                "throwCompensation->end")
    )  # fmt: skip
    run = engine.start(camunda7("boundaryHandlerProcess", body))
    assert run.ended
    [(_, element, data)] = run.events("compensation")
    assert element == "throwCompensation" and data["handlers"] == ["compensationHandler"]
    assert run.ran() == ["serviceTask", "compensationHandler"]
    assert run.passed().get("throwCompensation") == 1


def test_concurrent_scope_compensation(engine: Engine) -> None:
    """CompensateEventTest.testConcurrentScopeCompensation: two completed parallel subprocesses
    are both compensated (each handler once) while a concurrent task still waits."""

    def scope(n: int) -> str:
        inner = (
            f'<bpmn:startEvent id="scope{n}Start"/>'
            + script(f"scope{n}Task", "done = True")
            + f'<bpmn:endEvent id="scope{n}End"/>'
            + comp_boundary(f"compensateScope{n}TaskEvt", f"scope{n}Task",
                            f"compensateScope{n}Task")
            + undo_script(f"compensateScope{n}Task")
            + flows(f"scope{n}Start->scope{n}Task", f"scope{n}Task->scope{n}End")
        )  # fmt: skip
        return sub(f"scope{n}", inner)

    body = (
        '<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>'
        + scope(1)
        + scope(2)
        + '<bpmn:parallelGateway id="join"/><bpmn:parallelGateway id="compensationFork"/>'
        + user("beforeCompensationTask")
        + throw("compensationThrow")
        + '<bpmn:endEvent id="end1"/>'
        + user("concurrentTask")
        + '<bpmn:endEvent id="end2"/>'
        + flows("start->fork", "fork->scope1", "fork->scope2", "scope1->join", "scope2->join",
                "join->compensationFork", "compensationFork->beforeCompensationTask",
                "beforeCompensationTask->compensationThrow", "compensationThrow->end1",
                "compensationFork->concurrentTask", "concurrentTask->end2")
    )  # fmt: skip
    run = engine.start(
        camunda7("concurrentScopeCompensation", body),
        {"compensateScope1Task": None, "compensateScope2Task": None},
    )
    run.complete("beforeCompensationTask")
    assert run.ran().count("compensateScope1Task") == 1
    assert run.ran().count("compensateScope2Task") == 1
    run.complete("concurrentTask")
    assert run.ended


def test_subprocess_compensation_handler(engine: Engine) -> None:
    """CompensateEventTest.testSubprocessCompensationHandler: a handler that is a subprocess runs
    its user task; after it, the flow goes on past the throw to beforeEnd."""
    handler = sub(
        "compensationHandler",
        '<bpmn:startEvent id="subStart"/>'
        + user("subProcessTask")
        + '<bpmn:endEvent id="subEnd"/>'
        + flows("subStart->subProcessTask", "subProcessTask->subEnd"),
        'isForCompensation="true"',
    )
    body = (
        '<bpmn:startEvent id="start"/>'
        + script("serviceTask", "done = True")
        + comp_boundary("boundary", "serviceTask", "compensationHandler")
        + handler
        + user("beforeCompensation")
        + throw("throwCompensate")
        + user("beforeEnd")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->serviceTask", "serviceTask->beforeCompensation",
                "beforeCompensation->throwCompensate", "throwCompensate->beforeEnd",
                "beforeEnd->end")
    )  # fmt: skip
    run = engine.start(camunda7("subProcessCompensationHandler", body))
    run.complete("beforeCompensation")
    assert run.open_tasks() == ["subProcessTask"]
    run.complete("subProcessTask")
    assert run.open_tasks() == ["beforeEnd"]
    run.complete("beforeEnd")
    assert run.ended


def test_subprocess_compensation_handler_delete(engine: Engine) -> None:
    """CompensateEventTest.testSubprocessCompensationHandlerDeleteProcessInstance: an instance in
    compensation (its handler subprocess waiting) can be cancelled."""
    handler = sub(
        "compensationHandler",
        '<bpmn:startEvent id="subStart"/>'
        + user("subProcessTask")
        + '<bpmn:endEvent id="subEnd"/>'
        + flows("subStart->subProcessTask", "subProcessTask->subEnd"),
        'isForCompensation="true"',
    )
    body = (
        '<bpmn:startEvent id="start"/>'
        + script("serviceTask", "done = True")
        + comp_boundary("boundary", "serviceTask", "compensationHandler")
        + handler
        + throw("throwCompensate")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->serviceTask", "serviceTask->throwCompensate", "throwCompensate->end")
    )
    run = engine.start(camunda7("subProcessCompensationHandler", body))
    assert run.open_tasks() == ["subProcessTask"]
    run.cancel()
    assert run.open_tasks() == [] and run.status.value == "cancelled"


def test_cancel_instance_with_active_compensation(engine: Engine) -> None:
    """CompensateEventTest.testCancelProcessInstanceWithActiveCompensation: a compensate end event
    waits on its user task handler; the instance can be cancelled then."""
    body = (
        '<bpmn:startEvent id="start"/>'
        + script("bookHotel", "done = True")
        + comp_boundary("compensateBookHotel", "bookHotel", "undoBookHotel")
        + undo_user("undoBookHotel")
        + throw("end", end=True)
        + flows("start->bookHotel", "bookHotel->end")
    )
    run = engine.start(camunda7("compensateProcess", body))
    assert run.open_tasks() == ["undoBookHotel"]
    assert run.waits_for() == ["undoBookHotel"]
    run.cancel()
    assert run.open_tasks() == []


def test_compensation_runs_once_per_completion(engine: Engine) -> None:
    """CompensateEventTest.testCompensateActivityRefMiSubprocess (with a second throw): a
    compensated activity is compensated once; a second throw finds nothing left to undo."""
    body = (
        '<bpmn:startEvent id="start"/>'
        + mi_script("bookHotel", "booked = True", 3)
        + comp_boundary("compensateBookHotel", "bookHotel", "undoBookHotel")
        + undo_script("undoBookHotel")
        + throw("first", "bookHotel")
        + throw("second", "bookHotel")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->bookHotel", "bookHotel->first", "first->second", "second->end")
    )
    run = engine.start(camunda7("compensateProcess", body), {"undoBookHotel": None})
    assert run.ended
    assert run.data["undoBookHotel"] == 3
    assert [d["handlers"] for _, _, d in run.events("compensation")] == [
        ["undoBookHotel"] * 3,
        [],
    ]


def test_handler_sees_the_variables(engine: Engine) -> None:
    """CompensateEventTest.testCompensateMiSubprocessVariableSnapshots (process variables): the
    handler reads the variables the compensated activity wrote."""
    body = (
        '<bpmn:startEvent id="start"/>'
        + script("bookHotel", "hotel = 'Milliways'")
        + comp_boundary("compensateBookHotel", "bookHotel", "undoBookHotel")
        + undo_script("undoBookHotel", "cancelled = hotel")
        + throw("throwCompensate")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->bookHotel", "bookHotel->throwCompensate", "throwCompensate->end")
    )
    run = engine.start(camunda7("compensateProcess", body))
    assert run.ended
    assert run.data["cancelled"] == "Milliways"


def test_uncompleted_activity_is_not_compensated(engine: Engine) -> None:
    """CompensateEventTest.testConcurrentExecutionsAndPendingCompensation: only completed
    activities are compensated; a task still open on another branch is not."""
    body = (
        '<bpmn:startEvent id="start"/><bpmn:parallelGateway id="fork"/>'
        + user("task1")
        + comp_boundary("b1", "task1", "undoTask1")
        + undo_script("undoTask1")
        + user("task2")
        + comp_boundary("b2", "task2", "undoTask2")
        + undo_script("undoTask2")
        + '<bpmn:parallelGateway id="join"/>'
        + throw("throwCompensate", end=True)
        + '<bpmn:endEvent id="end2"/>'
        + flows("start->fork", "fork->task1", "fork->task2", "task1->throwCompensate",
                "task2->end2")
    )  # fmt: skip
    run = engine.start(camunda7("process", body), {"undoTask1": None, "undoTask2": None})
    run.complete("task1")
    assert run.ran().count("undoTask1") == 1
    run.complete("task2")
    assert run.ended
    assert "undoTask2" not in run.ran()


# -- what Camunda 7 refuses at deployment, refused here too ----------------------------------


def test_invalid_activity_ref_fails(engine: Engine) -> None:
    """CompensationEventParseInvalidProcessTest.invalidActivityRefFails: an activityRef naming
    nothing is a located deploy error."""
    body = (
        '<bpmn:startEvent id="start"/>'
        + script("bookHotel", "done = 1")
        + comp_boundary("compensateBookHotelEvt", "bookHotel", "undoBookHotel")
        + undo_script("undoBookHotel")
        + throw("throwCompensate", "invalid")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->bookHotel", "bookHotel->throwCompensate", "throwCompensate->end")
    )
    engine.refused(camunda7("p", body), element="throwCompensate", says="activityRef")


def test_illegal_activity_ref_nested_scope(engine: Engine) -> None:
    """CompensationEventParseInvalidProcessTest.illegalCompensateActivityRefNestedScope: an
    activityRef into a nested subprocess is refused at deployment."""
    inner = (
        '<bpmn:startEvent id="startInScope"/>'
        + script("bookHotel", "done = 1")
        + comp_boundary("compensateBookHotelEvt", "bookHotel", "undoBookHotel")
        + undo_script("undoBookHotel")
        + '<bpmn:endEvent id="endInScope"/>'
        + flows("startInScope->bookHotel", "bookHotel->endInScope")
    )
    body = (
        '<bpmn:startEvent id="start"/>'
        + sub("scope", inner)
        + throw("throwCompensate", "bookHotel")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->scope", "scope->throwCompensate", "throwCompensate->end")
    )
    engine.refused(camunda7("p", body), element="throwCompensate", says="activityRef")


def test_multiple_compensation_catch_events_fail(engine: Engine) -> None:
    """CompensationEventParseInvalidProcessTest.multipleCompensationCatchEventsFails: two
    compensation boundary events on one activity are refused."""
    body = (
        '<bpmn:startEvent id="start"/>'
        + script("bookHotel", "done = 1")
        + comp_boundary("compensateBookHotelEvt1", "bookHotel", "undoBookHotel1")
        + comp_boundary("compensateBookHotelEvt2", "bookHotel", "undoBookHotel2")
        + undo_script("undoBookHotel1")
        + undo_script("undoBookHotel2")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->bookHotel", "bookHotel->end")
    )
    engine.refused(camunda7("p", body), element="compensateBookHotelEvt2", says="more than one")


@pytest.mark.parametrize("direction", ["incoming", "outgoing"])
def test_handler_with_sequence_flow_fails(engine: Engine, direction: str) -> None:
    """CompensationEventParseInvalidProcessTest.invalidIncomingSequenceflow /
    invalidOutgoingSequenceflow: a compensation handler on a sequence flow is refused."""
    edge = "bookHotel->undoBookHotel" if direction == "incoming" else "undoBookHotel->end"
    body = (
        '<bpmn:startEvent id="start"/>'
        + script("bookHotel", "done = 1")
        + comp_boundary("compensateBookHotelEvt", "bookHotel", "undoBookHotel")
        + undo_script("undoBookHotel")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->bookHotel", "bookHotel->end", edge)
    )
    engine.refused(camunda7("p", body), element="undoBookHotel", says="sequence flow")


# -- compensation event subprocesses and throws inside event subprocesses ----------------------


def comp_event_sub(eid: str, inner: str) -> str:
    """A compensation event subprocess (its start event named ``<eid>Start``)."""
    return sub(
        eid,
        f'<bpmn:startEvent id="{eid}Start"><bpmn:compensateEventDefinition/></bpmn:startEvent>'
        + inner,
        'triggeredByEvent="true" isForCompensation="true"',
    )


def _booking_process(activity_ref: bool = False) -> str:
    handler = comp_event_sub(
        "compensationSubProcess",
        throw("compensateFlight", "bookFlight")
        + throw("compensateHotel", "bookHotel")
        + user("updateCustomerRecord")
        + '<bpmn:endEvent id="endCompensationSubProcess"/>'
        + flows("compensationSubProcessStart->compensateFlight",
                "compensateFlight->compensateHotel", "compensateHotel->updateCustomerRecord",
                "updateCustomerRecord->endCompensationSubProcess"),
    )  # fmt: skip
    inner = (
        '<bpmn:startEvent id="startSubprocess"/><bpmn:parallelGateway id="parallel"/>'
        + user("bookFlight")
        + user("bookHotel")
        + comp_boundary("boundaryEvent_bookFlight", "bookFlight", "cancelFlight")
        + undo_user("cancelFlight")
        + comp_boundary("boundaryEvent_bookHotel", "bookHotel", "cancelHotel")
        + undo_user("cancelHotel")
        + '<bpmn:parallelGateway id="join"/><bpmn:endEvent id="endSubprocess"/>'
        + handler
        + flows("startSubprocess->parallel", "parallel->bookFlight", "parallel->bookHotel",
                "bookFlight->join", "bookHotel->join", "join->endSubprocess")
    )  # fmt: skip
    ref = "booking-subprocess" if activity_ref else None
    return camunda7(
        "bookingProcess",
        '<bpmn:startEvent id="start"/>'
        + sub("booking-subprocess", inner)
        + user("validateBooking")
        + '<bpmn:exclusiveGateway id="validGw" default="valid"/>'
        + '<bpmn:endEvent id="end"/>'
        + '<bpmn:sequenceFlow id="valid" sourceRef="validGw" targetRef="end"/>'
        + throw("throwCompensation", ref, end=True)
        + flows("start->booking-subprocess", "booking-subprocess->validateBooking",
                "validateBooking->validGw", "validGw->throwCompensation: ${valid == false}"),
    )  # fmt: skip


@pytest.mark.parametrize("activity_ref", [False, True], ids=["scope", "activityRef"])
def test_compensation_event_subprocess(engine: Engine, activity_ref: bool) -> None:
    """CompensateEventTest.testCompensationEventSubProcessWithScope (and the same diagram
    compensating the subprocess by activityRef): compensating a subprocess runs its compensation
    event subprocess, whose throws compensate bookFlight, then bookHotel, one at a time, and
    then its own task (updateCustomerRecord); then the process ends."""
    run = engine.start(_booking_process(activity_ref))
    run.complete("bookFlight")
    run.complete("bookHotel")
    run.complete("validateBooking", {"valid": False})
    assert run.open_tasks() == ["cancelFlight"]
    run.complete("cancelFlight")
    assert run.open_tasks() == ["cancelHotel"]
    run.complete("cancelHotel")
    assert run.open_tasks() == ["updateCustomerRecord"]
    run.complete("updateCustomerRecord")
    assert run.ended


def test_compensation_event_subprocess_not_run_when_valid(engine: Engine) -> None:
    """CompensateEventTest.testCompensationEventSubProcessWithScope (valid booking): without a
    compensate throw, the compensation event subprocess never starts."""
    run = engine.start(_booking_process())
    run.complete("bookFlight")
    run.complete("bookHotel")
    run.complete("validateBooking", {"valid": True})
    assert run.ended
    assert run.ran() == ["validateBooking"] or "updateCustomerRecord" not in run.ran()


def test_compensation_event_subprocess_without_boundary_events(engine: Engine) -> None:
    """CompensateEventTest.testCompensationEventSubprocessWithoutBoundaryEvents: a subprocess
    whose activities have no handlers is compensated by its compensation event subprocess
    (Cancel Flight, then Cancel Hotel)."""
    handler = comp_event_sub(
        "compensationScope",
        user("undoBookFlight")
        + user("undoBookHotel")
        + '<bpmn:endEvent id="endIncompensationScope"/>'
        + flows("compensationScopeStart->undoBookFlight", "undoBookFlight->undoBookHotel",
                "undoBookHotel->endIncompensationScope"),
    )  # fmt: skip
    inner = (
        '<bpmn:startEvent id="startInScope"/>'
        + user("bookHotel")
        + user("bookFlight")
        + '<bpmn:endEvent id="endInScope"/>'
        + handler
        + flows("startInScope->bookHotel", "bookHotel->bookFlight", "bookFlight->endInScope")
    )
    xml = camunda7(
        "compensateProcess",
        '<bpmn:startEvent id="start"/>'
        + sub("scope", inner)
        + user("throwCompensation")
        + throw("throwing")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->scope", "scope->throwCompensation", "throwCompensation->throwing",
                "throwing->end"),
    )  # fmt: skip
    run = engine.start(xml)
    run.complete("bookHotel")
    run.complete("bookFlight")
    run.complete("throwCompensation")
    assert run.open_tasks() == ["undoBookFlight"]
    run.complete("undoBookFlight")
    run.complete("undoBookHotel")
    assert run.ended


def _hotel_flight_event_subs(rethrow: bool) -> str:
    flight_handler = comp_event_sub(
        "compensationScopeFlight",
        user("undoBookFlight")
        + '<bpmn:endEvent id="endInCompensationScopeFlight"/>'
        + flows("compensationScopeFlightStart->undoBookFlight",
                "undoBookFlight->endInCompensationScopeFlight"),
    )  # fmt: skip
    flight = (
        '<bpmn:startEvent id="startInScopeFlight"/>'
        + user("bookFlight")
        + '<bpmn:endEvent id="endInScopeFlight"/>'
        + flight_handler
        + flows("startInScopeFlight->bookFlight", "bookFlight->endInScopeFlight")
    )
    if rethrow:
        hotel_inner = (
            user("undoBookHotel")
            + throw("throwingCompensateFlight")
            + '<bpmn:endEvent id="endInCompensationScope"/>'
            + flows("compensationScopeHotelStart->undoBookHotel",
                    "undoBookHotel->throwingCompensateFlight",
                    "throwingCompensateFlight->endInCompensationScope")
        )  # fmt: skip
    else:
        hotel_inner = (
            user("undoBookHotel")
            + '<bpmn:endEvent id="endInCompensationScope"/>'
            + flows("compensationScopeHotelStart->undoBookHotel",
                    "undoBookHotel->endInCompensationScope")
        )  # fmt: skip
    hotel = (
        '<bpmn:startEvent id="startInScope"/>'
        + user("bookHotel")
        + sub("scopeFlight", flight)
        + '<bpmn:endEvent id="endInScope"/>'
        + comp_event_sub("compensationScopeHotel", hotel_inner)
        + flows("startInScope->bookHotel", "bookHotel->scopeFlight", "scopeFlight->endInScope")
    )
    return camunda7(
        "compensateProcess",
        '<bpmn:startEvent id="start"/>'
        + sub("scopeHotel", hotel)
        + user("throwCompensation")
        + throw("throwing")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->scopeHotel", "scopeHotel->throwCompensation",
                "throwCompensation->throwing", "throwing->end"),
    )  # fmt: skip


def test_compensation_event_subprocess_rethrows(engine: Engine) -> None:
    """CompensateEventTest.testCompensationEventSubprocessReThrowCompensationEvent: the outer
    subprocess's compensation event subprocess runs Cancel Hotel and throws compensation again,
    which runs the inner subprocess's compensation event subprocess (Cancel Flight)."""
    run = engine.start(_hotel_flight_event_subs(rethrow=True))
    run.complete("bookHotel")
    run.complete("bookFlight")
    run.complete("throwCompensation")
    assert run.open_tasks() == ["undoBookHotel"]
    run.complete("undoBookHotel")
    assert run.open_tasks() == ["undoBookFlight"]
    run.complete("undoBookFlight")
    assert run.ended


def test_compensation_event_subprocess_consumes(engine: Engine) -> None:
    """CompensateEventTest.testCompensationEventSubprocessConsumeCompensationEvent: a compensation
    event subprocess that throws nothing consumes the compensation: the inner subprocess's
    handler (Cancel Flight) never runs."""
    run = engine.start(_hotel_flight_event_subs(rethrow=False))
    run.complete("bookHotel")
    run.complete("bookFlight")
    run.complete("throwCompensation")
    assert run.open_tasks() == ["undoBookHotel"]
    run.complete("undoBookHotel")
    assert run.ended


@pytest.mark.parametrize("parallel", [False, True], ids=["sequential", "parallel"])
def test_compensate_mi_subprocess_with_compensation_event_subprocess(
    engine: Engine, parallel: bool
) -> None:
    """CompensateEventTest.testCompensateMiSubprocessWithCompensationEventSubProcess and
    testCompensateParallelMiSubprocessWithCompensationEventSubProcess: each of the 2 completed
    instances of the subprocess runs its compensation event subprocess (2 Cancel Flight, 2
    Cancel Hotel, 2 Update Customer Record)."""
    handler = comp_event_sub(
        "compensationSubProcess",
        throw("compensateFlight", "bookFlight")
        + throw("compensateHotel", "bookHotel")
        + user("updateCustomerRecord")
        + '<bpmn:endEvent id="endCompensationSubProcess"/>'
        + flows("compensationSubProcessStart->compensateFlight",
                "compensateFlight->compensateHotel", "compensateHotel->updateCustomerRecord",
                "updateCustomerRecord->endCompensationSubProcess"),
    )  # fmt: skip
    inner = mi(
        '<bpmn:startEvent id="startSubprocess"/>'
        + user("bookFlight")
        + user("bookHotel")
        + comp_boundary("boundaryEvent_bookFlight", "bookFlight", "cancelFlight")
        + undo_user("cancelFlight")
        + comp_boundary("boundaryEvent_bookHotel", "bookHotel", "cancelHotel")
        + undo_user("cancelHotel")
        + '<bpmn:endEvent id="endSubprocess"/>'
        + handler
        + flows("startSubprocess->bookFlight", "bookFlight->bookHotel",
                "bookHotel->endSubprocess"),
        2,
        sequential=not parallel,
    )  # fmt: skip
    xml = camunda7(
        "bookingProcess",
        '<bpmn:startEvent id="start"/>'
        + sub("booking-subprocess", inner)
        + user("validateBooking")
        + '<bpmn:exclusiveGateway id="validGw" default="valid"/>'
        + '<bpmn:endEvent id="end"/>'
        + '<bpmn:sequenceFlow id="valid" sourceRef="validGw" targetRef="end"/>'
        + throw("throwCompensation", end=True)
        + flows("start->booking-subprocess", "booking-subprocess->validateBooking",
                "validateBooking->validGw", "validGw->throwCompensation: ${valid == false}"),
    )  # fmt: skip
    run = engine.start(xml)
    for _ in range(2):
        complete_all(run, "bookFlight")
        complete_all(run, "bookHotel")
    run.complete("validateBooking", {"valid": False})
    for element in ("cancelFlight", "cancelHotel", "updateCustomerRecord"):
        for _ in range(2):
            run.complete(element)
    assert run.ended


def _error_event_sub_throw(in_subprocess: bool) -> str:
    event_sub = sub(
        "eventSubProcess",
        '<bpmn:startEvent id="startEventSubProcess"><bpmn:errorEventDefinition errorRef="err"/>'
        "</bpmn:startEvent>"
        + throw("throwCompensate", "bookHotel")
        + '<bpmn:endEvent id="endEventSubProcess"/>'
        + flows("startEventSubProcess->throwCompensate", "throwCompensate->endEventSubProcess"),
        'triggeredByEvent="true"',
    )  # fmt: skip
    body = (
        _two_mi_bookings().replace('<bpmn:startEvent id="start"/>', '<bpmn:startEvent id="s0"/>')
        + '<bpmn:endEvent id="endError"><bpmn:errorEventDefinition errorRef="err"/>'
        "</bpmn:endEvent>"
        + event_sub
        + flows("s0->fork", "fork->bookHotel", "fork->bookFlight", "bookHotel->join",
                "bookFlight->join", "join->endError")
    )  # fmt: skip
    if in_subprocess:
        body = (
            '<bpmn:startEvent id="start"/>'
            + sub("subProcess", body)
            + '<bpmn:endEvent id="end"/>'
            + flows("start->subProcess", "subProcess->end")
        )
    else:
        body = body.replace('id="s0"', 'id="start"').replace('"s0"', '"start"')
    return camunda7("compensateProcess", body, '<bpmn:error id="err" errorCode="e"/>')


@pytest.mark.parametrize("in_subprocess", [False, True], ids=["process", "subprocess"])
def test_compensate_activity_ref_triggered_by_event_subprocess(
    engine: Engine, in_subprocess: bool
) -> None:
    """CompensateEventTest.testCompensateActivityRefTriggeredByEventSubprocess and
    testCompensateActivityRefTriggeredByEventSubprocessInSubProcess: a throw inside an
    error-started event subprocess compensates activityRef bookHotel of the scope around it
    (5 runs of undoBookHotel, none of undoBookFlight); the instance ends."""
    run = engine.start(
        _error_event_sub_throw(in_subprocess), {"undoBookHotel": None, "undoBookFlight": None}
    )
    assert run.ended, run.error
    assert run.ran().count("undoBookHotel") == 5
    assert "undoBookFlight" not in run.ran()


def test_compensation_event_subprocess_at_process_level_fails(engine: Engine) -> None:
    """CompensationEventParseInvalidProcessTest.compensationEventSubProcessesAtProcessLevel: a
    compensation event subprocess directly in a process is refused at deployment."""
    body = (
        '<bpmn:startEvent id="start"/>'
        + user("task")
        + '<bpmn:endEvent id="end"/>'
        + comp_event_sub(
            "compensationSubProcess",
            '<bpmn:endEvent id="compEnd"/>' + flows("compensationSubProcessStart->compEnd"),
        )
        + flows("start->task", "task->end")
    )
    engine.refused(
        camunda7("p", body), element="compensationSubProcessStart", says="embedded subprocess"
    )


def test_compensation_event_subprocess_and_boundary_event_fail(engine: Engine) -> None:
    """CompensationEventParseInvalidProcessTest.compensationEventSubprocessAndBoundaryEvent: a
    subprocess with both a compensation boundary event and a compensation event subprocess is
    refused at deployment."""
    inner = (
        '<bpmn:startEvent id="startInScope"/>'
        + user("task")
        + '<bpmn:endEvent id="endInScope"/>'
        + comp_event_sub(
            "compensationSubProcess",
            '<bpmn:endEvent id="compEnd"/>' + flows("compensationSubProcessStart->compEnd"),
        )
        + flows("startInScope->task", "task->endInScope")
    )
    body = (
        '<bpmn:startEvent id="start"/>'
        + sub("subProcess", inner)
        + comp_boundary("compensationBoundary", "subProcess", "undoSubProcess")
        + undo_user("undoSubProcess")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->subProcess", "subProcess->end")
    )
    engine.refused(camunda7("p", body), element="compensationSubProcess", says="both")


def test_service_task_handlers_run_as_connector_jobs(engine: Engine) -> None:
    """CompensateEventTest.testCompensateScope with external service tasks (Camunda 7's
    ``camunda:type="external"``): the handlers of two completed service tasks are connector
    jobs, run latest completion first; the throw waits for both, then the process ends."""
    undo = engine.connector(FakeConnector("undo", lambda call: {f"undone_{call.element_id}": 1}))
    book = engine.connector(FakeConnector("book", lambda call: {}))

    def external(tid: str, topic: str, attrs: str = "") -> str:
        return (
            f'<bpmn:serviceTask id="{tid}" camunda:type="external" camunda:topic="{topic}"'
            f" {attrs}/>"
        )

    body = (
        '<bpmn:startEvent id="start"/>'
        + external("bookHotel", "book")
        + comp_boundary("compensateBookHotelEvt", "bookHotel", "undoBookHotel")
        + external("undoBookHotel", "undo", 'isForCompensation="true"')
        + external("bookFlight", "book")
        + comp_boundary("compensateBookFlightEvt", "bookFlight", "undoBookFlight")
        + external("undoBookFlight", "undo", 'isForCompensation="true"')
        + throw("throwCompensate")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->bookHotel", "bookHotel->bookFlight", "bookFlight->throwCompensate",
                "throwCompensate->end")
    )  # fmt: skip
    run = engine.start(camunda7("compensateProcess", body))
    engine.work()
    assert run.ended, run.error
    assert [c.element_id for c in book.calls] == ["bookHotel", "bookFlight"]
    assert [c.element_id for c in undo.calls] == ["undoBookFlight", "undoBookHotel"]
    assert run.data["undone_undoBookHotel"] == 1 and run.data["undone_undoBookFlight"] == 1


def test_multiple_compensation_event_subprocesses_fail(engine: Engine) -> None:
    """CompensationEventParseInvalidProcessTest.multipleCompensationEventSubProcesses: two
    compensation event subprocesses in one subprocess are refused at deployment, naming the
    second one's start event."""

    def handler(n: int) -> str:
        return comp_event_sub(
            f"compensationScope{n}",
            f'<bpmn:endEvent id="end{n}"/>' + flows(f"compensationScope{n}Start->end{n}"),
        )

    inner = (
        '<bpmn:startEvent id="startInScope"/>'
        + user("task")
        + '<bpmn:endEvent id="endInScope"/>'
        + handler(1)
        + handler(2)
        + flows("startInScope->task", "task->endInScope")
    )
    body = (
        '<bpmn:startEvent id="start"/>'
        + sub("subProcess", inner)
        + '<bpmn:endEvent id="end"/>'
        + flows("start->subProcess", "subProcess->end")
    )
    engine.refused(camunda7("p", body), element="compensationScope", says="two compensation")


def test_boundary_associated_with_a_non_handler_fails(engine: Engine) -> None:
    """CompensationEventParseInvalidProcessTest.multipleCompensationCatchEventsCompensation
    AttributeMissingFails: a compensation boundary event associated with an activity that is not
    ``isForCompensation`` is refused at deployment."""
    body = (
        '<bpmn:startEvent id="start"/>'
        + script("bookHotel", "done = 1")
        + comp_boundary("compensateBookHotelEvt", "bookHotel", "undoBookHotel")
        + script("undoBookHotel", "undone = 1")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->bookHotel", "bookHotel->end", "undoBookHotel->end")
    )
    engine.refused(camunda7("p", body), element="compensateBookHotelEvt", says="handler")


def test_illegal_activity_ref_parent_scope(engine: Engine) -> None:
    """CompensationEventParseInvalidProcessTest.illegalCompensateActivityRefParentScope: a throw
    in a subprocess naming an activity of the process around it is refused at deployment."""
    inner = (
        '<bpmn:startEvent id="startInScope"/>'
        + throw("throwCompensate", "someServiceInMainProcess")
        + '<bpmn:endEvent id="endInScope"/>'
        + flows("startInScope->throwCompensate", "throwCompensate->endInScope")
    )
    body = (
        '<bpmn:startEvent id="start"/>'
        + script("someServiceInMainProcess", "done = 1")
        + comp_boundary("b", "someServiceInMainProcess", "undoService")
        + undo_script("undoService")
        + sub("subProcess", inner)
        + '<bpmn:endEvent id="end"/>'
        + flows("start->someServiceInMainProcess", "someServiceInMainProcess->subProcess",
                "subProcess->end")
    )  # fmt: skip
    engine.refused(camunda7("p", body), element="throwCompensate", says="activityRef")


def _event_sub_with_own_activity(ref: str | None) -> str:
    event_sub = sub(
        "eventSubProcess",
        '<bpmn:startEvent id="startSubProcess"><bpmn:errorEventDefinition errorRef="err"/>'
        "</bpmn:startEvent>"
        + mi_script("bookSecondHotel", "booked = True")
        + comp_boundary("compensateBookSecondHotelEvt", "bookSecondHotel", "undoBookSecondHotel")
        + undo_script("undoBookSecondHotel")
        + throw("throwCompensate", ref)
        + '<bpmn:endEvent id="endSubProcess"/>'
        + flows("startSubProcess->bookSecondHotel", "bookSecondHotel->throwCompensate",
                "throwCompensate->endSubProcess"),
        'triggeredByEvent="true"',
    )  # fmt: skip
    body = (
        _two_mi_bookings()
        + '<bpmn:endEvent id="endError"><bpmn:errorEventDefinition errorRef="err"/>'
        "</bpmn:endEvent>"
        + event_sub
        + flows("start->fork", "fork->bookHotel", "fork->bookFlight", "bookHotel->join",
                "bookFlight->join", "join->endError")
    )  # fmt: skip
    return camunda7("compensateProcess", body, '<bpmn:error id="err" errorCode="e"/>')


UNDO_ALL = {"undoBookHotel": None, "undoBookFlight": None, "undoBookSecondHotel": None}


def test_compensate_activity_ref_in_event_subprocess(engine: Engine) -> None:
    """CompensateEventTest.testCompensateActivityRefInEventSubprocess: a throw in an event
    subprocess naming an activity of the event subprocess compensates that activity only (5
    runs of undoBookSecondHotel; undoBookFlight and undoBookHotel never run)."""
    run = engine.start(_event_sub_with_own_activity("bookSecondHotel"), UNDO_ALL)
    assert run.ended, run.error
    assert run.ran().count("undoBookSecondHotel") == 5
    assert "undoBookHotel" not in run.ran() and "undoBookFlight" not in run.ran()


def test_compensate_in_event_subprocess(engine: Engine) -> None:
    """CompensateEventTest.testCompensateInEventSubprocess: a throw without activityRef in an
    event subprocess compensates the event subprocess's activities and those of the scope
    around it (undoBookSecondHotel, undoBookFlight and undoBookHotel each 5 times)."""
    run = engine.start(_event_sub_with_own_activity(None), UNDO_ALL)
    assert run.ended, run.error
    ran = run.ran()
    assert ran.count("undoBookSecondHotel") == 5
    assert ran.count("undoBookHotel") == 5 and ran.count("undoBookFlight") == 5
    assert ran.index("undoBookSecondHotel") < ran.index("undoBookHotel")


def test_default_compensation_handler_history(engine: Engine) -> None:
    """CompensateEventHistoryTest.testDefaultCompensationHandlerHistoryActivityInstance: the
    handler of an activity in a completed subprocess, compensated by a throw in the process, is
    one user task; completing it is recorded once in the history, and the process ends."""
    inner = (
        '<bpmn:startEvent id="subProcessStart"/>'
        + script("activity", "done = True")
        + '<bpmn:endEvent id="subProcessEnd"/>'
        + comp_boundary("compensateBoundaryEvt", "activity", "compensationHandler")
        + undo_user("compensationHandler")
        + flows("subProcessStart->activity", "activity->subProcessEnd")
    )
    body = (
        '<bpmn:startEvent id="start"/>'
        + sub("subProcess", inner)
        + user("beforeCompensate")
        + throw("throwCompensate")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->subProcess", "subProcess->beforeCompensate",
                "beforeCompensate->throwCompensate", "throwCompensate->end")
    )  # fmt: skip
    run = engine.start(camunda7("defaultHandlerProcess", body))
    run.complete("beforeCompensate")
    assert run.open_tasks() == ["compensationHandler"]
    run.complete("compensationHandler")
    assert run.ended
    completed = [el for _, el, _ in run.events("task_completed")]
    assert completed.count("compensationHandler") == 1
    [(_, element, data)] = run.events("compensation")
    assert element == "throwCompensate" and data["handlers"] == ["compensationHandler"]


#: Camunda 7 passes a call activity only the variables its camunda:in / camunda:out name.
IN_OUT_ALL = (
    '<bpmn:extensionElements><camunda:in variables="all"/><camunda:out variables="all"/>'
    "</bpmn:extensionElements></bpmn:callActivity>"
)


def test_call_activity_compensation_handler(engine: Engine) -> None:
    """CompensateEventTest.testCallActivityCompensationHandler: a call activity can be the
    handler; compensating the 5 instances of a multi-instance subprocess calls the handler
    process 5 times, then the process goes on."""
    inner = mi(
        '<bpmn:startEvent id="startInScope"/>'
        + script("bookHotel", "booked = True")
        + comp_boundary("compensateBookHotelEvt", "bookHotel", "undoBookHotel")
        + '<bpmn:callActivity id="undoBookHotel" isForCompensation="true"'
        ' calledElement="compensationHandler">'
        + IN_OUT_ALL
        + '<bpmn:endEvent id="endInScope"/>'
        + flows("startInScope->bookHotel", "bookHotel->endInScope")
    )
    main = camunda7(
        "compensateProcess",
        '<bpmn:startEvent id="start"/>'
        + sub("scope", inner)
        + throw("throwCompensate", "scope")
        + user("beforeEnd")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->scope", "scope->throwCompensate", "throwCompensate->beforeEnd",
                "beforeEnd->end"),
    )  # fmt: skip
    handler = camunda7(
        "compensationHandler",
        '<bpmn:startEvent id="hStart"/>'
        + script("handled", "handled = (handled or 0) + 1")
        + '<bpmn:endEvent id="hEnd"/>'
        + flows("hStart->handled", "handled->hEnd"),
    )
    engine.deploy(main, handler)
    run = engine.start("compensateProcess", {"handled": None})
    assert run.ran().count("undoBookHotel") == 5
    assert run.data["handled"] == 5
    run.complete("beforeEnd")
    assert run.ended


def test_compensation_inside_a_called_process(engine: Engine) -> None:
    """CompensateEventTest.testCompensateScope, in a process another one calls (its own file):
    the called process compensates its own completed activity; the caller goes on after it."""
    called = camunda7(
        "called",
        '<bpmn:startEvent id="cStart"/>'
        + script("bookHotel", "booked = True")
        + comp_boundary("compensateBookHotelEvt", "bookHotel", "undoBookHotel")
        + undo_script("undoBookHotel")
        + throw("throwCompensate", end=True)
        + flows("cStart->bookHotel", "bookHotel->throwCompensate"),
    )
    caller = camunda7(
        "caller",
        '<bpmn:startEvent id="start"/>'
        + '<bpmn:callActivity id="call" calledElement="called">'
        + IN_OUT_ALL
        + user("after")
        + '<bpmn:endEvent id="end"/>'
        + flows("start->call", "call->after", "after->end"),
    )
    engine.deploy(caller, called)
    run = engine.start("caller", {"undoBookHotel": None})
    assert run.ran().count("undoBookHotel") == 1
    run.complete("after")
    assert run.ended


def test_activity_completed_in_a_loop_is_compensated_per_completion(engine: Engine) -> None:
    """CompensateEventTest.testCompensateScope with the activity repeated by a gateway loop (3
    times) instead of a multi-instance loop: each completion is compensated once, the latest
    first (the handler reads the variables as the loop left them)."""
    body = (
        '<bpmn:startEvent id="start"/>'
        + script("bookHotel", "n = n + 1\nbooked = booked + [n]")
        + comp_boundary("compensateBookHotelEvt", "bookHotel", "undoBookHotel")
        + undo_script("undoBookHotel", "undone = undone + [n]\nn = n - 1")
        + '<bpmn:exclusiveGateway id="again" default="f_done"/>'
        + throw("throwCompensate")
        + '<bpmn:endEvent id="end"/>'
        + '<bpmn:sequenceFlow id="f_done" sourceRef="again" targetRef="throwCompensate"/>'
        + flows("start->bookHotel", "bookHotel->again", "again->bookHotel: ${n < 3}",
                "throwCompensate->end")
    )  # fmt: skip
    run = engine.start(camunda7("compensateProcess", body), {"n": 0, "booked": [], "undone": []})
    assert run.ended, run.error
    assert run.data["booked"] == [1, 2, 3]
    assert run.data["undone"] == [3, 2, 1]
    assert run.ran().count("undoBookHotel") == 3
