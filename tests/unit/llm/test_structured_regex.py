"""A model's answer is validated with RE2 patterns: a hostile answer cannot hang the check."""

from __future__ import annotations

import pytest

from seamline.connectors.llm_structured import check_schema, validate

pytestmark = pytest.mark.timeout(60)  # with Python's re each check below runs for hours

SCHEMA = {
    "type": "object",
    "properties": {"note": {"type": "string", "pattern": "^(a+)+$"}},
    "patternProperties": {"^(x|x)*$": {"type": "integer"}},
    "additionalProperties": False,
}


def test_a_hostile_answer_is_invalid_at_once() -> None:
    errors = validate({"note": "a" * 40 + "!", "x" * 40 + "!": 1}, SCHEMA)
    assert any("note:" in e and "does not match" in e for e in errors)
    assert any("does not match any of the regexes" in e for e in errors)


def test_matching_patterns_still_validate() -> None:
    assert validate({"note": "aaa", "xxx": 3}, SCHEMA) == []
    assert validate({"xx": "three"}, SCHEMA) == ["xx: 'three' is not of type 'integer'"]


def test_a_pattern_re2_cannot_run_is_a_schema_problem() -> None:
    problem = check_schema({"type": "object", "properties": {"a": {"pattern": "(a)\\1"}}})
    assert problem is not None
    assert problem.startswith("at /properties/a:") and "backreferences" in problem
