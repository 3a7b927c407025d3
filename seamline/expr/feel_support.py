"""Helpers of the FEEL compiler: literals, iteration and list indexing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from seamline.errors import ExpressionError
from seamline.expr import feel_ops as ops
from seamline.expr.values import Range, check_items

Evaluator = Callable[[ops.Scope], Any]

_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{6}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "'": "'", "\\": "\\", "/": "/"}


def unescape(literal: str) -> str:
    """The value of a quoted FEEL string literal."""

    def repl(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            return chr(int(code[1:], 16))
        return _SIMPLE_ESCAPES.get(code, "\\" + code)

    return _ESCAPE.sub(repl, literal[1:-1])


def parse_number(text: str) -> int | Decimal:
    """The value of a FEEL number literal."""
    try:
        return ops.normalize(Decimal(text))
    except (InvalidOperation, ValueError) as exc:
        raise ExpressionError(f"invalid number {text}") from exc


def _iterate(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, Range):
        return _range_items(value.start, value.end)
    return [value]


def _range_items(start: Any, end: Any) -> list[Any]:
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
        raise ExpressionError("for can only iterate over ranges of whole numbers")
    check_items(abs(end - start) + 1)
    step = 1 if end >= start else -1
    return list(range(start, end + step, step))


def bindings(
    scope: ops.Scope, iterations: list[tuple[str, Evaluator, Evaluator | None]]
) -> Iterable[dict[str, Any]]:
    """All combinations of the iteration variables (later ones may use earlier ones)."""
    if not iterations:
        yield {}
        return
    (name, source, end), rest = iterations[0], iterations[1:]
    value = source(scope)
    items = _range_items(value, end(scope)) if end is not None else _iterate(value)
    for item in items:
        scope.run.tick()
        inner = {name: item}
        for more in bindings(scope.child(inner), rest):
            yield {**inner, **more}


def index_items(value: Any, index: Any) -> Any:
    """``items[index]``: 1-based, negative from the end, null when out of range."""
    items = value if isinstance(value, list) else [value]
    if isinstance(index, bool) or not ops.is_number(index):
        # items[true] keeps everything, items[false] nothing.
        return list(items) if index is True else [] if index is False else None
    position = int(index)
    if position != index or position == 0 or abs(position) > len(items):
        return None
    return items[position - 1] if position > 0 else items[position]
