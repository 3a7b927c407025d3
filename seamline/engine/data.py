"""Process data at the boundary: what is shown, stored and compared."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import ModuleType
from typing import Any

from seamline import jsondata
from seamline.errors import EngineError
from seamline.expr.values import YearsMonthsDuration, format_timedelta, format_years_months

_SCALARS = (str, int, float, bool, Decimal, dt.date, dt.datetime, dt.time)


def _clean(value: Any, depth: int = 0) -> Any:
    if value is None or isinstance(value, _SCALARS):
        return value
    if isinstance(value, dt.timedelta):
        return format_timedelta(value)  # shown and stored as ISO-8601, e.g. P2DT3H
    if isinstance(value, YearsMonthsDuration):
        return format_years_months(value)
    if depth > 32:
        return repr(value)[:200]
    if isinstance(value, Mapping):
        return {str(k): _clean(v, depth + 1) for k, v in value.items() if _keep(v)}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [_clean(v, depth + 1) for v in items if _keep(v)]
    return repr(value)[:200]


def _keep(value: Any) -> bool:
    return not callable(value) and not isinstance(value, ModuleType)


def summary(data: Mapping[str, Any]) -> dict[str, Any]:
    """Process data made storable: functions and modules dropped, sets as sorted lists,
    durations as ISO-8601 text, a non-finite number (refused where it is written) as null.
    (The snapshot keeps the values themselves.)"""
    cleaned: dict[str, Any] = jsondata.finite(
        {str(k): _clean(v) for k, v in data.items() if _keep(v)}
    )
    return cleaned


def refuse_nonfinite(datas: Iterable[Mapping[str, Any]]) -> None:
    """EngineError naming the first process variable holding NaN or an infinity.

    Scripts and connectors are refused where they write one; this catches every other way in
    (mappings, decisions) before the step commits.
    """
    for data in datas:
        found = jsondata.nonfinite(data)
        if found is not None:
            path, text = found
            raise EngineError(
                f"process variable {path} is {text}, which is not a number",
                hint=f"{jsondata.ADVICE}: seamline set INSTANCE --data, then seamline retry",
            )


def changed_keys(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Names whose value was added, changed or removed."""
    keys = set(before) | set(after)
    return sorted(k for k in keys if k not in before or k not in after or before[k] != after[k])
