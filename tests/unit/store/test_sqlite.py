"""SqliteStore specifics: file setup, migrations, and sqlite3 errors translated at the seam."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from seamline.errors import SchemaTooNew, StoreError
from seamline.store import SqliteStore
from seamline.store.schema import SCHEMA_VERSION


def test_new_file_gets_directory_wal_foreign_keys_and_schema(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "s.db"
    with SqliteStore(path) as store:
        assert path.is_file()
        assert store.schema_version() == SCHEMA_VERSION
        with store.transaction(write=False) as cur:
            assert cur.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cur.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert cur.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000


def test_reopening_applies_no_migration_twice(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    SqliteStore(path).close()
    with SqliteStore(path) as store, store.transaction(write=False) as cur:
        assert cur.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 1


def test_database_from_a_newer_seamline_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    SqliteStore(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION + 1,))
    conn.close()
    with pytest.raises(SchemaTooNew, match=f"schema version {SCHEMA_VERSION + 1}, newer"):
        SqliteStore(path)


def test_failed_migration_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with sqlite3.connect(path) as conn:
        # A table in the way makes the first migration fail half-way through.
        conn.execute("CREATE TABLE jobs (x INTEGER)")
    conn.close()
    with pytest.raises(StoreError, match="already exists"):
        SqliteStore(path)
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert "instances" not in tables


def test_unopenable_file_is_a_one_line_store_error(tmp_path: Path) -> None:
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(StoreError, match=r"cannot open database file .*dir\.db") as err:
        SqliteStore(tmp_path / "dir.db")
    assert "\n" not in str(err.value)


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are not the pages you are looking for" * 100)
    with pytest.raises(StoreError, match="not a readable seamline database"):
        SqliteStore(path)


def test_a_lock_held_too_long_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    SqliteStore(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="database is locked"):
            SqliteStore(path, busy_timeout_ms=20)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_unwritable_directory_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot create the directory"):
        SqliteStore(blocker / "sub" / "s.db")
