"""JUEL, the expression language of Camunda 7 diagrams: ``${amount > 1000}``, ``Hi ${name}``.

Parsed with lark (``juel.lark``) and compiled to closures; only map keys, list items, dataclass
fields and an allow-list of string/list/map methods are reachable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedInput

from seamline.errors import ExpressionError, ExpressionSyntaxError
from seamline.expr import juel_ops as ops
from seamline.expr.feel import check_source, quote, run_guarded, syntax_error
from seamline.expr.feel_support import unescape
from seamline.expr.values import check_string

Env = Mapping[str, Any]
Evaluator = Callable[[Env], Any]

_GRAMMAR = (Path(__file__).parent / "juel.lark").read_text(encoding="utf-8")


class _Compiler(Transformer[Token, Any]):
    """One method per grammar alias; each returns an evaluator closure."""

    def number(self, c: list[Any]) -> Evaluator:
        text = str(c[0])
        value: int | float = float(text) if any(ch in text for ch in ".eE") else int(text)
        return lambda env: value

    def string(self, c: list[Any]) -> Evaluator:
        value = unescape(str(c[0]))
        return lambda env: value

    def true(self, c: list[Any]) -> Evaluator:
        return lambda env: True

    def false(self, c: list[Any]) -> Evaluator:
        return lambda env: False

    def null(self, c: list[Any]) -> Evaluator:
        return lambda env: None

    def var(self, c: list[Any]) -> Evaluator:
        name = str(c[0])

        def ev(env: Env) -> Any:
            if name in env:
                return env[name]
            if name == "execution":
                return ops.Execution(env)
            raise ExpressionError(f"unknown variable {name}")

        return ev

    def function(self, c: list[Any]) -> Evaluator:
        name, *args = c
        function = ops.FUNCTIONS.get(str(name))
        if function is None:
            raise ExpressionError(f"unknown function {name}()")
        impl = function
        return lambda env: impl(*(a(env) for a in args))

    def prop(self, c: list[Any]) -> Evaluator:
        target, name = c
        key = str(name)
        return lambda env: ops.read_property(target(env), key)

    def index(self, c: list[Any]) -> Evaluator:
        target, key = c
        return lambda env: ops.read_property(target(env), key(env))

    def method(self, c: list[Any]) -> Evaluator:
        target, name, *args = c
        method = str(name)
        return lambda env: ops.call_method(target(env), method, [a(env) for a in args])

    def _arith(self, c: list[Any], op: str) -> Evaluator:
        left, right = c
        return lambda env: ops.arithmetic(op, left(env), right(env))

    def add(self, c: list[Any]) -> Evaluator:
        return self._arith(c, "+")

    def sub(self, c: list[Any]) -> Evaluator:
        return self._arith(c, "-")

    def mul(self, c: list[Any]) -> Evaluator:
        return self._arith(c, "*")

    def div(self, c: list[Any]) -> Evaluator:
        return self._arith(c, "/")

    def mod(self, c: list[Any]) -> Evaluator:
        return self._arith(c, "%")

    def neg(self, c: list[Any]) -> Evaluator:
        (operand,) = c
        return lambda env: -ops.to_number(operand(env))

    def not_(self, c: list[Any]) -> Evaluator:
        (operand,) = c
        return lambda env: not ops.to_bool(operand(env))

    def empty(self, c: list[Any]) -> Evaluator:
        (operand,) = c
        return lambda env: ops.is_empty(operand(env))

    def eq(self, c: list[Any]) -> Evaluator:
        left, right = c
        return lambda env: ops.equal(left(env), right(env))

    def ne(self, c: list[Any]) -> Evaluator:
        left, right = c
        return lambda env: not ops.equal(left(env), right(env))

    def _compare(self, c: list[Any], op: str) -> Evaluator:
        left, right = c
        return lambda env: ops.compare(op, left(env), right(env))

    def lt(self, c: list[Any]) -> Evaluator:
        return self._compare(c, "<")

    def gt(self, c: list[Any]) -> Evaluator:
        return self._compare(c, ">")

    def le(self, c: list[Any]) -> Evaluator:
        return self._compare(c, "<=")

    def ge(self, c: list[Any]) -> Evaluator:
        return self._compare(c, ">=")

    def and_(self, c: list[Any]) -> Evaluator:
        left, right = c
        return lambda env: ops.to_bool(left(env)) and ops.to_bool(right(env))

    def or_(self, c: list[Any]) -> Evaluator:
        left, right = c
        return lambda env: ops.to_bool(left(env)) or ops.to_bool(right(env))

    def ternary(self, c: list[Any]) -> Evaluator:
        condition, then, otherwise = c
        return lambda env: then(env) if ops.to_bool(condition(env)) else otherwise(env)


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(_GRAMMAR, parser="lalr", transformer=_Compiler(), maybe_placeholders=False)


def split_template(text: str) -> list[tuple[str, int]]:
    """Split composite text into literal parts and ``${...}`` bodies.

    Returns ``(part, offset)`` pairs where ``offset`` is the body's position for expressions
    and ``-1`` for literal text. ``\\${`` is a literal ``${``.
    """
    parts: list[tuple[str, int]] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith(("\\${", "\\#{"), i):
            literal.append(text[i + 1 : i + 3])
            i += 3
            continue
        if not text.startswith(("${", "#{"), i):
            literal.append(text[i])
            i += 1
            continue
        end = _closing_brace(text, i + 2)
        if literal:
            parts.append(("".join(literal), -1))
            literal = []
        parts.append((text[i + 2 : end], i + 2))
        i = end + 1
    if literal:
        parts.append(("".join(literal), -1))
    return parts


def _closing_brace(text: str, start: int) -> int:
    quote_char = ""
    escaped = False
    for i in range(start, len(text)):
        char = text[i]
        if quote_char:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote_char:
                quote_char = ""
        elif char in "\"'":
            quote_char = char
        elif char == "}":
            return i
    raise ExpressionSyntaxError(
        f"invalid JUEL expression {quote(text)}: no closing }} for the expression "
        f"at column {start - 1}"
    )


def _compile_body(text: str, body: str, offset: int) -> Evaluator:
    if not body.strip():
        raise ExpressionSyntaxError(f"empty JUEL expression in {quote(text)} at column {offset}")
    try:
        return cast(Evaluator, _parser().parse(body))
    except UnexpectedInput as exc:
        raise syntax_error(body, exc, "JUEL", shown=text, offset=offset) from None
    except RecursionError:
        raise ExpressionSyntaxError(f"JUEL expression {quote(text)} is nested too deeply") from None
    except ExpressionError as exc:
        raise ExpressionSyntaxError(f"invalid JUEL expression {quote(text)}: {exc}") from None


@dataclass(frozen=True)
class JuelExpression:
    """A compiled JUEL value expression or composite text."""

    source: str
    _parts: tuple[str | Evaluator, ...]

    def evaluate(self, context: Mapping[str, Any]) -> Any:
        """A pure ``${x}`` gives x's value with its type; composite text gives a string."""
        parts = self._parts
        if len(parts) == 1 and not isinstance(parts[0], str):
            single = parts[0]
            return run_guarded(self.source, lambda: single(context))

        def render() -> str:
            pieces = [p if isinstance(p, str) else ops.to_text(p(context)) for p in parts]
            return check_string("".join(pieces))

        return run_guarded(self.source, render)


@lru_cache(maxsize=4096)
def compile_juel(text: str) -> JuelExpression:
    """Compile ``${...}``/``#{...}`` or composite text such as ``Hello ${name}!``."""
    check_source(text, "JUEL")
    parts: list[str | Evaluator] = []
    for part, offset in split_template(text):
        parts.append(part if offset < 0 else _compile_body(text, part, offset))
    if not parts:
        parts.append("")
    return JuelExpression(text, tuple(parts))
