"""JSON Schema validation whose ``pattern`` keywords run on RE2 (see :mod:`seamline.expr.regexes`).

jsonschema matches ``pattern``, ``patternProperties`` and the ``additionalProperties`` that depend
on them with Python's backtracking ``re``; a schema from a diagram (a form, an llm answer schema)
holding ``(a+)+$`` would let whoever fills in the value hang the process. :func:`bounded` returns
the validator class with those keywords matched by RE2 instead, and :func:`pattern_problem` names
a pattern RE2 cannot run, for checking a schema before it is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from jsonschema import ValidationError, validators

from seamline.expr.regexes import compile_regex

__all__ = ["bounded", "pattern_problem"]


def _search(pattern: str, text: str) -> bool:
    return compile_regex(pattern).search(text) is not None


def _pattern(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if validator.is_type(instance, "string") and not _search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(validator: Any, patterns: Any, instance: Any, schema: Any) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if _search(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _extras(instance: Mapping[str, Any], schema: Mapping[str, Any]) -> set[str]:
    properties = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return {
        key
        for key in instance
        if key not in properties and not any(_search(p, key) for p in patterns)
    }


def _additional_properties(
    validator: Any, allowed: Any, instance: Any, schema: Any
) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    extras = _extras(instance, schema)
    if validator.is_type(allowed, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], allowed, path=extra)
    elif not allowed and extras:
        listed = ", ".join(repr(each) for each in sorted(extras))
        if "patternProperties" in schema:
            patterns = ", ".join(repr(each) for each in sorted(schema["patternProperties"]))
            verb = "does" if len(extras) == 1 else "do"
            yield ValidationError(f"{listed} {verb} not match any of the regexes: {patterns}")
        else:
            verb = "was" if len(extras) == 1 else "were"
            yield ValidationError(
                f"Additional properties are not allowed ({listed} {verb} unexpected)"
            )


@lru_cache(maxsize=16)
def bounded(cls: Any) -> Any:
    """``cls`` (a jsonschema validator class) with its regex keywords matched by RE2."""
    return validators.extend(
        cls,
        {
            "pattern": _pattern,
            "patternProperties": _pattern_properties,
            "additionalProperties": _additional_properties,
        },
    )


def pattern_problem(schema: Any, path: str = "") -> str | None:
    """Why a ``pattern``/``patternProperties`` in ``schema`` cannot run on RE2, or None."""
    if isinstance(schema, list):
        for i, item in enumerate(schema):
            problem = pattern_problem(item, f"{path}/{i}")
            if problem:
                return problem
        return None
    if not isinstance(schema, Mapping):
        return None
    found = [schema["pattern"]] if isinstance(schema.get("pattern"), str) else []
    if isinstance(schema.get("patternProperties"), Mapping):
        found += [str(p) for p in schema["patternProperties"]]
    for pattern in found:
        try:
            compile_regex(pattern)
        except re.error as exc:
            return f"at {path or '(root)'}: {exc}"
    for key, value in schema.items():
        if key not in ("pattern", "enum", "const", "default", "examples"):
            problem = pattern_problem(value, f"{path}/{key}")
            if problem:
                return problem
    return None
