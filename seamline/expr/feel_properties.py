"""FEEL property access: ``a.b`` on contexts, lists, dataclasses and temporal values."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from seamline.expr.feel_ops import micros
from seamline.expr.values import Range, YearsMonthsDuration

# -- property access -------------------------------------------------------------------------

_TEMPORAL_PROPERTIES = {
    "year", "month", "day", "weekday", "hour", "minute", "second", "time offset", "timezone",
}  # fmt: skip


def get_property(value: Any, name: str) -> Any:
    """``value.name``: context entries, dataclass fields and documented value properties only.

    Python attributes are never read, so ``x.__class__`` and friends are simply null.
    """
    if isinstance(value, Mapping):
        return value.get(name)
    if isinstance(value, list):
        return [get_property(item, name) for item in value]
    if isinstance(value, date | time) and name in _TEMPORAL_PROPERTIES:
        return _temporal_property(value, name)
    if isinstance(value, timedelta):
        total = micros(value)
        sign = -1 if total < 0 else 1
        seconds = abs(total) // 1_000_000
        parts = {
            "days": seconds // 86_400,
            "hours": seconds % 86_400 // 3_600,
            "minutes": seconds % 3_600 // 60,
            "seconds": seconds % 60,
        }
        return sign * parts[name] if name in parts else None
    if isinstance(value, YearsMonthsDuration):
        return {"years": value.years, "months": value.months}.get(name)
    if isinstance(value, Range):
        props = {
            "start": value.start,
            "end": value.end,
            "start included": value.start_included,
            "end included": value.end_included,
        }
        return props.get(name)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = {f.name for f in dataclasses.fields(value)}
        return getattr(value, name) if name in names and not name.startswith("_") else None
    return None


def _temporal_property(value: date | time, name: str) -> Any:
    if name in ("year", "month", "day") and isinstance(value, date):
        return getattr(value, name)
    if name == "weekday" and isinstance(value, date):
        return value.isoweekday()
    if name in ("hour", "minute", "second") and isinstance(value, datetime | time):
        return getattr(value, name)
    if name == "time offset" and isinstance(value, datetime | time):
        return value.utcoffset()
    if name == "timezone" and isinstance(value, datetime | time) and value.tzinfo is not None:
        key = getattr(value.tzinfo, "key", None)
        return key if isinstance(key, str) else None
    return None
