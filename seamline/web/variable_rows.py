"""Variables set by hand on a task without a form: name and JSON value rows, as in Camunda Tasklist.

Camunda 8 Tasklist offers "Add variable" rows of a name and a JSON value for a task without a
form, Camunda 7 "Add a variable"; the page posts them as repeated ``var-name`` / ``var-value``
fields. Values are read as strict JSON (no NaN or Infinity), and every row that cannot be used
gets its own message, so nothing is completed until all rows are right.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from seamline.errors import FormInvalid

NAME_FIELD = "var-name"
VALUE_FIELD = "var-value"
# Names the expression dialects (FEEL, JUEL, Python) can all refer to.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class VariableRow:
    """One row of the "Add variable" list, as typed, with what is wrong with it."""

    name: str = ""
    value: str = ""
    errors: list[str] = field(default_factory=list)


def _no_constant(text: str) -> Any:
    raise ValueError(f"{text} is not JSON")


def _value(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"value is not JSON ({exc.msg} at column {exc.colno}); write text in double quotes,"
            ' e.g. "yes", or true, 42, [1, 2], {"a": 1}'
        ) from None


def posted_rows(posted: Mapping[str, list[str]]) -> list[VariableRow]:
    """The rows as the person typed them (blank rows dropped)."""
    names = posted.get(NAME_FIELD, [])
    values = posted.get(VALUE_FIELD, [])
    count = max(len(names), len(values))
    rows = [
        VariableRow(
            names[i].strip() if i < len(names) else "", values[i] if i < len(values) else ""
        )
        for i in range(count)
    ]
    return [r for r in rows if r.name or r.value.strip()]


def parse_rows(rows: Sequence[VariableRow]) -> dict[str, Any]:
    """The variables the rows set; FormInvalid (one message per bad row) if any row is wrong.

    The messages are also attached to the rows, to show them beside what was typed.
    """
    data: dict[str, Any] = {}
    problems: list[str] = []
    for number, row in enumerate(rows, start=1):
        where = f"variable row {number}" + (f" ({row.name})" if row.name else "")
        if not row.name:
            row.errors.append(f"{where}: give the variable a name")
        elif not _NAME.fullmatch(row.name):
            row.errors.append(
                f"{where}: a variable name is letters, digits and _, not starting with a digit"
            )
        elif row.name in data:
            row.errors.append(f"{where}: {row.name} is set twice; keep one row per variable")
        if not row.value.strip():
            row.errors.append(f'{where}: give a JSON value, e.g. true, 42 or "text"')
        else:
            try:
                value = _value(row.value)
            except ValueError as exc:
                row.errors.append(f"{where}: {exc}")
            else:
                if not row.errors:
                    data[row.name] = value
        problems.extend(row.errors)
    if problems:
        raise FormInvalid(
            "invalid variables: " + "; ".join(problems),
            errors=problems,
            hint="correct the rows named and submit again",
        )
    return data
