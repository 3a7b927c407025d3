"""Evaluating decisions: :class:`DecisionService` over all decisions of several DMN files."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from seamline.bpmn.problems import Problem, Severity
from seamline.dmn import hitpolicy
from seamline.dmn.coerce import coerce
from seamline.dmn.compiler import CompiledDecision, CompiledLiteral, CompiledTable, Compiler
from seamline.dmn.graph import check_graph, exported_variables
from seamline.dmn.languages import ExpressionCompiler, Languages, default_languages
from seamline.dmn.model import Decision, DmnDocument, HitPolicy, Where
from seamline.dmn.parser import raise_for, read_document
from seamline.errors import (
    CoercionFailed,
    DecisionError,
    DmnLoadError,
    SeamlineError,
    UnknownDecision,
)


@dataclass(frozen=True)
class DecisionResult:
    """The outcome of one decision, with the results of the decisions it required.

    ``value`` follows the hit policy: one output gives its value, several a dict by output
    name; COLLECT, RULE ORDER and OUTPUT ORDER give a list (``[]`` when nothing matched);
    COLLECT with an aggregation gives a number; otherwise no match gives None (or the default
    output entries).
    """

    decision_id: str
    value: Any
    matched_rules: tuple[str, ...]
    required: tuple[DecisionResult, ...] = ()


def _coerced(value: Any, type_ref: str | None, where: Where, what: str) -> Any:
    try:
        return coerce(value, type_ref)
    except CoercionFailed as exc:
        raise DecisionError(
            f"{what}: {exc}", file=where.file, line=where.line, element=where.element
        ) from exc


def _run_table(
    compiled: CompiledTable, decision: Decision, context: Mapping[str, Any]
) -> tuple[Any, tuple[str, ...]]:
    table = compiled.table
    values = [item.evaluate(context) for item in compiled.inputs]
    # Each input entry also sees the value it tests under the column's input variable.
    contexts = [
        {**context, item.clause.variable: value}
        for item, value in zip(compiled.inputs, values, strict=True)
    ]
    hits: list[hitpolicy.Hit] = []
    for rule in compiled.rules:
        if all(test is None or test(values[i], contexts[i]) for i, test in enumerate(rule.tests)):
            outputs = tuple(
                _coerced(
                    evaluate(context),
                    out.clause.type_ref,
                    entry.where,
                    f"output {out.clause.name!r} of rule {rule.rule.id!r} in {decision.label}",
                )
                for evaluate, out, entry in zip(
                    rule.outputs, compiled.outputs, rule.rule.output_entries, strict=True
                )
            )
            hits.append(hitpolicy.Hit(rule.rule.id, outputs))
            if table.hit_policy is HitPolicy.FIRST:
                break
    default = None
    if not hits and any(out.default is not None for out in compiled.outputs):
        default = tuple(
            _coerced(
                out.default(context),
                out.clause.type_ref,
                out.clause.where,
                f"default output {out.clause.name!r} of {decision.label}",
            )
            if out.default is not None
            else None
            for out in compiled.outputs
        )
    return hitpolicy.apply(
        decision, table.hit_policy, table.aggregation, compiled.outputs, hits, default
    )


class DecisionService:
    """All decisions of a set of DMN files, compiled once and evaluated by id.

    Build it with :meth:`from_sources`; a decision's required decisions are evaluated first,
    once each per :meth:`evaluate` call, and their results become variables of the decision.
    """

    def __init__(self, decisions: Mapping[str, CompiledDecision]) -> None:
        self._decisions = dict(decisions)

    @classmethod
    def from_sources(
        cls,
        sources: Mapping[str, bytes],
        *,
        languages: Languages | None = None,
        python: ExpressionCompiler | None = None,
    ) -> DecisionService:
        """Load every ``*.dmn`` among ``sources`` (file name -> bytes); other names are skipped.

        ``languages`` defaults to FEEL from :mod:`seamline.expr`; ``python`` compiles
        ``expressionLanguage="python"`` (the engine passes its sandbox). Raises a
        :class:`DmnLoadError` listing every problem when anything fails to load.
        """
        documents = [
            cls._parse(name, data)
            for name, data in sources.items()
            if name.lower().endswith(".dmn")
        ]
        if not documents:
            return cls({})
        langs = languages.with_python(python) if languages else Languages.default(python=python)
        return cls.from_documents(documents, languages=langs)

    @staticmethod
    def _parse(name: str, data: bytes) -> DmnDocument:
        document, problems = read_document(data, name)
        raise_for(problems, name)
        return document

    @classmethod
    def from_documents(
        cls, documents: Iterable[DmnDocument], *, languages: Languages
    ) -> DecisionService:
        """Compile parsed documents; raises :class:`DmnLoadError` on any problem."""
        problems: list[Problem] = []
        decisions: dict[str, Decision] = {}
        for document in documents:
            for decision in document.decisions:
                other = decisions.get(decision.id)
                if other is not None:
                    problems.append(
                        Problem(
                            decision.where.file,
                            decision.where.line,
                            decision.id,
                            Severity.ERROR,
                            "dmn-duplicate-id",
                            f"decision id {decision.id!r} is also defined in {other.where.file}",
                            "decision ids must be unique across the loaded DMN files",
                        )
                    )
                    continue
                decisions[decision.id] = decision
        problems.extend(check_graph(decisions))
        compiler = Compiler(languages)
        compiled: dict[str, CompiledDecision] = {}
        for decision_id, decision in decisions.items():
            result = compiler.decision(decision)
            if result is not None:
                compiled[decision_id] = result
        problems.extend(compiler.problems)
        errors = [p for p in problems if p.severity is Severity.ERROR]
        if errors:
            raise_for(errors, errors[0].file)
        return cls(compiled)

    def decision_ids(self) -> list[str]:
        """The ids of every loaded decision, in file order."""
        return list(self._decisions)

    def decision(self, decision_id: str) -> Decision:
        """The parsed decision with this id; raises :class:`UnknownDecision`."""
        return self._get(decision_id).decision

    def _get(self, decision_id: str) -> CompiledDecision:
        compiled = self._decisions.get(decision_id)
        if compiled is None:
            known = ", ".join(self._decisions) or "none are loaded"
            raise UnknownDecision(
                f"no decision with id {decision_id!r} (known: {known})",
                hint="check the decisionRef and that its DMN file is loaded",
            )
        return compiled

    def evaluate(self, decision_id: str, variables: Mapping[str, Any]) -> DecisionResult:
        """Evaluate ``decision_id`` (and what it requires) over ``variables``.

        Raises :class:`DecisionError` (or a subclass) naming the decision, rule or entry.
        """
        self._get(decision_id)
        return self._evaluate(decision_id, dict(variables), {})

    def _evaluate(
        self, decision_id: str, variables: dict[str, Any], memo: dict[str, DecisionResult]
    ) -> DecisionResult:
        done = memo.get(decision_id)
        if done is not None:
            return done
        compiled = self._decisions[decision_id]
        decision = compiled.decision
        context = dict(variables)
        required: list[DecisionResult] = []
        for req in decision.requires:
            result = self._evaluate(req.decision_id, variables, memo)
            required.append(result)
            context.update(
                exported_variables(self._decisions[req.decision_id].decision, result.value)
            )
        if isinstance(compiled.logic, CompiledLiteral):
            logic = compiled.logic.logic
            value = _coerced(
                compiled.logic.evaluate(context),
                logic.type_ref,
                logic.where,
                f"literal expression of {decision.label}",
            )
            matched: tuple[str, ...] = ()
        else:
            value, matched = _run_table(compiled.logic, decision, context)
        result = DecisionResult(decision_id, value, matched, tuple(required))
        memo[decision_id] = result
        return result


def check_dmn(data: bytes, file: str, *, languages: Languages | None = None) -> list[Problem]:
    """Every problem in one DMN file, for ``seamline validate``; never raises.

    Expressions are compiled with ``languages`` (FEEL from :mod:`seamline.expr` by default);
    Python entries without a Python compiler are reported as warnings, since only the engine
    holds the sandbox that runs them.
    """
    try:
        document, problems = read_document(data, file)
        langs = languages or default_languages()
        if langs is not None:
            compiler = Compiler(langs, require_all_languages=False)
            for decision in document.decisions:
                compiler.decision(decision)
            problems.extend(compiler.problems)
        problems.extend(check_graph({d.id: d for d in document.decisions}, complete=False))
        return problems
    except SeamlineError as exc:
        line = exc.context.get("line")
        return [
            Problem(
                file,
                line if isinstance(line, int) else None,
                exc.context.get("element"),
                Severity.ERROR,
                getattr(exc, "code", "load-error"),
                exc.message,
                exc.hint,
            )
        ]
    except Exception as exc:  # a validator must report, not crash, whatever the input
        return [
            Problem(
                file,
                None,
                None,
                Severity.ERROR,
                "dmn-internal-error",
                f"the DMN file could not be checked: {type(exc).__name__}: {exc}",
                "please report this as a seamline bug",
            )
        ]


__all__ = ["DecisionResult", "DecisionService", "DmnLoadError", "check_dmn"]
