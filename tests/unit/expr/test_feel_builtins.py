"""FEEL built-in functions (DMN 1.3 section 10.3.4 and Camunda's additions)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from seamline.errors import ExpressionError
from seamline.expr import compile_feel
from seamline.expr.values import YearsMonthsDuration


def feel(text: str, **variables: Any) -> Any:
    return compile_feel(text).evaluate(variables)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('substring("foobar", 3)', "obar"),
        ('substring("foobar", 3, 3)', "oba"),
        ('substring("foobar", -2, 1)', "a"),
        ('substring(string: "foobar", start position: 2, length: 2)', "oo"),
        ('string length("foo")', 3),
        ('upper case("aBc4")', "ABC4"),
        ('lower case("aBc4")', "abc4"),
        ('substring before("foobar", "bar")', "foo"),
        ('substring before("foobar", "xyz")', ""),
        ('substring after("foobar", "ob")', "ar"),
        ('replace("abcd", "(ab)|(a)", "[1=$1][2=$2]")', "[1=ab][2=]cd"),
        ('replace("Hello", "L", "x", "i")', "Hexxo"),
        ('contains("foobar", "of")', False),
        ('starts with("foobar", "fo")', True),
        ('ends with("foobar", "r")', True),
        ('matches("foobar", "^fo*b")', True),
        ('split("John Doe", "\\s")', ["John", "Doe"]),
        ('split("a;b;c;;", ";")', ["a", "b", "c", "", ""]),
        ('string join(["a", "b", "c"], ", ")', "a, b, c"),
        ('string join(["a", null, "c"])', "ac"),
        ('string join(["a"], "X", "[", "]")', "[a]"),
        ("string(1.10)", "1.1"),
        ("string(true)", "true"),
        ("string(null)", None),
        ('string(date("2024-01-02"))', "2024-01-02"),
        ('string(duration("P1DT2H"))', "P1DT2H"),
        ('string(duration("P14M"))', "P1Y2M"),
        ('string([1, "a"])', '[1, "a"]'),
        ('trim("  x ")', "x"),
        ("upper case(5)", None),
    ],
)
def test_string_functions(text: str, expected: Any) -> None:
    assert feel(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("decimal(1/3, 2)", Decimal("0.33")),
        ("decimal(1.5, 0)", 2),
        ("decimal(2.5, 0)", 2),
        ("floor(1.5)", 1),
        ("floor(-1.5)", -2),
        ("floor(-1.56, 1)", Decimal("-1.6")),
        ("ceiling(1.5)", 2),
        ("ceiling(-1.5)", -1),
        ("round half up(5.5)", 6),
        ("round half up(-5.5)", -6),
        ("round half down(5.5)", 5),
        ("round up(5.1)", 6),
        ("round down(5.9)", 5),
        ("round half up(1.125, 2)", Decimal("1.13")),
        ("abs(-10)", 10),
        ("abs(-1.5)", Decimal("1.5")),
        ('abs(duration("-PT1H"))', timedelta(hours=1)),
        ("modulo(12, 5)", 2),
        ("modulo(-12, 5)", 3),
        ("modulo(12, -5)", -3),
        ("modulo(10.1, 4.5)", Decimal("1.1")),
        ("modulo(1, 0)", None),
        ("sqrt(16)", 4),
        ("sqrt(-1)", None),
        ("odd(5)", True),
        ("even(5)", False),
        ('number("1,000.5", ",", ".")', Decimal("1000.5")),
        ('number("12")', 12),
        ('number("twelve")', None),
        ("exp(0)", 1),
        ("log(1)", 0),
    ],
)
def test_number_functions(text: str, expected: Any) -> None:
    result = feel(text)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("list contains([1, 2, 3], 2)", True),
        ("list contains([1, null], null)", True),
        ("count([1, 2, 3])", 3),
        ("min([3, 1, 2])", 1),
        ("min(3, 1, 2)", 1),
        ('max(["a", "c", "b"])', "c"),
        ("min([])", None),
        ("sum([1, 2.5])", Decimal("3.5")),
        ("sum(1, 2, 3)", 6),
        ("sum([])", None),
        ('sum([1, "a"])', None),
        ("mean([1, 2, 3])", 2),
        ("median([8, 2, 5, 3, 4])", 4),
        ("median([6, 1, 2, 3])", Decimal("2.5")),
        ("product([2, 3, 4])", 24),
        ("stddev([2, 4, 7, 5])", Decimal("2.081665999466132735282297706979931")),
        ("mode([6, 3, 9, 6, 6])", [6]),
        ("all([true, false])", False),
        ("all([true, null])", None),
        ("all([])", True),
        ("any([false, true])", True),
        ("any([])", False),
        ("sublist([4, 5, 6], 1, 2)", [4, 5]),
        ("sublist([4, 5, 6], -1)", [6]),
        ("append([1], 2, 3)", [1, 2, 3]),
        ("concatenate([1, 2], [3])", [1, 2, 3]),
        ("insert before([1, 3], 1, 2)", [2, 1, 3]),
        ("remove([1, 2, 3], 2)", [1, 3]),
        ("reverse([1, 2, 3])", [3, 2, 1]),
        ("index of([1, 2, 3, 2], 2)", [2, 4]),
        ("union([1, 2], [2, 3])", [1, 2, 3]),
        ("distinct values([1, 2, 3, 2, 1])", [1, 2, 3]),
        ("duplicate values([1, 2, 3, 2, 1])", [2, 1]),
        ("flatten([[1, 2], [[3]], 4])", [1, 2, 3, 4]),
        ("sort([3, 1, 4, 2])", [1, 2, 3, 4]),
        ("sort(list: [3, 1], precedes: function(x, y) x < y)", [1, 3]),
        ('sort([{n: "b"}, {n: "a"}], function(x, y) x.n < y.n).n', ["a", "b"]),
        ("is empty([])", True),
        ("count(5)", None),
    ],
)
def test_list_functions(text: str, expected: Any) -> None:
    assert feel(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("is defined(x)", True),
        ("is defined(missing)", False),
        ("get or else(missing, 5)", 5),
        ("get or else(x, 5)", 1),
        ('get value({a: 1}, "a")', 1),
        ('get value({a: 1}, "b")', None),
        ("get entries({a: 1})", [{"key": "a", "value": 1}]),
        ('context put({a: 1}, "b", 2)', {"a": 1, "b": 2}),
        ("context merge([{a: 1}, {b: 2}])", {"a": 1, "b": 2}),
        ("not(true)", False),
    ],
)
def test_boolean_and_context_functions(text: str, expected: Any) -> None:
    assert feel(text, x=1) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('date("2024-02-29")', date(2024, 2, 29)),
        ("date(2024, 2, 29)", date(2024, 2, 29)),
        ('date("2023-02-29")', None),
        ('date(date and time("2024-01-02T10:00:00"))', date(2024, 1, 2)),
        ('time("10:30:00")', time(10, 30)),
        ('time("10:30:00.5")', time(10, 30, 0, 500000)),
        ('time("10:30:00+02:00")', time(10, 30, tzinfo=timezone(timedelta(hours=2)))),
        ("time(10, 30, 15)", time(10, 30, 15)),
        ('date and time("2024-01-02T10:00:00")', datetime(2024, 1, 2, 10)),
        ('date and time("2024-01-02T10:00:00Z")', datetime(2024, 1, 2, 10, tzinfo=UTC)),
        ('date and time(date("2024-01-02"), time("10:00:00"))', datetime(2024, 1, 2, 10)),
        ('duration("P1DT2H30M")', timedelta(days=1, hours=2, minutes=30)),
        ('duration("PT0.5S")', timedelta(milliseconds=500)),
        ('duration("-PT1M")', timedelta(minutes=-1)),
        ('duration("P2Y3M")', YearsMonthsDuration(27)),
        ('duration("P1Y2D")', None),
        ('duration("nonsense")', None),
        (
            'years and months duration(date("2011-12-22"), date("2013-08-24"))',
            YearsMonthsDuration(20),
        ),
        ('day of week(date("2024-05-17"))', "Friday"),
        ('day of year(date("2024-02-01"))', 32),
        ('week of year(date("2024-01-01"))', 1),
        ('month of year(date("2024-03-01"))', "March"),
        ('last day of month(date("2024-02-10"))', date(2024, 2, 29)),
        ('@"2024-01-01"', date(2024, 1, 1)),
        ('@"P1D"', timedelta(days=1)),
        ('@"2024-01-01T08:00:00"', datetime(2024, 1, 1, 8)),
    ],
)
def test_temporal_functions(text: str, expected: Any) -> None:
    assert feel(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('date("2024-01-31") + duration("P1M")', date(2024, 2, 29)),
        ('date("2024-03-01") - duration("P1D")', date(2024, 2, 29)),
        ('date("2024-03-01") - date("2024-02-01")', timedelta(days=29)),
        ('date and time("2024-01-01T10:00:00") + duration("PT90M")', datetime(2024, 1, 1, 11, 30)),
        (
            'date and time("2024-01-01T10:00:00") - date and time("2024-01-01T08:00:00")',
            timedelta(hours=2),
        ),
        ('time("10:00:00") + duration("PT1H")', time(11, 0)),
        ('duration("P1D") + duration("PT12H")', timedelta(days=1, hours=12)),
        ('duration("P1D") * 2', timedelta(days=2)),
        ('duration("P1D") / duration("PT12H")', 2),
        ('duration("P1Y") + duration("P2M")', YearsMonthsDuration(14)),
        ('date("2024-01-01") < date("2024-01-02")', True),
        ('duration("PT1H") > duration("PT59M")', True),
        ('date("2024-01-01") = date("2024-01-01")', True),
        ('date("2024-01-01") < 5', None),
        ('date("2024-05-17").year', 2024),
        ('date("2024-05-17").month', 5),
        ('date("2024-05-17").weekday', 5),
        ('date and time("2024-05-17T10:20:30").hour', 10),
        ('time("10:20:30").second', 30),
        ('duration("P2DT3H").days', 2),
        ('duration("P2DT3H").hours', 3),
        ('duration("P2Y3M").years', 2),
        ('duration("P2Y3M").months', 3),
        ('date and time("2024-01-01T10:00:00Z") < date and time("2024-01-01T10:00:00")', None),
        ('date("2024-01-15") in [date("2024-01-01")..date("2024-01-31")]', True),
    ],
)
def test_temporal_arithmetic_and_properties(text: str, expected: Any) -> None:
    assert feel(text) == expected


def test_now_and_today() -> None:
    assert isinstance(feel("now()"), datetime)
    assert feel("today() instance of date") is True
    assert feel('now() > date and time("2000-01-01T00:00:00Z")') is True


def test_builtin_functions_are_values() -> None:
    assert feel("sort([3, 1, 2], function(a, b) a > b)") == [3, 2, 1]
    assert feel('f("a")', f=feel("function(s) upper case(s)")) == "A"
    assert feel("sort(xs, g)", xs=[1, 2], g=feel("function(a, b) a > b")) == [2, 1]


def test_unknown_named_parameter() -> None:
    with pytest.raises(ExpressionError, match="no parameter 'start'"):
        feel('substring(string: "abc", start: 1)')
