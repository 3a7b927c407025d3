"""Compile a parsed decision's expression texts into callables, collecting located problems.

Compiling everything at load time means a typo in one cell of one rule fails the deployment with
the file, line and entry id, instead of failing some instance weeks later when that rule is
first reached. Evaluation errors are translated here too, at the seam with the expression engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from seamline.bpmn.problems import Problem, Severity
from seamline.dmn.languages import Languages
from seamline.dmn.model import (
    Decision,
    DecisionTable,
    Expression,
    InputClause,
    Language,
    LiteralExpressionLogic,
    OutputClause,
    Rule,
    Where,
)
from seamline.errors import DecisionError, SandboxViolation, ScriptTimeout, SeamlineError

Evaluator = Callable[[Mapping[str, Any]], Any]
Matcher = Callable[[Any, Mapping[str, Any]], bool]


def _constant(value: Any) -> Evaluator:
    return lambda _context: value


def _fail(where: Where, what: str, exc: Exception) -> SeamlineError:
    """A located error for an expression that raised while being evaluated."""
    detail = exc.message if isinstance(exc, SeamlineError) else f"{type(exc).__name__}: {exc}"
    message = f"{what} failed: {detail}"
    located: dict[str, Any] = {"file": where.file, "line": where.line, "element": where.element}
    # Sandbox refusals keep their kind so the engine can treat them as security events.
    if isinstance(exc, SandboxViolation | ScriptTimeout):
        return type(exc)(message, **located)
    return DecisionError(message, **located)


def guarded(where: Where, what: str, evaluate: Evaluator) -> Evaluator:
    """``evaluate`` with foreign and expression errors turned into a located DecisionError."""

    def run(context: Mapping[str, Any]) -> Any:
        try:
            return evaluate(context)
        except DecisionError:
            raise
        except Exception as exc:
            raise _fail(where, what, exc) from exc

    return run


@dataclass(frozen=True)
class CompiledInput:
    """An input column with its compiled input expression."""

    clause: InputClause
    evaluate: Evaluator


@dataclass(frozen=True)
class CompiledOutput:
    """An output column: ``ranks`` test a value against each listed output value in order."""

    clause: OutputClause
    ranks: tuple[Matcher, ...]
    default: Evaluator | None

    def rank(self, value: Any) -> int:
        """Position of ``value`` in the output values list (lower wins); unlisted values last."""
        for index, matches in enumerate(self.ranks):
            if matches(value, {}):
                return index
        return len(self.ranks)


@dataclass(frozen=True)
class CompiledRule:
    """A rule: one matcher per input (None for ``-``) and one evaluator per output."""

    rule: Rule
    tests: tuple[Matcher | None, ...]
    outputs: tuple[Evaluator, ...]


@dataclass(frozen=True)
class CompiledTable:
    """A decision table ready to evaluate."""

    table: DecisionTable
    inputs: tuple[CompiledInput, ...]
    outputs: tuple[CompiledOutput, ...]
    rules: tuple[CompiledRule, ...]


@dataclass(frozen=True)
class CompiledLiteral:
    """A literal expression decision ready to evaluate."""

    logic: LiteralExpressionLogic
    evaluate: Evaluator


@dataclass(frozen=True)
class CompiledDecision:
    """A decision whose every expression compiled."""

    decision: Decision
    logic: CompiledTable | CompiledLiteral


class Compiler:
    """Compiles decisions with ``languages``, recording problems rather than raising.

    With ``require_all_languages`` False (``seamline validate`` without the engine's sandbox),
    expressions in a language no compiler was given for are reported as warnings, not errors.
    """

    def __init__(self, languages: Languages, *, require_all_languages: bool = True) -> None:
        self.languages = languages
        self.require_all_languages = require_all_languages
        self.problems: list[Problem] = []
        self._ok = True

    def _report(self, where: Where, code: str, message: str, hint: str | None = None) -> None:
        severity = Severity.ERROR
        if code == "dmn-language-unavailable" and not self.require_all_languages:
            severity = Severity.WARNING
        else:
            self._ok = False
        self.problems.append(
            Problem(where.file, where.line, where.element, severity, code, message, hint)
        )

    def _compile(self, expr: Expression, what: str, tests: bool) -> Any:
        """The compiled object for ``expr``, or None (after reporting) if it cannot compile."""
        if expr.language is Language.FEEL:
            compile_fn: Callable[[str], Any] | None = (
                self.languages.feel_unary_tests if tests else self.languages.feel
            )
        else:
            compile_fn = self.languages.expression_compiler(expr.language)
        if compile_fn is None:
            hint = (
                "python expressions run only inside the engine's sandbox"
                if expr.language is Language.PYTHON
                else "use FEEL"
            )
            self._report(
                expr.where,
                "dmn-language-unavailable",
                f"{what} is written in {expr.language}, which is not available here",
                hint,
            )
            return None
        try:
            return compile_fn(expr.text)
        except Exception as exc:
            detail = exc.message if isinstance(exc, SeamlineError) else f"{exc}"
            self._report(
                expr.where,
                "dmn-expression-syntax",
                f"{what} is not valid {expr.language}: {detail}",
                f"the text is {expr.text.strip()!r}",
            )
            return None

    def expression(self, expr: Expression, what: str) -> Evaluator:
        """An evaluator for a literal expression (an empty text evaluates to null)."""
        if not expr.text.strip():
            return _constant(None)
        compiled = self._compile(expr, what, tests=False)
        if compiled is None:
            return _constant(None)
        return guarded(expr.where, what, compiled.evaluate)

    def unary_tests(self, expr: Expression, what: str, variable: str) -> Matcher | None:
        """A matcher for an input entry; None for ``-`` or an empty cell (matches anything)."""
        if expr.is_blank:
            return None
        compiled = self._compile(expr, what, tests=expr.language is Language.FEEL)
        if compiled is None:
            return None
        if expr.language is Language.FEEL:

            def feel_matches(value: Any, context: Mapping[str, Any]) -> bool:
                return bool(compiled.matches(value, context))

            check = feel_matches
        else:
            # Camunda's rule for JUEL/Python entries: a boolean result decides, any other
            # result is compared with the input value.
            def expression_matches(value: Any, context: Mapping[str, Any]) -> bool:
                result = compiled.evaluate({**context, variable: value})
                return result if isinstance(result, bool) else bool(result == value)

            check = expression_matches

        def matches(value: Any, context: Mapping[str, Any]) -> bool:
            try:
                return check(value, context)
            except DecisionError:
                raise
            except Exception as exc:
                raise _fail(expr.where, what, exc) from exc

        return matches

    def table(self, decision: Decision, table: DecisionTable) -> CompiledTable:
        """Compile every cell of ``table``."""
        label = decision.label
        inputs = tuple(
            CompiledInput(
                clause,
                self.expression(clause.expression, f"input expression {clause.id!r} of {label}"),
            )
            for clause in table.inputs
        )
        outputs = []
        for clause in table.outputs:
            ranks = []
            for item in clause.output_values:
                matcher = self.unary_tests(item, f"output values of {clause.id!r}", "cellInput")
                if matcher is not None:
                    ranks.append(matcher)
            default = None
            if clause.default is not None:
                default = self.expression(clause.default, f"default output of {clause.id!r}")
            outputs.append(CompiledOutput(clause, tuple(ranks), default))
        rules = []
        for rule in table.rules:
            tests = tuple(
                self.unary_tests(
                    entry, f"input entry of rule {rule.id!r} in {label}", clause.variable
                )
                for entry, clause in zip(rule.input_entries, table.inputs, strict=False)
            )
            outs = tuple(
                self.expression(entry, f"output entry of rule {rule.id!r} in {label}")
                for entry in rule.output_entries
            )
            rules.append(CompiledRule(rule, tests, outs))
        return CompiledTable(table, inputs, tuple(outputs), tuple(rules))

    def decision(self, decision: Decision) -> CompiledDecision | None:
        """Compile ``decision``; None if any of its expressions failed (see :attr:`problems`)."""
        self._ok = True
        logic: CompiledTable | CompiledLiteral
        if isinstance(decision.logic, DecisionTable):
            logic = self.table(decision, decision.logic)
        else:
            evaluate = self.expression(
                decision.logic.expression, f"literal expression of {decision.label}"
            )
            logic = CompiledLiteral(decision.logic, evaluate)
        return CompiledDecision(decision, logic) if self._ok else None
