"""The EventStore contract: each instance's history and its seq cursor."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from seamline.errors import CorruptState, NotFound
from seamline.store import Commit, Store

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


# -- events ------------------------------------------------------------------------------------


def test_events_get_a_global_monotonic_seq(store: Store, make: Any) -> None:
    a = make.instance("a")
    b = make.instance("b")
    store.commit(Commit(a, None, b"", events=[make.event("a", "one"), make.event("a", "two")]))
    store.commit(Commit(b, None, b"", events=[make.event("b", "other", data={"k": [1]})]))
    store.append_events([make.event("a", "refused", actor="mallory", element_id="Review")])
    events = store.list_events("a")
    assert [e.kind for e in events] == ["one", "two", "refused"]
    seqs = [e.seq for e in events if isinstance(e.seq, int)]
    assert len(seqs) == len(events)  # every event got its int seq
    assert seqs == sorted(seqs) and len(set(seqs)) == 3
    other = store.list_events("b")
    assert other[0].data == {"k": [1]}
    assert seqs[1] < (other[0].seq or 0) < seqs[2]
    assert [e.kind for e in store.list_events("a", after_seq=seqs[1])] == ["refused"]
    assert events[2].actor == "mallory" and events[2].element_id == "Review"


def test_events_for_an_unknown_instance_are_refused(store: Store, make: Any) -> None:
    make.create(store, "known")
    with pytest.raises(NotFound, match="ghost"):
        store.append_events([make.event("known"), make.event("ghost")])
    assert store.list_events("known") == []


def test_corrupt_event_and_timestamp(store: Store, make: Any, raw: Any) -> None:
    store.commit(Commit(make.instance("i"), None, b"", events=[make.event("i")]))
    raw("UPDATE events SET data = ? WHERE instance_id = ?", ("nope", "i"))
    with pytest.raises(CorruptState, match="events row"):
        store.list_events("i")
    raw("UPDATE instances SET updated_at = ? WHERE id = ?", ("yesterday", "i"))
    with pytest.raises(CorruptState, match="instances row i holds a timestamp"):
        store.get_instance("i")
