"""JUEL semantics: the EL specification's coercions and the allow-listed method calls."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from seamline import timekeeping
from seamline.errors import ExpressionError, SandboxViolation
from seamline.expr.delegate import METHODS as DELEGATE_METHODS
from seamline.expr.delegate import Delegate
from seamline.expr.feel_ops import add_months
from seamline.expr.values import check_string

Number = int | float


def to_number(value: Any) -> Number:
    """EL coercion to a number: null is 0, numeric strings are parsed, booleans are refused."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ExpressionError(f"cannot use the boolean {to_text(value)} as a number")
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            pass
        try:
            return float(text)
        except ValueError:
            pass
    raise ExpressionError(f"cannot use {to_text(value)!r} as a number")


def _is_float_like(value: Any) -> bool:
    if isinstance(value, float | Decimal):
        return True
    return isinstance(value, str) and any(c in value for c in ".eE")


def arithmetic(op: str, a: Any, b: Any) -> Number:
    """``+ - * / %`` with EL coercions (null is 0; strings become numbers)."""
    if a is None and b is None:
        return 0
    x, y = to_number(a), to_number(b)
    if op in "/" or _is_float_like(a) or _is_float_like(b):
        x, y = float(x), float(y)
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if y == 0:
        raise ExpressionError(f"division by zero in {to_text(a)} {op} {to_text(b)}")
    if op == "/":
        return x / y
    if isinstance(x, float) or isinstance(y, float):
        return math.fmod(x, y)
    # Java's remainder takes the sign of the dividend.
    quotient = abs(x) // abs(y)
    return x - y * (quotient if (x < 0) == (y < 0) else -quotient)


def to_bool(value: Any) -> bool:
    """EL coercion to boolean: null and "" are false, strings are ``"true"`` ignoring case."""
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() == "true"
    raise ExpressionError(f"cannot use {to_text(value)!r} as a boolean")


def to_text(value: Any) -> str:
    """EL coercion to string, as a composite text ``Hello ${name}`` shows values."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def equal(a: Any, b: Any) -> bool:
    """EL ``==``: numbers, booleans and strings are coerced to the other side's type."""
    if a is b:
        return True
    if a is None or b is None:
        return False
    if isinstance(a, bool) or isinstance(b, bool):
        return to_bool(a) == to_bool(b)
    numeric = (int, float, Decimal)
    if isinstance(a, numeric) or isinstance(b, numeric):
        return to_number(a) == to_number(b)
    if isinstance(a, str) or isinstance(b, str):
        return to_text(a) == to_text(b)
    return bool(a == b)


def compare(op: str, a: Any, b: Any) -> bool:
    """EL ``< > <= >=``: null compares false; numbers win over strings."""
    if a is None or b is None:
        return False
    numeric = (int, float, Decimal)
    if isinstance(a, numeric) or isinstance(b, numeric):
        a, b = to_number(a), to_number(b)
    elif isinstance(a, str) or isinstance(b, str):
        a, b = to_text(a), to_text(b)
    try:
        if op == "<":
            return bool(a < b)
        if op == ">":
            return bool(a > b)
        if op == "<=":
            return bool(a <= b)
        return bool(a >= b)
    except TypeError:
        raise ExpressionError(f"cannot compare {to_text(a)!r} with {to_text(b)!r}") from None


def is_empty(value: Any) -> bool:
    """EL ``empty x``."""
    if value is None:
        return True
    if isinstance(value, str | list | tuple | dict | set):
        return len(value) == 0
    return False


def read_property(target: Any, key: Any) -> Any:
    """``a.b`` / ``a["b"]`` / ``a[0]``: map keys, list indexes and dataclass fields only."""
    if target is None:
        raise ExpressionError(f"cannot read property {to_text(key)!r} of null")
    if isinstance(target, Mapping):
        return target.get(key)
    if isinstance(target, list | tuple):
        index = to_number(key)
        if not isinstance(index, int) or not 0 <= index < len(target):
            raise ExpressionError(
                f"index {to_text(key)} is out of bounds for a list of {len(target)}"
            )
        return target[index]
    if dataclasses.is_dataclass(target) and not isinstance(target, type):
        names = {f.name for f in dataclasses.fields(target)}
        if isinstance(key, str) and key in names and not key.startswith("_"):
            return getattr(target, key)
    raise SandboxViolation(f"cannot read property {to_text(key)!r} of a {_type_name(target)}")


def _type_name(value: Any) -> str:
    names = {str: "string", int: "number", float: "number", bool: "boolean", list: "list"}
    names.update({Execution: "execution", JodaDateTime: "dateTime()", Delegate: "execution"})
    return names.get(type(value), "map" if isinstance(value, Mapping) else "value")


@dataclass(frozen=True)
class JodaDateTime:
    """What Camunda's ``dateTime()`` returns, with the plus/minus methods diagrams use."""

    value: datetime


@dataclass(frozen=True)
class Execution:
    """The ``execution`` object of Camunda expressions: reading variables only."""

    variables: Mapping[str, Any]
    #: ``execution.processBusinessKey`` (the instance's business key), when the caller knows it.
    processBusinessKey: str | None = None


