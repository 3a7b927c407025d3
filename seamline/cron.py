"""Cron timer cycles as Camunda reads them, computed with croniter.

Camunda 7 takes a ``timeCycle`` that is not an ISO 8601 repetition (``R...``) as a Quartz cron
expression: six or seven fields, seconds first, ``?`` for "no specific value", days of the week
numbered 1-7 from Sunday, an optional year last. Camunda 8 takes Spring's cron: six fields,
seconds first, ``?`` allowed, days of the week 0-7 (0 and 7 are Sunday), and the macros
``@hourly``, ``@daily``... croniter counts days of the week like Spring and puts seconds first
when told, so a Quartz expression is translated (``?`` to ``*``, days of the week shifted down
by one, a ``*`` year dropped) before croniter reads it. Five fields are read as classic cron
(minutes first), which Spiff and plain diagrams may use.

A foundation module (it imports only :mod:`seamline.errors`): the loader checks expressions
with it and the timer definitions of :mod:`seamline.spiff.timers` compute firings with it.
"""

from __future__ import annotations

import datetime as dt
import re

from croniter import croniter

from seamline.errors import CronError

__all__ = ["DIALECTS", "CronError", "check", "looks_like_cron", "next_after", "translate"]

#: ``quartz`` for Camunda 7 diagrams, ``spring`` for Camunda 8 (and the default for others).
DIALECTS = ("quartz", "spring")

_NUMBER = re.compile(r"\d+")


def looks_like_cron(text: str) -> bool:
    """Whether a timer text is meant as cron (five to seven fields, or an ``@`` macro)."""
    stripped = text.strip()
    return stripped.startswith("@") or 5 <= len(stripped.split()) <= 7


def _quartz_weekdays(field: str) -> str:
    """Quartz numbers Sunday 1 ... Saturday 7; croniter (and Spring) Sunday 0 ... Saturday 6.

    Only the weekday numbers move: ``2#1`` (first Monday) becomes ``1#1``, ``6L`` becomes ``5L``;
    a step (``1/2``) keeps its increment.
    """
    out = []
    for part in field.split(","):
        base, slash, step = part.partition("/")
        if "#" in base:
            day, _, nth = base.partition("#")
            base = f"{_shift(day)}#{nth}"
        else:
            base = _NUMBER.sub(lambda m: str(int(m.group()) - 1), base)
        out.append(base + (slash + step if slash else ""))
    return ",".join(out)


def _shift(day: str) -> str:
    return str(int(day) - 1) if day.isdigit() else day


def translate(expression: str, dialect: str = "spring") -> str:
    """The croniter form of a Camunda cron expression (seconds first when it has six fields)."""
    text = expression.strip()
    if text.startswith("@"):
        return text
    fields = text.split()
    if not 5 <= len(fields) <= 7:
        raise CronError(f"cron expression {expression!r} needs 5 to 7 fields, has {len(fields)}")
    if len(fields) == 7:
        year = fields.pop()
        if year not in ("*", "?"):
            raise CronError(f"cron expression {expression!r}: a year field other than * is not run")
    fields = ["*" if f == "?" else f for f in fields]
    if dialect == "quartz" and len(fields) == 6:
        fields[5] = _quartz_weekdays(fields[5])
    return " ".join(fields)


def _iterator(expression: str, dialect: str, start: dt.datetime) -> croniter:
    text = translate(expression, dialect)
    seconds_first = len(text.split()) == 6
    try:
        return croniter(text, start, second_at_beginning=seconds_first)
    except (ValueError, KeyError, TypeError) as exc:
        raise CronError(f"cron expression {expression!r} cannot be read: {exc}") from exc


def check(expression: str, dialect: str = "spring") -> None:
    """Raise :class:`CronError` unless ``expression`` is a cron expression seamline can run."""
    _iterator(expression, dialect, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


def next_after(expression: str, after: dt.datetime, dialect: str = "spring") -> dt.datetime:
    """The first instant strictly after ``after`` that ``expression`` names (aware, UTC)."""
    if after.tzinfo is None:
        after = after.replace(tzinfo=dt.UTC)
    due = _iterator(expression, dialect, after).get_next(dt.datetime)
    if not isinstance(due, dt.datetime):  # pragma: no cover - croniter returns what it is asked
        raise CronError(f"cron expression {expression!r} gave no date")
    return due.astimezone(dt.UTC)
