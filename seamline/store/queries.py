"""Named SQL shared by the SQL stores.

Written once with ``?`` placeholders in SQL that SQLite and PostgreSQL both accept (``ON
CONFLICT`` upserts, no ``LIKE``, no ``%``); a dialect swaps the placeholder and may override a
query by name. The ``*_COLS`` lists fix the column order the row readers in sqlrows.py expect.
"""

from __future__ import annotations

INSTANCE_COLS = (
    "id, process_id, definition_hash, business_key, status, version, data, "
    "created_at, updated_at, error, parent_id"
)
TASK_COLS = (
    "id, instance_id, process_id, element_id, name, status, candidate_users, candidate_groups, "
    "assignee, created_at, due_at, follow_up_at, priority, form, business_key, lane, "
    "completed_by, completed_at, note"
)
EVENT_COLS = "instance_id, kind, occurred_at, actor, element_id, data, seq"
TIMER_COLS = "id, instance_id, element_id, due_at, kind, data"
JOB_COLS = (
    "id, instance_id, element_id, task_id, connector, idempotency_key, attempt, status, "
    "run_at, params, lease_owner, lease_until, last_error"
)
SUBSCRIPTION_COLS = "instance_id, element_id, kind, name, correlation_key"
MESSAGE_COLS = "id, name, correlation_key, data, received_at, expires_at"


def _marks(cols: str) -> str:
    return ", ".join("?" for _ in cols.split(","))


