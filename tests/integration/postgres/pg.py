"""Throwaway PostgreSQL schemas for tests: each test gets its own, dropped afterwards.

Parallel pytest workers (``-n 2``) never collide because every schema name is random. Without a
reachable server the caller is skipped with the reason.
"""

from __future__ import annotations

import functools
import os
import re
import uuid

import psycopg
import pytest
from psycopg import sql

from seamline.store.postgres import PostgresStore

#: The server the PostgreSQL tests use (CI starts one on 127.0.0.1).
PG_URL = os.environ.get("SEAMLINE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


@functools.cache
def unreachable(url: str = PG_URL) -> str | None:
    """Why the server cannot be used, or None if it answers."""
    try:
        with psycopg.connect(url, connect_timeout=3, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        shown = re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)
        return f"PostgreSQL at {shown} is not reachable: {str(exc).splitlines()[0]}"
    return None


def require_server(url: str = PG_URL) -> None:
    """Skip the calling test when the server is not reachable."""
    reason = unreachable(url)
    if reason is not None:
        pytest.skip(reason)


def new_schema(url: str = PG_URL) -> str:
    """Create an empty schema with a random name and return the name."""
    require_server(url)
    name = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    return name


def drop_schema(name: str, url: str = PG_URL) -> None:
    """Drop a schema made by :func:`new_schema` with everything in it."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


def schema_url(name: str, url: str = PG_URL) -> str:
    """``url`` with its search_path set to schema ``name`` (what --db / SEAMLINE_DB accept)."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{name}"


class ThrowawayStore(PostgresStore):
    """A PostgresStore in its own schema, which closing the store drops."""

    def close(self) -> None:
        """Close the connections, then drop the schema."""
        super().close()
        if self.schema is not None:
            drop_schema(self.schema, self.url)


def fresh_schema_store(url: str = PG_URL) -> PostgresStore:
    """A store in a new random schema; skips when the server is not reachable."""
    require_server(url)
    return ThrowawayStore(url, schema=f"test_{uuid.uuid4().hex[:12]}")
