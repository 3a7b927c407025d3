"""The DefinitionStore contract: stored once per hash, with its processes and files."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from seamline.errors import NotFound
from seamline.store import Store

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


# -- definitions -------------------------------------------------------------------------------


def test_definition_is_stored_once_per_hash(store: Store, make: Any) -> None:
    d = make.definition("orders", "billing", sources={"a.bpmn": b"\x00<x/>\xff"})
    assert store.put_definition(d) is True
    assert store.put_definition(replace(d, name="other")) is False
    got = store.get_definition(d.hash)
    assert got == d
    assert got.sources["a.bpmn"] == b"\x00<x/>\xff"
    assert got.process_ids == ("orders", "billing")


def test_unknown_definition_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="nope"):
        store.get_definition("nope")
    with pytest.raises(NotFound, match="ghost"):
        store.latest_definition("ghost")


def test_latest_definition_is_the_last_deployed_containing_the_process(
    store: Store, make: Any
) -> None:
    first = make.definition("orders", at=T0)
    second = make.definition("orders", "billing", at=T0 + timedelta(days=1))
    third = make.definition("billing", at=T0 + timedelta(days=2))
    for d in (first, second, third):
        store.put_definition(d)
    assert store.latest_definition("orders").hash == second.hash
    assert store.latest_definition("billing").hash == third.hash
    assert [d.hash for d in store.list_definitions()] == [first.hash, second.hash, third.hash]