QUERIES: dict[str, str] = {
    # -- schema ------------------------------------------------------------------------------
    "create_schema_version": "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
    "get_schema_version": "SELECT MAX(version) FROM schema_version",
    "set_schema_version": "INSERT INTO schema_version (version) VALUES (?)",
    # -- definitions -------------------------------------------------------------------------
    "insert_definition": (
        "INSERT INTO definitions (hash, name, flavour, created_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (hash) DO NOTHING"
    ),
    "insert_definition_process": (
        "INSERT INTO definition_processes (hash, process_id, position) VALUES (?, ?, ?)"
    ),
    "insert_definition_source": (
        "INSERT INTO definition_sources (hash, name, content) VALUES (?, ?, ?)"
    ),
    "select_definition": "SELECT hash, name, flavour, created_at FROM definitions WHERE hash = ?",
    "latest_definition": (
        "SELECT d.hash FROM definitions d JOIN definition_processes p ON p.hash = d.hash "
        "WHERE p.process_id = ? ORDER BY d.seq DESC LIMIT 1"
    ),
    "list_definitions": "SELECT hash, name, flavour, created_at FROM definitions ORDER BY seq",
    "definition_processes": (
        "SELECT hash, process_id FROM definition_processes WHERE hash = ? ORDER BY position"
    ),
    "all_definition_processes": (
        "SELECT hash, process_id FROM definition_processes ORDER BY hash, position"
    ),
    "definition_sources": "SELECT hash, name, content FROM definition_sources WHERE hash = ?",
    "all_definition_sources": "SELECT hash, name, content FROM definition_sources",
    # -- instances ---------------------------------------------------------------------------
    "insert_instance": (
        f"INSERT INTO instances ({INSTANCE_COLS}) VALUES ({_marks(INSTANCE_COLS)}) "
        "ON CONFLICT (id) DO NOTHING"
    ),
    "update_instance": (
        "UPDATE instances SET process_id = ?, definition_hash = ?, business_key = ?, "
        "status = ?, version = ?, data = ?, created_at = ?, updated_at = ?, error = ?, "
        "parent_id = ? WHERE id = ? AND version = ?"
    ),
    "select_instance": f"SELECT {INSTANCE_COLS} FROM instances WHERE id = ?",
    "instance_ids_by_prefix": (
        "SELECT id FROM instances WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 3"
    ),
    "instance_exists": "SELECT version FROM instances WHERE id = ?",
    "upsert_snapshot": (
        "INSERT INTO snapshots (instance_id, version, snapshot) VALUES (?, ?, ?) "
        "ON CONFLICT (instance_id) DO UPDATE SET version = excluded.version, "
        "snapshot = excluded.snapshot"
    ),
    "select_snapshot": "SELECT version, snapshot FROM snapshots WHERE instance_id = ?",
    # -- tasks -------------------------------------------------------------------------------
    # A person's claim survives the engine re-stating the task as open.
    "upsert_task": (
        f"INSERT INTO tasks ({TASK_COLS}) VALUES ({_marks(TASK_COLS)}) "
        "ON CONFLICT (id) DO UPDATE SET "
        "instance_id = excluded.instance_id, process_id = excluded.process_id, "
        "element_id = excluded.element_id, name = excluded.name, "
        "status = CASE WHEN tasks.status = 'claimed' AND excluded.status = 'open' "
        "THEN tasks.status ELSE excluded.status END, "
        "assignee = CASE WHEN tasks.status = 'claimed' AND excluded.status = 'open' "
        "THEN tasks.assignee ELSE excluded.assignee END, "
        "candidate_users = excluded.candidate_users, "
        "candidate_groups = excluded.candidate_groups, created_at = excluded.created_at, "
        "due_at = excluded.due_at, follow_up_at = excluded.follow_up_at, "
        "priority = excluded.priority, form = excluded.form, "
        "business_key = excluded.business_key, lane = excluded.lane, "
        "completed_by = excluded.completed_by, completed_at = excluded.completed_at, "
        "note = excluded.note"
    ),
    "delete_candidates": "DELETE FROM task_candidates WHERE task_id = ?",
    "insert_candidate": (
        "INSERT INTO task_candidates (task_id, kind, name) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
    ),
    "complete_task": (
        "UPDATE tasks SET status = 'completed', completed_by = ?, completed_at = ? "
        "WHERE id = ? AND instance_id = ?"
    ),
    "active_task_ids": (
        "SELECT id FROM tasks WHERE instance_id = ? AND status IN ('open', 'claimed')"
    ),
    "cancel_task": (
        "UPDATE tasks SET status = 'cancelled' WHERE id = ? AND status IN ('open', 'claimed')"
    ),
    "select_task": f"SELECT {TASK_COLS} FROM tasks WHERE id = ?",
    "task_ids_by_prefix": "SELECT id FROM tasks WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 3",
    "claim_task_unassigned": (
        "UPDATE tasks SET status = 'claimed', assignee = ? "
        "WHERE id = ? AND status IN ('open', 'claimed') AND assignee IS NULL"
    ),
    "claim_task_assigned": (
        "UPDATE tasks SET status = 'claimed', assignee = ? "
        "WHERE id = ? AND status IN ('open', 'claimed') AND assignee = ?"
    ),
    "set_assignee": (
        "UPDATE tasks SET status = ?, assignee = ? WHERE id = ? AND status IN ('open', 'claimed')"
    ),
    # -- events ------------------------------------------------------------------------------
    "insert_event": (
        "INSERT INTO events (instance_id, kind, occurred_at, actor, element_id, data) "
        "VALUES (?, ?, ?, ?, ?, ?)"
    ),
    "list_events": (
        f"SELECT {EVENT_COLS} FROM events WHERE instance_id = ? AND seq > ? ORDER BY seq"
    ),
    # -- timers and subscriptions ------------------------------------------------------------
    "delete_timers": "DELETE FROM timers WHERE instance_id = ?",
    "insert_timer": f"INSERT INTO timers ({TIMER_COLS}) VALUES ({_marks(TIMER_COLS)})",
    "due_timers": (
        f"SELECT {TIMER_COLS} FROM timers WHERE due_at <= ? ORDER BY due_at, id LIMIT ?"
    ),
    "next_timer_due": "SELECT MIN(due_at) FROM timers",
    "delete_subscriptions": "DELETE FROM subscriptions WHERE instance_id = ?",
    "insert_subscription": (
        f"INSERT INTO subscriptions ({SUBSCRIPTION_COLS}) VALUES ({_marks(SUBSCRIPTION_COLS)})"
    ),
    "find_subscriptions_any_key": (
        f"SELECT {SUBSCRIPTION_COLS} FROM subscriptions WHERE kind = ? AND name = ? "
        "ORDER BY instance_id, element_id"
    ),
    "find_subscriptions_key": (
        f"SELECT {SUBSCRIPTION_COLS} FROM subscriptions WHERE kind = ? AND name = ? "
        "AND (correlation_key = ? OR correlation_key IS NULL) ORDER BY instance_id, element_id"
    ),
    # -- jobs and leases ---------------------------------------------------------------------
    "upsert_job": (
        f"INSERT INTO jobs ({JOB_COLS}) VALUES ({_marks(JOB_COLS)}) "
        "ON CONFLICT (id) DO UPDATE SET instance_id = excluded.instance_id, "
        "element_id = excluded.element_id, task_id = excluded.task_id, "
        "connector = excluded.connector, idempotency_key = excluded.idempotency_key, "
        "attempt = excluded.attempt, status = excluded.status, run_at = excluded.run_at, "
        "params = excluded.params, lease_owner = excluded.lease_owner, "
        "lease_until = excluded.lease_until, last_error = excluded.last_error"
    ),
    "close_jobs": (
        "UPDATE jobs SET status = 'done', lease_owner = NULL, lease_until = NULL "
        "WHERE instance_id = ? AND status IN ('pending', 'running')"
    ),
    "runnable_jobs": (
        f"SELECT {JOB_COLS} FROM jobs WHERE (status = 'pending' AND run_at <= ?) "
        "OR (status = 'running' AND (lease_until IS NULL OR lease_until <= ?)) "
        "ORDER BY run_at, id LIMIT ?"
    ),
    "lease_job": (
        "UPDATE jobs SET status = 'running', lease_owner = ?, lease_until = ? WHERE id = ? AND "
        "((status = 'pending' AND run_at <= ?) "
        "OR (status = 'running' AND (lease_until IS NULL OR lease_until <= ?)))"
    ),
    "select_job": f"SELECT {JOB_COLS} FROM jobs WHERE id = ?",
    "acquire_lease": (
        "INSERT INTO leases (instance_id, owner, lease_until) VALUES (?, ?, ?) "
        "ON CONFLICT (instance_id) DO UPDATE SET owner = excluded.owner, "
        "lease_until = excluded.lease_until "
        "WHERE leases.owner = excluded.owner OR leases.lease_until <= ?"
    ),
    "release_lease": "DELETE FROM leases WHERE instance_id = ? AND owner = ?",
    # -- messages ----------------------------------------------------------------------------
    "insert_message": (
        "INSERT INTO messages (id, name, correlation_key, data, received_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
    ),
    "take_message_any_key": (
        f"SELECT {MESSAGE_COLS} FROM messages WHERE name = ? AND consumed_at IS NULL "
        "AND (expires_at IS NULL OR expires_at > ?) ORDER BY received_at, id LIMIT 1"
    ),
    "take_message_key": (
        f"SELECT {MESSAGE_COLS} FROM messages WHERE name = ? AND consumed_at IS NULL "
        "AND (correlation_key = ? OR correlation_key IS NULL) "
        "AND (expires_at IS NULL OR expires_at > ?) ORDER BY received_at, id LIMIT 1"
    ),
    "forget_message": ("DELETE FROM messages WHERE id = ? AND consumed_at IS NULL"),
    # -- settings ----------------------------------------------------------------------------
    "get_setting": "SELECT value FROM settings WHERE key = ?",
    "put_setting": (
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
    ),
    "consume_message": ("UPDATE messages SET consumed_at = ? WHERE id = ? AND consumed_at IS NULL"),
}
