"""The DMN model seamline evaluates: plain frozen records read from the XML, no behaviour.

The parser fills these in; :mod:`seamline.dmn.compiler` turns the expression texts into callables.
Every record keeps its :class:`Where` so errors can name the file, line and element.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from seamline.errors import UnknownDecision

#: The name under which an input entry sees the value it tests (Camunda's ``inputVariable``).
DEFAULT_INPUT_VARIABLE = "cellInput"


@dataclass(frozen=True)
class Where:
    """Where an element sits: file, line and the element's id (or tag when it has none)."""

    file: str
    line: int | None
    element: str | None


class Language(enum.StrEnum):
    """Expression languages a DMN element may name in ``expressionLanguage``."""

    FEEL = "feel"
    JUEL = "juel"
    PYTHON = "python"


@dataclass(frozen=True)
class Expression:
    """The text of an expression or of unary tests, with its language and location."""

    text: str
    language: Language
    where: Where

    @property
    def is_blank(self) -> bool:
        """True for an empty cell or ``-``: an input entry that matches anything."""
        return self.text.strip() in ("", "-")


class HitPolicy(enum.StrEnum):
    """DMN 1.3 hit policies (section 8.2.11)."""

    UNIQUE = "UNIQUE"
    FIRST = "FIRST"
    PRIORITY = "PRIORITY"
    ANY = "ANY"
    COLLECT = "COLLECT"
    RULE_ORDER = "RULE ORDER"
    OUTPUT_ORDER = "OUTPUT ORDER"

    @property
    def returns_list(self) -> bool:
        """Whether the policy yields every matching rule rather than one."""
        return self in (HitPolicy.COLLECT, HitPolicy.RULE_ORDER, HitPolicy.OUTPUT_ORDER)


class Aggregation(enum.StrEnum):
    """The COLLECT aggregators (the ``aggregation`` attribute)."""

    SUM = "SUM"
    MIN = "MIN"
    MAX = "MAX"
    COUNT = "COUNT"


@dataclass(frozen=True)
class InputClause:
    """One input column: the expression computing the value its entries test."""

    id: str
    label: str | None
    expression: Expression
    type_ref: str | None
    input_values: Expression | None
    variable: str
    where: Where


@dataclass(frozen=True)
class OutputClause:
    """One output column; ``output_values`` items give PRIORITY / OUTPUT ORDER ranking."""

    id: str
    name: str
    label: str | None
    type_ref: str | None
    output_values: tuple[Expression, ...]
    default: Expression | None
    where: Where


@dataclass(frozen=True)
class Rule:
    """One row: an input entry (unary tests) per input and an output entry per output."""

    id: str
    input_entries: tuple[Expression, ...]
    output_entries: tuple[Expression, ...]
    where: Where


@dataclass(frozen=True)
class DecisionTable:
    """A decision table as decision logic."""

    id: str
    hit_policy: HitPolicy
    aggregation: Aggregation | None
    inputs: tuple[InputClause, ...]
    outputs: tuple[OutputClause, ...]
    rules: tuple[Rule, ...]
    where: Where


@dataclass(frozen=True)
class LiteralExpressionLogic:
    """A ``<literalExpression>`` as decision logic."""

    id: str
    expression: Expression
    type_ref: str | None
    where: Where


@dataclass(frozen=True)
class Requirement:
    """A ``requiredDecision`` reference; ``decision_id`` is the href without its ``#``."""

    decision_id: str
    href: str
    local: bool
    where: Where


@dataclass(frozen=True)
class Decision:
    """One decision: its logic, the decisions it requires and the variable its result fills."""

    id: str
    name: str | None
    variable_name: str
    logic: DecisionTable | LiteralExpressionLogic
    requires: tuple[Requirement, ...]
    where: Where

    @property
    def label(self) -> str:
        """How messages name the decision."""
        return f"decision {self.id!r}" + (f" ({self.name})" if self.name else "")


@dataclass(frozen=True)
class DmnDocument:
    """One parsed DMN file."""

    file: str
    id: str | None
    name: str | None
    namespace: str | None
    decisions: tuple[Decision, ...]

    def decision(self, decision_id: str) -> Decision:
        """The decision with this id; raises :class:`UnknownDecision`."""
        for decision in self.decisions:
            if decision.id == decision_id:
                return decision
        known = ", ".join(d.id for d in self.decisions) or "none"
        raise UnknownDecision(f"no decision {decision_id!r} (known: {known})", file=self.file)
