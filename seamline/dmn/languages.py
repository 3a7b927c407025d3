"""Expression languages, injected: FEEL by default, JUEL when available, Python only if given.

The evaluator never imports an expression engine at module level: tests pass tiny fakes, the
engine passes its sandbox for ``expressionLanguage="python"``, and FEEL comes from
:mod:`seamline.expr` on first use.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from seamline.dmn.model import Language
from seamline.errors import DmnLoadError


class CompiledExpression(Protocol):
    """An expression ready to evaluate against variables."""

    def evaluate(self, context: Mapping[str, Any]) -> Any:
        """The expression's value in ``context``."""


class CompiledUnaryTests(Protocol):
    """FEEL unary tests (an input entry) ready to test a value."""

    def matches(self, value: Any, context: Mapping[str, Any]) -> bool:
        """Whether ``value`` passes the tests, with ``context`` for names they mention."""


ExpressionCompiler = Callable[[str], CompiledExpression]
UnaryTestsCompiler = Callable[[str], CompiledUnaryTests]


@dataclass(frozen=True)
class Languages:
    """The compile functions for each expression language a DMN file may use.

    ``python`` is None unless the caller supplies a sandboxed compiler: DMN files come from
    modelers, and Python in them must never run outside the engine's sandbox.
    """

    feel: ExpressionCompiler
    feel_unary_tests: UnaryTestsCompiler
    juel: ExpressionCompiler | None = None
    python: ExpressionCompiler | None = None

    @classmethod
    def default(cls, *, python: ExpressionCompiler | None = None) -> Languages:
        """FEEL (and JUEL if present) from :mod:`seamline.expr`, plus an optional Python."""
        try:
            from seamline import expr
        except ImportError as exc:  # pragma: no cover - seamline.expr ships with seamline
            raise DmnLoadError("FEEL support (seamline.expr) cannot be imported") from exc
        compile_feel = getattr(expr, "compile_feel", None)
        compile_tests = getattr(expr, "compile_unary_tests", None)
        if compile_feel is None or compile_tests is None:
            raise DmnLoadError(
                "FEEL support is not available in this build of seamline",
                code="dmn-language-unavailable",
            )
        return cls(
            feel=compile_feel,
            feel_unary_tests=compile_tests,
            juel=getattr(expr, "compile_juel", None),
            python=python,
        )

    def with_python(self, python: ExpressionCompiler | None) -> Languages:
        """A copy that compiles ``expressionLanguage="python"`` with ``python``."""
        return dataclasses.replace(self, python=python)

    def expression_compiler(self, language: Language) -> ExpressionCompiler | None:
        """The compiler for expressions in ``language``; None when none was supplied."""
        if language is Language.FEEL:
            return self.feel
        if language is Language.JUEL:
            return self.juel
        return self.python


def default_languages() -> Languages | None:
    """:meth:`Languages.default`, or None when FEEL is not importable (checks are then skipped)."""
    try:
        return Languages.default()
    except DmnLoadError:
        return None
