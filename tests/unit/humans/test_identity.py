from __future__ import annotations

from typing import Any

import pytest

from seamline.errors import ConfigError, Forbidden
from seamline.humans import identity
from seamline.humans.identity import ConfigDirectory, Directory, User, resolve_actor

CONFIG: dict[str, Any] = {
    "users": {
        "alice": {"groups": ["clerks"], "name": "Alice Smith"},
        "bob": {"groups": ["admins"]},
        "carol": {"admin": True},
    }
}


def test_from_config_reads_groups_names_and_admin() -> None:
    directory = ConfigDirectory.from_config(CONFIG)

    alice = directory.get("alice")
    assert alice == User("alice", frozenset({"clerks"}), admin=False, display_name="Alice Smith")
    assert alice.label == "Alice Smith"
    assert [u.name for u in directory.users()] == ["alice", "bob", "carol"]
    assert isinstance(directory, Directory)


def test_admin_by_flag_or_by_admins_group() -> None:
    directory = ConfigDirectory.from_config(CONFIG)

    assert directory.get("bob") is not None and directory.get("bob").admin  # type: ignore[union-attr]
    assert directory.get("carol") is not None and directory.get("carol").admin  # type: ignore[union-attr]
    assert User("dan", groups={"admins"}).admin  # type: ignore[arg-type]


def test_no_users_table_gives_an_empty_directory() -> None:
    assert ConfigDirectory.from_config({}).users() == []


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ({"users": ["alice"]}, "users:"),
        ({"users": {"alice": "clerks"}}, "users.alice:"),
        ({"users": {"alice": {"groups": "clerks"}}}, "users.alice.groups:"),
        ({"users": {"alice": {"groups": [1]}}}, "users.alice.groups:"),
        ({"users": {"alice": {"admin": "yes"}}}, "users.alice.admin:"),
        ({"users": {"alice": {"name": 3}}}, "users.alice.name:"),
        ({"users": {"alice": {"grups": []}}}, "users.alice.grups: unknown key"),
        ({"users": {"a,b": {}}}, "users.a,b:"),
    ],
)
def test_bad_shapes_name_the_key(config: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigError) as info:
        ConfigDirectory.from_config(config)
    assert str(info.value).startswith(key)


def test_duplicate_user_is_refused() -> None:
    with pytest.raises(ConfigError, match="declared twice"):
        ConfigDirectory([User("a"), User("a")])


def test_resolve_known_user() -> None:
    directory = ConfigDirectory.from_config(CONFIG)
    assert resolve_actor(directory, "alice").groups == {"clerks"}


def test_resolve_unknown_user_lists_known_ones() -> None:
    with pytest.raises(Forbidden) as info:
        resolve_actor(ConfigDirectory.from_config(CONFIG), "mallory")
    assert str(info.value) == "unknown user mallory; known: alice, bob, carol"
    assert info.value.exit_code == 4


def test_resolve_unknown_user_without_configured_users_says_how_to_add() -> None:
    with pytest.raises(Forbidden, match=r"add a \[users.mallory\] table"):
        resolve_actor(ConfigDirectory(), "mallory")


def test_resolve_nobody_is_anonymous_without_groups() -> None:
    user = resolve_actor(ConfigDirectory.from_config(CONFIG), None)
    assert user.name == identity.ANONYMOUS
    assert user.groups == frozenset()
    assert not user.admin
    assert user.anonymous
