"""FEEL semantics of operators: numbers, null propagation, comparison and temporal arithmetic.

Every operator returns ``None`` (FEEL null) when its operands have types it does not accept,
as the DMN specification prescribes; only limits and programming mistakes in a diagram (an
unknown function, a call of a non-function) raise.
"""

from __future__ import annotations

import calendar
import dataclasses
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from typing import Any

from seamline.errors import ExpressionError
from seamline.expr.values import (
    FeelFunction,
    Range,
    YearsMonthsDuration,
    check_string,
)

#: FEEL numbers are IEEE 754 decimal128: 34 significant digits.
DECIMAL = Context(
    prec=34, Emax=6144, Emin=-6143, traps=[InvalidOperation, DivisionByZero, Overflow]
)
_BIG = 10**34
#: How many loop iterations and calls one evaluation may make.
MAX_STEPS = 1_000_000

MISSING: Any = object()


class Run:
    """Per-evaluation state: the step budget and the DMN input value bound to ``?``."""

    __slots__ = ("input", "input_used", "steps")

    def __init__(self) -> None:
        self.steps = 0
        self.input: Any = None
        self.input_used = False

    def tick(self, n: int = 1) -> None:
        """Count work done; refuse expressions that would run for too long."""
        self.steps += n
        if self.steps > MAX_STEPS:
            raise ExpressionError(f"too much work: more than {MAX_STEPS} steps in one evaluation")


class Scope:
    """Names visible to an expression: local bindings chained over the caller's context."""

    __slots__ = ("names", "parent", "run")

    def __init__(self, names: Mapping[str, Any], parent: Scope | None, run: Run) -> None:
        self.names = names
        self.parent = parent
        self.run = run

    def get(self, name: str) -> Any:
        """The value bound to ``name``, or :data:`MISSING`."""
        scope: Scope | None = self
        while scope is not None:
            names = scope.names
            if name in names:
                return names[name]
            scope = scope.parent
        return MISSING

    def child(self, names: Mapping[str, Any]) -> Scope:
        """A nested scope (for loops, filters, function bodies, context literals)."""
        return Scope(names, self, self.run)


# -- numbers ---------------------------------------------------------------------------------


def is_number(value: Any) -> bool:
    """True for FEEL numbers (``bool`` is an ``int`` in Python but not a number in FEEL)."""
    return isinstance(value, int | Decimal | float) and not isinstance(value, bool)


