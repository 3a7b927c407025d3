"""Failed calls: retried by the worker, thrown as BPMN errors, or incidents until retried."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from seamline.app import App
from seamline.store.records import JobStatus
from tests.integration.connectors_engine.helpers import FakeClock, cli, diagram
from tests.integration.connectors_engine.server import Reply, ScriptedServer

C8_DATA = {"orderId": "B-2", "quantity": 5, "timeoutSeconds": 5}


def test_500_schedules_a_retry_that_the_worker_runs_when_due(
    app: App, server: ScriptedServer, clock: FakeClock
) -> None:
    server.script("/orders/B-2", Reply(500, {"error": "busy"}), Reply(200, {"confirmed": True}))
    view = app.run(diagram("camunda8-rest.bpmn"), {"baseUrl": server.url, **C8_DATA})
    assert view.instance.status.value == "waiting"
    assert [(w.element, w.kind) for w in view.waiting] == [("Task_Confirm", "connector")]
    [job] = app.store.runnable_jobs(clock.now + dt.timedelta(hours=1), 10)
    assert job.status is JobStatus.PENDING
    assert job.attempt == 2
    assert job.run_at > clock.now  # retryBackoff PT1S
    assert "answered 500" in (job.last_error or "")

    # Not due yet: the worker leaves it alone.
    assert app.worker().run_once() == 0
    assert len(server.requests("/orders/B-2")) == 1

    clock.advance(2)
    assert app.worker().run_once() == 1
    done = app.show(view.instance.id)
    assert done.instance.status.value == "completed", done.instance.error
    assert done.instance.data["reply"]["body"] == {"confirmed": True}
    first, second = server.requests("/orders/B-2")
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"]
    kinds = [e.kind for e in done.history or ()]
    assert "connector_retry" in kinds and kinds[-1] == "instance_completed"


def test_404_is_a_bpmn_error_caught_by_the_boundary_event(app: App, server: ScriptedServer) -> None:
    server.script("/orders/Z-0", Reply(404, {"error": "no such order"}))
    view = app.run(
        diagram("camunda7-http.bpmn"), {"baseUrl": server.url, "orderId": "Z-0", "quantity": 1}
    )
    assert view.instance.status.value == "completed", view.instance.error
    history = app.show(view.instance.id).history or ()
    thrown = [e for e in history if e.kind == "bpmn_error"]
    assert [(e.element_id, e.data["code"]) for e in thrown] == [("Task_Confirm", "HTTP_404")]
    # The boundary path ran: the error's code reached the data, the output mapping did not.
    assert "httpStatus" not in view.instance.data
    assert view.instance.data["errorCode"] == "HTTP_404"


def test_spiff_boundary_event_catches_the_http_error_with_its_payload(
    app: App, server: ScriptedServer
) -> None:
    server.script("/orders/C-9", Reply(403, {"reason": "account frozen"}))
    view = app.run(
        diagram("spiff-http.bpmn"), {"base_url": server.url, "order_id": "C-9", "quantity": 1}
    )
    assert view.instance.status.value == "completed", view.instance.error
    refusal = view.instance.data["refusal"]  # the error's spiffworkflow:variableName
    assert refusal["errorCode"] == "HTTP_403"
    assert refusal["status"] == 403
    assert refusal["body"] == {"reason": "account frozen"}
    assert "confirmed" not in view.instance.data


def test_timeouts_become_an_incident_then_cli_retry_completes(
    sqlite_app: App, db: Path, server: ScriptedServer, clock: FakeClock
) -> None:
    app = sqlite_app
    server.script("/orders/B-2", Reply(200, {"late": True}, stall=10))
    data = {**C8_DATA, "baseUrl": server.url, "timeoutSeconds": 0.3}
    view = app.run(diagram("camunda8-rest.bpmn"), data)
    assert view.instance.status.value == "waiting"  # attempt 1 of 2 timed out

    clock.advance(2)
    app.worker().run_once()
    failed = app.show(view.instance.id)
    assert failed.instance.status.value == "incident"
    assert "Task_Confirm" in (failed.instance.error or "")
    assert "gave up after attempt 2 of 2" in (failed.instance.error or "")
    assert "timed out" in (failed.instance.error or "")
    assert len(server.requests("/orders/B-2")) == 2

    server.script("/orders/B-2", Reply(200, {"confirmed": True}))
    done = cli(db, "retry", view.instance.id, "--json")
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["status"] == "completed"
    assert shown["data"]["reply"]["body"] == {"confirmed": True}
    assert len(server.requests("/orders/B-2")) == 3
