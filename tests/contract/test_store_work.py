"""The Store contract for the worker: timers, subscriptions, jobs, leases and messages."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from seamline.errors import InstanceChanged, MessageTaken, NotFound
from seamline.store import Commit, Instance, JobStatus, Store
from seamline.store.records import InstanceStatus

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def step(store: Store, inst: Instance, **kw: Any) -> Instance:
    """Commit the next version of ``inst`` with these projections."""
    return store.commit(Commit(replace(inst, version=inst.version + 1), inst.version, b"", **kw))


# -- timers ------------------------------------------------------------------------------------


def test_timers_are_replaced_per_instance_and_kept_when_none(store: Store, make: Any) -> None:
    a, b = make.create(store, "a"), make.create(store, "b")
    a = step(store, a, timers=[make.timer("a", at(10), id="a1"), make.timer("a", at(5), id="a2")])
    step(store, b, timers=[make.timer("b", at(7), id="b1", data={"cycle": "R3/PT1M"})])
    assert store.next_timer_due() == at(5)
    assert [t.id for t in store.due_timers(at(7))] == ["a2", "b1"]
    assert store.due_timers(at(7))[1].data == {"cycle": "R3/PT1M"}
    assert [t.id for t in store.due_timers(at(60), limit=2)] == ["a2", "b1"]
    a = step(store, a)  # timers=None leaves them alone
    assert [t.id for t in store.due_timers(at(60))] == ["a2", "b1", "a1"]
    step(store, a, timers=[make.timer("a", at(20), id="a3")])
    assert [t.id for t in store.due_timers(at(60))] == ["b1", "a3"]
    assert store.due_timers(at(6)) == []


def test_no_timers_no_next_due(store: Store, make: Any) -> None:
    assert store.next_timer_due() is None
    inst = make.create(store)
    step(store, inst, timers=[])
    assert store.next_timer_due() is None


# -- subscriptions -----------------------------------------------------------------------------


def test_subscriptions_match_by_kind_name_and_key(store: Store, make: Any) -> None:
    a, b, c = (make.create(store, n) for n in "abc")
    step(store, a, subscriptions=[make.subscription("a", "paid", "order-1")])
    step(store, b, subscriptions=[make.subscription("b", "paid", None)])
    step(
        store,
        c,
        subscriptions=[
            make.subscription("c", "paid", "order-2"),
            make.subscription("c", "stop", None, kind="signal", element_id="Boundary"),
        ],
    )

    def found(kind: str, name: str, key: str | None) -> list[str]:
        return [s.instance_id for s in store.find_subscriptions(kind, name, key)]

    assert found("message", "paid", "order-1") == ["a", "b"]
    assert found("message", "paid", None) == ["a", "b", "c"]
    assert found("signal", "stop", None) == ["c"]
    assert found("message", "stop", None) == []
    assert store.find_subscriptions("signal", "stop", None)[0].element_id == "Boundary"


def test_subscriptions_replaced_and_kept(store: Store, make: Any) -> None:
    inst = make.create(store)
    inst = step(store, inst, subscriptions=[make.subscription(inst.id, "paid", "k")])
    inst = step(store, inst)
    assert len(store.find_subscriptions("message", "paid", "k")) == 1
    step(store, inst, subscriptions=[])
    assert store.find_subscriptions("message", "paid", "k") == []


# -- jobs --------------------------------------------------------------------------------------


def test_jobs_are_upserted_and_run_when_due(store: Store, make: Any) -> None:
    inst = make.create(store)
    now_job = make.job(inst.id, at(0), id="now", params={"amount": Decimal("9.99")})
    later_job = make.job(inst.id, at(30), id="later")
    inst = step(store, inst, jobs=[now_job, later_job])
    assert [j.id for j in store.runnable_jobs(at(1))] == ["now"]
    assert store.runnable_jobs(at(1))[0] == now_job
    assert [j.id for j in store.runnable_jobs(at(30))] == ["now", "later"]
    assert [j.id for j in store.runnable_jobs(at(30), limit=1)] == ["now"]
    done = replace(now_job, status=JobStatus.DONE, attempt=2, last_error=None)
    step(store, inst, jobs=[done])
    assert [j.id for j in store.runnable_jobs(at(30))] == ["later"]


def test_a_finished_instance_leaves_no_runnable_job(store: Store, make: Any) -> None:
    inst = make.create(store)
    inst = step(store, inst, jobs=[make.job(inst.id, at(0), id="left"), make.job(inst.id, at(1))])
    assert len(store.runnable_jobs(at(5))) == 2
    done = replace(inst, version=inst.version + 1, status=InstanceStatus.COMPLETED)
    store.commit(Commit(done, inst.version, b""))
    assert store.runnable_jobs(at(5)) == []


def test_job_lease_hides_a_job_until_it_runs_out(store: Store, make: Any) -> None:
    inst = make.create(store)
    step(store, inst, jobs=[make.job(inst.id, at(0), id="j")])
    leased = store.lease_job("j", "worker-1", at(5), at(1))
    assert leased is not None
    assert (leased.status, leased.lease_owner, leased.lease_until) == (
        JobStatus.RUNNING,
        "worker-1",
        at(5),
    )
    assert store.lease_job("j", "worker-2", at(6), at(2)) is None
    assert store.runnable_jobs(at(4)) == []
    assert [j.id for j in store.runnable_jobs(at(5))] == ["j"]
    again = store.lease_job("j", "worker-2", at(9), at(5))
    assert again is not None and again.lease_owner == "worker-2"
    with pytest.raises(NotFound):
        store.lease_job("ghost", "worker-1", at(5), at(1))


def test_failed_and_future_jobs_are_not_runnable(store: Store, make: Any) -> None:
    inst = make.create(store)
    step(
        store,
        inst,
        jobs=[
            make.job(inst.id, at(0), status=JobStatus.FAILED, last_error="boom"),
            make.job(inst.id, at(10)),
        ],
    )
    assert store.runnable_jobs(at(5)) == []
    assert store.lease_job(store.runnable_jobs(at(10))[0].id, "w", at(20), at(5)) is None


# -- leases ------------------------------------------------------------------------------------


def test_instance_leases(store: Store) -> None:
    assert store.acquire_lease("i", "w1", at(5), at(0)) is True
    assert store.acquire_lease("i", "w2", at(6), at(1)) is False
    assert store.acquire_lease("i", "w1", at(10), at(2)) is True  # the holder extends
    assert store.acquire_lease("i", "w2", at(11), at(9)) is False
    assert store.acquire_lease("i", "w2", at(15), at(10)) is True  # ran out: taken over
    store.release_lease("i", "w1")  # not the holder: harmless
    assert store.acquire_lease("i", "w3", at(16), at(11)) is False
    store.release_lease("i", "w2")
    assert store.acquire_lease("i", "w3", at(16), at(11)) is True
    assert store.acquire_lease("j", "w2", at(16), at(11)) is True


# -- messages ----------------------------------------------------------------------------------


def test_message_resend_is_harmless(store: Store, make: Any) -> None:
    m = make.message("paid", "order-1")
    assert store.put_message(m) is True
    assert store.put_message(replace(m, data={"n": 2})) is False
    assert store.take_message("paid", "order-1", at(0)) == m


def test_take_message_oldest_unexpired_matching(store: Store, make: Any) -> None:
    old = make.message("paid", "k1", received_at=at(1), id="old")
    new = make.message("paid", "k1", received_at=at(2), id="new")
    expiring = make.message("paid", "k1", received_at=at(0), expires_at=at(3), id="exp")
    unkeyed = make.message("paid", None, received_at=at(4), id="unkeyed")
    other = make.message("paid", "k2", received_at=at(0.5), id="other")
    for m in (new, old, expiring, unkeyed, other):
        store.put_message(m)
    assert store.take_message("paid", "k1", at(2)).id == "exp"  # type: ignore[union-attr]
    assert store.take_message("paid", "k1", at(3)).id == "old"  # type: ignore[union-attr]
    assert store.take_message("paid", None, at(3)).id == "other"  # type: ignore[union-attr]
    assert store.take_message("paid", "k9", at(3)).id == "unkeyed"  # type: ignore[union-attr]
    assert store.take_message("refund", None, at(3)) is None
    # take does not remove: the commit that consumes it does
    assert store.take_message("paid", "k1", at(3)).id == "old"  # type: ignore[union-attr]


def test_consumed_message_is_gone_and_cannot_be_consumed_twice(store: Store, make: Any) -> None:
    m = make.message("paid", "k")
    store.put_message(m)
    a, b = make.create(store, "a"), make.create(store, "b")
    step(store, a, consumed_message=m.id, events=[make.event("a", "correlated")])
    assert store.take_message("paid", "k", at(0)) is None
    with pytest.raises(MessageTaken, match=m.id) as err:
        step(store, b, consumed_message=m.id, events=[make.event("b", "correlated")])
    assert isinstance(err.value, InstanceChanged)
    assert store.get_instance("b").version == 1
    assert store.list_events("b") == []
    assert store.put_message(m) is False  # a resend after consumption stays harmless
    assert store.take_message("paid", "k", at(0)) is None
