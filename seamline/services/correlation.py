"""Messages and signals, from the outside world or thrown by an instance, routed to waiting
instances or start events."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from seamline.bpmn.definition import ProcessDefinition
from seamline.engine import waiting
from seamline.engine.engine import Engine
from seamline.errors import (
    Forbidden,
    InstanceChanged,
    SeamlineError,
    UnmatchedMessage,
)
from seamline.humans.identity import Directory, User, resolve_actor
from seamline.services import authorization
from seamline.store.base import Store
from seamline.store.records import Message

log = logging.getLogger(__name__)


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


class Correlation:
    """Routes messages and signals to the instances waiting for them, or to start events.

    Built over the engine (which delivers and starts) and the store (subscriptions, the message
    buffer); who may send what is decided by :mod:`seamline.services.authorization`.
    """

    def __init__(self, engine: Engine, store: Store, directory: Directory) -> None:
        self.engine = engine
        self.store = store
        self.directory = directory

    def user(self, name: str | None) -> User:
        """The acting user named ``name`` (anonymous when none is named)."""
        return resolve_actor(self.directory, name)

    def send_message(
        self,
        name: str,
        *,
        key: str | None = None,
        data: Mapping[str, Any] | None = None,
        message_id: str | None = None,
        ttl: dt.timedelta = dt.timedelta(hours=1),
        user: str | None = None,
        check: bool = False,
    ) -> Delivery:
        """See :func:`send_message`."""
        return send_message(
            self, name, key=key, data=data, message_id=message_id, ttl=ttl, user=user, check=check
        )

    def broadcast_signal(
        self,
        name: str,
        *,
        data: Mapping[str, Any] | None = None,
        user: str | None = None,
        check: bool = False,
    ) -> Delivery:
        """See :func:`broadcast_signal`."""
        return broadcast_signal(self, name, data=data, user=user, check=check)

    def route(
        self, kind: str, name: str, payload: Mapping[str, Any], key: str | None, sender: str
    ) -> Delivery:
        """The engine's outbox: what an instance threw goes where one from outside would."""
        if kind == "signal":
            return broadcast_signal(self, name, data=payload)
        return send_message(self, name, key=key, data=payload)


def _starters(hub: Correlation, kind: str, name: str) -> list[ProcessDefinition]:
    """The latest deployed version of every process a message/signal ``name`` starts."""
    latest: dict[str, Any] = {}
    for stored in sorted(hub.store.list_definitions(), key=lambda d: d.created_at):
        for pid in stored.process_ids:
            latest[pid] = stored
    found: list[ProcessDefinition] = []
    for pid, stored in latest.items():
        try:
            definition = hub.engine.definitions.get(stored.hash, pid)
        except SeamlineError:
            continue
        if name in waiting.start_event_names(definition, kind):
            found.append(definition)
    return found


def send_message(
    hub: Correlation,
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
    now = hub.engine.clock()
    payload = dict(data or {})
    mid = message_id or uuid.uuid4().hex
    expires = now + ttl if ttl.total_seconds() > 0 else now
    if not hub.store.put_message(Message(mid, name, key, payload, now, expires)):
        return Delivery(name, "duplicate", message_id=mid)
    actor = hub.user(user) if check else None
    refused: str | None = None
    for sub in hub.store.find_subscriptions("message", name, key):
        if actor is not None and not authorization.may_act_on_instance(
            hub.store, hub.directory, sub.instance_id, actor, "message"
        ):
            refused = refused or sub.instance_id
            continue
        try:
            view = hub.engine.deliver(
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
        hub.store.forget_message(mid)  # not taken: the same id sent by someone allowed is new
        authorization.authorize_instance(
            hub.store, hub.directory, hub.engine.clock, refused, actor, "message"
        )
    starters = _starters(hub, "message", name)
    if starters:
        view = hub.engine.start(
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
    hub.store.forget_message(mid)  # rejected: sending it again later is not a duplicate
    raise UnmatchedMessage(
        f"no instance waits for message {name!r}"
        + (f" with key {key!r}" if key else "")
        + " and no deployed process starts with it",
        hint="check the name and key, or send it with a --ttl to keep it until one waits",
    )


def broadcast_signal(
    hub: Correlation,
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
    if check and hub.directory.users():
        actor = hub.user(user)
        if not actor.admin:
            raise Forbidden(
                f"{actor.label} may not broadcast signal {name!r}: only an administrator may,"
                " as a signal reaches every instance waiting for it"
            )
    payload = dict(data or {})
    statuses: dict[str, str] = {}
    for sub in hub.store.find_subscriptions("signal", name, None):
        if sub.instance_id in statuses:
            continue
        try:
            view = hub.engine.deliver(sub.instance_id, "signal", name, payload, actor=user)
        except InstanceChanged:
            view = hub.engine.deliver(sub.instance_id, "signal", name, payload, actor=user)
        if view is not None:
            statuses[view.instance.id] = view.instance.status.value
    for definition in _starters(hub, "signal", name):
        view = hub.engine.start(definition, payload, actor=user, trigger=("signal", name, payload))
        statuses[view.instance.id] = view.instance.status.value
    return Delivery(name, "broadcast", tuple(statuses), statuses=statuses)
