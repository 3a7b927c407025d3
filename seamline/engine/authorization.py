"""Who may act on a human task: candidates, the assignee after a claim, administrators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from seamline.errors import Forbidden
from seamline.humans import candidates as cand
from seamline.humans.identity import Directory, User
from seamline.store.base import Store
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
