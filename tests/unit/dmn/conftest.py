"""A tiny stand-in for FEEL (literals, names, comparisons, ranges) and a DMN XML builder.

The fake keeps the hit-policy tests independent of the real FEEL engine: what is under test
here is the table logic, not the expression language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

import pytest

from seamline.dmn.languages import Languages
from seamline.dmn.xmlread import split_unary_items
from seamline.errors import ExpressionSyntaxError

_NAME = re.compile(r"^[A-Za-z_][A-Za-z_0-9.]*$")


def _literal(text: str, context: Mapping[str, Any]) -> Any:
    text = text.strip()
    if text.startswith('"') and text.endswith('"') and len(text) >= 2:
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return Decimal(text)
    if _NAME.match(text):
        value: Any = context
        for part in text.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        return value
    raise ExpressionSyntaxError(f"fake FEEL cannot read {text!r}")


class FakeExpression:
    """A literal or a variable name."""

    def __init__(self, text: str) -> None:
        self.text = text
        _literal(text, {})  # syntax check

    def evaluate(self, context: Mapping[str, Any]) -> Any:
        return _literal(self.text, context)


def _test(item: str) -> Callable[[Any, Mapping[str, Any]], bool]:
    item = item.strip()
    if item == "-":
        return lambda value, ctx: True
    if item.startswith("not(") and item.endswith(")"):
        inner = FakeTests(item[4:-1])
        return lambda value, ctx: not inner.matches(value, ctx)
    match = re.fullmatch(r"([\[\(\]])(.+)\.\.(.+)([\]\)\[])", item)
    if match:
        low_text, high_text = match.group(2), match.group(3)
        _literal(low_text, {}), _literal(high_text, {})
        low_open = match.group(1) != "["
        high_open = match.group(4) != "]"

        def in_range(value: Any, ctx: Mapping[str, Any]) -> bool:
            low, high = _literal(low_text, ctx), _literal(high_text, ctx)
            if value is None:
                return False
            above = value > low if low_open else value >= low
            below = value < high if high_open else value <= high
            return bool(above and below)

        return in_range
    for op in ("<=", ">=", "<", ">", "="):
        if item.startswith(op):
            operand = item[len(op) :]
            _literal(operand, {})

            def compare(value: Any, ctx: Mapping[str, Any], op: str = op, o: str = operand) -> bool:
                other = _literal(o, ctx)
                if value is None or other is None:
                    return False
                return bool(
                    {
                        "<=": value <= other,
                        ">=": value >= other,
                        "<": value < other,
                        ">": value > other,
                        "=": value == other,
                    }[op]
                )

            return compare
    _literal(item, {})
    return lambda value, ctx: bool(value == _literal(item, ctx))


class FakeTests:
    """Comma-separated unary tests: any item matching is a match."""

    def __init__(self, text: str) -> None:
        self.items = [_test(item) for item in split_unary_items(text)]

    def matches(self, value: Any, context: Mapping[str, Any]) -> bool:
        return any(test(value, context) for test in self.items)


@pytest.fixture
def fake_languages() -> Languages:
    """Languages whose FEEL is the fake above; no JUEL, no Python."""
    return Languages(feel=FakeExpression, feel_unary_tests=FakeTests)


@pytest.fixture
def real_languages() -> Languages:
    """The real FEEL from seamline.expr; skips while it is not available."""
    try:
        return Languages.default()
    except Exception as exc:  # not yet importable or incomplete
        pytest.skip(f"seamline.expr FEEL not available: {exc}")


def table_xml(
    *,
    hit_policy: str | None = None,
    aggregation: str | None = None,
    inputs: Sequence[str] = ("x",),
    outputs: Sequence[str | tuple[str, str]] = ("out",),
    rules: Sequence[tuple[Sequence[str], Sequence[str]]] = (),
    decision_id: str = "d",
    output_type: str | None = None,
    default: str | None = None,
    extra: str = "",
) -> bytes:
    """A one-decision DMN file; an output given as (name, values) lists its output values."""
    attrs = f' hitPolicy="{hit_policy}"' if hit_policy else ""
    attrs += f' aggregation="{aggregation}"' if aggregation else ""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="defs" '
        'name="Test" namespace="http://example.com/dmn">',
        f'  <decision id="{decision_id}" name="Decision {decision_id}">{extra}',
        f'    <decisionTable id="table_{decision_id}"{attrs}>',
    ]
    for i, expression in enumerate(inputs, 1):
        parts.append(
            f'      <input id="in{i}"><inputExpression id="ie{i}"><text>{escape(expression)}'
            "</text></inputExpression></input>"
        )
    for i, output in enumerate(outputs, 1):
        name, values = output if isinstance(output, tuple) else (output, None)
        type_attr = f' typeRef="{output_type}"' if output_type else ""
        body = f"<outputValues><text>{escape(values)}</text></outputValues>" if values else ""
        if default is not None:
            body += f"<defaultOutputEntry><text>{escape(default)}</text></defaultOutputEntry>"
        parts.append(f'      <output id="out{i}" name="{name}"{type_attr}>{body}</output>')
    for r, (ins, outs) in enumerate(rules, 1):
        parts.append(f'      <rule id="r{r}">')
        for j, entry in enumerate(ins, 1):
            parts.append(
                f'        <inputEntry id="r{r}i{j}"><text>{escape(entry)}</text></inputEntry>'
            )
        for j, entry in enumerate(outs, 1):
            parts.append(
                f'        <outputEntry id="r{r}o{j}"><text>{escape(entry)}</text></outputEntry>'
            )
        parts.append("      </rule>")
    parts += ["    </decisionTable>", "  </decision>", "</definitions>"]
    return "\n".join(parts).encode()


@pytest.fixture
def make_table() -> Callable[..., bytes]:
    """The :func:`table_xml` builder."""
    return table_xml