def _substring(text: str, begin: Any, end: Any = None) -> str:
    start = int(to_number(begin))
    stop = len(text) if end is None else int(to_number(end))
    if not 0 <= start <= stop <= len(text):
        raise ExpressionError(f"substring({start}, {stop}) is out of range for {text!r}")
    return text[start:stop]


def _list_get(items: list[Any], index: Any) -> Any:
    return read_property(items, index)


_STRING_METHODS: dict[str, Callable[..., Any]] = {
    "equals": lambda s, o: s == o,
    "equalsIgnoreCase": lambda s, o: isinstance(o, str) and s.lower() == o.lower(),
    "contains": lambda s, o: to_text(o) in s,
    "startsWith": lambda s, o: s.startswith(to_text(o)),
    "endsWith": lambda s, o: s.endswith(to_text(o)),
    "length": len,
    "isEmpty": lambda s: not s,
    "toUpperCase": str.upper,
    "toLowerCase": str.lower,
    "trim": str.strip,
    "substring": _substring,
    "indexOf": lambda s, o: s.find(to_text(o)),
    "toString": lambda s: s,
}
_LIST_METHODS: dict[str, Callable[..., Any]] = {
    "size": len,
    "isEmpty": lambda items: not items,
    "contains": lambda items, o: any(equal(i, o) for i in items),
    "get": _list_get,
    "indexOf": lambda items, o: next((i for i, x in enumerate(items) if equal(x, o)), -1),
    "toString": lambda items: "[" + ", ".join(to_text(i) for i in items) + "]",
}
_MAP_METHODS: dict[str, Callable[..., Any]] = {
    "get": lambda m, k: m.get(k),
    "containsKey": lambda m, k: k in m,
    "size": len,
    "isEmpty": lambda m: not m,
    "toString": lambda m: "{" + ", ".join(f"{k}={to_text(v)}" for k, v in m.items()) + "}",
}
_DATE_METHODS: dict[str, Callable[..., Any]] = {
    "plusMinutes": lambda d, n: JodaDateTime(d.value + timedelta(minutes=to_number(n))),
    "plusHours": lambda d, n: JodaDateTime(d.value + timedelta(hours=to_number(n))),
    "plusDays": lambda d, n: JodaDateTime(d.value + timedelta(days=to_number(n))),
    "plusWeeks": lambda d, n: JodaDateTime(d.value + timedelta(weeks=to_number(n))),
    "plusMonths": lambda d, n: JodaDateTime(add_months(d.value, int(to_number(n)))),  # type: ignore[arg-type]
    "plusYears": lambda d, n: JodaDateTime(add_months(d.value, 12 * int(to_number(n)))),  # type: ignore[arg-type]
    "minusDays": lambda d, n: JodaDateTime(d.value - timedelta(days=to_number(n))),
    "minusHours": lambda d, n: JodaDateTime(d.value - timedelta(hours=to_number(n))),
    "toDate": lambda d: d.value,
    "toString": lambda d: d.value.isoformat(),
}


def _get_variable(execution: Execution, name: Any) -> Any:
    if not isinstance(name, str) or name not in execution.variables:
        raise ExpressionError(f"unknown variable {to_text(name)}")
    return execution.variables[name]


_EXECUTION_METHODS: dict[str, Callable[..., Any]] = {
    "getVariable": _get_variable,
    "getProcessBusinessKey": lambda execution: execution.processBusinessKey,
}


def call_method(target: Any, name: str, args: list[Any]) -> Any:
    """Call one of the allow-listed methods; anything else is a sandbox violation."""
    if isinstance(target, str):
        table = _STRING_METHODS
    elif isinstance(target, list | tuple):
        table = _LIST_METHODS
    elif isinstance(target, Mapping):
        table = _MAP_METHODS
    elif isinstance(target, JodaDateTime):
        table = _DATE_METHODS
    elif isinstance(target, Execution):
        table = _EXECUTION_METHODS
    elif isinstance(target, Delegate):
        table = {m: getattr(Delegate, m) for m in DELEGATE_METHODS}
    elif target is None:
        raise ExpressionError(f"cannot call {name}() on null")
    else:
        table = {}
    method = table.get(name)
    if method is None:
        raise SandboxViolation(
            f"method {name}() is not allowed on {_type_name(target)} values in expressions "
            f"(allowed: {', '.join(sorted(table)) or 'none'})"
        )
    try:
        result = method(target, *args)
    except TypeError:
        raise ExpressionError(f"{name}() does not take {len(args)} arguments") from None
    except (OverflowError, ValueError) as exc:
        raise ExpressionError(f"{name}() failed: {exc}") from None
    return check_string(result) if isinstance(result, str) else result


def _date_time() -> JodaDateTime:
    return JodaDateTime(timekeeping.now())


def _now() -> datetime:
    return timekeeping.now()


#: Top-level functions Camunda provides in expressions.
FUNCTIONS: dict[str, Callable[..., Any]] = {"dateTime": _date_time, "now": _now}
