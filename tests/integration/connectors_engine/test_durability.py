"""A crash between the pending-job commit and the result commit re-invokes with the same key."""

from __future__ import annotations

import pytest

from seamline.app import App
from seamline.connectors.base import ConnectorCall, ConnectorResult
from seamline.connectors.http import HttpConnector
from seamline.connectors.registry import ConnectorRegistry
from seamline.connectors.secrets import Secrets
from seamline.engine.jobs import DEFAULT_LEASE_SECONDS, LEASE_MARGIN_SECONDS
from seamline.store.base import Store
from seamline.store.records import InstanceStatus, JobStatus
from tests.integration.connectors_engine.helpers import TOKEN, FakeClock, diagram
from tests.integration.connectors_engine.server import Reply, ScriptedServer


class Crash(BaseException):
    """Stands for the process dying: nothing in seamline catches a BaseException."""


class CrashAfterFirstCall:
    """The http connector, but the process "dies" once the first request has been answered."""

    name = "http"
    description = "http that crashes once"
    parameters = HttpConnector.parameters

    def __init__(self) -> None:
        self.inner = HttpConnector()
        self.crashed = False

    def invoke(self, call: ConnectorCall) -> ConnectorResult:
        result = self.inner.invoke(call)
        if not self.crashed:
            self.crashed = True
            raise Crash
        return result


def _app(store: Store, clock: FakeClock, connector: object) -> App:
    registry = ConnectorRegistry()
    registry.register(connector)  # type: ignore[arg-type]
    return App(store, connectors=registry, clock=clock, secrets=Secrets({"API_TOKEN": TOKEN}))


#: Past any job lease: the connector's timeout (none set here) plus the margin.
LEASE = DEFAULT_LEASE_SECONDS + LEASE_MARGIN_SECONDS + 1


def test_crash_mid_call_is_reinvoked_by_the_worker_with_the_same_key(
    sqlite_app: App, server: ScriptedServer, clock: FakeClock
) -> None:
    server.script("/orders/K-1", Reply(200, {"confirmed": True}))
    crashing = _app(sqlite_app.store, clock, CrashAfterFirstCall())
    data = {"baseUrl": server.url, "orderId": "K-1", "quantity": 1}
    with pytest.raises(Crash):
        crashing.run(diagram("camunda7-http.bpmn"), data)
    [instance] = sqlite_app.instances()
    # What survived the crash: the checkpoint taken before the call, its job running under a
    # lease, which keeps every other process off it while the call may still be in flight.
    assert instance.status is InstanceStatus.RUNNING
    assert not sqlite_app.store.runnable_jobs(clock.now, 10)
    assert sqlite_app.worker().run_once() == 0
    clock.advance(LEASE)
    [job] = sqlite_app.store.runnable_jobs(clock.now, 10)
    assert job.status is JobStatus.RUNNING and job.attempt == 1
    assert job.element_id == "Task_Confirm"

    # Once the lease ran out, a fresh process (a new App on the same store) runs it again.
    assert sqlite_app.worker().run_once() == 1
    done = sqlite_app.show(instance.id)
    assert done.instance.status is InstanceStatus.COMPLETED, done.instance.error
    assert done.instance.data["confirmation"] == {"confirmed": True}
    first, second = server.requests("/orders/K-1")
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"]
    assert first.headers["Idempotency-Key"] == job.idempotency_key
    started = [e for e in done.history or () if e.kind == "connector_started"]
    assert [e.data["attempt"] for e in started] == [1, 1]
    assert not sqlite_app.store.runnable_jobs(clock.now, 10)


def test_resume_after_a_crash_reinvokes_too(
    sqlite_app: App, server: ScriptedServer, clock: FakeClock
) -> None:
    server.script("/orders/K-2", Reply(200, {"confirmed": True}))
    crashing = _app(sqlite_app.store, clock, CrashAfterFirstCall())
    with pytest.raises(Crash):
        crashing.run(
            diagram("camunda7-http.bpmn"), {"baseUrl": server.url, "orderId": "K-2", "quantity": 1}
        )
    [instance] = sqlite_app.instances()
    waiting = sqlite_app.resume(instance.id)  # the lease still holds: nothing is called again
    assert [w.kind for w in waiting.waiting] == ["connector"]
    assert len(server.requests("/orders/K-2")) == 1
    clock.advance(LEASE)
    view = sqlite_app.resume(instance.id)
    assert view.instance.status is InstanceStatus.COMPLETED, view.instance.error
    keys = {r.headers["Idempotency-Key"] for r in server.requests("/orders/K-2")}
    assert len(server.requests("/orders/K-2")) == 2 and len(keys) == 1
