"""Hostile expressions: no Python internals, bounded sizes, no stack exhaustion, no hangs."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from seamline.errors import ExpressionError, ExpressionSyntaxError
from seamline.expr import compile_feel, compile_juel, compile_unary_tests


@dataclass
class Order:
    total: int
    _secret: str = "hidden"


@pytest.mark.parametrize(
    "text",
    [
        "x.__class__",
        "x.__dict__",
        "order.__class__.__mro__",
        "order._secret",
        "order.__init__",
        '"abc".__class__',
        "f.__globals__",
        "(function(a) a).__code__",
    ],
)
def test_feel_cannot_reach_python_attributes(text: str) -> None:
    assert compile_feel(text).evaluate({"x": object(), "order": Order(5), "f": len}) is None


def test_feel_reads_dataclass_fields() -> None:
    assert compile_feel("order.total").evaluate({"order": Order(5)}) == 5


@pytest.mark.parametrize(
    "text",
    [
        "${order._secret}",
        "${order.__class__}",
        "${x.__class__.__bases__}",
        "${name.getClass().forName('os')}",
        "${''.join(items)}",
        "${items.pop()}",
        "${order.clear()}",
    ],
)
def test_juel_cannot_reach_python_attributes(text: str) -> None:
    with pytest.raises(ExpressionError):
        compile_juel(text).evaluate(
            {"order": Order(5), "x": object(), "name": "a", "items": [1], "o": {}}
        )


@pytest.mark.parametrize(
    "text",
    [
        "for i in 1..100000000 return i",
        "for i in [1..100000000] return i",
        "for i in 1..1000, j in 1..1000 return 1",
        "for i in 1..100000 return for j in 1..100000 return 1",
        "some i in 1..100000000 satisfies false",
    ],
)
def test_feel_results_and_work_are_bounded(text: str) -> None:
    with pytest.raises(ExpressionError, match=r"too large|too much work"):
        compile_feel(text).evaluate({})


def test_feel_strings_are_bounded() -> None:
    doubling = "for i in 1..40 return if i = 1 then s else partial[-1] + partial[-1]"
    with pytest.raises(ExpressionError, match="too large"):
        compile_feel(doubling).evaluate({"s": "x" * 1000})
    with pytest.raises(ExpressionError, match="too large"):
        compile_feel('string join(for i in 1..2000 return s, "")').evaluate({"s": "y" * 1000})


def test_feel_numbers_are_bounded() -> None:
    with pytest.raises(ExpressionError, match="out of range"):
        compile_feel("10 ** 100000").evaluate({})
    grow = "for i in 1..200 return if i = 1 then 10 else partial[-1] * partial[-1]"
    with pytest.raises(ExpressionError, match="out of range"):
        compile_feel(grow).evaluate({})


def test_juel_template_strings_are_bounded() -> None:
    with pytest.raises(ExpressionError, match="too large"):
        compile_juel("${s}${s}").evaluate({"s": "z" * 600_000})


@pytest.mark.parametrize("depth", [150, 10_000])
def test_deep_nesting_is_a_syntax_error(depth: int) -> None:
    text = "(" * depth + "1" + ")" * depth
    for compile_ in (compile_feel, compile_unary_tests):
        with pytest.raises(ExpressionSyntaxError, match="nested too deeply"):
            compile_(text)
    with pytest.raises(ExpressionSyntaxError, match="nested too deeply"):
        compile_juel("${" + text + "}")


def test_long_operator_chains_do_not_crash() -> None:
    # 20,000 operands: deep for a tree walker, so either a value or a clean error is fine.
    text = " + ".join(["1"] * 20_000)
    try:
        assert compile_feel(text).evaluate({}) == 20_000
    except ExpressionError as exc:
        assert "\n" not in str(exc)


def test_deep_prefix_chains_do_not_crash() -> None:
    text = "not(" * 90 + "true" + ")" * 90
    assert compile_feel(text).evaluate({}) is True
    text = "- " * 5_000 + "1"
    try:
        compile_feel(text).evaluate({})
    except ExpressionError as exc:
        assert "\n" not in str(exc)


@pytest.mark.parametrize(
    "text", ["1" * 1_000_001, '"' + "a" * 1_000_000 + '"', "${" + "a" * 1_000_000 + "}"]
)
def test_huge_expressions_are_refused(text: str) -> None:
    compile_ = compile_juel if text.startswith("${") else compile_feel
    with pytest.raises(ExpressionSyntaxError, match="too long"):
        compile_(text)


def test_recursive_function_is_stopped() -> None:
    text = "{f: function(n) f(n + 1), r: f(1)}.r"
    with pytest.raises(ExpressionError):
        compile_feel(text).evaluate({})


def test_regex_patterns_are_bounded() -> None:
    with pytest.raises(ExpressionError, match="regular expression"):
        compile_feel("matches(s, p)").evaluate({"s": "a", "p": "a" * 2000})


def test_invalid_regex_is_null() -> None:
    assert compile_feel('matches("a", "(")').evaluate({}) is None


def test_timezone_ids_are_validated() -> None:
    assert compile_feel('time("10:00:00@../../etc/passwd")').evaluate({}) is None
    assert compile_feel('time("10:00:00@No/Such_Zone")').evaluate({}) is None


def test_errors_are_one_line() -> None:
    for text in ["if\n1\nthen", "[1,\n2", "{a:\n}"]:
        with pytest.raises(ExpressionSyntaxError) as info:
            compile_feel(text)
        assert "\n" not in str(info.value)
