"""FEEL expressions: literals, operators, precedence, null handling, paths, filters, control."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from seamline.errors import ExpressionError, ExpressionSyntaxError
from seamline.expr import compile_feel
from seamline.expr.values import Range

VARS: dict[str, Any] = {
    "amount": 600,
    "name": "Ada Lovelace",
    "approved": True,
    "nothing": None,
    "items": [
        {"name": "pen", "price": 5, "qty": 10},
        {"name": "book", "price": 20, "qty": 1},
        {"name": "lamp", "price": 35, "qty": 2},
    ],
    "order": {"customer": {"address": {"city": "Leeds"}}},
    "xs": [1, 2, 3, 4],
}


def feel(text: str, **extra: Any) -> Any:
    return compile_feel(text).evaluate({**VARS, **extra})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("1.5", Decimal("1.5")),
        ("1.0", 1),
        (".5", Decimal("0.5")),
        ('"a\\"b"', 'a"b'),
        ('"tab\\there"', "tab\there"),
        ('"\\u0041"', "A"),
        ("true", True),
        ("false", False),
        ("null", None),
        ("[]", []),
        ("{}", {}),
    ],
)
def test_literals(text: str, expected: Any) -> None:
    assert feel(text) == expected
    assert type(feel(text)) is type(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("2 ** 3 ** 2", 64),  # left-associative, as in FEEL-scala
        ("10 - 4 - 3", 3),
        ("12 / 4 / 3", 1),
        ("1 + 2 = 3", True),
        ("1 < 2 and 2 < 3", True),
        ("false or 1 < 2 and false", False),
        ("true or false and false", True),
        ("-3 + 5", 2),
        ("- (2 + 3)", -5),
        ("0.1 + 0.2 = 0.3", True),
        ("0.1 + 0.2", Decimal("0.3")),
        ("10 / 4", Decimal("2.5")),
        ("1 / 3", Decimal("0.3333333333333333333333333333333333")),
        ("7 / 0", None),
        ("2 ** 10", 1024),
        ("2 ** -1", Decimal("0.5")),
        ('"foo" + "bar"', "foobar"),
        ("amount > 500 and approved", True),
        ("5 between 1 and 10", True),
        ("11 between 1 and 10", False),
        ("amount between 1 and 1000 and approved", True),
    ],
)
def test_arithmetic_and_precedence(text: str, expected: Any) -> None:
    assert feel(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("null + 1", None),
        ("1 - null", None),
        ("nothing * 2", None),
        ("unknown + 1", None),
        ('1 + "a"', None),
        ("null = null", True),
        ("nothing = null", True),
        ("1 = null", False),
        ("1 != null", True),
        ("null < 1", None),
        ('1 = "1"', None),
        ("true = 1", None),
        ("true and null", None),
        ("false and null", False),
        ("true or null", True),
        ("false or null", None),
        ('"x" and true', None),
        ("not(null)", None),
        ("not(false)", True),
        ("if null then 1 else 2", 2),
        ("if nothing = null then 1 else 2", 1),
        ("-null", None),
    ],
)
def test_null_handling(text: str, expected: Any) -> None:
    assert feel(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("order.customer.address.city", "Leeds"),
        ("order.customer.zip", None),
        ("order.missing.deeper", None),
        ("items.price", [5, 20, 35]),
        ("items[1].name", "pen"),
        ("items[-1].name", "lamp"),
        ("items[4]", None),
        ("items[0]", None),
        ("items[price > 10].name", ["book", "lamp"]),
        ("items[item.price > 10 and qty > 1].name", ["lamp"]),
        ("xs[item > 2]", [3, 4]),
        ("xs[item > 9]", []),
        ("xs[n]", 3),
        ("{a: 1, b: {c: 2}}.b.c", 2),
        ('{"b c": 2}', {"b c": 2}),
        ("{total: 1 + 2, double: total * 2}.double", 6),
        ("{first name: 1}", {"first name": 1}),
        ("`first name` + 1", 2),
    ],
)
def test_paths_and_filters(text: str, expected: Any) -> None:
    assert feel(text, n=3, **{"first name": 1}) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('if amount > 1000 then "big" else "small"', "small"),
        ("for i in xs return i * i", [1, 4, 9, 16]),
        ("for i in 1..3 return i", [1, 2, 3]),
        ("for i in 3..1 return i", [3, 2, 1]),
        ("for x in [1, 2], y in [10, 20] return x + y", [11, 21, 12, 22]),
        ("for i in items return i.price * i.qty", [50, 20, 70]),
        ("for i in 1..4 return if i = 1 then 1 else i * partial[-1]", [1, 2, 6, 24]),
        ("some i in xs satisfies i > 3", True),
        ("every i in xs satisfies i > 3", False),
        ("every i in [] satisfies i > 3", True),
        ("some x in [1, 2], y in [2, 3] satisfies x = y", True),
        ("5 in [1..10]", True),
        ("10 in [1..10[", False),
        ("1 in ]1..10]", False),
        ("5 in (1..10)", True),
        ("3 in (1, 2, 3)", True),
        ('"b" in ["a", "b"]', True),
        ("4 in < 5", True),
        ("4 in >= 5", False),
        ("4 in (< 2, > 3)", True),
        ("4 in 4", True),
        ("5 instance of number", True),
        ('"5" instance of number', False),
        ('"5" instance of string', True),
        ('date("2020-01-01") instance of date', True),
        ('date and time("2020-01-01T00:00:00") instance of date and time', True),
        ("[1] instance of list", True),
        ("{a: 1} instance of context", True),
        ("(function(a, b) a + b)(1, 2)", 3),
        ("{add: function(a, b) a + b}.add(b: 2, a: 5)", 7),
        ("sort([3, 1, 2], function(x, y) x > y)", [3, 2, 1]),
        ("[1..5]", Range(1, 5)),
        ("]1..5[", Range(1, 5, False, False)),
        ("(1..5]", Range(1, 5, False, True)),
        ("[1..5[", Range(1, 5, True, False)),
        ("[1..5].end", 5),
        ("// comment\n1 + /* inline */ 1", 2),
    ],
)
def test_control_and_collections(text: str, expected: Any) -> None:
    assert feel(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("= count(items) > 1", True),
        ('= if approved then "a" else "b"', "a"),
        ("= for i in items return i.price", [5, 20, 35]),
        ("= upper case(name)", "ADA LOVELACE"),
        ('= duration("P1D")', timedelta(days=1)),
        ("=amount >= 500", True),
        ('= date("2024-02-28") + duration("P1D")', date(2024, 2, 29)),
        ("= sum(items.price)", 60),
    ],
)
def test_camunda8_conditions(text: str, expected: Any) -> None:
    assert feel(text) == expected


def test_compilation_is_cached_and_evaluation_is_repeatable() -> None:
    first = compile_feel("amount * 2")
    assert compile_feel("amount * 2") is first
    assert first.source == "amount * 2"
    assert first.evaluate({"amount": 2}) == 4
    assert first.evaluate({"amount": 3}) == 6


@pytest.mark.parametrize(
    ("text", "column"),
    [("1 +", 4), ("a b", 3), ("if x then 1", 12), ("[1, 2", 6), ('"open', 1), ("1 ! 2", 3)],
)
def test_syntax_errors_quote_text_and_column(text: str, column: int) -> None:
    with pytest.raises(ExpressionSyntaxError) as info:
        compile_feel(text)
    message = str(info.value)
    assert f'"{text}"' in message
    assert f"column {column}" in message
    assert "\n" not in message


def test_multiline_expression_error_stays_one_line() -> None:
    with pytest.raises(ExpressionSyntaxError) as info:
        compile_feel("if x\nthen 1\nelse")
    assert "\n" not in str(info.value)


def test_empty_expression_is_a_syntax_error() -> None:
    with pytest.raises(ExpressionSyntaxError):
        compile_feel("=  ")


def test_unknown_function_is_an_evaluation_error() -> None:
    with pytest.raises(ExpressionError, match=r"unknown function frobnicate\(\)"):
        feel("frobnicate(1)")


def test_wrong_arity_names_the_parameters() -> None:
    with pytest.raises(ExpressionError, match=r"upper case\(\).*\(string\)"):
        feel("upper case(1, 2)")


def test_calling_a_non_function_fails() -> None:
    with pytest.raises(ExpressionError, match="not a function"):
        feel("amount(1)")


def test_variable_shadowing_a_builtin_still_allows_the_call() -> None:
    assert feel("count(xs) + count", count=10) == 14
