"""DMN input entries (FEEL unary tests), including every entry of the corpus decision tables."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from seamline.errors import ExpressionSyntaxError
from seamline.expr import compile_unary_tests


@pytest.mark.parametrize(
    ("entry", "value", "expected"),
    [
        ("-", 1, True),
        ("", None, True),
        ("  ", "x", True),
        ("[250..1000]", 250, True),
        ("[250..1000]", 1000, True),
        ("[250..1000]", 1001, False),
        ("]250..1000[", 250, False),
        ("(250..1000)", 999, True),
        ("[250..1000[", 1000, False),
        ("< 250", 249, True),
        ("< 250", 250, False),
        ("<= 250", 250, True),
        ("> 1000", 1000.5, True),
        (">= 6", 6, True),
        ("!= 6", 7, True),
        ("= 6", 6, True),
        ('"Misc"', "Misc", True),
        ('"Misc"', "misc", False),
        ('"Travel Expenses","Misc","Software License Costs"', "Misc", True),
        ('"budget", "exceptional"', "day-to-day expense", False),
        ('not("a","b")', "c", True),
        ('not("a","b")', "a", False),
        ("not(< 5)", 7, True),
        ("not([1..3])", 2, False),
        ("null", None, True),
        ("null", 0, False),
        ("not(null)", 1, True),
        ("true", True, True),
        ("false", True, False),
        ("1, 2, 3", 2, True),
        ("? > 5", 6, True),
        ("? > 5 and ? < 10", 12, False),
        ('starts with(?, "ab")', "abc", True),
        ("count(?) > 1", [1, 2], True),
        ("limit", 5, True),
        ("< limit", 4, True),
        ("[1..limit]", 5, True),
        ("allowed", "b", True),
        ("allowed", "z", False),
        ('date("2024-01-01")', date(2024, 1, 1), True),
        ('[date("2024-01-01")..date("2024-12-31")]', date(2024, 6, 1), True),
        ("> 5", "not a number", False),
        ("> 5", None, False),
    ],
)
def test_entries(entry: str, value: Any, expected: bool) -> None:
    tests = compile_unary_tests(entry)
    assert tests.matches(value, {"limit": 5, "allowed": ["a", "b"]}) is expected


def test_context_is_optional() -> None:
    assert compile_unary_tests("< 5").matches(1) is True


def test_cached_by_text() -> None:
    assert compile_unary_tests("[1..2]") is compile_unary_tests("[1..2]")


@pytest.mark.parametrize("entry", ["[1..", "< ", "not(", '"a" "b"', "1,,2"])
def test_invalid_entries_raise_syntax_errors(entry: str) -> None:
    with pytest.raises(ExpressionSyntaxError) as info:
        compile_unary_tests(entry)
    assert "column" in str(info.value)


_ENTRY = re.compile(r"<inputEntry[^>]*>\s*<text>([^<]*)</text>", re.DOTALL)


def _unescape_xml(text: str) -> str:
    return text.replace("&gt;", ">").replace("&lt;", "<").replace("&quot;", '"')


def _corpus_entries(root: Path) -> list[tuple[Path, str]]:
    found = []
    for path in sorted(root.rglob("*.dmn")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for entry in _ENTRY.findall(text):
            found.append((path, _unescape_xml(entry)))
    return found


def test_invoice_decision_entries_compile(corpus: Path) -> None:
    entries = _corpus_entries(corpus / "camunda-invoice")
    assert entries, "the invoice decision tables have input entries"
    for _path, entry in entries:
        compile_unary_tests(entry)  # raises on any entry it cannot read
    amount = compile_unary_tests("[250..1000]")
    assert amount.matches(600) and not amount.matches(1001)


def test_corpus_feel_entries_compile(corpus: Path) -> None:
    # SpiffWorkflow's own tables are written in Python, not FEEL; everything else is FEEL.
    entries = [(p, e) for p, e in _corpus_entries(corpus) if "spiffworkflow-tests" not in p.parts]
    for path, entry in entries:
        try:
            compile_unary_tests(entry)
        except ExpressionSyntaxError as exc:  # pragma: no cover - reports the culprit
            pytest.fail(f"{path.name}: {exc}")
