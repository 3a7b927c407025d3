"""seamline.jsondata: strict JSON in (naming the field) and out (never a bare NaN)."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import pytest

from seamline import jsondata
from seamline.errors import UsageError


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": NaN}', "--data: a: NaN is not a number; use a finite number or null"),
        ('{"a": [1, {"b": -Infinity}]}', "--data: a[1].b: -Infinity is not a number"),
        ('{"a": 1e400}', "--data: a: 1e400 is not a number"),
        ("Infinity", "--data: (the value): Infinity is not a number"),
    ],
)
def test_loads_names_the_field(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        jsondata.loads(text, "--data")
    assert str(caught.value).startswith(message)


def test_loads_keeps_ordinary_numbers() -> None:
    assert jsondata.loads('{"a": 1.5, "b": [2, -0.0, 1e300]}', "x") == {
        "a": 1.5,
        "b": [2, -0.0, 1e300],
    }


def test_syntax_errors_are_left_to_the_caller() -> None:
    with pytest.raises(json.JSONDecodeError):
        jsondata.loads("{", "--data")


@pytest.mark.parametrize("bad", [math.nan, math.inf, Decimal("NaN"), Decimal("-Infinity")])
def test_dumps_never_writes_a_bare_non_finite_number(bad: object) -> None:
    text = jsondata.dumps({"a": [bad], "b": 1}, default=str)
    assert json.loads(text, parse_constant=lambda c: pytest.fail(f"bare {c}")) == {
        "a": [None],
        "b": 1,
    }
    assert jsondata.nonfinite({"x": {"y": [0, bad]}}) is not None
