"""What the SQL stores share: connections per thread, ``transaction()``, migrations, encodings.

A dialect (sqlite.py, postgres.py) subclasses :class:`seamline.store.sqlstore.SqlStore` and
supplies a connection in autocommit mode, the words that begin a transaction, its column types,
its placeholder and the translation of its driver's exceptions. Everything else, including the
SQL itself (queries.py), is shared.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, ClassVar

from seamline.errors import SchemaTooNew, StoreError
from seamline.store import base
from seamline.store.base import MIN_PREFIX
from seamline.store.codec import text_time, time_text
from seamline.store.queries import QUERIES
from seamline.store.schema import MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger(__name__)


class SqlBase:
    """Connection handling, transactions and migrations for a DB-API 2 driver."""

    #: Replaces ``?`` in the shared queries.
    placeholder: ClassVar[str] = "?"
    #: Starts a transaction that will write (SQLite takes the write lock up front).
    begin_write: ClassVar[str] = "BEGIN"
    #: Starts a transaction that only reads, for a consistent view over several queries.
    begin_read: ClassVar[str] = "BEGIN"
    #: Column types substituted into the migrations.
    column_types: ClassVar[dict[str, str]] = {}
    #: Queries this dialect spells differently, by name.
    overrides: ClassVar[dict[str, str]] = {}
    #: The driver's base exception class(es), translated by :meth:`translate`.
    db_errors: ClassVar[tuple[type[BaseException], ...]] = ()

    def __init__(self, where: str) -> None:
        self.where = where
        self._local = threading.local()
        self._all: list[Any] = []
        self._guard = threading.Lock()
        self._closed = False
        self._sql_cache: dict[str, str] = {}

    # -- to be supplied by a dialect -------------------------------------------------------

    def connect(self) -> Any:
        """Open a new DB-API connection in autocommit mode."""
        raise NotImplementedError

    def translate(self, exc: BaseException, doing: str) -> StoreError:
        """Turn a driver exception raised while ``doing`` into a one-line StoreError."""
        return StoreError(f"database {self.where}: {doing} failed: {exc}")

    def encode_time(self, value: datetime, where: str) -> Any:
        """A timestamp as the dialect stores it."""
        return time_text(value, where)

    def decode_time(self, value: Any, table: str, row_id: str) -> datetime:
        """A stored timestamp back as an aware UTC datetime."""
        return text_time(value, table=table, row_id=row_id)

    def before_migrate(self, cur: Any) -> None:
        """Run first in the migration transaction (PostgreSQL locks out other migrators)."""

    # -- shared machinery ------------------------------------------------------------------

    def sql(self, name: str) -> str:
        """The named query in this dialect's spelling."""
        text = self._sql_cache.get(name)
        if text is None:
            text = self.overrides.get(name) or QUERIES[name]
            text = self.render(text)
            self._sql_cache[name] = text
        return text

    def render(self, text: str) -> str:
        """Put this dialect's placeholder into SQL written with ``?``."""
        return text if self.placeholder == "?" else text.replace("?", self.placeholder)

    def t(self, value: datetime | None, where: str) -> Any:
        """Encode an optional timestamp."""
        return None if value is None else self.encode_time(value, where)

    def _connection(self) -> Any:
        if self._closed:
            raise StoreError(f"database {self.where}: the store is closed", hint="open it again")
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = self.connect()
            except self.db_errors as exc:
                raise self.translate(exc, "opening the database") from exc
            self._local.conn = conn
            with self._guard:
                self._all.append(conn)
        return conn

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Any]:
        """A cursor inside one transaction: committed on success, rolled back on any error.

        Driver errors become StoreError; seamline errors pass through unchanged.
        """
        cur = self._connection().cursor()
        try:
            cur.execute(self.begin_write if write else self.begin_read)
        except self.db_errors as exc:
            raise self.translate(exc, "starting a transaction") from exc
        try:
            yield cur
            cur.execute("COMMIT")
        except self.db_errors as exc:
            self._rollback(cur)
            raise self.translate(exc, "a transaction") from exc
        except BaseException:
            self._rollback(cur)
            raise
        finally:
            cur.close()

    def _rollback(self, cur: Any) -> None:
        # The transaction may already be gone (the driver rolled it back itself).
        with contextlib.suppress(*self.db_errors):
            cur.execute("ROLLBACK")

    def run(self, cur: Any, name: str, params: Sequence[Any] = ()) -> Any:
        """Execute the named query on ``cur``."""
        return cur.execute(self.sql(name), tuple(params))

    def run_many(self, cur: Any, name: str, rows: Sequence[Sequence[Any]]) -> None:
        """Execute the named query once per parameter row."""
        cur.executemany(self.sql(name), [tuple(r) for r in rows])

    def one(self, cur: Any, name: str, params: Sequence[Any] = ()) -> Any:
        """The first row of the named query, or None."""
        return self.run(cur, name, params).fetchone()

    def migrate(self) -> None:
        """Bring the schema up to date in one transaction; refuse a newer database."""
        with self.transaction() as cur:
            self.before_migrate(cur)
            self.run(cur, "create_schema_version")
            row = self.one(cur, "get_schema_version")
            current = int(row[0]) if row and row[0] is not None else 0
            if current > SCHEMA_VERSION:
                raise SchemaTooNew(
                    f"database {self.where} has schema version {current}, newer than this "
                    f"seamline understands ({SCHEMA_VERSION})",
                    hint="upgrade seamline, or point it at another database",
                )
            for statements in MIGRATIONS[current:]:
                for statement in statements:
                    cur.execute(statement.format(**self.column_types))
            if current < SCHEMA_VERSION:
                self.run(cur, "set_schema_version", (SCHEMA_VERSION,))
                log.info("schema migrated", extra={"from": current, "to": SCHEMA_VERSION})

    def schema_version(self) -> int:
        """The schema version recorded in the database."""
        with self.transaction(write=False) as cur:
            row = self.one(cur, "get_schema_version")
            return int(row[0]) if row and row[0] is not None else 0

    def resolve(self, cur: Any, kind: str, table_query: str, prefix_query: str, id: str) -> Any:
        """The row for ``id``, or for the one id it is a prefix of; NotFound/AmbiguousId."""
        row = self.one(cur, table_query, (id,))
        if row is not None:
            return row
        if len(id) >= MIN_PREFIX:
            ids = [r[0] for r in self.run(cur, prefix_query, (len(id), id)).fetchall()]
            if len(ids) > 1:
                raise base.ambiguous(kind, id, ids)
            if ids:
                row = self.one(cur, table_query, (ids[0],))
                if row is not None:
                    return row
        raise base.not_found(kind, id)

    def close(self) -> None:
        """Close every connection this store opened."""
        with self._guard:
            self._closed = True
            conns, self._all = self._all, []
        for conn in conns:
            # Closing is best effort: the process may be shutting down around it.
            with contextlib.suppress(*self.db_errors):
                conn.close()

    def __enter__(self) -> SqlBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
