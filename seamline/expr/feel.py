"""FEEL expressions and DMN unary tests, parsed with lark and compiled to Python closures.

Nothing from a diagram is ever handed to ``eval``: the grammar (``feel.lark``) is parsed with
LALR and each rule is turned into a closure while parsing, so evaluation is a call of the
closure with a :class:`~seamline.expr.feel_ops.Scope`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from lark import Lark
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from seamline.errors import ExpressionError, ExpressionSyntaxError
from seamline.expr.feel_compiler import LITERALS, Compiler, Evaluator, Test
from seamline.expr.feel_ops import Run, Scope, test_value

#: The longest expression text accepted (characters).
MAX_SOURCE = 100_000
#: The deepest bracket nesting accepted.
MAX_NESTING = 100

_GRAMMAR = (Path(__file__).parent / "feel.lark").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(
        _GRAMMAR,
        parser="lalr",
        start=["expression", "unary_tests"],
        transformer=Compiler(),
        propagate_positions=False,
        maybe_placeholders=False,
    )


def quote(text: str, limit: int = 80) -> str:
    """The expression as it appears in a one-line message: whitespace folded, truncated."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 3] + "..."
    return f'"{flat}"'


def check_source(text: str, dialect: str) -> None:
    """Refuse overlong or too deeply nested text before it reaches the parser."""
    if len(text) > MAX_SOURCE:
        raise ExpressionSyntaxError(
            f"{dialect} expression of {len(text)} characters is too long "
            f"(the limit is {MAX_SOURCE}); move the logic into a script task or decision"
        )
    depth = 0
    quote_char = ""
    escaped = False
    for column, char in enumerate(text, 1):
        if quote_char:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote_char:
                quote_char = ""
            continue
        if char in "\"'":
            quote_char = char
        elif char in "([{":
            depth += 1
            if depth > MAX_NESTING:
                raise ExpressionSyntaxError(
                    f"{dialect} expression {quote(text)} is nested too deeply at column "
                    f"{column} (more than {MAX_NESTING} brackets); simplify it"
                )
        elif char in ")]}":
            depth = max(depth - 1, 0)


def syntax_error(
    text: str, exc: UnexpectedInput, dialect: str, shown: str | None = None, offset: int = 0
) -> ExpressionSyntaxError:
    """One-line syntax error naming the expression, the column and what was found there.

    ``shown`` is the full text to quote when ``text`` is a part of it starting at ``offset``
    (0-based), as for the ``${...}`` bodies of composite JUEL text.
    """
    column = getattr(exc, "column", None)
    if isinstance(exc, UnexpectedEOF) or (
        isinstance(exc, UnexpectedToken) and exc.token.type == "$END"
    ):
        found = "unexpected end of expression"
        column = len(text) + 1
    elif isinstance(exc, UnexpectedToken):
        found = f"unexpected {quote(str(exc.token), 20)}"
    elif isinstance(exc, UnexpectedCharacters):
        found = f"unexpected character {quote(text[exc.pos_in_stream or 0], 5)}"
    else:
        found = "invalid syntax"
    where = f"at column {column + offset}" if isinstance(column, int) and column > 0 else ""
    return ExpressionSyntaxError(
        f"invalid {dialect} expression {quote(shown or text)}: {found} {where}".rstrip()
    )


def _parse(text: str, start: str, dialect: str) -> Any:
    check_source(text, dialect)
    try:
        return _parser().parse(text, start=start)
    except UnexpectedInput as exc:
        raise syntax_error(text, exc, dialect) from None
    except RecursionError:
        raise ExpressionSyntaxError(
            f"{dialect} expression {quote(text)} is nested too deeply; simplify it"
        ) from None
    except ExpressionError as exc:
        # Raised by the compiler for constructs that parse but cannot mean anything.
        raise ExpressionSyntaxError(f"invalid {dialect} expression {quote(text)}: {exc}") from None


def run_guarded(source: str, thunk: Callable[[], Any]) -> Any:
    """Run an evaluation, turning stray Python failures into one-line expression errors."""
    try:
        return thunk()
    except ExpressionError:
        raise
    except RecursionError:
        raise ExpressionError(f"expression {quote(source)} recursed too deeply") from None
    except (MemoryError, OverflowError) as exc:
        raise ExpressionError(f"expression {quote(source)}: result too large") from exc


@dataclass(frozen=True)
class FeelExpression:
    """A compiled FEEL expression."""

    source: str
    _evaluator: Evaluator
    #: The string literals of the text, as the very objects evaluation returns for them (so a
    #: caller can tell the diagram's strings in a result from strings of the variables).
    literals: tuple[str, ...] = ()

    def evaluate(self, context: Mapping[str, Any]) -> Any:
        """Evaluate against variables; unknown names are null, as FEEL prescribes."""
        scope = Scope(context, None, Run())
        return run_guarded(self.source, lambda: self._evaluator(scope))


@dataclass(frozen=True)
class UnaryTests:
    """A compiled DMN input entry such as ``[250..1000]``, ``"a","b"``, ``< 5`` or ``-``."""

    source: str
    _tests: tuple[Test, ...]
    negated: bool = False

    def matches(self, value: Any, context: Mapping[str, Any] | None = None) -> bool:
        """Whether ``value`` satisfies the entry; ``-`` (or an empty entry) matches anything."""
        if not self._tests:
            return True
        scope = Scope(context or {}, None, Run())

        def run() -> bool:
            return any(test(value, scope) for test in self._tests)

        hit = bool(run_guarded(self.source, run))
        return not hit if self.negated else hit


_LEADING_EQUALS = re.compile(r"^\s*=")


@lru_cache(maxsize=4096)
def compile_feel(text: str) -> FeelExpression:
    """Compile a FEEL expression; a leading ``=`` (Camunda 8) is allowed and stripped."""
    body = _LEADING_EQUALS.sub("", text, count=1)
    if not body.strip():
        raise ExpressionSyntaxError(f"empty FEEL expression {quote(text)}: write a value")
    LITERALS.collected = []
    try:
        evaluator = _parse(body, "expression", "FEEL")
        literals = tuple(LITERALS.collected)
    finally:
        LITERALS.collected = None
    return FeelExpression(text, evaluator, literals)


_NOT = re.compile(r"^not\s*\((?P<inner>.*)\)$", re.DOTALL)


def _outer_parens_match(inner: str) -> bool:
    depth = 0
    in_string = False
    escaped = False
    for char in inner:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


@lru_cache(maxsize=4096)
def compile_unary_tests(text: str) -> UnaryTests:
    """Compile a DMN input entry (FEEL unary tests)."""
    body = text.strip()
    if body in ("", "-"):
        return UnaryTests(text, ())
    negated = False
    match = _NOT.match(body)
    if match and _outer_parens_match(match.group("inner")):
        negated, body = True, match.group("inner")
    tests = _parse(body, "unary_tests", "FEEL unary tests")
    return UnaryTests(text, tuple(tests), negated)


__all__ = [
    "FeelExpression",
    "UnaryTests",
    "compile_feel",
    "compile_unary_tests",
    "test_value",
]
