"""JUEL (Camunda 7) expressions: operators, coercions, templates, allow-listed methods."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from seamline.errors import ExpressionError, ExpressionSyntaxError, SandboxViolation
from seamline.expr import compile_juel, detect_dialect

VARS: dict[str, Any] = {
    "input": 2,
    "confirmed": False,
    "approved": True,
    "name": "Bob",
    "amount": 1500,
    "items": [1, 2, 3],
    "order": {"total": 99, "lines": [{"sku": "A1"}], "key with space": 7},
    "numeric": "12",
    "nothing": None,
    "empty_text": "",
    "counter": 6,
}


def juel(text: str, **extra: Any) -> Any:
    return compile_juel(text).evaluate({**VARS, **extra})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${true}", True),
        ("${input == 2}", True),
        ("${input eq 2}", True),
        ("${input != 2}", False),
        ("${input ne 3}", True),
        ("${input <= 2}", True),
        ("${input lt 2}", False),
        ("${input gt 1 && input ge 2}", True),
        ("${input le 1 or input == 2}", True),
        ("${input == 3 || input == 1}", False),
        ("${not confirmed}", True),
        ("${!approved}", False),
        ("${confirmed}", False),
        ("${5-2}", 3),
        ("${1 + 2 * 3}", 7),
        ("${(1 + 2) * 3}", 9),
        ("${10 / 4}", 2.5),
        ("${10 div 5}", 2.0),
        ("${10 % 3}", 1),
        ("${-7 mod 3}", -1),
        ("${1.5 + 1}", 2.5),
        ("${-input}", -2),
        ("${counter > 5}", True),
        ("${amount > 1000 ? 'big' : 'small'}", "big"),
        ("${approved ? (amount > 2000 ? 1 : 2) : 3}", 2),
        ("${order.total}", 99),
        ("${order.lines[0].sku}", "A1"),
        ("${order['key with space']}", 7),
        ('${order["total"]}', 99),
        ("${order.missing}", None),
        ("${items[2]}", 3),
        ("#{input}", 2),
    ],
)
def test_operators_and_access(text: str, expected: Any) -> None:
    result = juel(text)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${nothing + 1}", 1),
        ("${nothing == null}", True),
        ("${nothing != null}", False),
        ("${nothing > 1}", False),
        ("${!nothing}", True),
        ("${empty nothing}", True),
        ("${empty empty_text}", True),
        ("${empty items}", False),
        ("${not empty name}", True),
        ("${numeric > 5}", True),
        ("${numeric + 1}", 13),
        ("${numeric == 12}", True),
        ("${'1.5' * 2}", 3.0),
        ("${'abc' < 'abd'}", True),
        ("${approved == 'true'}", True),
    ],
)
def test_el_coercions(text: str, expected: Any) -> None:
    assert juel(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${name.toUpperCase()}", "BOB"),
        ("${name.toLowerCase()}", "bob"),
        ("${name.equals('Bob')}", True),
        ("${name.equalsIgnoreCase('bob')}", True),
        ("${name.contains('o')}", True),
        ("${name.startsWith('B') and name.endsWith('b')}", True),
        ("${name.length()}", 3),
        ("${name.isEmpty()}", False),
        ("${'  x '.trim()}", "x"),
        ("${name.substring(1)}", "ob"),
        ("${name.substring(0, 2)}", "Bo"),
        ("${name.indexOf('b')}", 2),
        ("${items.size()}", 3),
        ("${items.contains(2)}", True),
        ("${items.get(0)}", 1),
        ("${items.isEmpty()}", False),
        ("${order.containsKey('total')}", True),
        ("${order.get('total')}", 99),
        ("${amount.toString()}", None),
        ('${execution.getVariable("name")}', "Bob"),
    ],
)
def test_allowed_methods(text: str, expected: Any) -> None:
    if expected is None:
        with pytest.raises(SandboxViolation, match=r"toString\(\)"):
            juel(text)
    else:
        assert juel(text) == expected


def test_templates_render_strings() -> None:
    assert juel("Hello ${name}!") == "Hello Bob!"
    assert juel("total: ${amount * 2} (${approved}) ${nothing}.") == "total: 3000 (true) ."
    assert juel("${input}${input}") == "22"
    assert juel("no expressions") == "no expressions"
    assert juel("price \\${amount}") == "price ${amount}"
    assert juel("${'}'}") == "}"


def test_pure_expression_keeps_the_type() -> None:
    assert juel("${items}") == [1, 2, 3]
    assert juel("${nothing}") is None


def test_date_time_functions_of_the_invoice_example() -> None:
    due = juel("${dateTime().plusDays(2).toDate()}")
    assert isinstance(due, datetime)
    week = juel("${dateTime().plusWeeks(1).toDate()}")
    assert week > due


@pytest.mark.parametrize(
    ("text", "error", "pattern"),
    [
        ("${zzz}", ExpressionError, "unknown variable zzz"),
        ('${execution.getVariable("zzz")}', ExpressionError, "unknown variable zzz"),
        ('${execution.setVariable("a", 1)}', SandboxViolation, r"setVariable\(\)"),
        ("${name.getClass()}", SandboxViolation, r"getClass\(\)"),
        ("${name.__class__}", SandboxViolation, "__class__"),
        ("${items.__len__()}", SandboxViolation, "__len__"),
        ("${nothing.foo}", ExpressionError, "of null"),
        ("${items[5]}", ExpressionError, "out of bounds"),
        ("${1 / 0}", ExpressionError, "division by zero"),
        ("${approved + 1}", ExpressionError, "as a number"),
        ("${'abc' + 1}", ExpressionError, "as a number"),
    ],
)
def test_evaluation_errors(text: str, error: type[Exception], pattern: str) -> None:
    with pytest.raises(error, match=pattern) as info:
        juel(text)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "column"),
    [("${input ==}", 11), ("a ${input ==}", 13), ("${input @ 2}", 9), ("Hi ${name", 4)],
)
def test_syntax_errors(text: str, column: int) -> None:
    with pytest.raises(ExpressionSyntaxError) as info:
        compile_juel(text)
    assert f'"{text}"' in str(info.value)
    assert f"column {column}" in str(info.value)


def test_unknown_function_is_refused_at_compile_time() -> None:
    with pytest.raises(ExpressionSyntaxError, match=r"unknown function system\(\)"):
        compile_juel("${system('ls')}")


@pytest.mark.parametrize(
    ("text", "dialect"),
    [
        ("${x > 1}", "juel"),
        ("#{x}", "juel"),
        ("Hello ${name}", "juel"),
        ("= x > 1", "feel"),
        ("=x", "feel"),
        ("x > 1", "python"),
        ("amount == 5", "python"),
    ],
)
def test_detect_dialect(text: str, dialect: str) -> None:
    assert detect_dialect(text) == dialect


_EXPRESSION = re.compile(r"[$#]\{[^}]*\}")


def test_camunda_engine_test_conditions(corpus: Path) -> None:
    found = set()
    for path in (corpus / "camunda-engine-tests").rglob("*"):
        if path.is_file() and path.suffix in (".bpmn", ".xml"):
            found.update(_EXPRESSION.findall(path.read_text(encoding="utf-8", errors="replace")))
    invoice = corpus / "camunda-invoice"
    for path in invoice.glob("*.bpmn"):
        found.update(_EXPRESSION.findall(path.read_text(encoding="utf-8")))
    assert "${input == 3 || input == 1}" in found
    variables = {
        "input": 1,
        "variable": 1,
        "loopCounter": 0,
        "nrOfLoops": 3,
        "nrOfCompletedInstances": 5,
        "confirmed": True,
        "counter": 5,
        "approved": False,
        "clarified": True,
        "approverGroups": ["accounting"],
        "reviewer": "demo",
    }
    for text in sorted(found):
        compile_juel(text).evaluate(variables)  # every one compiles and evaluates
    assert compile_juel("${input == 3 || input == 1}").evaluate(variables) is True
    assert compile_juel("${!approved}").evaluate(variables) is True
