"""open_store: every accepted URL form, and a clear error for the rest."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from seamline.errors import ConfigError
from seamline.store import MemoryStore, SqliteStore, open_store


def sqlite_path(url: str | None, cwd: Path) -> Path:
    store = open_store(url, cwd=cwd)
    try:
        assert isinstance(store, SqliteStore)
        return store.path
    finally:
        store.close()


def test_default_is_sqlite_under_dot_seamline(tmp_path: Path) -> None:
    assert sqlite_path(None, tmp_path) == tmp_path / ".seamline" / "seamline.db"
    assert sqlite_path("", tmp_path) == tmp_path / ".seamline" / "seamline.db"
    assert (tmp_path / ".seamline" / "seamline.db").is_file()


def test_paths_and_sqlite_urls(tmp_path: Path) -> None:
    assert sqlite_path("data/x.db", tmp_path) == tmp_path / "data" / "x.db"
    assert sqlite_path(str(tmp_path / "abs.db"), tmp_path) == tmp_path / "abs.db"
    assert sqlite_path("sqlite:///rel.db", tmp_path) == tmp_path / "rel.db"
    assert sqlite_path(f"sqlite:///{tmp_path}/u.db", tmp_path) == tmp_path / "u.db"


def test_memory(tmp_path: Path) -> None:
    assert isinstance(open_store("memory://", cwd=tmp_path), MemoryStore)


@pytest.mark.parametrize("url", ["mysql://x/y", "sqlite://", "sqlite:///", "redis://localhost"])
def test_unknown_forms_list_the_accepted_ones(url: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"accepted forms: .*memory://"):
        open_store(url, cwd=tmp_path)


def test_postgres_without_its_module_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "seamline.store.postgres", None)
    with pytest.raises(ConfigError, match=r"PostgreSQL support.*seamline\[postgres\]") as err:
        open_store("postgresql://user:secret@db.example/seamline", cwd=tmp_path)
    assert "secret" not in str(err.value)
    with pytest.raises(ConfigError):
        open_store("postgres://db.example/seamline", cwd=tmp_path)