def to_decimal(value: int | Decimal | float) -> Decimal:
    """Exact Decimal of a number; floats go through their shortest repr so 0.1 stays 0.1."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def normalize(value: int | Decimal) -> int | Decimal:
    """Keep integers as ``int`` while they fit decimal128, otherwise round to 34 digits."""
    if isinstance(value, int):
        if -_BIG < value < _BIG:
            return value
        value = DECIMAL.create_decimal(value)
    if value.is_finite() and value == value.to_integral_value() and value.adjusted() < 34:
        return int(value)
    return value.normalize(DECIMAL)


def _arith(op: Callable[[Decimal, Decimal], Decimal], a: Any, b: Any) -> int | Decimal | None:
    try:
        return normalize(op(to_decimal(a), to_decimal(b)))
    except DivisionByZero:
        return None
    except (Overflow, InvalidOperation) as exc:
        raise ExpressionError("number out of range (FEEL numbers have 34 digits)") from exc


def add(a: Any, b: Any) -> Any:
    """FEEL ``a + b``: numbers, string concatenation, temporal arithmetic."""
    if is_number(a) and is_number(b):
        if type(a) is int and type(b) is int:
            return normalize(a + b)
        return _arith(DECIMAL.add, a, b)
    if isinstance(a, str) and isinstance(b, str):
        return check_string(a + b)
    return _temporal_add(a, b, 1)


def sub(a: Any, b: Any) -> Any:
    """FEEL ``a - b``."""
    if is_number(a) and is_number(b):
        if type(a) is int and type(b) is int:
            return normalize(a - b)
        return _arith(DECIMAL.subtract, a, b)
    if _is_datetime_like(a) and _is_datetime_like(b):
        return _difference(a, b)
    if isinstance(a, time) and isinstance(b, time):
        return _difference(
            datetime.combine(date(2000, 1, 1), a), datetime.combine(date(2000, 1, 1), b)
        )
    return _temporal_add(a, b, -1)


def mul(a: Any, b: Any) -> Any:
    """FEEL ``a * b``."""
    if is_number(a) and is_number(b):
        if type(a) is int and type(b) is int:
            return normalize(a * b)
        return _arith(DECIMAL.multiply, a, b)
    if is_number(b):
        a, b = b, a
    if is_number(a) and isinstance(b, timedelta):
        return _scale_delta(b, to_decimal(a))
    if is_number(a) and isinstance(b, YearsMonthsDuration):
        months = normalize(to_decimal(a) * b.total_months)
        return YearsMonthsDuration(int(months))
    return None


def div(a: Any, b: Any) -> Any:
    """FEEL ``a / b``; division by zero is null."""
    if is_number(a) and is_number(b):
        return _arith(DECIMAL.divide, a, b)
    if isinstance(a, timedelta) and is_number(b):
        return None if b == 0 else _scale_delta(a, 1 / to_decimal(b))
    if isinstance(a, timedelta) and isinstance(b, timedelta):
        return None if not b else _arith(DECIMAL.divide, micros(a), micros(b))
    if isinstance(a, YearsMonthsDuration) and isinstance(b, YearsMonthsDuration):
        return (
            None if not b.total_months else _arith(DECIMAL.divide, a.total_months, b.total_months)
        )
    if isinstance(a, YearsMonthsDuration) and is_number(b):
        return (
            None if b == 0 else YearsMonthsDuration(int(to_decimal(a.total_months) / to_decimal(b)))
        )
    return None


def power(a: Any, b: Any) -> Any:
    """FEEL ``a ** b``, computed in decimal128 so huge powers fail instead of hanging."""
    if not (is_number(a) and is_number(b)):
        return None
    return _arith(DECIMAL.power, a, b)


def negate(a: Any) -> Any:
    """FEEL ``-a``."""
    if is_number(a):
        return normalize(-a) if type(a) is int else normalize(-to_decimal(a))
    if isinstance(a, timedelta):
        return -a
    if isinstance(a, YearsMonthsDuration):
        return YearsMonthsDuration(-a.total_months)
    return None


def micros(delta: timedelta) -> int:
    """A duration in whole microseconds."""
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _scale_delta(delta: timedelta, factor: Decimal) -> timedelta | None:
    try:
        return timedelta(microseconds=int(micros(delta) * factor))
    except OverflowError:
        return None


def _is_datetime_like(value: Any) -> bool:
    return isinstance(value, date)


def _as_datetime(value: date) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day)


def _difference(a: date, b: date) -> timedelta | YearsMonthsDuration | None:
    left, right = _as_datetime(a), _as_datetime(b)
    try:
        return left - right
    except TypeError:
        # One side has a time zone and the other has none: FEEL says null.
        return None


def add_months(value: date, months: int) -> date | None:
    """``value`` moved by a number of months, clamping the day to the month's end."""
    total = value.year * 12 + (value.month - 1) + months
    year, month = divmod(total, 12)
    if not 1 <= year <= 9999:
        return None
    day = min(value.day, calendar.monthrange(year, month + 1)[1])
    return value.replace(year=year, month=month + 1, day=day)


