"""FEEL date, time and duration built-ins and temporal literals (``@"2024-01-31"``)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from seamline import timekeeping
from seamline.expr import feel_ops as ops
from seamline.expr.feel_builtins import builtin
from seamline.expr.values import YearsMonthsDuration, parse_duration

_DATE = re.compile(r"^(-?\d{4,9})-(\d\d)-(\d\d)$")
_TIME = re.compile(
    r"^(\d\d):(\d\d):(\d\d)(\.\d{1,9})?(Z|[+-]\d\d:\d\d)?(@[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*)?$"
)


def _zone(offset: str | None, zone_id: str | None) -> tzinfo | None:
    if zone_id:
        try:
            return ZoneInfo(zone_id[1:])
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {zone_id[1:]}") from exc
    if offset is None:
        return None
    if offset == "Z":
        return UTC
    sign = -1 if offset[0] == "-" else 1
    hours, minutes = int(offset[1:3]), int(offset[4:6])
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_date(text: str) -> date | None:
    """``YYYY-MM-DD`` as a date; ``None`` if it is not one."""
    match = _DATE.match(text)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def parse_time(text: str) -> time | None:
    """``hh:mm:ss[.fff][Z|+hh:mm|@Zone/Id]`` as a time; ``None`` if it is not one."""
    match = _TIME.match(text)
    if not match:
        return None
    hour, minute, second, fraction, offset, zone_id, _ = match.groups()
    try:
        micro = int((fraction or ".0")[1:7].ljust(6, "0"))
        zone = _zone(offset, zone_id)
        return time(int(hour), int(minute), int(second), micro, tzinfo=zone)
    except ValueError:
        return None


def parse_date_time(text: str) -> datetime | None:
    """``YYYY-MM-DDThh:mm:ss...`` (or a bare date, at midnight) as a date and time."""
    if "T" not in text:
        day = parse_date(text)
        return None if day is None else datetime(day.year, day.month, day.day)
    day_text, _, time_text = text.partition("T")
    day, clock = parse_date(day_text), parse_time(time_text)
    if day is None or clock is None:
        return None
    return datetime.combine(day, clock)


def parse_temporal_literal(text: str) -> Any:
    """The value of ``@"..."``: a date, time, date and time or duration."""
    if text.startswith(("P", "-P")):
        return parse_duration(text)
    if "T" in text:
        return parse_date_time(text)
    return parse_date(text) or parse_time(text)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


@builtin("date")
def _date(from_: Any, month: Any = None, day: Any = None) -> date | None:
    if month is not None or day is not None:
        return date(int(from_), int(month), int(day))
    if isinstance(from_, date):
        return from_.date() if isinstance(from_, datetime) else from_
    return parse_date(_text(from_))


@builtin("time")
def _time(from_: Any, minute: Any = None, second: Any = None, offset: Any = None) -> time | None:
    if minute is not None:
        whole = int(second or 0)
        micro = int((ops.to_decimal(second or 0) - whole) * 1_000_000)
        zone = timezone(offset) if isinstance(offset, timedelta) else None
        return time(int(from_), int(minute), whole, micro, tzinfo=zone)
    if isinstance(from_, datetime):
        return from_.timetz()
    if isinstance(from_, date):
        return time(0, 0)
    if isinstance(from_, time):
        return from_
    return parse_time(_text(from_))


@builtin("date and time")
def _date_and_time(from_: Any, time: Any = None) -> datetime | None:
    if time is not None:
        if not isinstance(from_, date):
            return None
        day = from_.date() if isinstance(from_, datetime) else from_
        return datetime.combine(day, time)
    if isinstance(from_, datetime):
        return from_
    if isinstance(from_, date):
        return datetime(from_.year, from_.month, from_.day)
    return parse_date_time(_text(from_))


@builtin("duration")
def _duration(from_: Any) -> Any:
    return parse_duration(_text(from_))


@builtin("years and months duration")
def _years_and_months(from_: Any, to: Any) -> YearsMonthsDuration | None:
    if not (isinstance(from_, date) and isinstance(to, date)):
        return None
    months = (to.year - from_.year) * 12 + (to.month - from_.month)
    # Only whole months count: 31 Jan to 28 Feb is not yet a month.
    if months > 0 and (to.day, _clock(to)) < (from_.day, _clock(from_)):
        months -= 1
    elif months < 0 and (to.day, _clock(to)) > (from_.day, _clock(from_)):
        months += 1
    return YearsMonthsDuration(months)


def _clock(value: date) -> time:
    return value.time() if isinstance(value, datetime) else time(0)


@builtin("now")
def _now() -> datetime:
    return timekeeping.now()


@builtin("today")
def _today() -> date:
    return timekeeping.now().date()


_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def _day(value: Any) -> date:
    if not isinstance(value, date):
        raise TypeError("not a date")
    return value


@builtin("day of week")
def _day_of_week(date: Any) -> str:
    return _DAYS[_day(date).weekday()]


@builtin("day of year")
def _day_of_year(date: Any) -> int:
    return _day(date).timetuple().tm_yday


@builtin("week of year")
def _week_of_year(date: Any) -> int:
    return _day(date).isocalendar()[1]


@builtin("month of year")
def _month_of_year(date: Any) -> str:
    return _MONTHS[_day(date).month - 1]


@builtin("last day of month")
def _last_day_of_month(date: Any) -> date | None:
    day = _day(date)
    moved = ops.add_months(day.replace(day=1), 1)
    if moved is None:
        return None
    result = (moved if not isinstance(moved, datetime) else moved.date()) - timedelta(days=1)
    return result if not isinstance(result, datetime) else result.date()
