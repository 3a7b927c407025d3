"""Process variables -> Cedar values, by the types ``[policies] variables`` declares.

Cedar has no open records: every attribute a policy reads is declared with its type, and only
declared variables are handed to Cedar. A value that does not fit its declared type is an
error (the request is denied and says so), never a silent conversion: Cedar's ``Long`` takes
integers (``12.0`` is 12, ``12.5`` is refused), ``decimal`` at most four decimal places.
"""

from __future__ import annotations

import decimal as _dec
import re
from collections.abc import Mapping
from typing import Any

from seamline.errors import PolicyError, PolicyValueError

#: The types a variable may be declared with.
TYPES = ("String", "Long", "Bool", "decimal", "Set<String>", "Set<Long>", "Set<decimal>")

_CEDAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


BadValue = PolicyValueError


def check_declarations(raw: Any, where: str) -> dict[str, str]:
    """``name -> type`` from the ``[policies] variables`` table; PolicyError if malformed."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise PolicyError(
            f'{where} must be a table of variable = "type", e.g. amount = "Long"', file=where
        )
    declared: dict[str, str] = {}
    for name, kind in raw.items():
        if not isinstance(kind, str) or kind.strip() not in TYPES:
            raise PolicyError(
                f"variable {name!r}: type {kind!r} is not one of {', '.join(TYPES)}", file=where
            )
        declared[str(name)] = kind.strip()
    return declared


def attribute(name: str) -> str:
    """``name`` as a Cedar record attribute (quoted unless it is a plain identifier)."""
    return name if _CEDAR_NAME.match(name) else '"' + name.replace('"', '\\"') + '"'


def decimal(value: Any, *, round_up: bool = False) -> dict[str, Any]:
    """A Cedar ``decimal`` extension value; BadValue past four decimal places.

    ``round_up`` (for amounts seamline adds up itself, like cost) rounds to four places towards
    the larger value instead, so a budget compared with it is never under-counted.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str | _dec.Decimal):
        raise BadValue(f"{value!r} is not a number")
    try:
        number = _dec.Decimal(str(value))
    except _dec.InvalidOperation as exc:
        raise BadValue(f"{value!r} is not a number") from exc
    if not number.is_finite():
        raise BadValue(f"{value!r} is not a finite number")
    quantized = number.quantize(_dec.Decimal("0.0001"), rounding=_dec.ROUND_CEILING)
    if quantized != number and not round_up:
        raise BadValue(f"{value!r} has more than the four decimal places a Cedar decimal holds")
    if abs(quantized) > _dec.Decimal("922337203685477.5807"):
        raise BadValue(f"{value!r} is out of the range of a Cedar decimal")
    text = format(quantized, "f")
    if "." not in text:
        text += ".0"
    return {"__extn": {"fn": "decimal", "arg": text}}


def long(value: Any) -> int:
    """A Cedar ``Long``; BadValue for fractions, booleans, text and out-of-range numbers."""
    if isinstance(value, bool):
        raise BadValue(f"{value!r} is a boolean, not a Long")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise BadValue(f"{value!r} is not a whole number (declare it decimal)")
    if not -(2**63) <= value < 2**63:
        raise BadValue(f"{value!r} is out of the range of a Cedar Long")
    return value


def convert(kind: str, value: Any) -> Any:
    """``value`` as the Cedar JSON of ``kind``; BadValue if it does not fit."""
    if kind == "String":
        if not isinstance(value, str):
            raise BadValue(f"{value!r} is not a string")
        return value
    if kind == "Long":
        return long(value)
    if kind == "Bool":
        if not isinstance(value, bool):
            raise BadValue(f"{value!r} is not true or false")
        return value
    if kind == "decimal":
        return decimal(value)
    if kind.startswith("Set<"):
        if not isinstance(value, list | tuple | set | frozenset):
            raise BadValue(f"{value!r} is not a list")
        inner = kind[4:-1]
        return [convert(inner, v) for v in value]
    raise BadValue(f"unknown type {kind}")  # pragma: no cover - declarations are checked


def record(declared: Mapping[str, str], values: Mapping[str, Any], what: str) -> dict[str, Any]:
    """The declared variables present in ``values``, converted; BadValue naming the variable."""
    out: dict[str, Any] = {}
    for name, kind in declared.items():
        if name not in values or values[name] is None:
            continue
        try:
            out[name] = convert(kind, values[name])
        except BadValue as exc:
            raise BadValue(
                f"{what}.{name}: {exc} (declared {kind} in [policies] variables)"
            ) from exc
    return out
