"""Messages and signals: correlation, buffering, idempotence, start events, event gateways."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from seamline.app import App
from seamline.errors import UnmatchedMessage
from tests.integration.waiting import diagrams as d
from tests.integration.waiting.conftest import START


def status(app: App, iid: str) -> str:
    return app.show(iid).instance.status.value


def test_zeebe_correlation_key_picks_the_right_instance(
    app: App, diagram: Callable[..., Path]
) -> None:
    path = diagram(d.zeebe_message_catch())
    a = app.run(path, {"orderId": "A1"}).instance.id
    b = app.run(path, {"orderId": "B2"}).instance.id
    delivery = app.message("paid", key="B2", data={"amount": 30})
    assert delivery.outcome == "correlated"
    assert delivery.instances == (b,)
    assert status(app, b) == "completed"
    assert app.show(b).instance.data["amount"] == 30
    assert status(app, a) == "waiting"
    received = [e for e in app.store.list_events(b) if e.kind == "message_received"]
    assert [(e.element_id, e.data["name"]) for e in received] == [("await_payment", "paid")]


def test_business_key_correlates_plain_diagrams(app: App, diagram: Callable[..., Path]) -> None:
    path = diagram(d.message_catch())
    a = app.run(path, business_key="order-1").instance.id
    b = app.run(path, business_key="order-2").instance.id
    for iid in (a, b):
        (task,) = app.tasks(instance_id=iid)
        app.complete(task.id, {})
    delivery = app.message("paid", key="order-1")
    assert delivery.instances == (a,)
    assert status(app, a) == "completed"
    assert status(app, b) == "waiting"


def test_buffered_message_is_taken_when_the_instance_starts_waiting(
    app: App, now: list[dt.datetime], diagram: Callable[..., Path]
) -> None:
    path = diagram(d.message_catch())
    iid = app.run(path, business_key="order-7").instance.id
    early = app.message("paid", key="order-7", data={"paid": True}, ttl=dt.timedelta(minutes=30))
    assert early.outcome == "buffered"
    assert early.expires_at == START + dt.timedelta(minutes=30)
    now[0] = START + dt.timedelta(minutes=10)
    (task,) = app.tasks(instance_id=iid)
    view = app.complete(task.id, {})
    assert view.instance.status.value == "completed"
    assert view.instance.data["paid"] is True


def test_resending_the_same_id_is_harmless(app: App, diagram: Callable[..., Path]) -> None:
    path = diagram(d.zeebe_message_catch())
    a = app.run(path, {"orderId": "A1"}).instance.id
    b = app.run(path, {"orderId": "A1"}).instance.id
    first = app.message("paid", key="A1", message_id="msg-1")
    again = app.message("paid", key="A1", message_id="msg-1")
    assert first.outcome == "correlated"
    assert again.outcome == "duplicate"
    assert sorted(status(app, i) for i in (a, b)) == ["completed", "waiting"]


def test_message_start_event_starts_an_instance(app: App, diagram: Callable[..., Path]) -> None:
    app.deploy([diagram(d.message_start())])
    delivery = app.message("application", key="app-1", data={"applicant": "Ada"})
    assert delivery.outcome == "started"
    (iid,) = delivery.instances
    view = app.show(iid)
    assert view.instance.business_key == "app-1"
    assert view.instance.data["applicant"] == "Ada"
    assert [w.element for w in view.waiting] == ["review"]


def test_a_rejected_message_can_be_sent_again(app: App, diagram) -> None:
    with pytest.raises(UnmatchedMessage):
        app.message("application", message_id="m-1", ttl=dt.timedelta(0))
    app.deploy([diagram(d.message_start(), "intake.bpmn")])
    delivery = app.message("application", message_id="m-1", ttl=dt.timedelta(0))
    assert delivery.outcome == "started"


def test_ttl_zero_rejects_an_unmatched_message(app: App) -> None:
    with pytest.raises(UnmatchedMessage) as caught:
        app.message("nobody-waits", key="k", ttl=dt.timedelta(0))
    text = str(caught.value)
    assert "nobody-waits" in text and "'k'" in text and "--ttl" in text
    assert "\n" not in text


def test_signal_reaches_every_waiting_instance(app: App, diagram: Callable[..., Path]) -> None:
    path = diagram(d.signal_catch())
    ids = {app.run(path).instance.id for _ in range(3)}
    delivery = app.signal("stop")
    assert set(delivery.instances) == ids
    for iid in ids:
        view = app.show(iid)
        assert view.instance.status.value == "completed"
        assert view.instance.data["stopped"] is True


def test_signal_start_event(app: App, diagram: Callable[..., Path]) -> None:
    app.deploy([diagram(d.signal_start())])
    delivery = app.signal("alarm", data={"zone": "north"})
    (iid,) = delivery.instances
    view = app.show(iid)
    assert view.instance.data["zone"] == "north"
    assert [w.element for w in view.waiting] == ["respond"]


def test_event_gateway_message_first_cancels_the_timer(
    app: App, now: list[dt.datetime], diagram: Callable[..., Path]
) -> None:
    iid = app.run(diagram(d.event_gateway()), business_key="o1").instance.id
    assert app.message("paid", key="o1").instances == (iid,)
    view = app.show(iid)
    assert view.instance.status.value == "completed"
    assert view.instance.data["outcome"] == "shipped"
    now[0] = START + dt.timedelta(hours=2)
    assert app.worker().run_once() == 0
    assert app.store.find_subscriptions("message", "paid", "o1") == []


def test_event_gateway_timer_first_cancels_the_message(
    app: App, now: list[dt.datetime], diagram: Callable[..., Path]
) -> None:
    iid = app.run(diagram(d.event_gateway("PT1H")), business_key="o2").instance.id
    now[0] = START + dt.timedelta(hours=1, seconds=1)
    assert app.worker().run_once() == 1
    view = app.show(iid)
    assert view.instance.data["outcome"] == "cancelled"
    assert app.store.find_subscriptions("message", "paid", "o2") == []


def test_receive_task_waits_for_its_message(app: App, diagram: Callable[..., Path]) -> None:
    view = app.run(diagram(d.receive_task()), business_key="case-1")
    assert [(w.element, w.kind) for w in view.waiting] == [("await_docs", "message")]
    delivery = app.message("documents", key="case-1", data={"pages": 4})
    assert delivery.instances == (view.instance.id,)
    done = app.show(view.instance.id)
    assert done.instance.status.value == "completed"
    assert done.instance.data["pages"] == 4
