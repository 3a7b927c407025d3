"""Value types of the expression languages and their ISO-8601 text forms.

FEEL values map onto Python values: numbers are ``int`` (when exact) or ``Decimal``, strings
``str``, booleans ``bool``, lists ``list``, contexts ``dict``, dates ``datetime.date``, times
``datetime.time``, date-times ``datetime.datetime``, days-and-time durations
``datetime.timedelta`` and years-and-months durations :class:`YearsMonthsDuration`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from seamline.errors import ExpressionError

#: The largest list an expression may build.
MAX_ITEMS = 100_000
#: The longest string an expression may build (characters).
MAX_STRING = 1_000_000


@dataclass(frozen=True, order=True)
class YearsMonthsDuration:
    """A FEEL years-and-months duration, stored as a signed number of months."""

    total_months: int

    @property
    def years(self) -> int:
        """Whole years of the duration (signed)."""
        return _sign(self.total_months) * (abs(self.total_months) // 12)

    @property
    def months(self) -> int:
        """Months left over after the whole years (signed)."""
        return _sign(self.total_months) * (abs(self.total_months) % 12)

    def __str__(self) -> str:
        return format_years_months(self)


@dataclass(frozen=True)
class Range:
    """A FEEL range such as ``[1..10]`` or ``]date("2020-01-01")..date("2021-01-01")[``."""

    start: Any
    end: Any
    start_included: bool = True
    end_included: bool = True


@dataclass(frozen=True)
class FeelFunction:
    """A callable FEEL value: a built-in or a ``function(a, b) ...`` literal."""

    name: str
    params: tuple[str, ...]
    impl: Callable[..., Any] = field(compare=False)
    #: True for built-ins that take any number of positional arguments.
    variadic: bool = False


def _sign(n: int) -> int:
    return -1 if n < 0 else 1


# -- durations -------------------------------------------------------------------------------

_DURATION = re.compile(
    r"^(?P<neg>-)?P(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<mi>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(text: str) -> timedelta | YearsMonthsDuration | None:
    """Parse an ISO-8601 duration; ``None`` if it is not one FEEL accepts."""
    match = _DURATION.match(text.strip())
    if not match or text.strip() in ("P", "-P") or text.strip().endswith("T"):
        return None
    parts = match.groupdict()
    sign = -1 if parts["neg"] else 1
    has_ym = parts["y"] is not None or parts["mo"] is not None
    has_dt = any(parts[k] is not None for k in ("w", "d", "h", "mi", "s"))
    if has_ym and has_dt:
        return None
    if has_ym:
        months = int(parts["y"] or 0) * 12 + int(parts["mo"] or 0)
        return YearsMonthsDuration(sign * months)
    try:
        delta = timedelta(
            weeks=int(parts["w"] or 0),
            days=int(parts["d"] or 0),
            hours=int(parts["h"] or 0),
            minutes=int(parts["mi"] or 0),
            seconds=float(Decimal(parts["s"] or 0)),
        )
    except OverflowError:
        return None
    return -delta if sign < 0 else delta


def format_years_months(value: YearsMonthsDuration) -> str:
    """ISO-8601 text of a years-and-months duration, e.g. ``P1Y2M`` or ``-P3M``."""
    months = abs(value.total_months)
    sign = "-" if value.total_months < 0 else ""
    years, rest = divmod(months, 12)
    text = (f"{years}Y" if years else "") + (f"{rest}M" if rest or not years else "")
    return f"{sign}P{text}"


def format_timedelta(value: timedelta) -> str:
    """ISO-8601 text of a days-and-time duration, e.g. ``P1DT2H`` or ``PT0.5S``."""
    micros = (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    sign = "-" if micros < 0 else ""
    micros = abs(micros)
    seconds, micro = divmod(micros, 1_000_000)
    days, seconds = divmod(seconds, 86_400)
    hours, seconds = divmod(seconds, 3_600)
    minutes, seconds = divmod(seconds, 60)
    text = f"{days}D" if days else ""
    clock = ""
    if hours:
        clock += f"{hours}H"
    if minutes:
        clock += f"{minutes}M"
    if seconds or micro:
        frac = f".{micro:06d}".rstrip("0") if micro else ""
        clock += f"{seconds}{frac}S"
    if clock:
        text += "T" + clock
    return f"{sign}P{text or 'T0S'}"


# -- text forms ------------------------------------------------------------------------------


def format_number(value: int | Decimal | float) -> str:
    """A number as FEEL writes it: no exponent, no trailing zeros."""
    if isinstance(value, int):
        return str(value)
    dec = value if isinstance(value, Decimal) else Decimal(repr(value))
    text = format(dec.normalize(), "f")
    return text


def to_text(value: Any) -> str | None:
    """FEEL ``string(x)``: the text form of any value, ``None`` for null."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal | float):
        return format_number(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return format_timedelta(value)
    if isinstance(value, YearsMonthsDuration):
        return format_years_months(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_nested_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}:{_nested_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Range):
        left = "[" if value.start_included else "("
        right = "]" if value.end_included else ")"
        return f"{left}{_nested_text(value.start)}..{_nested_text(value.end)}{right}"
    if isinstance(value, FeelFunction):
        return f"function {value.name}"
    return None


def _nested_text(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    text = to_text(value)
    return "null" if text is None else text


# -- limits ----------------------------------------------------------------------------------


def check_string(value: str) -> str:
    """Refuse strings above :data:`MAX_STRING`, so an expression cannot exhaust memory."""
    if len(value) > MAX_STRING:
        raise ExpressionError(f"result too large: a string of more than {MAX_STRING} characters")
    return value


def check_items(count: int) -> None:
    """Refuse lists above :data:`MAX_ITEMS` before they are built."""
    if count > MAX_ITEMS:
        raise ExpressionError(f"result too large: a list of more than {MAX_ITEMS} items")


def check_list(values: Sequence[Any]) -> list[Any]:
    """Return ``values`` as a list after checking its size."""
    check_items(len(values))
    return list(values)
