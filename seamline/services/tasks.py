"""The human task desk: listing, claiming, giving back and handing over tasks.

Completing a task is an engine verb (it advances the instance); everything here only changes
who holds a task, in the store, with the event that says so in the instance's history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from seamline.errors import Forbidden, NotFound
from seamline.humans.identity import Directory, User, resolve_actor
from seamline.services.authorization import Rules
from seamline.store.base import Store
from seamline.store.inbox import InboxQuery
from seamline.store.records import Event, HumanTask, TaskStatus


class TaskDesk:
    """Who holds which task, under the installation's :class:`Rules`."""

    def __init__(
        self,
        store: Store,
        directory: Directory,
        rules: Rules,
        clock: Callable[[], dt.datetime],
        *,
        on_assigned: Callable[[HumanTask], Any] | None = None,
    ) -> None:
        self.store = store
        self.directory = directory
        self.rules = rules
        self.clock = clock
        #: Called with the task after its assignee changed (its assignment listeners run there).
        self.on_assigned = on_assigned

    def _assigned(self, before: HumanTask, after: HumanTask) -> HumanTask:
        changed = before.assignee != after.assignee
        if self.on_assigned is not None and changed and self.on_assigned(after) is not None:
            return self.store.get_task(after.id)  # the listeners may have changed it again
        return after

    def visible(
        self,
        actor: User,
        *,
        mine: bool = False,
        group: str | None = None,
        overdue: bool = False,
        instance_id: str | None = None,
        limit: int = 100,
    ) -> list[HumanTask]:
        """Open tasks ``actor`` may see (all of them for admins and single-user installs)."""
        # Without --as the CLI acts as the operator, who may look at (not act on) every task.
        admin = actor.admin or not self.directory.users() or actor.anonymous
        return self.store.inbox(
            InboxQuery(
                user=actor.name,
                groups=tuple(sorted(actor.groups)),
                admin=admin,
                mine=mine,
                group=group,
                overdue_at=self.clock() if overdue else None,
                instance_id=instance_id,
                limit=limit,
            )
        )

    def claim(self, task_id: str, actor: User) -> HumanTask:
        """Take a task: only a candidate may, and only while nobody else holds it."""
        row = self.store.get_task(task_id)
        self._require_active(row)
        self.rules.task(row, actor, "claim")
        if row.assignee == actor.name:
            return row
        # Only an admin takes a task over from its holder; everyone else races for a free one.
        expected = row.assignee if actor.admin else None
        claimed = self.store.claim_task(
            row.id,
            actor.name,
            expected_assignee=expected,
            events=[self._event(row, "task_claimed", actor.name)],
        )
        return self._assigned(row, claimed)

    def unclaim(self, task_id: str, actor: User) -> HumanTask:
        """Give a claimed task back to its candidates."""
        row = self.store.get_task(task_id)
        self._require_active(row)
        self.rules.task(row, actor, "unclaim")
        given_back = self.store.set_assignee(
            row.id, None, events=[self._event(row, "task_unclaimed", actor.name)]
        )
        return self._assigned(row, given_back)

    def assign(self, task_id: str, assignee: str, actor: User) -> HumanTask:
        """Hand a task to someone (admins, or the current holder)."""
        row = self.store.get_task(task_id)
        self._require_active(row)
        if self.directory.users() and not (actor.admin or row.assignee == actor.name):
            raise Forbidden(
                f"{actor.label} may not assign task {row.id[:8]}: only an administrator or the"
                f" person holding it may hand it over"
            )
        target = resolve_actor(self.directory, assignee)
        handed = self.store.set_assignee(
            row.id,
            target.name,
            events=[self._event(row, "task_assigned", actor.name, to=target.name)],
        )
        return self._assigned(row, handed)

    def _require_active(self, row: HumanTask) -> None:
        if row.status not in (TaskStatus.OPEN, TaskStatus.CLAIMED):
            raise NotFound(f"task {row.id[:8]} is {row.status.value}")

    def _event(self, row: HumanTask, kind: str, actor: str | None, **data: Any) -> Event:
        return Event(
            row.instance_id, kind, self.clock(), actor, row.element_id, {"task": row.id, **data}
        )
