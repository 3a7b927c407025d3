"""Who is acting: users, the groups they belong to, and where they are looked up.

A :class:`Directory` answers "who is this name?". :class:`ConfigDirectory` reads the users listed
in ``seamline.toml``; an LDAP or OIDC directory can implement the same two methods later.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from seamline.errors import ConfigError, Forbidden

#: Membership of this group makes a user an administrator.
ADMIN_GROUP = "admins"

#: The name given to the user acting when nobody said who they are.
ANONYMOUS = "anonymous"

_USER_KEYS = ("admin", "groups", "name")


@dataclass(frozen=True)
class User:
    """A person (or a service account) who may take and complete human tasks.

    ``admin`` is forced on for members of the ``admins`` group, so the two ways of saying it in
    the configuration cannot disagree.
    """

    name: str
    groups: frozenset[str] = field(default_factory=frozenset)
    admin: bool = False
    display_name: str | None = None

    def __post_init__(self) -> None:
        # Callers pass lists or sets from config; a frozenset keeps the record hashable.
        object.__setattr__(self, "groups", frozenset(self.groups))
        if ADMIN_GROUP in self.groups:
            object.__setattr__(self, "admin", True)

    @property
    def label(self) -> str:
        """How to show this user to people: the display name if there is one."""
        return self.display_name or self.name

    @property
    def anonymous(self) -> bool:
        """True for the user that stands in when no name was given."""
        return self.name == ANONYMOUS and not self.groups and not self.admin


@runtime_checkable
class Directory(Protocol):
    """Looks users up by name; the one interface every identity source implements."""

    def get(self, name: str) -> User | None:
        """The user called ``name``, or None if there is none."""
        ...

    def users(self) -> list[User]:
        """Every known user, sorted by name."""
        ...


class ConfigDirectory:
    """Users declared in ``seamline.toml`` as ``[users.NAME]`` tables."""

    def __init__(self, users: Iterable[User] = ()) -> None:
        self._users: dict[str, User] = {}
        for user in users:
            if user.name in self._users:
                raise ConfigError(f"users.{user.name}: declared twice; keep one entry")
            self._users[user.name] = user

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ConfigDirectory:
        """Build the directory from the parsed configuration (the whole file's dict).

        Raises :class:`ConfigError` naming the offending key when a table has the wrong shape.
        """
        table = config.get("users", {})
        if not isinstance(table, Mapping):
            raise ConfigError("users: must be a table of [users.NAME] tables")
        return cls(_user_from_config(name, entry) for name, entry in table.items())

    def get(self, name: str) -> User | None:
        """The user called ``name``, or None if there is none."""
        return self._users.get(name)

    def users(self) -> list[User]:
        """Every configured user, sorted by name."""
        return [self._users[name] for name in sorted(self._users)]

    def __len__(self) -> int:
        return len(self._users)


def _user_from_config(name: Any, entry: Any) -> User:
    where = f"users.{name}"
    if not isinstance(name, str) or not name.strip() or "," in name:
        raise ConfigError(f"{where}: a user name must be a non-empty text without commas")
    if not isinstance(entry, Mapping):
        raise ConfigError(f'{where}: must be a table, e.g. [{where}] groups = ["clerks"]')
    unknown = sorted(set(entry) - set(_USER_KEYS))
    if unknown:
        raise ConfigError(f"{where}.{unknown[0]}: unknown key; known keys: {', '.join(_USER_KEYS)}")
    groups = entry.get("groups", [])
    if not isinstance(groups, list) or not all(isinstance(g, str) and g for g in groups):
        raise ConfigError(f'{where}.groups: must be a list of group names, e.g. ["clerks"]')
    admin = entry.get("admin", False)
    if not isinstance(admin, bool):
        raise ConfigError(f"{where}.admin: must be true or false (got {admin!r})")
    display = entry.get("name")
    if display is not None and not isinstance(display, str):
        raise ConfigError(f"{where}.name: must be a text (got {display!r})")
    return User(name=name, groups=frozenset(groups), admin=admin, display_name=display)


def anonymous_user() -> User:
    """The user acting when no name was given: no groups, not an administrator."""
    return User(name=ANONYMOUS)


def resolve_actor(directory: Directory, name: str | None) -> User:
    """The user called ``name`` in ``directory``; the anonymous user when ``name`` is None.

    A name the directory does not know is refused rather than invented, so a typo on the
    command line cannot act with nobody's rights under somebody's name.
    """
    if name is None:
        return anonymous_user()
    user = directory.get(name)
    if user is not None:
        return user
    known = [u.name for u in directory.users()]
    if known:
        raise Forbidden(f"unknown user {name}; known: {', '.join(known)}")
    raise Forbidden(
        f"unknown user {name}; no users are configured",
        hint=f"add a [users.{name}] table to seamline.toml",
    )
