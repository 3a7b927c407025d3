"""An instance's ledger: what its policies need to know of its history, kept with its state.

Who started it, who last completed each element, everyone (person or connector) who acted, and
what its agents used. The engine keeps it in the instance's snapshot, so a policy check reads
it with the state it already loaded instead of replaying the history; its size is bounded by
the elements and people of the process, not by the length of the history.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seamline.policies.budgets import COUNTERS
from seamline.policies.model import Facts


class Ledger:
    """The mutable ledger of one instance (JSON in the snapshot)."""

    def __init__(self, raw: Mapping[str, Any] | None = None) -> None:
        raw = raw or {}
        self.starter: str = str(raw.get("starter") or "")
        self.completed_by: dict[str, str] = {
            str(k): str(v) for k, v in (raw.get("completed_by") or {}).items()
        }
        self.actors: set[str] = {str(a) for a in raw.get("actors") or ()}
        usage = raw.get("usage") or {}
        self.usage: dict[str, Any] = {k: usage.get(k, 0) for k in COUNTERS}

    def to_json(self) -> dict[str, Any]:
        """What the snapshot keeps."""
        out: dict[str, Any] = {}
        if self.starter:
            out["starter"] = self.starter
        if self.completed_by:
            out["completed_by"] = dict(self.completed_by)
        if self.actors:
            out["actors"] = sorted(self.actors)
        if any(self.usage.values()):
            out["usage"] = dict(self.usage)
        return out

    def facts(self) -> Facts:
        """The ledger as the policy context reads it."""
        return Facts(
            starter=self.starter,
            completed_by=dict(self.completed_by),
            actors=frozenset(self.actors),
            usage=dict(self.usage),
        )

    def acted(self, name: str | None) -> None:
        """``name`` acted on the instance (ignored for nobody and the worker)."""
        if name and name not in ("worker", "anonymous"):
            self.actors.add(name)

    def started(self, name: str | None) -> None:
        """The instance was started by ``name``."""
        if name and not self.starter:
            self.starter = name
        self.acted(name)

    def completed(self, element: str, name: str | None) -> None:
        """``name`` completed ``element`` (a person a user task, a connector a service task)."""
        if not name:
            return
        self.completed_by[element] = name
        self.acted(name)

    def used(self, usage: Mapping[str, Any], cost: float = 0.0) -> None:
        """Add a connector's reported usage (``model_calls``, tokens...) and its cost."""
        for key in ("model_calls", "tool_calls", "input_tokens", "output_tokens"):
            value = usage.get(key, 0)
            if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
                self.usage[key] = int(self.usage.get(key, 0)) + int(value)
        reported = usage.get("cost")
        if isinstance(reported, int | float) and not isinstance(reported, bool) and reported > 0:
            cost = float(reported)
        if cost > 0:
            self.usage["cost"] = float(self.usage.get("cost", 0)) + cost
