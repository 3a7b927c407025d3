"""Reading ``<decisionTable>``: inputs, outputs, rules, hit policy, with shape checks."""

from __future__ import annotations

from lxml import etree

from seamline.dmn.model import (
    DEFAULT_INPUT_VARIABLE,
    Aggregation,
    DecisionTable,
    Expression,
    HitPolicy,
    InputClause,
    OutputClause,
    Rule,
)
from seamline.dmn.xmlread import Reader, attr, child, children, split_unary_items, text_of

_HIT_POLICIES = {policy.value: policy for policy in HitPolicy}


def _hit_policy(reader: Reader, el: etree._Element) -> HitPolicy:
    raw = (el.get("hitPolicy") or "UNIQUE").strip().upper().replace("_", " ")
    policy = _HIT_POLICIES.get(raw)
    if policy is None:
        reader.report(
            el,
            "dmn-bad-hit-policy",
            f"unknown hitPolicy {el.get('hitPolicy')!r}",
            "use UNIQUE, FIRST, PRIORITY, ANY, COLLECT, RULE ORDER or OUTPUT ORDER",
        )
        return HitPolicy.UNIQUE
    return policy


def _aggregation(reader: Reader, el: etree._Element, policy: HitPolicy) -> Aggregation | None:
    raw = (el.get("aggregation") or "").strip().upper()
    if not raw:
        return None
    if raw not in Aggregation.__members__:
        reader.report(
            el, "dmn-bad-aggregation", f"unknown aggregation {raw!r}", "use SUM, MIN, MAX or COUNT"
        )
        return None
    if policy is not HitPolicy.COLLECT:
        reader.report(
            el, "dmn-bad-aggregation", f"aggregation {raw} needs hitPolicy COLLECT, not {policy}"
        )
        return None
    return Aggregation[raw]


def _input(reader: Reader, el: etree._Element, index: int) -> InputClause | None:
    expr_el = child(el, "inputExpression")
    if expr_el is None or not text_of(expr_el).strip():
        label = (el.get("label") or "").strip()
        hint = "name the variable or expression the column tests"
        if label:
            hint = f"write the expression (perhaps {label!r}, the column's label) into the input"
        reader.report(el, "dmn-empty-input", f"input {index} has no input expression", hint)
        return None
    values_el = child(el, "inputValues")
    return InputClause(
        id=el.get("id") or f"input{index}",
        label=el.get("label"),
        expression=reader.expression(expr_el),
        type_ref=expr_el.get("typeRef"),
        input_values=reader.expression(values_el) if values_el is not None else None,
        variable=attr(el, "inputVariable") or DEFAULT_INPUT_VARIABLE,
        where=reader.where(el),
    )


def _output(reader: Reader, el: etree._Element, index: int, several: bool) -> OutputClause:
    name = (el.get("name") or "").strip()
    if several and not name:
        reader.report(
            el,
            "dmn-output-name",
            f"output {index} has no name; a table with several outputs needs one per output",
        )
    values_el = child(el, "outputValues")
    values: tuple[Expression, ...] = ()
    if values_el is not None:
        values = tuple(
            reader.expression(values_el, item) for item in split_unary_items(text_of(values_el))
        )
    default_el = child(el, "defaultOutputEntry")
    default = reader.expression(default_el) if default_el is not None else None
    if default is not None and not default.text.strip():
        default = None
    return OutputClause(
        id=el.get("id") or f"output{index}",
        name=name or el.get("id") or f"output{index}",
        label=el.get("label"),
        type_ref=el.get("typeRef"),
        output_values=values,
        default=default,
        where=reader.where(el),
    )


def _rule(reader: Reader, el: etree._Element, index: int, n_in: int, n_out: int) -> Rule | None:
    rule_id = el.get("id") or f"rule{index}"
    inputs = tuple(reader.expression(e) for e in children(el, "inputEntry"))
    outputs = tuple(reader.expression(e) for e in children(el, "outputEntry"))
    if len(inputs) != n_in or len(outputs) != n_out:
        reader.report(
            el,
            "dmn-rule-shape",
            f"rule {rule_id!r} has {len(inputs)} input and {len(outputs)} output entries; "
            f"the table has {n_in} inputs and {n_out} outputs",
        )
        return None
    return Rule(rule_id, inputs, outputs, reader.where(el))


def read_table(reader: Reader, el: etree._Element) -> DecisionTable:
    """Read one decision table, reporting shape problems to ``reader``."""
    policy = _hit_policy(reader, el)
    aggregation = _aggregation(reader, el, policy)
    inputs = [
        clause
        for i, input_el in enumerate(children(el, "input"), 1)
        if (clause := _input(reader, input_el, i)) is not None
    ]
    output_els = children(el, "output")
    outputs = [_output(reader, o, i, len(output_els) > 1) for i, o in enumerate(output_els, 1)]
    if not outputs:
        reader.report(el, "dmn-no-output", "decision table has no output column")
    names = [o.name for o in outputs]
    for output, output_el in zip(outputs, output_els, strict=True):
        if names.count(output.name) > 1:
            reader.report(output_el, "dmn-output-name", f"output name {output.name!r} repeats")
    if aggregation is not None and len(outputs) > 1:
        reader.report(
            el, "dmn-bad-aggregation", f"aggregation {aggregation} needs exactly one output"
        )
    if policy in (HitPolicy.PRIORITY, HitPolicy.OUTPUT_ORDER) and not any(
        o.output_values for o in outputs
    ):
        reader.report(
            el,
            "dmn-no-output-values",
            f"hit policy {policy} ranks rules by output values, but no output lists any",
            "list the output values in priority order",
        )
    n_inputs = len(children(el, "input"))
    rules = [
        rule
        for i, rule_el in enumerate(children(el, "rule"), 1)
        if (rule := _rule(reader, rule_el, i, n_inputs, len(outputs))) is not None
    ]
    return DecisionTable(
        id=el.get("id") or "decisionTable",
        hit_policy=policy,
        aggregation=aggregation,
        inputs=tuple(inputs),
        outputs=tuple(outputs),
        rules=tuple(rules),
        where=reader.where(el),
    )
