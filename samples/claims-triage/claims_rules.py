"""The policy and payment systems of the claims-triage sample, called by the ``python`` connector.

``seamline.toml`` allow-lists ``claims_rules:*``; the service tasks name the functions in
``zeebe:ioMapping`` inputs (``function`` and ``args``).
"""

from __future__ import annotations

from typing import Any

# A stand-in for the policy administration system: policy number -> terms.
POLICIES: dict[str, dict[str, Any]] = {
    "POL-1001": {"active": True, "limit": 50_000, "deductible": 150},
    "POL-1002": {"active": True, "limit": 2_000, "deductible": 300},
    "POL-9009": {"active": False, "limit": 0, "deductible": 0},
}


def check_policy(policy: str, amount: float) -> dict[str, Any]:
    """Whether ``policy`` covers a claim of ``amount``, and the deductible that applies."""
    terms = POLICIES.get(policy)
    if terms is None or not terms["active"]:
        return {"covered": False, "deductible": 0, "reason": "no active policy"}
    if amount > terms["limit"]:
        return {"covered": False, "deductible": 0, "reason": "over the policy limit"}
    return {"covered": True, "deductible": terms["deductible"], "reason": None}


def pay_out(claim_id: str, amount: float) -> dict[str, Any]:
    """Order the payment of ``amount`` for ``claim_id``; the reference is derived from the claim."""
    return {"reference": f"PAY-{claim_id}", "amount": max(amount, 0)}
