"""Decision requirement graphs: resolving ``requiredDecision`` across files, finding cycles,
and the variables a required decision hands to the decisions that depend on it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seamline.bpmn.problems import Problem, Severity
from seamline.dmn.model import Decision, DecisionTable


def check_graph(decisions: Mapping[str, Decision], *, complete: bool = True) -> list[Problem]:
    """Problems with the graph: cycles and, if ``complete``, required decisions not loaded.

    ``complete`` is False when checking one file alone: a reference into another file is then
    not a problem of this file.
    """
    problems: list[Problem] = []
    for decision in decisions.values() if complete else ():
        for req in decision.requires:
            if req.decision_id not in decisions and not req.local:
                problems.append(
                    Problem(
                        req.where.file,
                        req.where.line,
                        decision.id,
                        Severity.ERROR,
                        "dmn-unknown-required-decision",
                        f"requiredDecision {req.href!r} names no loaded decision",
                        "load the DMN file that defines it alongside this one",
                    )
                )
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    reported: set[frozenset[str]] = set()

    def visit(decision_id: str, path: list[str]) -> None:
        state[decision_id] = 1
        path.append(decision_id)
        for req in decisions[decision_id].requires:
            target = req.decision_id
            if target not in decisions:
                continue
            if state.get(target) == 1:
                cycle = [*path[path.index(target) :], target]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    where = decisions[decision_id].where
                    problems.append(
                        Problem(
                            where.file,
                            req.where.line,
                            decision_id,
                            Severity.ERROR,
                            "dmn-cycle",
                            f"decisions require each other in a cycle: {' -> '.join(cycle)}",
                            "a decision cannot depend on its own result",
                        )
                    )
            elif target not in state:
                visit(target, path)
        path.pop()
        state[decision_id] = 2

    for decision_id in decisions:
        if decision_id not in state:
            visit(decision_id, [])
    return problems


def exported_variables(decision: Decision, value: Any) -> dict[str, Any]:
    """The variables a required decision's result sets for the decisions that depend on it.

    The DMN variable (the decision's name) and the decision's id hold the result. As in
    Camunda 7, each output name also becomes a variable: a single result gives its values, a
    list result (COLLECT, RULE ORDER, OUTPUT ORDER) gives per output the list of its values.
    """
    exported: dict[str, Any] = {}
    if decision.name:
        exported[decision.name] = value
    exported[decision.variable_name] = value
    exported[decision.id] = value
    logic = decision.logic
    if not isinstance(logic, DecisionTable):
        return exported
    names = [output.name for output in logic.outputs]
    single = len(names) == 1
    if logic.hit_policy.returns_list and logic.aggregation is None:
        rows = value if isinstance(value, list) else []
        for name in names:
            exported[name] = [row if single else row.get(name) for row in rows]
    elif single:
        exported[names[0]] = value
    else:
        row = value if isinstance(value, dict) else {}
        for name in names:
            exported[name] = row.get(name)
    return exported
