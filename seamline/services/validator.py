"""The validator's wiring: which engine-side checks a loaded definition goes through.

The loader (``seamline.bpmn``) judges diagrams; only the engine can judge whether their
expressions and scripts parse in their dialect (:mod:`seamline.engine.lint`) and whether the
connectors their service tasks call are installed here (:mod:`seamline.engine.checks`). This
module puts those checks together, for `seamline validate` (all of them) and for loading before
a deploy or run (the expression checks: a missing connector is an incident, not a load error).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from seamline.bpmn import loader
from seamline.bpmn.definition import ProcessDefinition
from seamline.bpmn.problems import Problem, Severity
from seamline.connectors.registry import ConnectorRegistry
from seamline.engine.checks import connector_problems
from seamline.engine.expressions import Evaluator
from seamline.engine.lint import expression_problems
from seamline.errors import LoadError

Check = Callable[[ProcessDefinition], list[Problem]]


def engine_checks(evaluator: Evaluator, registry: ConnectorRegistry | None = None) -> list[Check]:
    """The checks only the engine can make: expressions parse, and (given the installation's
    connector ``registry``) every service task's connector is known."""
    checks: list[Check] = [lambda definition: expression_problems(definition, evaluator)]
    if registry is not None:
        checks.append(lambda definition: connector_problems(definition, registry))
    return checks


def load_checked(
    paths: Sequence[str | Path], checks: Sequence[Check]
) -> dict[str, ProcessDefinition]:
    """Load diagram files; LoadError naming the first error the loader or ``checks`` found."""
    bundle = loader.load_files(paths)
    problems = list(bundle.problems)
    for definition in bundle.definitions.values():
        for check in checks:
            problems.extend(check(definition))
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more; run `seamline validate`)" if len(errors) > 1 else ""
        raise LoadError(
            first.message + more,
            code=first.code,
            problems=errors,
            file=first.file,
            line=first.line,
            element=first.element,
            hint=first.hint,
        )
    if not bundle.definitions:
        raise LoadError(
            "no executable process in the given files",
            code="no-process",
            file=", ".join(str(p) for p in paths),
        )
    return dict(bundle.definitions)
