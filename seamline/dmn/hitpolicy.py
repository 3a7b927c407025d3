"""DMN 1.3 hit policies (section 8.2.11) over the rules that matched, in rule order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from seamline.dmn.compiler import CompiledOutput
from seamline.dmn.model import Aggregation, Decision, HitPolicy
from seamline.errors import DecisionError, HitPolicyViolation


@dataclass(frozen=True)
class Hit:
    """A matched rule and its (coerced) output values, one per output column."""

    rule_id: str
    outputs: tuple[Any, ...]


def _shape(outputs: Sequence[CompiledOutput], values: tuple[Any, ...]) -> Any:
    """One output gives its value; several give a dict keyed by output name."""
    if len(outputs) == 1:
        return values[0]
    return {out.clause.name: value for out, value in zip(outputs, values, strict=True)}


def _priority_key(outputs: Sequence[CompiledOutput], hit: Hit) -> tuple[int, ...]:
    # Outputs without listed values do not rank; the first ranked output decides, then the next.
    return tuple(
        out.rank(value) for out, value in zip(outputs, hit.outputs, strict=True) if out.ranks
    )


def _ids(hits: Sequence[Hit]) -> tuple[str, ...]:
    return tuple(hit.rule_id for hit in hits)


def _locate(decision: Decision) -> dict[str, Any]:
    where = decision.logic.where
    return {"file": where.file, "line": where.line, "element": decision.id}


def _aggregate(
    aggregation: Aggregation, values: list[Any], decision: Decision
) -> int | float | Decimal | Any:
    # Camunda 7's rule: null outputs are skipped and repeated values all count.
    present = [v for v in values if v is not None]
    if aggregation is Aggregation.COUNT:
        return len(present)
    if not present:
        return None
    if aggregation is not Aggregation.SUM:
        try:
            return min(present) if aggregation is Aggregation.MIN else max(present)
        except TypeError as exc:
            raise DecisionError(
                f"{decision.label}: cannot take the {aggregation} of {present!r}",
                **_locate(decision),
            ) from exc
    if any(isinstance(v, bool) or not isinstance(v, int | float | Decimal) for v in present):
        raise DecisionError(
            f"{decision.label}: SUM needs numbers, got {present!r}", **_locate(decision)
        )
    if any(isinstance(v, Decimal) for v in present) and any(isinstance(v, float) for v in present):
        return sum(float(v) for v in present)
    return sum(present)


def apply(
    decision: Decision,
    policy: HitPolicy,
    aggregation: Aggregation | None,
    outputs: Sequence[CompiledOutput],
    hits: list[Hit],
    default: tuple[Any, ...] | None,
) -> tuple[Any, tuple[str, ...]]:
    """The decision's value and the ids of the rules that produced it.

    ``default`` is the row of default output entries, used when no rule matched.
    """
    if policy is HitPolicy.UNIQUE and len(hits) > 1:
        raise HitPolicyViolation(
            f"hit policy UNIQUE in {decision.label}, but rules {', '.join(_ids(hits))} all "
            "match; exactly one may",
            hint="make the rules' conditions exclusive or choose another hit policy",
            **_locate(decision),
        )
    if policy is HitPolicy.ANY and any(hit.outputs != hits[0].outputs for hit in hits[1:]):
        raise HitPolicyViolation(
            f"hit policy ANY in {decision.label}, but matching rules {', '.join(_ids(hits))} "
            "give different outputs",
            hint="matching rules must agree under ANY",
            **_locate(decision),
        )
    if policy.returns_list:
        rows = list(hits)
        if policy is HitPolicy.OUTPUT_ORDER:
            rows.sort(key=lambda hit: _priority_key(outputs, hit))
        values = [hit.outputs for hit in rows]
        if not values and default is not None:
            values = [default]
        if aggregation is not None:
            return _aggregate(aggregation, [v[0] for v in values], decision), _ids(rows)
        return [_shape(outputs, v) for v in values], _ids(rows)
    if not hits:
        return (_shape(outputs, default) if default is not None else None), ()
    if policy is HitPolicy.PRIORITY:
        best = min(hits, key=lambda hit: _priority_key(outputs, hit))
        return _shape(outputs, best.outputs), (best.rule_id,)
    if policy is HitPolicy.ANY:
        return _shape(outputs, hits[0].outputs), _ids(hits)
    return _shape(outputs, hits[0].outputs), (hits[0].rule_id,)
