"""Versioned schema migrations shared by the SQL stores.

Each migration is a list of statements applied in order, in one transaction, when a store
opens a database whose ``schema_version`` is older. ``{serial_pk}``, ``{blob}`` and
``{timestamp}`` stand for the few column types the dialects spell differently. Times are stored
in the dialect's timestamp type (fixed-width UTC text in SQLite, so text order is time order).
"""

from __future__ import annotations

MIGRATION_0001 = [
    """CREATE TABLE definitions (
        seq {serial_pk},
        hash TEXT NOT NULL UNIQUE,
        name TEXT,
        flavour TEXT NOT NULL,
        created_at {timestamp} NOT NULL
    )""",
    """CREATE TABLE definition_processes (
        hash TEXT NOT NULL REFERENCES definitions (hash),
        process_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (process_id, hash)
    )""",
    """CREATE TABLE definition_sources (
        hash TEXT NOT NULL REFERENCES definitions (hash),
        name TEXT NOT NULL,
        content {blob} NOT NULL,
        PRIMARY KEY (hash, name)
    )""",
    """CREATE TABLE instances (
        id TEXT PRIMARY KEY,
        process_id TEXT NOT NULL,
        definition_hash TEXT NOT NULL,
        business_key TEXT,
        status TEXT NOT NULL,
        version INTEGER NOT NULL,
        data TEXT NOT NULL,
        created_at {timestamp} NOT NULL,
        updated_at {timestamp} NOT NULL,
        error TEXT,
        parent_id TEXT
    )""",
    "CREATE INDEX instances_status ON instances (status, updated_at)",
    "CREATE INDEX instances_process ON instances (process_id, updated_at)",
    "CREATE INDEX instances_business_key ON instances (business_key)",
    """CREATE TABLE snapshots (
        instance_id TEXT PRIMARY KEY REFERENCES instances (id),
        version INTEGER NOT NULL,
        snapshot {blob} NOT NULL
    )""",
    """CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        instance_id TEXT NOT NULL REFERENCES instances (id),
        process_id TEXT NOT NULL,
        element_id TEXT NOT NULL,
        name TEXT,
        status TEXT NOT NULL,
        candidate_users TEXT NOT NULL,
        candidate_groups TEXT NOT NULL,
        assignee TEXT,
        created_at {timestamp} NOT NULL,
        due_at {timestamp},
        follow_up_at {timestamp},
        priority INTEGER NOT NULL,
        form TEXT,
        business_key TEXT,
        lane TEXT,
        completed_by TEXT,
        completed_at {timestamp},
        note TEXT
    )""",
    "CREATE INDEX tasks_assignee ON tasks (assignee, status)",
    "CREATE INDEX tasks_instance ON tasks (instance_id, status)",
    "CREATE INDEX tasks_queue ON tasks (status, priority, created_at)",
    "CREATE INDEX tasks_due ON tasks (status, due_at)",
    # Who a task is offered to, one row per candidate user or group, so that an inbox query is
    # an index lookup rather than a scan of every open task.
    """CREATE TABLE task_candidates (
        task_id TEXT NOT NULL REFERENCES tasks (id),
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        PRIMARY KEY (kind, name, task_id)
    )""",
    "CREATE INDEX task_candidates_task ON task_candidates (task_id)",
    """CREATE TABLE events (
        seq {serial_pk},
        instance_id TEXT NOT NULL REFERENCES instances (id),
        kind TEXT NOT NULL,
        occurred_at {timestamp} NOT NULL,
        actor TEXT,
        element_id TEXT,
        data TEXT NOT NULL
    )""",
    "CREATE INDEX events_instance ON events (instance_id, seq)",
    """CREATE TABLE timers (
        id TEXT PRIMARY KEY,
        instance_id TEXT NOT NULL REFERENCES instances (id),
        element_id TEXT NOT NULL,
        due_at {timestamp} NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL
    )""",
    "CREATE INDEX timers_due ON timers (due_at)",
    "CREATE INDEX timers_instance ON timers (instance_id)",
    """CREATE TABLE subscriptions (
        instance_id TEXT NOT NULL REFERENCES instances (id),
        element_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        correlation_key TEXT
    )""",
    "CREATE INDEX subscriptions_name ON subscriptions (kind, name, correlation_key)",
    "CREATE INDEX subscriptions_instance ON subscriptions (instance_id)",
    """CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        instance_id TEXT NOT NULL REFERENCES instances (id),
        element_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        connector TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        status TEXT NOT NULL,
        run_at {timestamp} NOT NULL,
        params TEXT NOT NULL,
        lease_owner TEXT,
        lease_until {timestamp},
        last_error TEXT
    )""",
    "CREATE INDEX jobs_runnable ON jobs (status, run_at)",
    "CREATE INDEX jobs_instance ON jobs (instance_id)",
    """CREATE TABLE leases (
        instance_id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        lease_until {timestamp} NOT NULL
    )""",
    # Consumed messages stay as tombstones so that a resend of the same id stays harmless.
    """CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        correlation_key TEXT,
        data TEXT NOT NULL,
        received_at {timestamp} NOT NULL,
        expires_at {timestamp},
        consumed_at {timestamp}
    )""",
    "CREATE INDEX messages_name ON messages (name, correlation_key, received_at)",
]

# Named values a database keeps about itself (its test clock: `seamline clock init`).
MIGRATION_0002 = [
    """CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
]

#: Migrations in order; the schema version of a database is the number applied.
MIGRATIONS: list[list[str]] = [MIGRATION_0001, MIGRATION_0002]

#: The schema version this seamline writes.
SCHEMA_VERSION = len(MIGRATIONS)
