"""SqliteStore: the embedded default, safe for several processes sharing one file.

WAL mode lets readers proceed while one writer commits; every write transaction starts with
``BEGIN IMMEDIATE`` so that it takes the write lock before reading, which turns a would-be
deadlock between two upgrading readers into a plain wait bounded by ``busy_timeout``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, ClassVar

from seamline.errors import StoreError
from seamline.store.sqlstore import SqlStore

#: How long a writer waits for another process's write lock before giving up.
BUSY_TIMEOUT_MS = 30_000


class SqliteStore(SqlStore):
    """A Store in one SQLite file (created, with its directory, if missing)."""

    begin_write: ClassVar[str] = "BEGIN IMMEDIATE"
    begin_read: ClassVar[str] = "BEGIN"
    column_types: ClassVar[dict[str, str]] = {
        "serial_pk": "INTEGER PRIMARY KEY AUTOINCREMENT",
        "blob": "BLOB",
        "timestamp": "TEXT",
    }
    db_errors: ClassVar[tuple[type[BaseException], ...]] = (sqlite3.Error,)

    def __init__(self, path: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = Path(path).expanduser()
        self.busy_timeout_ms = busy_timeout_ms
        super().__init__(str(self.path))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the directory {self.path.parent} for database {self.path}: "
                f"{exc.strerror or exc}",
                hint="choose a writable location",
            ) from exc
        self._configure_file()
        self.migrate()

    def connect(self) -> Any:
        """A connection in autocommit mode (transactions are begun explicitly)."""
        conn = sqlite3.connect(
            self.path,
            timeout=self.busy_timeout_ms / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def _configure_file(self) -> None:
        conn = self._connection()
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()
        except sqlite3.Error as exc:
            raise self.translate(exc, "switching to WAL mode") from exc
        got = mode[0] if mode else None
        if str(got).lower() != "wal":
            raise StoreError(
                f"database {self.path}: cannot switch to WAL mode (got {got})",
                hint="put the database on a local file system",
            )

    def translate(self, exc: BaseException, doing: str) -> StoreError:
        """One-line StoreErrors for the sqlite3 failures a user can act on."""
        text = str(exc)
        if "database is locked" in text or "database is busy" in text:
            return StoreError(
                f"database is locked: {self.path} stayed locked by another process for more "
                f"than {self.busy_timeout_ms / 1000:g} s while {doing}",
                hint="retry, or look for a process holding the database open",
            )
        if "unable to open database file" in text:
            return StoreError(
                f"cannot open database file {self.path}: {text}",
                hint="check that the path exists and is writable",
            )
        if "file is not a database" in text or "malformed" in text:
            return StoreError(
                f"database {self.path} is not a readable seamline database: {text}",
                hint="restore it from a backup or point seamline at another file",
            )
        if isinstance(exc, sqlite3.IntegrityError):
            return StoreError(
                f"database {self.path}: {doing} broke a constraint: {text}",
                hint="check that the ids written belong to an existing instance and are unique",
            )
        return StoreError(f"database {self.path}: {doing} failed: {text}")
