from __future__ import annotations

from typing import Any

import pytest

from seamline.connectors.llm_structured import (
    check_answer,
    check_schema,
    instruction,
    parse_answer,
    repair_request,
)

SCHEMA = {
    "type": "object",
    "properties": {"items": {"type": "array", "items": {"type": "integer"}}},
    "required": ["items"],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1}', {"a": 1}),
        ('```json\n{"a": 1}\n```', {"a": 1}),
        ("```\n[1, 2]\n```", [1, 2]),
        ('Sure! Here it is:\n{"a": {"b": 2}}\nAnything else?', {"a": {"b": 2}}),
        ("  42 ", 42),
    ],
)
def test_parse_answer_forgives_fences_and_prose(text: str, expected: Any) -> None:
    assert parse_answer(text) == (expected, None)


def test_parse_answer_explains_what_is_not_json() -> None:
    assert parse_answer("") == (None, "the answer is empty, expected a JSON value")
    value, problem = parse_answer("{'a': 1}")
    assert value is None and problem is not None and problem.startswith("the answer is not JSON")


def test_check_answer_lists_errors_with_their_paths() -> None:
    answer, errors = check_answer('{"items": [1, "two", 3.5]}', SCHEMA)
    assert answer == {"items": [1, "two", 3.5]}
    assert errors == [
        "items/1: 'two' is not of type 'integer'",
        "items/2: 3.5 is not of type 'integer'",
    ]
    assert check_answer('{"items": []}', SCHEMA) == ({"items": []}, [])
    assert check_answer("{}", SCHEMA)[1] == ["(root): 'items' is a required property"]


def test_schema_checks_and_messages() -> None:
    assert check_schema(SCHEMA) is None
    assert check_schema({"type": "nonsense"}) is not None
    assert '"required"' in instruction(SCHEMA) and "no Markdown fences" in instruction(SCHEMA)
    assert repair_request(["a: bad", "b: worse"]).splitlines()[1:3] == ["- a: bad", "- b: worse"]
