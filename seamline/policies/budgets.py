"""Per-instance budgets (``[budgets]`` in seamline.toml) and what an instance has used.

::

    [budgets]
    model_calls = 20        # model calls per instance, every agent turn and repair counted
    tool_calls = 40
    tokens = 50000          # input + output tokens
    cost = 2.50             # in the currency of the prices below

    [budgets.prices]        # per million tokens, by model name
    "gpt-4o-mini" = { input = 0.15, output = 0.60 }

Policies read both (``context.usage``, ``context.budget``). The engine enforces a budget by
itself unless a policy reads that dimension of ``context.usage`` or ``context.budget``: then
the policy decides. A budget applies to connectors that call models (the ``llm`` connector
and its aliases): an HTTP call is not stopped because the agents spent the money.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from seamline.errors import PolicyError

#: The budget dimensions, and the usage counter each one limits.
DIMENSIONS = {
    "model_calls": "model_calls",
    "tool_calls": "tool_calls",
    "tokens": "tokens",
    "cost": "cost",
}
#: The counters an instance's usage has.
COUNTERS = ("model_calls", "tool_calls", "input_tokens", "output_tokens", "cost")


@dataclass(frozen=True)
class Price:
    """What a model costs per million input and output tokens."""

    input: float
    output: float


@dataclass(frozen=True)
class Budgets:
    """The configured limits (absent: unlimited) and model prices."""

    limits: Mapping[str, float] = field(default_factory=dict)
    prices: Mapping[str, Price] = field(default_factory=dict)

    @classmethod
    def from_config(cls, raw: Any, where: str = "[budgets]") -> Budgets:
        """Read the ``[budgets]`` table; PolicyError naming the key if a value is wrong."""
        if raw is None:
            return cls()
        if not isinstance(raw, Mapping):
            raise PolicyError(f"{where} must be a table")
        limits: dict[str, float] = {}
        prices: dict[str, Price] = {}
        for key, value in raw.items():
            if key == "prices":
                prices = _prices(value, f"{where} prices")
                continue
            if key not in DIMENSIONS:
                raise PolicyError(
                    f"{where}: unknown budget {key!r}; budgets are {', '.join(DIMENSIONS)}"
                )
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise PolicyError(f"{where} {key} must be a number, got {value!r}")
            if not math.isfinite(value) or value < 0:
                raise PolicyError(f"{where} {key} must be zero or more, got {value!r}")
            if key != "cost" and not float(value).is_integer():
                raise PolicyError(f"{where} {key} must be a whole number, got {value!r}")
            limits[key] = float(value)
        return cls(limits, prices)

    def cost(self, model: str | None, input_tokens: int, output_tokens: int) -> float:
        """What the tokens cost with the model's price (0 for a model without one)."""
        price = self.prices.get(model or "")
        if price is None:
            return 0.0
        return (input_tokens * price.input + output_tokens * price.output) / 1_000_000

    def to_json(self) -> dict[str, Any]:
        """For the policy set's content hash."""
        return {
            "limits": dict(sorted(self.limits.items())),
            "prices": {k: [p.input, p.output] for k, p in sorted(self.prices.items())},
        }


def _prices(raw: Any, where: str) -> dict[str, Price]:
    if not isinstance(raw, Mapping):
        raise PolicyError(f"{where} must be a table of model = {{ input = ..., output = ... }}")
    out: dict[str, Price] = {}
    for model, price in raw.items():
        if not isinstance(price, Mapping) or set(price) - {"input", "output"}:
            raise PolicyError(f"{where} {model!r} must be {{ input = 0.15, output = 0.60 }}")
        numbers = []
        for part in ("input", "output"):
            value = price.get(part, 0)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise PolicyError(f"{where} {model!r} {part} must be a number, got {value!r}")
            numbers.append(float(value))
        out[str(model)] = Price(*numbers)
    return out


def usage_view(counters: Mapping[str, Any]) -> dict[str, Any]:
    """The usage counters with ``tokens`` (input + output) added."""
    out = {k: counters.get(k, 0) for k in COUNTERS}
    out["tokens"] = int(out["input_tokens"]) + int(out["output_tokens"])
    return out


def over(
    budgets: Budgets, usage: Mapping[str, Any], *, strictly: bool, skip: frozenset[str]
) -> tuple[str, float, float] | None:
    """The first budget that ``usage`` reached (``strictly``: went past), unless in ``skip``."""
    view = usage_view(usage)
    for name, limit in budgets.limits.items():
        if name in skip:
            continue
        used = float(view[DIMENSIONS[name]])
        if used > limit or (not strictly and used >= limit):
            return name, used, limit
    return None
