"""PostgresStore: the store for many workers on many machines sharing one PostgreSQL database.

The SQL is the shared SQL of sqlstore.py / sqlwork.py; this module adds the connection, the
column types, the ``%s`` placeholder and the translation of psycopg's exceptions.

Concurrency, and why it is safe:

- **Commits.** The guarded ``UPDATE instances ... WHERE id = %s AND version = %s`` is the first
  statement of a commit. Under READ COMMITTED a second writer of the same row waits for the
  first to finish and then re-checks the ``version`` condition against the committed row, so
  exactly one step per version wins; the loser matches no row and writes nothing. A new
  instance's ``INSERT ... ON CONFLICT DO NOTHING`` likewise waits on the primary key.
- **Jobs.** ``lease_job`` claims its row with ``FOR UPDATE SKIP LOCKED``: a worker that finds
  the row being claimed (or committed) by someone else gets None at once instead of queueing.
- **Leases.** ``acquire_lease`` is one ``INSERT ... ON CONFLICT DO UPDATE ... WHERE``, which
  PostgreSQL evaluates against the locked, latest row: two workers never both hold a lease.
- **Event order.** ``seq`` comes from a sequence, and sequence values are handed out at insert
  time, not at commit time: without care, a reader could see seq 11 committed, move its cursor
  past 10, and miss 10 when it commits later. Every transaction that inserts an instance's
  events first takes a transaction-level advisory lock on that instance, so one instance's
  events are allocated and committed in seq order and ``list_events(id, after_seq=...)`` never
  skips one. (Across instances seq is still unique and increasing per writer, but a reader
  must not use one instance's seq as a cursor over another's.)
- **Migrations.** They run in one transaction that first takes a transaction-level advisory
  lock, so two processes opening a fresh database at once migrate it exactly once.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql as pg_sql
from psycopg.conninfo import conninfo_to_dict

from seamline.errors import ConfigError, CorruptState, InstanceChanged, StoreError
from seamline.store.base import Event
from seamline.store.codec import check_time
from seamline.store.sqlstore import SqlStore

#: How long opening a connection may take before it is reported as a failure.
CONNECT_TIMEOUT_S = 10
#: Advisory lock keys (the two-int form, whose key space is separate from the one-int form).
_LOCK_SPACE = 0x5EA1
_MIGRATION_KEY = 0
_EVENTS_KEY = 1

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")

_LEASE_JOB = (
    "UPDATE jobs SET status = 'running', lease_owner = ?, lease_until = ? WHERE id IN "
    "(SELECT id FROM jobs WHERE id = ? AND ((status = 'pending' AND run_at <= ?) "
    "OR (status = 'running' AND (lease_until IS NULL OR lease_until <= ?))) "
    "FOR UPDATE SKIP LOCKED)"
)


class PostgresStore(SqlStore):
    """A Store in a PostgreSQL database named by a ``postgresql://`` or ``postgres://`` URL.

    ``schema`` (optional) puts every table in that schema, creating it if missing; without it
    the connection's ``search_path`` decides (set it with ``?options=-csearch_path%3Dname``).
    """

    placeholder: ClassVar[str] = "%s"
    begin_write: ClassVar[str] = "BEGIN"
    begin_read: ClassVar[str] = "BEGIN READ ONLY"
    column_types: ClassVar[dict[str, str]] = {
        "serial_pk": "BIGSERIAL PRIMARY KEY",
        "blob": "BYTEA",
        "timestamp": "TIMESTAMPTZ",
    }
    overrides: ClassVar[dict[str, str]] = {"lease_job": _LEASE_JOB}
    db_errors: ClassVar[tuple[type[BaseException], ...]] = (psycopg.Error,)
    #: Timestamps are typed columns: the database itself refuses an unreadable one.
    typed_timestamps: ClassVar[bool] = True

    def __init__(self, url: str, *, schema: str | None = None) -> None:
        try:
            params = conninfo_to_dict(url)
        except psycopg.Error as exc:
            raise ConfigError(
                f"store URL {_redact(url)!r} is not a valid PostgreSQL URL: {_one_line(exc)}",
                hint="use postgresql://user@host:port/database",
            ) from exc
        if schema is not None and not _IDENT.match(schema):
            raise ConfigError(
                f"schema name {schema!r} is not a plain SQL identifier",
                hint="use letters, digits and underscores, starting with a letter",
            )
        self.url = url
        self.schema = schema
        self._password = str(params.get("password") or "")
        host = params.get("host") or params.get("hostaddr") or "localhost"
        port = params.get("port") or "5432"
        dbname = params.get("dbname") or params.get("user") or ""
        super().__init__(f"{host}:{port}/{dbname}")
        try:
            if schema is not None:
                with self.transaction() as cur:
                    cur.execute(
                        pg_sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                            pg_sql.Identifier(schema)
                        )
                    )
            self.migrate()
        except BaseException:
            # Nobody gets the half-opened store to close it.
            self.close()
            raise

    # -- the dialect's hooks ---------------------------------------------------------------

    def connect(self) -> Any:
        """A connection in autocommit mode (transactions are begun explicitly), in UTC."""
        kwargs: dict[str, Any] = {"autocommit": True}
        if "connect_timeout" not in self.url:
            kwargs["connect_timeout"] = CONNECT_TIMEOUT_S
        conn = psycopg.connect(self.url, **kwargs)
        try:
            conn.execute("SET TIME ZONE 'UTC'")
            if self.schema is not None:
                conn.execute(
                    pg_sql.SQL("SET search_path TO {}").format(pg_sql.Identifier(self.schema))
                )
        except psycopg.Error:
            conn.close()
            raise
        return conn

    def _connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is not None and (conn.closed or conn.broken):
            # The server restarted or dropped us: forget the dead connection and open anew.
            self._local.conn = None
            with self._guard:
                if conn in self._all:
                    self._all.remove(conn)
            with contextlib.suppress(psycopg.Error):
                conn.close()
        return super()._connection()

    def encode_time(self, value: datetime, where: str) -> Any:
        """An aware UTC datetime, for a TIMESTAMPTZ column."""
        return check_time(value, where)

    def decode_time(self, value: Any, table: str, row_id: str) -> datetime:
        """A TIMESTAMPTZ value as an aware UTC datetime."""
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(UTC)
        raise CorruptState(
            f"{table} row {row_id} holds a timestamp that cannot be read: {value!r}",
            hint="restore the row from a backup or delete it",
        )

    def before_migrate(self, cur: Any) -> None:
        """Keep other processes out while this one migrates."""
        cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", (_LOCK_SPACE, _MIGRATION_KEY))

    def insert_events(self, cur: Any, events: Sequence[Event]) -> None:
        """Append events, holding each instance's event lock until the transaction ends."""
        # Sorted, so that two transactions writing events of the same instances cannot
        # deadlock on the locks.
        for instance_id in sorted({e.instance_id for e in events}):
            cur.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                (_LOCK_SPACE + _EVENTS_KEY, instance_id),
            )
        super().insert_events(cur, events)

    def translate(self, exc: BaseException, doing: str) -> StoreError:
        """One-line StoreErrors naming the database (never the password)."""
        text = self._scrub(_one_line(exc))
        where = f"PostgreSQL at {self.where}"
        if doing == "opening the database" and isinstance(exc, psycopg.OperationalError):
            return StoreError(
                f"cannot connect to {where}: {text}",
                hint="is the server running? check --db / SEAMLINE_DB",
            )
        if isinstance(exc, pg_errors.SerializationFailure | pg_errors.DeadlockDetected):
            return InstanceChanged(
                f"{where}: {doing} collided with a concurrent transaction; nothing was written",
                hint="reload and retry",
            )
        if isinstance(exc, pg_errors.InvalidSchemaName):
            return StoreError(
                f"{where}: {doing} failed: {text}",
                hint="create the schema named in search_path, or fix the URL's options",
            )
        if isinstance(exc, pg_errors.UndefinedTable | pg_errors.UndefinedColumn):
            return CorruptState(
                f"{where} is missing part of the seamline schema while {doing}: {text}",
                hint="restore the database from a backup or point seamline at another one",
            )
        if isinstance(exc, pg_errors.InsufficientPrivilege):
            return StoreError(
                f"{where}: {doing} was refused: {text}",
                hint="grant the database user rights on the seamline tables",
            )
        if isinstance(exc, psycopg.IntegrityError):
            return StoreError(
                f"{where}: {doing} broke a constraint: {text}",
                hint="check that the ids written belong to an existing instance and are unique",
            )
        if isinstance(exc, psycopg.OperationalError):
            return StoreError(
                f"{where}: {doing} failed: {text}",
                hint="is the server running? retry once it is reachable",
            )
        return StoreError(f"{where}: {doing} failed: {text}")

    def _scrub(self, text: str) -> str:
        return text.replace(self._password, "***") if self._password else text


def _one_line(exc: BaseException) -> str:
    """psycopg's messages span lines (``DETAIL``, ``HINT``); keep them on one."""
    parts = [p.strip() for p in str(exc).splitlines() if p.strip()]
    return "; ".join(parts) or type(exc).__name__


def _redact(url: str) -> str:
    """The URL without its password."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)
