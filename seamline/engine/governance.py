"""Where the engine asks the policies, and records what they decided.

Every check goes through :func:`ask` (or :func:`ask_human` for a person's action), which builds
the :class:`~seamline.policies.Request` from the step (the process data, the instance's ledger),
asks the policy set and records a ``policy_decided`` event in the instance's history with the
action, principal, resource, decision, the deciding policies and the policy set's hash.

The ledger (who started, who completed what, who acted, what the agents used) lives in the
instance's snapshot (:data:`seamline.spiff.snapshot.LEDGER`); :func:`ledger` reads and
:func:`keep` writes it back before the commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from seamline.engine import outcome
from seamline.errors import PolicyDenied
from seamline.humans.identity import User
from seamline.policies import Decision, Effect, Policies, Principal, Request, Resource
from seamline.policies.ledger import Ledger
from seamline.spiff.snapshot import LEDGER
from seamline.store.protocols import EventStore
from seamline.store.records import Event, HumanTask

if TYPE_CHECKING:
    from seamline.engine.step import Step

#: The history event of one decision.
DECIDED = "policy_decided"


def ledger(workflow: Any) -> Ledger:
    """The instance's ledger (one object per loaded workflow; :func:`keep` stores it)."""
    current = getattr(workflow, "_seamline_ledger_obj", None)
    if current is None:
        current = Ledger(getattr(workflow, LEDGER, None) or {})
        workflow._seamline_ledger_obj = current
    assert isinstance(current, Ledger)
    return current


def keep(workflow: Any) -> None:
    """Write the ledger back to the workflow, for the snapshot."""
    current = getattr(workflow, "_seamline_ledger_obj", None)
    if current is not None:
        setattr(workflow, LEDGER, current.to_json())


def principal(actor: User | None, name: str | None = None) -> Principal:
    """The request principal of a person."""
    if actor is None:
        return Principal.user(name)
    return Principal.user(None if actor.anonymous else actor.name, actor.groups)


def task_resource(row: HumanTask) -> Resource:
    """``Seamline::Task`` of a queue row."""
    return Resource(
        "Task",
        row.id,
        {
            "process": row.process_id,
            "element": row.element_id,
            "instance": row.instance_id,
            "name": row.name or row.element_id,
        },
    )


def instance_resource(instance_id: str, process_id: str) -> Resource:
    """``Seamline::Instance``."""
    return Resource("Instance", instance_id, {"process": process_id})


def process_resource(process_id: str) -> Resource:
    """``Seamline::Process`` (for start)."""
    return Resource("Process", process_id)


def activity_resource(instance_id: str, process_id: str, element_id: str) -> Resource:
    """``Seamline::Activity::"<instance>/<element>"`` (for invoke and accept)."""
    return Resource(
        "Activity",
        f"{instance_id}/{element_id}",
        {"process": process_id, "element": element_id, "instance": instance_id},
    )


def request(
    step: Step,
    action: str,
    who: Principal,
    resource: Resource,
    *,
    data: Mapping[str, Any] | None = None,
    **extra: Any,
) -> Request:
    """The request for ``action`` in ``step``: its process data and ledger."""
    values = data if data is not None else outcome.process_data(step.workflow)
    return Request(action, who, resource, values, ledger(step.workflow).facts(), extra)


def ask(
    policies: Policies | None, step: Step, req: Request, *, uses_models: bool = False
) -> Decision | None:
    """Decide ``req`` and record the decision as an event of ``step``; None without policies."""
    if policies is None:
        return None
    decision = policies.check(req, uses_models=uses_models)
    step.event(DECIDED, req.resource.element, **decision.record(req))
    return decision


def denied(decision: Decision, req: Request) -> PolicyDenied:
    """The error a denied human action raises: one line naming the policy and its file."""
    why = decision.reason or "denied"
    return PolicyDenied(
        f"{req.principal.name} may not {req.action} {req.resource.uid}: {why}",
        policies=decision.policies,
        instance=req.resource.instance,
    )


def ask_human(
    policies: Policies | None,
    store: EventStore,
    step: Step,
    req: Request,
    *,
    review: bool = False,
) -> Decision | None:
    """Decide a person's action. Allowed (or a review, where ``review`` says one is possible):
    the decision is recorded with the step. Denied: the denial alone is written to the history
    at once and PolicyDenied raised; nothing else changes."""
    if policies is None:
        return None
    decision = policies.check(req)
    if decision.allowed or (decision.effect is Effect.REVIEW and review):
        step.event(DECIDED, req.resource.element, **decision.record(req))
        return decision
    record_now(store, step.instance.id, step.now, req, decision)
    raise denied(decision, req)


def record_now(
    store: EventStore, instance_id: str, at: dt.datetime, req: Request, decision: Decision
) -> None:
    """Append one decision to the instance's history by itself (no step is committed)."""
    store.append_events(
        [
            Event(
                instance_id,
                DECIDED,
                at,
                req.principal.name,
                req.resource.element,
                decision.record(req),
            )
        ]
    )
