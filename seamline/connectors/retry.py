"""Retry policies: how many attempts a connector call gets and how long to wait between them.

Attempts are counted the way Camunda 7 and Zeebe count job retries: ``max_attempts`` is the total
number of executions, the first one included, so ``R3/PT1M`` and ``zeebe:taskDefinition
retries="3"`` both mean three executions, one minute apart in the Camunda case.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from seamline.errors import ConfigError

_DURATION = re.compile(
    r"^P(?:(?P<weeks>\d+(?:\.\d+)?)W)?(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$",
    re.IGNORECASE,
)
_UNIT_SECONDS = {"weeks": 604800, "days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}


def parse_duration(text: str) -> float:
    """Seconds in an ISO 8601 duration such as ``PT1M30S`` or ``P1D``; ConfigError otherwise."""
    match = _DURATION.match(text.strip())
    if not match or text.strip().upper() in ("P", "PT") or text.strip().upper().endswith("T"):
        raise ConfigError(
            f"'{text}' is not an ISO 8601 duration", hint="write e.g. PT30S, PT5M or P1D"
        )
    return float(sum(float(v) * _UNIT_SECONDS[k] for k, v in match.groupdict().items() if v))


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter, or an explicit list of delays.

    ``next_delay(attempt)`` is asked after attempt ``attempt`` (1-based) failed and answers the
    seconds to wait before the next one, or None when no attempt is left. The delay is
    ``initial * multiplier ** (attempt - 1)`` (or ``delays[attempt - 1]``, the last repeating),
    capped at ``max_delay``, then spread by ``±jitter`` (a fraction). ``timeout`` is the
    per-attempt time limit in seconds that :func:`seamline.connectors.registry.invoke` applies
    when the call has no deadline of its own.
    """

    max_attempts: int = 3
    initial: float = 1.0
    multiplier: float = 2.0
    max_delay: float = 300.0
    jitter: float = 0.1
    delays: tuple[float, ...] | None = None
    timeout: float | None = None
    rng: random.Random | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ConfigError(f"max_attempts must be at least 1, got {self.max_attempts}")
        if self.initial < 0 or self.max_delay < 0 or self.multiplier < 0:
            raise ConfigError("retry delays and multiplier must not be negative")
        if not 0 <= self.jitter <= 1:
            raise ConfigError(f"jitter is a fraction between 0 and 1, got {self.jitter}")
        if self.timeout is not None and self.timeout <= 0:
            raise ConfigError(f"timeout must be positive, got {self.timeout}")

    def next_delay(
        self, attempt: int, retry_after: float | None = None, *, rng: random.Random | None = None
    ) -> float | None:
        """Seconds to wait after failed attempt ``attempt``, or None when attempts are exhausted.

        A server's ``retry_after`` is honoured as given (no jitter, no cap): waiting less would
        only earn another refusal. Pass a seeded ``rng`` (or set one on the policy) for a
        reproducible jitter.
        """
        if attempt >= self.max_attempts:
            return None
        if retry_after is not None:
            return max(0.0, float(retry_after))
        if self.delays:
            base = self.delays[min(attempt, len(self.delays)) - 1]
        else:
            base = self.initial * self.multiplier ** (attempt - 1)
        base = min(base, self.max_delay)
        if self.jitter and base:
            source = rng or self.rng or random
            base *= 1 + source.uniform(-self.jitter, self.jitter)
        return max(0.0, base)

    @classmethod
    def from_camunda_cycle(cls, cycle: str, **overrides: Any) -> RetryPolicy:
        """Read ``camunda:failedJobRetryTimeCycle``: ``R5/PT1M`` or ``PT1M,PT5M,PT10M``.

        ``R<n>/<duration>`` is n executions in all, the duration apart. A comma list gives the
        wait before each retry in order, so it allows one execution more than it has entries.
        """
        text = cycle.strip()
        if not text:
            raise ConfigError("empty failedJobRetryTimeCycle", hint="write e.g. R3/PT5M")
        repeat = re.match(r"^R(\d+)/(.+)$", text, re.IGNORECASE)
        if repeat:
            count = int(repeat.group(1))
            if count < 1:
                raise ConfigError(f"'{cycle}' allows no execution", hint="write R1/... or more")
            delay = parse_duration(repeat.group(2))
            fields: dict[str, Any] = {"max_attempts": count, "delays": (delay,), "jitter": 0.0}
        else:
            delays = tuple(parse_duration(part) for part in text.split(",") if part.strip())
            if not delays:
                raise ConfigError(f"'{cycle}' lists no delay", hint="write e.g. PT1M,PT5M")
            fields = {"max_attempts": len(delays) + 1, "delays": delays, "jitter": 0.0}
        fields["max_delay"] = max(max(fields["delays"]), cls.max_delay)
        fields.update(overrides)
        return cls(**fields)

    @classmethod
    def from_zeebe(cls, retries: str | int, **overrides: Any) -> RetryPolicy:
        """Read ``zeebe:taskDefinition retries`` (``"3"``, or a literal FEEL ``"=3"``)."""
        text = str(retries).strip().removeprefix("=").strip()
        if not text.isdigit() or int(text) < 1:
            raise ConfigError(
                f"zeebe retries '{retries}' is not a positive whole number",
                hint="seamline reads literal retry counts only",
            )
        return cls(**{"max_attempts": int(text), **overrides})

    @classmethod
    def from_params(
        cls, params: Mapping[str, Any], default: RetryPolicy | None = None
    ) -> RetryPolicy:
        """Override ``default`` with retry keys found in connector or task parameters.

        Keys: ``max_attempts`` (or Camunda 8's ``retries`` / ``retryCount``), ``initial``
        (or ``retry_delay`` / ``retryBackoff``, seconds or an ISO duration), ``multiplier``,
        ``max_delay``, ``jitter``, ``timeout`` (seconds or ISO duration), ``retry_cycle``
        (a Camunda cycle string).
        """
        base = default or cls()
        if "retry_cycle" in params:
            base = cls.from_camunda_cycle(str(params["retry_cycle"]), timeout=base.timeout)
        fields: dict[str, Any] = {}
        for key, names in _PARAM_KEYS.items():
            for name in names:
                if name in params and params[name] is not None:
                    fields[key] = _number(params[name], name, whole=key == "max_attempts")
                    break
        if "initial" in fields and base.delays:
            fields["delays"] = None
        if not fields:
            return base
        return cls(**{**_fields_of(base), **fields})


