"""DMN XML -> :class:`~seamline.dmn.model.DmnDocument`, collecting every located problem.

Elements are matched by local name so every DMN namespace (1.1 to 1.5, Camunda's 20151101) reads
the same. Anything seamline cannot evaluate faithfully (business knowledge models, boxed contexts,
invocations, imports) is a load error naming the element: a decision that silently returned a
wrong answer would be worse than one that refuses to load.
"""

from __future__ import annotations

from lxml import etree

from seamline.bpmn.problems import Problem, Severity
from seamline.bpmn.xml import parse_xml
from seamline.dmn.model import (
    Decision,
    DecisionTable,
    DmnDocument,
    LiteralExpressionLogic,
    Requirement,
)
from seamline.dmn.tables import read_table
from seamline.dmn.xmlread import Reader, child, children, language_of, local
from seamline.errors import DmnLoadError

_UNSUPPORTED_LOGIC = {
    "context": "boxed contexts",
    "invocation": "invocations",
    "relation": "relations",
    "list": "boxed lists",
    "functionDefinition": "function definitions",
    "conditional": "boxed conditionals",
    "filter": "boxed filters",
    "iterator": "boxed iterators",
    "for": "boxed iterators",
    "some": "boxed iterators",
    "every": "boxed iterators",
}

_UNSUPPORTED_TOP = {
    "businessKnowledgeModel": "business knowledge models are not supported",
    "import": "DMN imports are not supported",
}


class _Reader(Reader):
    """Reads the document and its decisions."""

    # -- document ---------------------------------------------------------------------------

    def document(self, root: etree._Element) -> DmnDocument:
        if local(root) != "definitions":
            self.report(
                root,
                "dmn-not-definitions",
                f"root element is <{local(root)}>, not a DMN <definitions>",
                "is this a DMN file?",
            )
            return DmnDocument(self.file, None, None, None, ())
        attr = root.get("expressionLanguage")
        if attr:
            language = language_of(attr)
            if language is None:
                self.report(root, "dmn-unknown-language", f"unknown expressionLanguage {attr!r}")
            else:
                self.default_language = language
        decisions: list[Decision] = []
        seen: set[str] = set()
        for node in root:
            name = local(node)
            if name in _UNSUPPORTED_TOP:
                self.report(node, "dmn-unsupported", _UNSUPPORTED_TOP[name])
            elif name == "decisionService":
                self.report(
                    node,
                    "dmn-decision-service-ignored",
                    "decision services are not evaluated; their decisions can be called by id",
                    severity=Severity.WARNING,
                )
            elif name == "decision":
                decision = self.decision(node)
                if decision is None:
                    continue
                if decision.id in seen:
                    self.report(node, "dmn-duplicate-id", f"duplicate decision id {decision.id!r}")
                seen.add(decision.id)
                decisions.append(decision)
        for decision in decisions:
            for req in decision.requires:
                if req.local and req.decision_id not in seen:
                    self.problems.append(
                        Problem(
                            self.file,
                            req.where.line,
                            decision.id,
                            Severity.ERROR,
                            "dmn-unknown-required-decision",
                            f"requiredDecision {req.href!r} names no decision in this file",
                        )
                    )
        return DmnDocument(
            self.file, root.get("id"), root.get("name"), root.get("namespace"), tuple(decisions)
        )

    def decision(self, el: etree._Element) -> Decision | None:
        decision_id = el.get("id")
        if not decision_id:
            self.report(el, "dmn-missing-id", "decision has no id", "give every decision an id")
            return None
        name = el.get("name")
        variable = child(el, "variable")
        variable_name = (variable.get("name") if variable is not None else None) or name
        requires: list[Requirement] = []
        for req in children(el, "informationRequirement"):
            for target in children(req, "requiredDecision"):
                href = (target.get("href") or "").strip()
                ref_id = href.rpartition("#")[2]
                if not ref_id:
                    self.report(
                        target, "dmn-bad-href", f"requiredDecision href {href!r} names no id"
                    )
                    continue
                same_file = href.startswith("#") or "#" not in href
                requires.append(Requirement(ref_id, href, same_file, self.where(target)))
        for req in children(el, "knowledgeRequirement"):
            self.report(
                req,
                "dmn-unsupported",
                f"decision {decision_id!r} requires a business knowledge model; "
                "business knowledge models are not supported",
            )
        logic: DecisionTable | LiteralExpressionLogic | None = None
        for node in el:
            name_ = local(node)
            if name_ == "decisionTable":
                logic = self.table(node)
            elif name_ == "literalExpression":
                type_ref = variable.get("typeRef") if variable is not None else None
                expr = self.expression(node)
                if not expr.text.strip():
                    self.report(node, "dmn-empty-expression", "literal expression is empty")
                logic = LiteralExpressionLogic(
                    node.get("id") or decision_id,
                    expr,
                    type_ref or node.get("typeRef"),
                    self.where(node),
                )
            elif name_ in _UNSUPPORTED_LOGIC:
                self.report(
                    node,
                    "dmn-unsupported",
                    f"decision {decision_id!r} uses {_UNSUPPORTED_LOGIC[name_]} as decision logic; "
                    "only decision tables and literal expressions are supported",
                )
                return None
        if logic is None:
            self.report(
                el,
                "dmn-no-logic",
                f"decision {decision_id!r} has no decision table or literal expression",
                "add the decision logic in the modeler",
            )
            return None
        return Decision(
            decision_id,
            name,
            variable_name or decision_id,
            logic,
            tuple(requires),
            self.where(el),
        )

    def table(self, el: etree._Element) -> DecisionTable:
        return read_table(self, el)


def read_document(data: bytes, file: str) -> tuple[DmnDocument, list[Problem]]:
    """Parse ``data`` into a document plus the problems found; raises only for unreadable XML."""
    root = parse_xml(data, file)
    reader = _Reader(file)
    document = reader.document(root)
    return document, reader.problems


def raise_for(problems: list[Problem], file: str) -> None:
    """Raise a :class:`DmnLoadError` for the first error among ``problems``, if any."""
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if not errors:
        return
    first = errors[0]
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    raise DmnLoadError(
        first.message + more,
        code=first.code,
        problems=errors,
        file=file,
        line=first.line,
        element=first.element,
        hint=first.hint,
    )


def parse_dmn(data: bytes, file: str) -> DmnDocument:
    """Parse one DMN file; raises a :class:`DmnLoadError` naming file, line and element."""
    document, problems = read_document(data, file)
    raise_for(problems, file)
    return document
