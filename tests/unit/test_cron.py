"""Cron as Camunda reads it (seamline.cron) and the test clock's durations and times."""

from __future__ import annotations

import datetime as dt

import pytest

from seamline import cron
from seamline.errors import UsageError
from seamline.services.testclock import parse_duration, parse_time

MONDAY = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("expression", "dialect", "translated"),
    [
        ("0 0/5 * * * ?", "quartz", "0 0/5 * * * *"),
        ("0 0 10 ? * 2", "quartz", "0 0 10 * * 1"),
        ("0 0 10 ? * 2-6", "quartz", "0 0 10 * * 1-5"),
        ("0 0 10 ? * 2#1", "quartz", "0 0 10 * * 1#1"),
        ("0 0 10 ? * MON-FRI *", "quartz", "0 0 10 * * MON-FRI"),
        ("0 0 10 * * 2", "spring", "0 0 10 * * 2"),
        ("@hourly", "spring", "@hourly"),
    ],
)
def test_translate(expression: str, dialect: str, translated: str) -> None:
    assert cron.translate(expression, dialect) == translated


def test_next_after_is_strictly_later_and_counts_seconds() -> None:
    assert cron.next_after("0 0/5 * * * ?", MONDAY, "quartz") == MONDAY.replace(minute=5)
    assert cron.next_after("30 * * * * *", MONDAY) == MONDAY.replace(second=30)


@pytest.mark.parametrize("bad", ["0 0 25 * * ?", "* * *", "0 0 10 ? * MON 2030"])
def test_unreadable_expressions_are_cron_errors(bad: str) -> None:
    with pytest.raises(cron.CronError):
        cron.check(bad, "quartz")


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("PT1H", dt.timedelta(hours=1)),
        ("P1DT2H30M", dt.timedelta(days=1, hours=2, minutes=30)),
        ("P2W", dt.timedelta(weeks=2)),
        ("1h", dt.timedelta(hours=1)),
        ("90m", dt.timedelta(minutes=90)),
        ("1h30m", dt.timedelta(hours=1, minutes=30)),
        ("2d", dt.timedelta(days=2)),
        ("45s", dt.timedelta(seconds=45)),
    ],
)
def test_durations(text: str, delta: dt.timedelta) -> None:
    assert parse_duration(text) == delta


@pytest.mark.parametrize("bad", ["", "P", "PT", "soon", "1h soon", "P1M"])
def test_unreadable_durations(bad: str) -> None:
    with pytest.raises(UsageError):
        parse_duration(bad)


def test_times_are_utc() -> None:
    assert parse_time("2026-01-05T09:00:00Z") == MONDAY
    assert parse_time("2026-01-05T10:00:00+01:00") == MONDAY
    assert parse_time("2026-01-05T09:00:00") == MONDAY
    with pytest.raises(UsageError):
        parse_time("monday")
