"""One expression interface over three dialects: Python (sandboxed), JUEL and FEEL.

The dialect of a text is decided by its syntax, the way modelers write it: ``${...}`` / ``#{...}``
is JUEL (Camunda 7), a leading ``=`` is FEEL (Camunda 8), anything else is a Python expression
(SpiffArena, plain BPMN) run in the RestrictedPython sandbox. Nothing is ever ``eval``-ed
outside the sandbox.

Two readings of a text exist, because diagrams use attributes in two ways:

- :meth:`Evaluator.evaluate` — the text *is* an expression (conditions, scripts' expressions,
  timer definitions, multi-instance collections). Unmarked text is Python.
- :meth:`Evaluator.value` — the text is a *value that may be an expression* (candidate groups,
  due dates, connector parameters). Unmarked text is the literal string.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seamline import expr
from seamline.errors import ExpressionError, SeamlineError
from seamline.expr.sandbox import Sandbox


def dialect_of(text: str) -> str:
    """``"juel"``, ``"feel"`` or ``"python"`` for an expression text."""
    return expr.detect_dialect(text)


class Evaluator:
    """Evaluates diagram expressions in the dialect their syntax names."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    def evaluate(self, text: str, variables: Mapping[str, Any], *, where: str | None = None) -> Any:
        """Evaluate ``text`` as an expression (unmarked text is Python)."""
        dialect = dialect_of(text)
        try:
            if dialect == "juel":
                return expr.compile_juel(text.strip()).evaluate(variables)
            if dialect == "feel":
                return expr.compile_feel(text.strip()).evaluate(variables)
            return self.sandbox.evaluate(text.strip(), variables, where=where)
        except SeamlineError as exc:
            if where and not exc.message.startswith(where):
                located = type(exc)(f"{where}: {exc.message}", hint=exc.hint)
                raise located from exc
            raise
        except RecursionError as exc:  # pragma: no cover - the parsers bound depth themselves
            raise ExpressionError(f"{where or 'expression'}: nested too deeply") from exc

    def value(
        self, text: str | None, variables: Mapping[str, Any], *, where: str | None = None
    ) -> Any:
        """Evaluate ``text`` if it is marked as JUEL or FEEL; otherwise return it unchanged."""
        if text is None:
            return None
        if dialect_of(text) == "python":
            return text
        return self.evaluate(text, variables, where=where)

    def check(self, text: str, *, where: str | None = None) -> None:
        """Parse ``text`` without evaluating it; raises ExpressionSyntaxError."""
        dialect = dialect_of(text)
        if dialect == "juel":
            expr.compile_juel(text.strip())
        elif dialect == "feel":
            expr.compile_feel(text.strip())
        else:
            self.sandbox.check(text.strip(), mode="eval", where=where)
