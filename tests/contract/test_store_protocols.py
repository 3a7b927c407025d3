"""Every store implements every role protocol, and Store is exactly their composition."""

from __future__ import annotations

from seamline.store import (
    CorrelationStore,
    DefinitionStore,
    EventStore,
    InstanceStore,
    Store,
    TaskStore,
    WorkStore,
)

ROLES = (DefinitionStore, InstanceStore, TaskStore, EventStore, WorkStore, CorrelationStore)


def members(cls: type) -> set[str]:
    """The public methods a protocol class itself declares."""
    return {name for name, value in vars(cls).items() if callable(value) and name[0] != "_"}


def test_store_satisfies_the_protocol(store: Store) -> None:
    assert isinstance(store, Store)


def test_store_satisfies_every_role(store: Store) -> None:
    missing = [role.__name__ for role in ROLES if not isinstance(store, role)]
    assert missing == []


def test_each_method_belongs_to_exactly_one_role() -> None:
    seen: dict[str, str] = {}
    for role in ROLES:
        for name in members(role):
            assert name not in seen, f"{name} is in {seen.get(name)} and {role.__name__}"
            seen[name] = role.__name__
    assert members(Store) == {"close"}
    assert set(ROLES) <= set(Store.__mro__)
    assert {"commit", "inbox", "list_tasks", "take_message", "lease_job"} <= set(seen)
