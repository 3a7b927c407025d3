"""The WorkStore contract: timers, connector jobs and their leases, instance leases."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from seamline.errors import NotFound
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
