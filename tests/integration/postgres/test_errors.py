"""What a user sees when PostgreSQL is misconfigured, damaged or drops the connection."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from seamline.errors import ConfigError, CorruptState, StoreError
from seamline.store.factory import open_store
from seamline.store.postgres import PostgresStore
from seamline.store.schema import SCHEMA_VERSION
from tests.integration.postgres.pg import (
    PG_URL,
    fresh_schema_store,
    require_server,
    schema_url,
)


@pytest.fixture
def store() -> Iterator[PostgresStore]:
    made = fresh_schema_store()
    yield made
    made.close()


def test_an_invalid_url_is_a_config_error_without_the_password() -> None:
    with pytest.raises(ConfigError, match="not a valid PostgreSQL URL") as err:
        PostgresStore("postgresql://u:hunter2@127.0.0.1/db?nonsense=1")
    assert "hunter2" not in str(err.value) and "\n" not in str(err.value)


def test_a_schema_name_must_be_an_identifier() -> None:
    with pytest.raises(ConfigError, match="not a plain SQL identifier"):
        PostgresStore(PG_URL, schema='x"; DROP TABLE y; --')


def test_a_missing_search_path_schema_says_to_create_it() -> None:
    require_server()
    with pytest.raises(StoreError, match="create the schema") as err:
        open_store(schema_url("test_no_such_schema_here"))
    assert "\n" not in str(err.value) and "PostgreSQL at 127.0.0.1:5432/test" in str(err.value)


def test_open_store_accepts_both_url_schemes(store: PostgresStore) -> None:
    for scheme in ("postgresql", "postgres"):
        url = schema_url(store.schema or "", PG_URL.replace("postgresql", scheme, 1))
        opened = open_store(url)
        try:
            assert isinstance(opened, PostgresStore) and opened.schema_version() == SCHEMA_VERSION
        finally:
            opened.close()


def test_a_dropped_table_is_corrupt_state(store: PostgresStore) -> None:
    with store.transaction() as cur:
        cur.execute("DROP TABLE task_candidates")
    with pytest.raises(CorruptState, match="missing part of the seamline schema") as err:
        store.list_tasks(user="ann")
    assert "\n" not in str(err.value)


def test_a_dropped_connection_fails_one_call_and_the_next_reconnects(
    store: PostgresStore,
) -> None:
    assert store.list_instances() == []
    with store.transaction() as cur:
        pid = cur.execute("SELECT pg_backend_pid()").fetchone()[0]
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(StoreError) as err:
        store.list_instances()
    assert "\n" not in str(err.value) and "PostgreSQL at" in str(err.value)
    assert store.list_instances() == []
