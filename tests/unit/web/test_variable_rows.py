"""Variables typed as name and JSON value rows on a task without a form."""

from __future__ import annotations

import pytest

from seamline.errors import FormInvalid
from seamline.web.variable_rows import parse_rows, posted_rows


def test_rows_become_variables_and_blank_rows_are_ignored() -> None:
    rows = posted_rows(
        {"var-name": ["approved", "", " amount "], "var-value": ["true", "", "12.5"]}
    )
    assert parse_rows(rows) == {"approved": True, "amount": 12.5}


def test_every_bad_row_gets_its_own_message() -> None:
    rows = posted_rows(
        {
            "var-name": ["ok", "", "2bad", "ok", "text", "big"],
            "var-value": ["1", "3", "1", "2", "yes", "NaN"],
        }
    )
    with pytest.raises(FormInvalid) as info:
        parse_rows(rows)
    errors = info.value.errors
    assert errors[0] == "variable row 2: give the variable a name"
    assert errors[1].startswith("variable row 3 (2bad): a variable name is letters")
    assert errors[2] == "variable row 4 (ok): ok is set twice; keep one row per variable"
    assert errors[3].startswith("variable row 5 (text): value is not JSON")
    assert 'double quotes, e.g. "yes"' in errors[3]
    assert errors[4].startswith("variable row 6 (big): NaN is not JSON")
    assert len(errors) == 5
    assert rows[2].errors and not rows[0].errors


def test_a_name_without_a_value_is_refused() -> None:
    with pytest.raises(FormInvalid) as info:
        parse_rows(posted_rows({"var-name": ["x"], "var-value": ["  "]}))
    assert info.value.errors == ['variable row 1 (x): give a JSON value, e.g. true, 42 or "text"']
