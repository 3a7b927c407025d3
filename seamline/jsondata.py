"""JSON in and out of seamline, strict about numbers JSON cannot hold.

Python's ``json`` reads ``NaN``, ``Infinity`` and ``-Infinity`` (and ``1e999`` as infinity) and
writes them back bare, which no other JSON reader accepts. Every input path (CLI ``--data``, the
web API's bodies, form posts, process data a script or connector writes) refuses them with one
line naming the field, and every output is strict JSON.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from seamline.errors import SeamlineError, UsageError

#: What to do instead, said once for every refusal.
ADVICE = "use a finite number or null"


class _NonFinite:
    """Stands in for a non-finite number while a document is parsed, so its path can be named."""

    def __init__(self, text: str) -> None:
        self.text = text


def _float(text: str) -> Any:
    value = float(text)
    return value if math.isfinite(value) else _NonFinite(text)


def _text_of(value: Any) -> str | None:
    """How a non-finite number is written (``NaN``, ``Infinity``...), None for anything else."""
    if isinstance(value, _NonFinite):
        return value.text
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, Decimal) and not value.is_finite():
        return "NaN" if value.is_nan() else ("Infinity" if value > 0 else "-Infinity")
    return None


def nonfinite(value: Any, path: str = "") -> tuple[str, str] | None:
    """(path, text) of the first non-finite number in ``value``, e.g. ``("items[1].price",
    "NaN")``; None when every number is finite."""
    text = _text_of(value)
    if text is not None:
        return (path or "(the value)", text)
    if isinstance(value, Mapping):
        for key, item in value.items():
            found = nonfinite(item, f"{path}.{key}" if path else str(key))
            if found:
                return found
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = nonfinite(item, f"{path}[{index}]")
            if found:
                return found
    return None


def problem(value: Any, source: str) -> str | None:
    """The one-line refusal for a non-finite number in ``value``, or None if there is none."""
    found = nonfinite(value)
    if found is None:
        return None
    path, text = found
    return f"{source}: {path}: {text} is not a number; {ADVICE}"


def require_finite(
    value: Any, source: str, error: Callable[[str], SeamlineError] = UsageError
) -> Any:
    """``value`` unchanged, or ``error`` naming ``source`` and the field of a non-finite number."""
    message = problem(value, source)
    if message is not None:
        raise error(message)
    return value


def loads(text: str | bytes, source: str) -> Any:
    """Parse JSON text; UsageError naming ``source`` and the field for NaN or Infinity.

    Syntax errors are left to the caller (``json.JSONDecodeError``), which knows how to say
    where its text came from.
    """
    value = json.loads(text, parse_constant=_NonFinite, parse_float=_float)
    return require_finite(value, source)


def finite(value: Any) -> Any:
    """``value`` with every non-finite number replaced by None (what JavaScript writes too)."""
    if _text_of(value) is not None:
        return None
    if isinstance(value, Mapping):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def dumps(value: Any, *, default: Callable[[Any], Any] | None = None, **kwargs: Any) -> str:
    """Strict JSON text: a non-finite number that got this far is written as null."""

    def fallback(item: Any) -> Any:
        if _text_of(item) is not None:
            return None  # a Decimal NaN would otherwise reach ``default``
        if default is None:
            raise TypeError(f"{type(item).__name__} is not JSON serializable")
        return default(item)

    try:
        return json.dumps(value, allow_nan=False, default=fallback, **kwargs)
    except ValueError:
        return json.dumps(finite(value), allow_nan=False, default=fallback, **kwargs)
