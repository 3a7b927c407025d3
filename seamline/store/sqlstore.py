"""SqlStore: the Store protocol in shared SQL; dialects only add a connection and a few words.

Definitions, instances, the commit of an engine step and human tasks live here; the worker's
side (events, timers, jobs, leases, messages) is in sqlwork.py.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from seamline.errors import CorruptState, MessageTaken, NotFound
from seamline.store import base, inbox, normalize, sqlrows
from seamline.store.base import (
    ACTIVE_TASK_STATUSES,
    Commit,
    Definition,
    Event,
    HumanTask,
    Instance,
    InstanceStatus,
    TaskStatus,
)
from seamline.store.codec import dumps, names_json
from seamline.store.inbox import InboxQuery
from seamline.store.queries import INSTANCE_COLS, TASK_COLS
from seamline.store.sqlwork import SqlWork

log = logging.getLogger(__name__)


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


class SqlStore(inbox.KeywordInbox, SqlWork):
    """The shared SQL implementation of :class:`seamline.store.base.Store`."""

    # -- definitions -----------------------------------------------------------------------

    def put_definition(self, d: Definition) -> bool:
        """Store a definition once per hash; False if it was already stored."""
        with self.transaction() as cur:
            created = self.encode_time(d.created_at, f"definition {d.hash} created_at")
            cur_ = self.run(cur, "insert_definition", (d.hash, d.name, d.flavour, created))
            if cur_.rowcount == 0:
                return False
            for position, process_id in enumerate(d.process_ids):
                self.run(cur, "insert_definition_process", (d.hash, process_id, position))
            for name, content in d.sources.items():
                self.run(cur, "insert_definition_source", (d.hash, name, bytes(content)))
            return True

    def _definition(self, cur: Any, row: Sequence[Any]) -> Definition:
        hash = row[0]
        processes = self.run(cur, "definition_processes", (hash,)).fetchall()
        sources = self.run(cur, "definition_sources", (hash,)).fetchall()
        return Definition(
            hash=hash,
            process_ids=tuple(p[1] for p in processes),
            name=row[1],
            flavour=row[2],
            sources={
                s[1]: sqlrows.blob(s[2], "definition_sources", f"{hash} {s[1]}") for s in sources
            },
            created_at=self.decode_time(row[3], "definitions", hash),
        )

    def get_definition(self, hash: str) -> Definition:
        """The definition with this content hash; NotFound otherwise."""
        with self.transaction(write=False) as cur:
            row = self.one(cur, "select_definition", (hash,))
            if row is None:
                raise base.not_found("definition", hash)
            return self._definition(cur, row)

    def latest_definition(self, process_id: str) -> Definition:
        """The most recently first-deployed definition containing ``process_id``."""
        with self.transaction(write=False) as cur:
            found = self.one(cur, "latest_definition", (process_id,))
            if found is None:
                raise NotFound(
                    f"no deployed definition contains process {process_id!r}",
                    hint="deploy the diagram first",
                )
            return self._definition(cur, self.one(cur, "select_definition", (found[0],)))

    def list_definitions(self) -> list[Definition]:
        """Every definition, oldest first."""
        with self.transaction(write=False) as cur:
            rows = self.run(cur, "list_definitions").fetchall()
            processes: dict[str, list[str]] = {}
            for hash, process_id in self.run(cur, "all_definition_processes").fetchall():
                processes.setdefault(hash, []).append(process_id)
            sources: dict[str, dict[str, bytes]] = {}
            for hash, name, content in self.run(cur, "all_definition_sources").fetchall():
                sources.setdefault(hash, {})[name] = sqlrows.blob(
                    content, "definition_sources", f"{hash} {name}"
                )
        return [
            Definition(
                hash=row[0],
                process_ids=tuple(processes.get(row[0], ())),
                name=row[1],
                flavour=row[2],
                sources=sources.get(row[0], {}),
                created_at=self.decode_time(row[3], "definitions", row[0]),
            )
            for row in rows
        ]

    # -- instances -------------------------------------------------------------------------

    def _instance_row(self, cur: Any, id: str) -> Instance:
        row = self.resolve(cur, "instance", "select_instance", "instance_ids_by_prefix", id)
        return sqlrows.instance(row, self.decode_time)

    def get_instance(self, id: str) -> Instance:
        """An instance by id or unique id prefix."""
        with self.transaction(write=False) as cur:
            return self._instance_row(cur, id)

    def load_snapshot(self, id: str) -> tuple[Instance, bytes]:
        """The instance and the snapshot committed with its current version."""
        with self.transaction(write=False) as cur:
            instance = self._instance_row(cur, id)
            row = self.one(cur, "select_snapshot", (instance.id,))
        if row is None or sqlrows.number(row[0], "snapshots", instance.id) != instance.version:
            raise CorruptState(
                f"snapshots row {instance.id} is missing or not at version {instance.version}",
                hint="restore the database from a backup",
            )
        return instance, sqlrows.blob(row[1], "snapshots", instance.id)

    def list_instances(
        self,
        *,
        status: InstanceStatus | Sequence[InstanceStatus] | None = None,
        process_id: str | None = None,
        limit: int = 100,
    ) -> list[Instance]:
        """Instances, most recently updated first."""
        where: list[str] = []
        params: list[Any] = []
        if status is not None:
            wanted = [str(status)] if isinstance(status, str) else [str(s) for s in status]
            where.append(f"status IN ({_marks(wanted)})" if wanted else "1 = 0")
            params.extend(wanted)
        if process_id is not None:
            where.append("process_id = ?")
            params.append(process_id)
        clause = f"WHERE {' AND '.join(where)} " if where else ""
        query = (
            f"SELECT {INSTANCE_COLS} FROM instances {clause}ORDER BY updated_at DESC, id LIMIT ?"
        )
        with self.transaction(write=False) as cur:
            rows = cur.execute(self.render(query), (*params, limit)).fetchall()
        return [sqlrows.instance(r, self.decode_time) for r in rows]

    def commit(self, step: Commit) -> Instance:
        """Write one engine step in one transaction; InstanceChanged if the version moved."""
        base.check_version(step)
        inst = step.instance
        values = (
            inst.process_id,
            inst.definition_hash,
            inst.business_key,
            str(inst.status),
            inst.version,
            dumps(inst.data, where=f"instance {inst.id} data"),
            self.encode_time(inst.created_at, f"instance {inst.id} created_at"),
            self.encode_time(inst.updated_at, f"instance {inst.id} updated_at"),
            inst.error,
            inst.parent_id,
        )
        with self.transaction() as cur:
            # The guarded instance write comes first: in PostgreSQL it also locks the row, so
            # two steps on one instance serialise here and the loser writes nothing.
            if step.expected_version is None:
                done = self.run(cur, "insert_instance", (inst.id, *values))
                if done.rowcount != 1:
                    raise base.changed(inst.id, None)
            else:
                done = self.run(cur, "update_instance", (*values, inst.id, step.expected_version))
                if done.rowcount != 1:
                    if self.one(cur, "instance_exists", (inst.id,)) is None:
                        raise base.not_found("instance", inst.id)
                    raise base.changed(inst.id, step.expected_version)
            if step.consumed_message is not None:
                consumed = self.run(
                    cur,
                    "consume_message",
                    (self.encode_time(inst.updated_at, "consumed_at"), step.consumed_message),
                )
                if consumed.rowcount != 1:
                    raise MessageTaken(
                        f"message {step.consumed_message} was consumed by another step; "
                        f"nothing was written for instance {inst.id}",
                        hint="reload the instance and correlate again",
                    )
            log.debug("writing step", extra={"instance": inst.id, "version": inst.version})
            self.run(cur, "upsert_snapshot", (inst.id, inst.version, bytes(step.snapshot)))
            self._write_tasks(cur, inst, step)
            self.insert_events(cur, step.events)
            self.write_schedule(cur, step)
        return normalize.instance(inst)

    def _write_tasks(self, cur: Any, inst: Instance, step: Commit) -> None:
        if step.tasks:
            self.run_many(cur, "upsert_task", [self._task_values(t) for t in step.tasks])
            self.run_many(cur, "delete_candidates", [(t.id,) for t in step.tasks])
            candidates = [
                (t.id, kind, name)
                for t in step.tasks
                for kind, names in (("user", t.candidate_users), ("group", t.candidate_groups))
                for name in dict.fromkeys(names)
            ]
            if candidates:
                self.run_many(cur, "insert_candidate", candidates)
        when = self.encode_time(inst.updated_at, "completed_at")
        for task_id, by in step.completed_tasks:
            self.run(cur, "complete_task", (by, when, task_id, inst.id))
        # Compared in Python rather than with NOT IN (...): an instance may list more tasks
        # than a statement may carry parameters.
        keep = {t.id for t in step.tasks} | {task_id for task_id, _ in step.completed_tasks}
        active = self.run(cur, "active_task_ids", (inst.id,)).fetchall()
        for (task_id,) in active:
            if task_id not in keep:
                self.run(cur, "cancel_task", (task_id,))

    def _task_values(self, t: HumanTask) -> tuple[Any, ...]:
        where = f"task {t.id}"
        form = None if t.form is None else dumps(t.form, where=f"{where} form")
        return (
            t.id,
            t.instance_id,
            t.process_id,
            t.element_id,
            t.name,
            str(t.status),
            names_json([str(u) for u in t.candidate_users]),
            names_json([str(g) for g in t.candidate_groups]),
            t.assignee,
            self.encode_time(t.created_at, f"{where} created_at"),
            self.t(t.due_at, f"{where} due_at"),
            self.t(t.follow_up_at, f"{where} follow_up_at"),
            t.priority,
            form,
            t.business_key,
            t.lane,
            t.completed_by,
            self.t(t.completed_at, f"{where} completed_at"),
            t.note,
        )

    # -- human tasks -----------------------------------------------------------------------

    def _task_row(self, cur: Any, id: str) -> HumanTask:
        row = self.resolve(cur, "task", "select_task", "task_ids_by_prefix", id)
        return sqlrows.task(row, self.decode_time)

    def get_task(self, id: str) -> HumanTask:
        """A human task by id or unique id prefix."""
        with self.transaction(write=False) as cur:
            return self._task_row(cur, id)

    def inbox(self, query: InboxQuery) -> list[HumanTask]:
        """The tasks ``query`` may see under the inbox rules; index lookups only."""
        built = self.inbox_sql(query)
        if built is None:
            return []
        sql, params = built
        with self.transaction(write=False) as cur:
            rows = cur.execute(sql, params).fetchall()
        return [sqlrows.task(r, self.decode_time) for r in rows]

    def inbox_sql(self, query: InboxQuery) -> tuple[str, tuple[Any, ...]] | None:
        """The SQL and parameters :meth:`inbox` runs (None: nothing can match), for EXPLAIN."""
        built = inbox.compile_sql(query, TASK_COLS, self.encode_time)
        if built is None:
            return None
        return self.render(built[0]), tuple(built[1])

    def claim_task(
        self,
        id: str,
        user: str,
        *,
        expected_assignee: str | None,
        events: Sequence[Event] = (),
    ) -> HumanTask:
        """Give the task to ``user`` if its assignee is still ``expected_assignee``; ``events``
        are appended in the same transaction."""
        with self.transaction() as cur:
            task = self._task_row(cur, id)
            if expected_assignee is None:
                done = self.run(cur, "claim_task_unassigned", (user, task.id))
            else:
                done = self.run(cur, "claim_task_assigned", (user, task.id, expected_assignee))
            if done.rowcount != 1:
                current = self._task_row(cur, task.id)
                if current.status not in ACTIVE_TASK_STATUSES:
                    raise base.task_changed(task.id, f"is {current.status}")
                raise base.task_changed(
                    task.id, f"is now assigned to {current.assignee or 'nobody'}"
                )
            self.insert_events(cur, events)
            return self._task_row(cur, task.id)

    def set_assignee(self, id: str, user: str | None, *, events: Sequence[Event] = ()) -> HumanTask:
        """Assign an open or claimed task to ``user``, or give it back to the queue (None);
        ``events`` are appended in the same transaction."""
        status = TaskStatus.OPEN if user is None else TaskStatus.CLAIMED
        with self.transaction() as cur:
            task = self._task_row(cur, id)
            done = self.run(cur, "set_assignee", (str(status), user, task.id))
            if done.rowcount != 1:
                raise base.task_changed(task.id, f"is {task.status}")
            self.insert_events(cur, events)
            return self._task_row(cur, task.id)