def _temporal_add(a: Any, b: Any, sign: int) -> Any:
    if sign > 0 and isinstance(a, timedelta | YearsMonthsDuration) and isinstance(b, date | time):
        a, b = b, a
    try:
        if isinstance(a, timedelta) and isinstance(b, timedelta):
            return a + sign * b
        if isinstance(a, YearsMonthsDuration) and isinstance(b, YearsMonthsDuration):
            return YearsMonthsDuration(a.total_months + sign * b.total_months)
        if isinstance(a, date) and isinstance(b, timedelta):
            if isinstance(a, datetime):
                return a + sign * b
            # A date plus a duration stays a date (Camunda), dropping any time of day.
            return (_as_datetime(a) + sign * b).date()
        if isinstance(a, date) and isinstance(b, YearsMonthsDuration):
            return add_months(a, sign * b.total_months)
        if isinstance(a, time) and isinstance(b, timedelta):
            moved = datetime.combine(date(2000, 1, 1), a) + sign * b
            return moved.timetz()
    except OverflowError:
        return None
    return None


# -- comparison ------------------------------------------------------------------------------


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, datetime):
        return "date and time"
    if isinstance(value, date):
        return "date"
    if isinstance(value, time):
        return "time"
    if isinstance(value, timedelta):
        return "days and time duration"
    if isinstance(value, YearsMonthsDuration):
        return "years and months duration"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, Range):
        return "range"
    if isinstance(value, FeelFunction):
        return "function"
    if isinstance(value, Mapping) or dataclasses.is_dataclass(value):
        return "context"
    return "unknown"


def kind(value: Any) -> str:
    """The FEEL type name of a value (``number``, ``date and time``, ``list``, ...)."""
    return _kind(value)


def equal(a: Any, b: Any) -> bool | None:
    """FEEL ``a = b``: null equals only null; values of different types are not comparable."""
    if a is None or b is None:
        return a is None and b is None
    ka, kb = _kind(a), _kind(b)
    if ka != kb:
        return None
    if ka == "list":
        if len(a) != len(b):
            return False
        return all(equal(x, y) is True for x, y in zip(a, b, strict=True))
    if ka == "context":
        if not isinstance(a, Mapping) or not isinstance(b, Mapping) or a.keys() != b.keys():
            return False
        return all(equal(a[k], b[k]) is True for k in a)
    try:
        return bool(a == b)
    except TypeError:
        return None


_ORDERED = {"number", "string", "date", "date and time", "time", "days and time duration"}


def compare(op: str, a: Any, b: Any) -> bool | None:
    """FEEL comparison operators; null when the operands cannot be ordered."""
    if op == "=":
        return equal(a, b)
    if op == "!=":
        result = equal(a, b)
        return None if result is None else not result
    ka, kb = _kind(a), _kind(b)
    if ka != kb or (ka not in _ORDERED and ka != "years and months duration"):
        return None
    try:
        if op == "<":
            return bool(a < b)
        if op == "<=":
            return bool(a <= b)
        if op == ">":
            return bool(a > b)
        if op == ">=":
            return bool(a >= b)
    except TypeError:
        return None
    raise ExpressionError(f"unknown comparison operator {op}")


def in_range(value: Any, rng: Range) -> bool | None:
    """Whether ``value`` lies in the range; null when it cannot be compared."""
    low: bool | None = True
    if rng.start is not None:
        low = compare("<=" if rng.start_included else "<", rng.start, value)
    high: bool | None = True
    if rng.end is not None:
        high = compare("<=" if rng.end_included else "<", value, rng.end)
    if low is None or high is None:
        return None
    return low and high


def test_value(value: Any, result: Any, used_input: bool) -> bool:
    """Whether an input value satisfies one unary test whose expression gave ``result``."""
    if used_input:
        return result is True
    if isinstance(result, Range):
        return in_range(value, result) is True
    if equal(value, result) is True:
        return True
    if isinstance(result, list):
        return any(equal(value, item) is True for item in result)
    if isinstance(result, bool) and not isinstance(value, bool):
        return result
    return False


def instance_of(value: Any, type_name: str) -> bool:
    """FEEL ``value instance of type``."""
    name = type_name.strip()
    if name in ("Any", "any"):
        return value is not None
    if name.startswith("list"):
        return isinstance(value, list)
    if name.startswith("context"):
        return _kind(value) == "context"
    aliases = {
        "dayTimeDuration": "days and time duration",
        "yearMonthDuration": "years and months duration",
    }
    return _kind(value) == aliases.get(name, name)
