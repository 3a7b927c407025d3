"""What a policy is asked and what it answers: :class:`Request`, :class:`Decision`, :class:`Deny`.

The names here are the policy contract (``seamline.cedarschema``): a request is made of a
principal (a ``User`` with its groups, or a ``Connector``), an action, a resource (``Process``,
``Task``, ``Activity`` or ``Instance`` with its attributes) and a context. Python policies
receive the same :class:`Request` Cedar is asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

#: Every action a policy can be asked about (``Seamline::Action::"..."``).
ACTIONS = (
    "start",
    "claim",
    "unclaim",
    "assign",
    "complete",
    "cancel",
    "set",
    "message",
    "retry",
    "invoke",
    "accept",
)
#: The actions a person takes (denied: refused, exit 4 / HTTP 403).
HUMAN_ACTIONS = frozenset(ACTIONS) - {"invoke", "accept"}
#: The name a request carries when nobody named is acting.
ANONYMOUS = "anonymous"


class Effect(StrEnum):
    """What was decided."""

    ALLOW = "allow"
    DENY = "deny"
    #: Denied by ``@review("group")`` policies only: a person of the group decides instead.
    REVIEW = "review"


@dataclass(frozen=True)
class Principal:
    """Who acts: ``kind`` is ``User`` or ``Connector``; a user's ``groups`` are its parents."""

    kind: str
    name: str
    groups: tuple[str, ...] = ()

    @classmethod
    def user(cls, name: str | None, groups: Any = ()) -> Principal:
        """A person (``anonymous`` when nobody is named)."""
        return cls("User", name or ANONYMOUS, tuple(sorted(groups)))

    @classmethod
    def connector(cls, name: str) -> Principal:
        """A service task's connector."""
        return cls("Connector", name)

    @property
    def uid(self) -> str:
        """``Seamline::User::"alice"``."""
        return f'Seamline::{self.kind}::"{self.name}"'


@dataclass(frozen=True)
class Resource:
    """What is acted on: ``Process``, ``Task``, ``Activity`` or ``Instance``."""

    kind: str
    id: str
    attrs: Mapping[str, str] = field(default_factory=dict)

    @property
    def uid(self) -> str:
        """``Seamline::Task::"..."``."""
        return f'Seamline::{self.kind}::"{self.id}"'

    @property
    def instance(self) -> str | None:
        """The instance the resource belongs to, if any."""
        if self.kind == "Instance":
            return self.id
        return self.attrs.get("instance")

    @property
    def element(self) -> str | None:
        """The element the resource is, if any."""
        return self.attrs.get("element")


@dataclass(frozen=True)
class Facts:
    """What an instance's history says, for the context: who started it, who completed which
    element, everyone who acted, and what it used (see :class:`seamline.policies.ledger.Ledger`).
    """

    starter: str = ""
    completed_by: Mapping[str, str] = field(default_factory=dict)
    actors: frozenset[str] = frozenset()
    usage: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    """One question to the policies.

    ``data`` is the process variables; ``extra`` the action's own context (``submitted`` for
    complete, ``inputs`` for invoke, ``outputs`` and ``model`` for accept).
    """

    action: str
    principal: Principal
    resource: Resource
    data: Mapping[str, Any] = field(default_factory=dict)
    facts: Facts = field(default_factory=Facts)
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def actor(self) -> str:
        """The acting user's or connector's name."""
        return self.principal.name

    def describe(self) -> dict[str, Any]:
        """The request as recorded: action, principal, resource."""
        return {
            "action": self.action,
            "principal": self.principal.uid,
            "resource": self.resource.uid,
        }


@dataclass(frozen=True)
class Decision:
    """What the policies decided, and why.

    ``policies`` are the ids of the policies that decided (the forbids that denied, or the
    permits that allowed); ``errors`` the evaluation errors (an error always denies).
    """

    effect: Effect
    policies: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    reason: str = ""
    #: The group a review goes to (``effect`` is REVIEW).
    review: str | None = None
    #: The content hash of the policy set that decided.
    policy_set: str = ""

    @property
    def allowed(self) -> bool:
        """True only for ALLOW."""
        return self.effect is Effect.ALLOW

    def record(self, request: Request) -> dict[str, Any]:
        """The history entry of this decision (``policy_decided`` event data)."""
        out: dict[str, Any] = {
            **request.describe(),
            "decision": self.effect.value,
            "policies": list(self.policies),
            "policy_set": self.policy_set,
        }
        if self.errors:
            out["errors"] = list(self.errors)
        if self.reason:
            out["reason"] = self.reason
        if self.review:
            out["review"] = self.review
        return out


@dataclass(frozen=True)
class Deny:
    """What a Python policy returns to deny (``review`` sends it to a group instead)."""

    reason: str
    review: str | None = None
    id: str | None = None
