"""``typeRef`` coercion of decision outputs (string, integer/long, double/number, boolean, dates).

Modelers type outputs so downstream gateways compare like with like: an output typed
``integer`` must not reach a process as ``"3"`` or ``Decimal("3")``. Unknown typeRefs (item
definitions, FEEL ``context``/``list``) pass values through unchanged.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from seamline.errors import CoercionFailed

_TYPES = {
    "string": "string",
    "integer": "integer",
    "int": "integer",
    "long": "integer",
    "double": "double",
    "float": "double",
    "number": "number",
    "boolean": "boolean",
    "bool": "boolean",
    "date": "date",
    "datetime": "datetime",
    "date and time": "datetime",
    "time": "time",
}


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise CoercionFailed
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        if value != int(value):
            raise CoercionFailed
        return int(value)
    if isinstance(value, str):
        return int(value.strip())
    raise CoercionFailed


def _double(value: Any) -> float:
    if isinstance(value, bool):
        raise CoercionFailed
    if isinstance(value, int | float | Decimal):
        return float(value)
    if isinstance(value, str):
        return float(value.strip())
    raise CoercionFailed


def _number(value: Any) -> int | float | Decimal:
    if isinstance(value, bool):
        raise CoercionFailed
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            return Decimal(text)
    raise CoercionFailed


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise CoercionFailed


def _date(value: Any) -> dt.date:
    # Camunda 7 "date" outputs are date-times; keep a datetime if that is what arrived.
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
    raise CoercionFailed


def _datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value.strip())
    raise CoercionFailed


def _time(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        return dt.time.fromisoformat(value.strip())
    raise CoercionFailed


def _string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal | dt.date | dt.time):
        return value.isoformat() if isinstance(value, dt.date | dt.time) else str(value)
    raise CoercionFailed


_COERCERS = {
    "string": _string,
    "integer": _integer,
    "double": _double,
    "number": _number,
    "boolean": _boolean,
    "date": _date,
    "datetime": _datetime,
    "time": _time,
}


def coerce(value: Any, type_ref: str | None) -> Any:
    """``value`` as ``type_ref``; None stays None; raises :class:`CoercionFailed` if impossible."""
    if value is None or not type_ref:
        return value
    kind = _TYPES.get(type_ref.strip().lower().removeprefix("feel:"))
    if kind is None:
        return value
    try:
        return _COERCERS[kind](value)
    except (ValueError, InvalidOperation, ArithmeticError) as exc:
        raise CoercionFailed(f"{value!r} is not a valid {type_ref}") from exc
