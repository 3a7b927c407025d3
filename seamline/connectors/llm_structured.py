"""Structured answers: ask for JSON matching a schema, parse it, validate it, explain what failed.

Models wrap JSON in Markdown fences or a sentence of prose, and some local servers ignore
``response_format``; so the schema is always restated in the system prompt, and parsing
forgives fences and surrounding text before validation decides.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import jsonschema
from jsonschema.validators import validator_for

from seamline.expr.schema_regex import bounded, pattern_problem

MAX_ERRORS = 10

_FENCE = re.compile(r"```[a-zA-Z0-9_-]*\s*\n?(?P<body>.*?)```", re.DOTALL)


def check_schema(schema: Mapping[str, Any]) -> str | None:
    """Why ``schema`` is not a valid JSON Schema, or None when it is."""
    try:
        validator_for(schema).check_schema(schema)
    except jsonschema.SchemaError as exc:
        path = "/".join(str(p) for p in exc.path) or "(root)"
        return f"at {path}: {exc.message}"
    return pattern_problem(schema)


def instruction(schema: Mapping[str, Any]) -> str:
    """The system-prompt paragraph that asks for a JSON answer matching ``schema``."""
    return (
        "Answer with a single JSON value that validates against this JSON Schema, and with "
        "nothing else: no prose, no Markdown fences.\n"
        f"JSON Schema:\n{json.dumps(schema, indent=2, sort_keys=True)}"
    )


def parse_answer(text: str) -> tuple[Any, str | None]:
    """The JSON value in ``text`` and None, or None and why it is not JSON."""
    candidates = [text.strip()]
    fenced = _FENCE.search(text)
    if fenced:
        candidates.append(fenced.group("body").strip())
    for opening, closing in (("{", "}"), ("[", "]")):
        start, end = text.find(opening), text.rfind(closing)
        if 0 <= start < end:
            candidates.append(text[start : end + 1])
    first_error = ""
    for candidate in candidates:
        try:
            return json.loads(candidate), None
        except json.JSONDecodeError as exc:
            first_error = first_error or f"{exc.msg} at line {exc.lineno} column {exc.colno}"
    if not text.strip():
        return None, "the answer is empty, expected a JSON value"
    return None, f"the answer is not JSON: {first_error}"


def validate(answer: Any, schema: Mapping[str, Any]) -> list[str]:
    """Validation errors of ``answer`` against ``schema`` (at most MAX_ERRORS), path first."""
    # The answer comes from a model, which a prompt can steer: patterns run on RE2.
    validator = bounded(validator_for(schema))(schema)
    errors = sorted(validator.iter_errors(answer), key=lambda e: [str(p) for p in e.path])
    messages = []
    for error in errors[:MAX_ERRORS]:
        path = "/".join(str(p) for p in error.absolute_path)
        messages.append(f"{path or '(root)'}: {error.message}")
    return messages


def check_answer(text: str, schema: Mapping[str, Any]) -> tuple[Any, list[str]]:
    """Parse and validate ``text``: the parsed answer and its errors (empty when valid)."""
    answer, problem = parse_answer(text)
    if problem is not None:
        return None, [problem]
    return answer, validate(answer, schema)


def repair_request(errors: list[str]) -> str:
    """The user message that feeds validation errors back to the model."""
    listed = "\n".join(f"- {error}" for error in errors)
    return (
        "Your answer does not match the required JSON Schema:\n"
        f"{listed}\n"
        "Reply again with only the corrected JSON value."
    )