_PARAM_KEYS: Mapping[str, Sequence[str]] = {
    "max_attempts": ("max_attempts", "retries", "retryCount"),
    "initial": ("initial", "retry_delay", "retryBackoff"),
    "multiplier": ("multiplier",),
    "max_delay": ("max_delay",),
    "jitter": ("jitter",),
    "timeout": ("timeout",),
}


def _fields_of(policy: RetryPolicy) -> dict[str, Any]:
    return {
        "max_attempts": policy.max_attempts,
        "initial": policy.initial,
        "multiplier": policy.multiplier,
        "max_delay": policy.max_delay,
        "jitter": policy.jitter,
        "delays": policy.delays,
        "timeout": policy.timeout,
        "rng": policy.rng,
    }


def _number(value: Any, name: str, *, whole: bool) -> float | int:
    if isinstance(value, bool):
        raise ConfigError(f"retry parameter '{name}' must be a number, got {value!r}")
    if isinstance(value, str):
        text = value.strip().removeprefix("=").strip()
        if text.upper().startswith("P"):
            return parse_duration(text)
        try:
            value = float(text)
        except ValueError as exc:
            raise ConfigError(
                f"retry parameter '{name}' must be a number or ISO duration, got {value!r}"
            ) from exc
    if not isinstance(value, int | float):
        raise ConfigError(f"retry parameter '{name}' must be a number, got {value!r}")
    if whole:
        if value != int(value):
            raise ConfigError(f"retry parameter '{name}' must be a whole number, got {value!r}")
        return int(value)
    return float(value)
