"""The InstanceStore contract: instances, snapshots, the version guard, JSON and times."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from seamline.errors import AmbiguousId, CorruptState, InstanceChanged, NotFound, StoreError
from seamline.store import Commit, InstanceStatus, Store

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


# -- instances ---------------------------------------------------------------------------------


def test_created_instance_reads_back_with_its_snapshot(store: Store, make: Any) -> None:
    inst = make.instance(business_key="order-7", data={"total": Decimal("1.10")}, parent_id="p1")
    stored = store.commit(Commit(inst, None, b"\x00snapshot-1"))
    assert stored == inst
    assert store.get_instance(inst.id) == inst
    assert store.load_snapshot(inst.id) == (inst, b"\x00snapshot-1")


def test_each_commit_replaces_the_snapshot(store: Store, make: Any) -> None:
    inst = make.create(store)
    v2 = replace(inst, version=2, status=InstanceStatus.COMPLETED, updated_at=T0 + timedelta(1))
    store.commit(Commit(v2, 1, b"v2"))
    loaded, snap = store.load_snapshot(inst.id)
    assert (loaded.version, loaded.status, snap) == (2, InstanceStatus.COMPLETED, b"v2")


def test_instance_by_unique_prefix(store: Store, make: Any) -> None:
    make.create(store, "0f3a9c11-aaaa")
    make.create(store, "0f3a9c22-bbbb")
    assert store.get_instance("0f3a9c1").id == "0f3a9c11-aaaa"
    with pytest.raises(AmbiguousId, match="0f3a9c"):
        store.get_instance("0f3a9c")
    with pytest.raises(NotFound):
        store.get_instance("0f3a9")  # shorter than the minimum prefix
    with pytest.raises(NotFound, match="ffffffff"):
        store.get_instance("ffffffff")


def test_list_instances_filters_orders_and_limits(store: Store, make: Any) -> None:
    a = make.create(store, "a", updated_at=T0 + timedelta(minutes=1))
    b = make.create(store, "b", updated_at=T0 + timedelta(minutes=3), process_id="other")
    c = make.create(
        store, "c", updated_at=T0 + timedelta(minutes=2), status=InstanceStatus.COMPLETED
    )
    assert [i.id for i in store.list_instances()] == [b.id, c.id, a.id]
    assert [i.id for i in store.list_instances(limit=2)] == [b.id, c.id]
    assert [i.id for i in store.list_instances(status=InstanceStatus.WAITING)] == [b.id, a.id]
    assert [
        i.id for i in store.list_instances(status=[InstanceStatus.COMPLETED], process_id="proc")
    ] == [c.id]
    assert store.list_instances(process_id="missing") == []


# -- the version guard -------------------------------------------------------------------------


def test_creating_an_existing_instance_is_refused(store: Store, make: Any) -> None:
    inst = make.create(store, "dup")
    with pytest.raises(InstanceChanged, match="dup"):
        store.commit(Commit(replace(inst, data={"x": 1}), None, b"again"))
    assert store.load_snapshot("dup") == (inst, b"v1")


def test_stale_commit_writes_nothing(store: Store, make: Any) -> None:
    inst = make.create(store, "guarded")
    store.commit(Commit(replace(inst, version=2), 1, b"v2"))
    stale = Commit(
        replace(inst, version=2, data={"lost": True}),
        1,
        b"stale",
        tasks=[make.task(inst.id, "t-stale")],
        events=[make.event(inst.id, "stale")],
        timers=[make.timer(inst.id, T0)],
        jobs=[make.job(inst.id)],
        subscriptions=[make.subscription(inst.id, "m", None)],
    )
    with pytest.raises(InstanceChanged) as err:
        store.commit(stale)
    assert str(err.value).startswith(
        "instance guarded changed since it was loaded (version 1); nothing was written"
    )
    loaded, snap = store.load_snapshot(inst.id)
    assert (loaded.version, loaded.data, snap) == (2, {}, b"v2")
    with pytest.raises(NotFound):
        store.get_task("t-stale")
    assert store.list_events(inst.id) == []
    assert store.due_timers(T0 + timedelta(days=1)) == []
    assert store.runnable_jobs(T0 + timedelta(days=1)) == []
    assert store.find_subscriptions("message", "m", None) == []


def test_version_must_follow_the_expected_one(store: Store, make: Any) -> None:
    with pytest.raises(StoreError, match="expected 1"):
        store.commit(Commit(make.instance(version=2), None, b""))
    inst = make.create(store)
    with pytest.raises(StoreError, match="expected 2"):
        store.commit(Commit(replace(inst, version=3), 1, b""))


def test_updating_a_missing_instance_is_not_found(store: Store, make: Any) -> None:
    with pytest.raises(NotFound, match="ghost"):
        store.commit(Commit(make.instance("ghost", version=2), 1, b""))


def test_concurrent_commits_of_one_version_have_one_winner(store: Store, make: Any) -> None:
    inst = make.create(store)
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def step(n: int) -> None:
        barrier.wait()
        try:
            store.commit(Commit(replace(inst, version=2, data={"by": n}), 1, b"%d" % n))
            outcomes.append("won")
        except InstanceChanged:
            outcomes.append("lost")

    threads = [threading.Thread(target=step, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["lost", "lost", "lost", "won"]
    loaded, snap = store.load_snapshot(inst.id)
    assert snap == b"%d" % loaded.data["by"]


# -- JSON and times ----------------------------------------------------------------------------


def test_json_fields_round_trip_tagged_values(store: Store, make: Any) -> None:
    data = {
        "amount": Decimal("1.10"),
        "when": datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        "day": date(2026, 1, 2),
        "nested": [{"d": Decimal("-0.001")}, None, True, 1.5, "x"],
        "looks_tagged": {"$decimal": "not a decimal"},
        "unicode": "Grüße ✓",
    }
    inst = make.create(store, data=data)
    assert store.get_instance(inst.id).data == data
    assert isinstance(store.get_instance(inst.id).data["amount"], Decimal)


def test_unstorable_values_and_naive_times_are_refused(store: Store, make: Any) -> None:
    with pytest.raises(StoreError, match="set value cannot be stored"):
        make.create(store, data={"s": {1, 2}})
    with pytest.raises(StoreError, match="no time zone"):
        make.create(store, created_at=datetime(2026, 1, 1))
    assert store.list_instances() == []


def test_times_come_back_in_utc(store: Store, make: Any) -> None:
    from datetime import timezone

    plus2 = timezone(timedelta(hours=2))
    inst = make.create(store, created_at=datetime(2026, 1, 1, 12, tzinfo=plus2))
    assert store.get_instance(inst.id).created_at == datetime(2026, 1, 1, 10, tzinfo=UTC)
    assert store.get_instance(inst.id).created_at.utcoffset() == timedelta(0)


# -- corrupt rows ------------------------------------------------------------------------------


def test_corrupt_instance_json_names_table_and_id(store: Store, make: Any, raw: Any) -> None:
    make.create(store, "broken")
    raw("UPDATE instances SET data = ? WHERE id = ?", ("{not json", "broken"))
    with pytest.raises(CorruptState, match="instances row broken"):
        store.get_instance("broken")
    with pytest.raises(CorruptState, match="instances row broken"):
        store.list_instances()


def test_closed_store_refuses_work(store: Store) -> None:
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.list_instances()


def test_a_step_referring_to_an_unknown_instance_writes_nothing(store: Store, make: Any) -> None:
    inst = make.create(store, "real")
    step = Commit(
        replace(inst, version=2),
        1,
        b"v2",
        events=[make.event("real", "ok")],
        tasks=[make.task("ghost", "t-ghost")],
    )
    with pytest.raises(StoreError):
        store.commit(step)
    assert store.get_instance("real").version == 1
    assert store.list_events("real") == []
