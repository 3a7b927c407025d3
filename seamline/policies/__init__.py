"""Governance as code: Cedar policies (and Python ones) asked at every hand-off.

The pieces: :mod:`~seamline.policies.source` reads Cedar files statement by statement (so an
error names its file and line); :mod:`~seamline.policies.policy_set` validates them against the
shipped ``seamline.cedarschema`` and decides requests; :mod:`~seamline.policies.model` is what is
asked (:class:`Request`) and answered (:class:`Decision`); :mod:`~seamline.policies.ledger` is
what an instance's history tells its policies; :mod:`~seamline.policies.budgets` the
per-instance budgets. The engine and the App ask; this package knows nothing of either.
"""

from seamline.policies.model import (
    ACTIONS,
    Decision,
    Deny,
    Effect,
    Facts,
    Principal,
    Request,
    Resource,
)
from seamline.policies.policy_set import Policies

__all__ = [
    "ACTIONS",
    "Decision",
    "Deny",
    "Effect",
    "Facts",
    "Policies",
    "Principal",
    "Request",
    "Resource",
]
