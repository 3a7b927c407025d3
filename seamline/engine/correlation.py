"""Messages and signals from the outside world, routed to instances or start events."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from seamline.engine import authorization, waiting
from seamline.errors import Forbidden, InstanceChanged, SeamlineError, UnmatchedMessage
from seamline.store.records import Message

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from seamline.app import App


@dataclass(frozen=True)
class Delivery:
    """What became of a message or signal."""

    name: str
    outcome: str  # correlated | started | buffered | duplicate | broadcast
    instances: tuple[str, ...] = ()
    message_id: str | None = None
    expires_at: dt.datetime | None = None
    statuses: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The shape `seamline message/signal --json` prints."""
        return {
            "name": self.name,
            "outcome": self.outcome,
            "instances": list(self.instances),
            "statuses": dict(self.statuses),
            "message_id": self.message_id,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
        }


def _starters(app: App, kind: str, name: str) -> list[Any]:
    """The latest deployed version of every process a message/signal ``name`` starts."""
    latest: dict[str, Any] = {}
    for stored in sorted(app.store.list_definitions(), key=lambda d: d.created_at):
        for pid in stored.process_ids:
            latest[pid] = stored
    found = []
    for pid, stored in latest.items():
        try:
            definition = app.definitions.get(stored.hash, pid)
        except SeamlineError:
            continue
        if name in waiting.start_event_names(definition, kind):
            found.append(definition)
    return found


def send_message(
    app: App,
    name: str,
    *,
    key: str | None = None,
    data: Mapping[str, Any] | None = None,
    message_id: str | None = None,
    ttl: dt.timedelta = dt.timedelta(hours=1),
    user: str | None = None,
    check: bool = False,
) -> Delivery:
    """Correlate a message to a waiting instance, else start one, else buffer (or reject) it.

    With ``check`` (a message from outside), only an instance ``user`` may act on receives it;
    if instances wait for it but none of them is, the message is refused and recorded.
    """
    now = app.clock()
    payload = dict(data or {})
    mid = message_id or uuid.uuid4().hex
    expires = now + ttl if ttl.total_seconds() > 0 else now
    if not app.store.put_message(Message(mid, name, key, payload, now, expires)):
        return Delivery(name, "duplicate", message_id=mid)
    actor = app.user(user) if check else None
    refused: str | None = None
    for sub in app.store.find_subscriptions("message", name, key):
        if actor is not None and not authorization.may_act_on_instance(
            app.store, app.directory, sub.instance_id, actor, "message"
        ):
            refused = refused or sub.instance_id
            continue
        try:
            view = app.engine.deliver(
                sub.instance_id, "message", name, payload, actor=user, message_id=mid
            )
        except InstanceChanged:
            continue
        if view is not None:
            log.info(
                "message correlated", extra={"instance": view.instance.id, "message_name": name}
            )
            return Delivery(
                name,
                "correlated",
                (view.instance.id,),
                mid,
                statuses={view.instance.id: view.instance.status.value},
            )
    if refused is not None and actor is not None:
        app.store.forget_message(mid)  # not taken: the same id sent by someone allowed is new
        authorization.authorize_instance(
            app.store, app.directory, app.clock, refused, actor, "message"
        )
    starters = _starters(app, "message", name)
    if starters:
        view = app.engine.start(
            starters[0],
            payload,
            business_key=key,
            actor=user,
            trigger=("message", name, payload),
            message_id=mid,
        )
        log.info(
            "message started an instance",
            extra={"instance": view.instance.id, "message_name": name},
        )
        return Delivery(
            name,
            "started",
            (view.instance.id,),
            mid,
            statuses={view.instance.id: view.instance.status.value},
        )
    if expires > now:
        log.info("message buffered", extra={"message_name": name, "message_id": mid})
        return Delivery(name, "buffered", message_id=mid, expires_at=expires)
    app.store.forget_message(mid)  # rejected: sending it again later is not a duplicate
    raise UnmatchedMessage(
        f"no instance waits for message {name!r}"
        + (f" with key {key!r}" if key else "")
        + " and no deployed process starts with it",
        hint="check the name and key, or send it with a --ttl to keep it until one waits",
    )


def broadcast_signal(
    app: App,
    name: str,
    *,
    data: Mapping[str, Any] | None = None,
    user: str | None = None,
    check: bool = False,
) -> Delivery:
    """Deliver a signal to every waiting catcher and start every process it starts.

    With ``check`` (a signal from outside) and users configured, only an administrator may
    broadcast: a signal reaches every instance waiting for it, whoever they belong to.
    """
    if check and app.directory.users():
        actor = app.user(user)
        if not actor.admin:
            raise Forbidden(
                f"{actor.label} may not broadcast signal {name!r}: only an administrator may,"
                " as a signal reaches every instance waiting for it"
            )
    payload = dict(data or {})
    statuses: dict[str, str] = {}
    for sub in app.store.find_subscriptions("signal", name, None):
        if sub.instance_id in statuses:
            continue
        try:
            view = app.engine.deliver(sub.instance_id, "signal", name, payload, actor=user)
        except InstanceChanged:
            view = app.engine.deliver(sub.instance_id, "signal", name, payload, actor=user)
        if view is not None:
            statuses[view.instance.id] = view.instance.status.value
    for definition in _starters(app, "signal", name):
        view = app.engine.start(definition, payload, actor=user, trigger=("signal", name, payload))
        statuses[view.instance.id] = view.instance.status.value
    return Delivery(name, "broadcast", tuple(statuses), statuses=statuses)
