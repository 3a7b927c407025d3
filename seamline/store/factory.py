"""open_store: one function that turns a store URL into a Store."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from seamline.errors import ConfigError
from seamline.store.base import Store
from seamline.store.memory import MemoryStore
from seamline.store.sqlite import SqliteStore

#: Where the default SQLite database lives, relative to the working directory.
DEFAULT_PATH = Path(".seamline") / "seamline.db"

ACCEPTED = (
    "nothing (.seamline/seamline.db), a file path, sqlite:///relative.db, "
    "sqlite:////absolute/path.db, memory://, postgresql://user@host/db"
)


def open_store(url: str | None, *, cwd: Path | None = None) -> Store:
    """Open the store named by ``url``; relative paths are taken from ``cwd``."""
    base = Path.cwd() if cwd is None else cwd
    if not url:
        return SqliteStore(base / DEFAULT_PATH)
    if url == "memory://" or url == "memory":
        return MemoryStore()
    if url.startswith(("postgresql://", "postgres://")):
        return _postgres(url)
    if url.startswith("sqlite://"):
        rest = url[len("sqlite://") :]
        if not rest.startswith("/") or rest == "/":
            raise ConfigError(
                f"store URL {url!r} names no file", hint=f"accepted forms: {ACCEPTED}"
            )
        # sqlite:///x.db is relative, sqlite:////x.db absolute (SQLAlchemy's convention).
        path = Path(rest[1:])
        return SqliteStore(path if path.is_absolute() else base / path)
    if "://" in url:
        raise ConfigError(f"unknown store URL {url!r}", hint=f"accepted forms: {ACCEPTED}")
    path = Path(url).expanduser()
    return SqliteStore(path if path.is_absolute() else base / path)


def _postgres(url: str) -> Store:
    try:
        module: Any = importlib.import_module("seamline.store.postgres")
    except ModuleNotFoundError as exc:
        if exc.name not in ("seamline.store.postgres", "psycopg"):
            raise
        raise ConfigError(
            f"store URL {url.split('@')[-1]!r} needs PostgreSQL support, which is not installed",
            hint="install seamline[postgres]",
        ) from exc
    store: Store = module.PostgresStore(url)
    return store
