"""Who may act on a human task (candidates, the assignee after a claim, administrators) and on
an instance (administrators, the user who started it, the people its open tasks name)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from seamline.errors import Forbidden
from seamline.humans import candidates as cand
from seamline.humans.identity import Directory, User
from seamline.store.base import Store
from seamline.store.inbox import InboxQuery
from seamline.store.protocols import EventStore, TaskStore
from seamline.store.records import Event, HumanTask


def authorize(
    store: Store,
    directory: Directory,
    clock: Callable[[], dt.datetime],
    row: HumanTask,
    actor: User,
    verb: str,
) -> None:
    """Raise Forbidden, and record the refusal in the history, unless ``actor`` may act.

    Without configured users (a single-user installation) everyone may.
    """
    if not directory.users():
        return
    if row.assignee:
        allowed = actor.admin or actor.name == row.assignee
    else:
        candidates = cand.Candidates(row.candidate_users, row.candidate_groups, None)
        allowed = cand.may_take(actor, candidates)
    if allowed:
        return
    store.append_events(
        [
            Event(
                row.instance_id,
                "task_refused",
                clock(),
                actor.name,
                row.element_id,
                {"task": row.id, "verb": verb},
            )
        ]
    )
    who = f"assigned to {row.assignee}" if row.assignee else _candidates_text(row)
    raise Forbidden(
        f"{actor.label} may not {verb} task {row.id[:8]} ({row.name or row.element_id});"
        f" it is {who}"
    )


def _candidates_text(row: HumanTask) -> str:
    parts = []
    if row.candidate_users:
        parts.append("users " + ", ".join(row.candidate_users))
    if row.candidate_groups:
        parts.append("groups " + ", ".join(row.candidate_groups))
    return "for " + " and ".join(parts) if parts else "open to anyone"


#: Verbs only an administrator or the user who started the instance may use: they end or
#: redirect everyone's work on it.
OWNER_VERBS = frozenset({"cancel"})


def starter(store: EventStore, instance_id: str) -> str | None:
    """The user who started the instance (None when nobody named was acting)."""
    for event in store.list_events(instance_id):
        if event.kind == "instance_started":
            return event.actor
    return None


def _has_part(store: TaskStore, instance_id: str, actor: User) -> bool:
    """True if ``actor`` holds one of the instance's open tasks or is named as its candidate:
    one of the instance's tasks is in their inbox.

    A task open to anyone gives nobody a part in the instance: it names no one.
    """
    query = InboxQuery(
        user=actor.name, groups=tuple(sorted(actor.groups)), instance_id=instance_id, limit=1
    )
    return bool(store.inbox(query))


def may_act_on_instance(
    store: Store, directory: Directory, instance_id: str, actor: User, verb: str
) -> bool:
    """Who may change an instance (set, resume, retry, message; cancel is narrower).

    Without configured users everyone may. Otherwise: administrators; the named user who
    started it; for every verb but cancel, also the assignee of one of its open tasks or a
    candidate (user or group member) of one of its unclaimed open tasks.
    """
    if not directory.users() or actor.admin:
        return True
    if actor.anonymous:
        return False
    if starter(store, instance_id) == actor.name:
        return True
    return verb not in OWNER_VERBS and _has_part(store, instance_id, actor)


def authorize_instance(
    store: Store,
    directory: Directory,
    clock: Callable[[], dt.datetime],
    instance_id: str,
    actor: User,
    verb: str,
) -> None:
    """Raise Forbidden, and record the refusal in the instance's history, unless ``actor``
    may ``verb`` the instance (see :func:`may_act_on_instance`)."""
    if may_act_on_instance(store, directory, instance_id, actor, verb):
        return
    store.append_events(
        [Event(instance_id, "instance_refused", clock(), actor.name, None, {"verb": verb})]
    )
    who = (
        "an administrator or the user who started it"
        if verb in OWNER_VERBS
        else "an administrator, the user who started it or a person with one of its open tasks"
    )
    hint = "name yourself with --as USER" if actor.anonymous else None
    raise Forbidden(
        f"{actor.label} may not {verb} instance {instance_id[:8]}: only {who} may", hint=hint
    )


class Rules:
    """The task and instance rules of one installation: its store, directory and clock bound.

    The engine takes :meth:`task` as its gate for completing tasks; the App asks it before
    claiming, unclaiming and changing instances.
    """

    def __init__(
        self, store: Store, directory: Directory, clock: Callable[[], dt.datetime]
    ) -> None:
        self.store = store
        self.directory = directory
        self.clock = clock

    def task(self, row: HumanTask, actor: User, verb: str) -> None:
        """Forbidden (recorded) unless ``actor`` may ``verb`` the task (see :func:`authorize`)."""
        authorize(self.store, self.directory, self.clock, row, actor, verb)

    def instance(self, instance_id: str, actor: User, verb: str) -> None:
        """Forbidden (recorded) unless ``actor`` may ``verb`` the instance."""
        authorize_instance(self.store, self.directory, self.clock, instance_id, actor, verb)

    def may_act_on_instance(self, instance_id: str, actor: User, verb: str) -> bool:
        """See :func:`may_act_on_instance`."""
        return may_act_on_instance(self.store, self.directory, instance_id, actor, verb)
