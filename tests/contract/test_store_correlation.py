"""The CorrelationStore contract: subscriptions and buffered messages."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from seamline.errors import InstanceChanged
from seamline.store import Commit, Instance, MessageTaken, Store

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def step(store: Store, inst: Instance, **kw: Any) -> Instance:
    """Commit the next version of ``inst`` with these projections."""
    return store.commit(Commit(replace(inst, version=inst.version + 1), inst.version, b"", **kw))


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
