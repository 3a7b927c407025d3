"""FEEL built-in functions: registry, invocation, string, number, boolean and context functions.

List functions live in :mod:`feel_lists` and date/time functions in :mod:`feel_temporal`; both
register into :data:`BUILTINS` when imported at the bottom of this module.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Mapping
from datetime import timedelta
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
)
from functools import lru_cache
from typing import Any, TypeVar

from seamline.errors import ExpressionError, UnsupportedRegex
from seamline.expr import feel_ops as ops
from seamline.expr.regexes import compile_regex, strip_whitespace
from seamline.expr.values import FeelFunction, check_list, check_string, to_text

BUILTINS: dict[str, FeelFunction] = {}

F = TypeVar("F", bound=Callable[..., Any])

#: Failures inside a built-in mean "invalid arguments", which FEEL answers with null.
_INVALID = (TypeError, ValueError, ArithmeticError, KeyError, IndexError, AttributeError, re.error)


def builtin(name: str, variadic: bool = False) -> Callable[[F], F]:
    """Register a Python function as the FEEL built-in ``name``.

    Parameter names are the FEEL ones with spaces written as underscores, so named arguments
    such as ``substring(string: "abc", start position: 2)`` bind.
    """

    def register(impl: F) -> F:
        params = tuple(
            p.name.replace("_", " ").strip()
            for p in inspect.signature(impl).parameters.values()
            if p.kind is not p.VAR_POSITIONAL
        )
        BUILTINS[name] = FeelFunction(name, params, impl, variadic)
        return impl

    return register


@lru_cache(maxsize=512)
def _signature(impl: Callable[..., Any]) -> inspect.Signature:
    return inspect.signature(impl)


def invoke(function: FeelFunction, args: list[Any], named: dict[str, Any] | None) -> Any:
    """Call a FEEL function value with positional or named arguments."""
    if function.name == "function":
        # A function literal: its parameters are FEEL names, bound in order.
        if named is not None:
            unknown = [k for k in named if k not in function.params]
            if unknown:
                raise ExpressionError(f"function has no parameter {unknown[0]!r}")
            args = [named.get(p) for p in function.params]
        return function.impl(*args)
    signature = _signature(function.impl)
    kwargs: dict[str, Any] = {}
    if named:
        python_names = dict(zip(function.params, signature.parameters, strict=False))
        unknown = [k for k in named if k not in python_names]
        if unknown:
            raise ExpressionError(
                f"{function.name}() has no parameter {unknown[0]!r}; "
                f"its parameters are ({', '.join(function.params)})"
            )
        kwargs = {python_names[k]: v for k, v in named.items()}
    try:
        signature.bind(*args, **kwargs)
    except TypeError:
        raise ExpressionError(
            f"{function.name}() does not take {len(args) + len(kwargs)} arguments; "
            f"its parameters are ({', '.join(function.params)})"
        ) from None
    try:
        return function.impl(*args, **kwargs)
    except _INVALID:
        return None


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def _int(value: Any) -> int:
    if not ops.is_number(value) or value != int(value):
        raise TypeError("not a whole number")
    return int(value)


# -- boolean and context -----------------------------------------------------------------------


@builtin("not")
def _not(negand: Any) -> Any:
    return (not negand) if isinstance(negand, bool) else None


@builtin("is defined")
def _is_defined(value: Any) -> bool:
    return value is not None


@builtin("get or else")
def _get_or_else(value: Any, default: Any) -> Any:
    return default if value is None else value


@builtin("get value")
def _get_value(m: Any, key: Any) -> Any:
    if not isinstance(m, Mapping):
        return None
    return m.get(_text(key))


@builtin("get entries")
def _get_entries(m: Any) -> list[dict[str, Any]] | None:
    if not isinstance(m, Mapping):
        return None
    return [{"key": k, "value": v} for k, v in m.items()]


@builtin("context put")
def _context_put(context: Any, key: Any, value: Any) -> dict[str, Any] | None:
    if not isinstance(context, Mapping):
        return None
    return {**context, _text(key): value}


@builtin("context merge")
def _context_merge(contexts: Any) -> dict[str, Any] | None:
    result: dict[str, Any] = {}
    for item in contexts:
        if not isinstance(item, Mapping):
            return None
        result.update(item)
    return result


@builtin("context")
def _context(entries: Any) -> dict[str, Any] | None:
    return {_text(e["key"]): e["value"] for e in entries}


# -- strings -----------------------------------------------------------------------------------


@builtin("string")
def _string(from_: Any) -> str | None:
    text = to_text(from_)
    return None if text is None else check_string(text)


@builtin("string length")
def _string_length(string: Any) -> int:
    return len(_text(string))


@builtin("substring")
def _substring(string: Any, start_position: Any, length: Any = None) -> str:
    text = _text(string)
    start = _int(start_position)
    begin = start - 1 if start > 0 else len(text) + start
    if start == 0 or begin < 0:
        begin = max(begin, 0)
    if length is None:
        return text[begin:]
    return text[begin : begin + _int(length)]


@builtin("upper case")
def _upper(string: Any) -> str:
    return _text(string).upper()


@builtin("lower case")
def _lower(string: Any) -> str:
    return _text(string).lower()


@builtin("substring before")
def _before(string: Any, match: Any) -> str:
    text, sep = _text(string), _text(match)
    index = text.find(sep)
    return "" if index < 0 else text[:index]


@builtin("substring after")
def _after(string: Any, match: Any) -> str:
    text, sep = _text(string), _text(match)
    index = text.find(sep)
    return "" if index < 0 else text[index + len(sep) :]


@builtin("contains")
def _contains(string: Any, match: Any) -> bool:
    return _text(match) in _text(string)


@builtin("starts with")
def _starts_with(string: Any, match: Any) -> bool:
    return _text(string).startswith(_text(match))


@builtin("ends with")
def _ends_with(string: Any, match: Any) -> bool:
    return _text(string).endswith(_text(match))


_FLAG_MAP = {"i": re.IGNORECASE, "s": re.DOTALL, "m": re.MULTILINE}


def _regex(pattern: Any, flags: Any) -> Any:
    """The compiled pattern (RE2: linear time, see :mod:`seamline.expr.regexes`).

    A pattern RE2 cannot run (backreferences, lookaround) is an ExpressionError naming it,
    not null: the expression is wrong, not its arguments.
    """
    text = _text(pattern)
    value = 0
    for flag in _text(flags) if flags is not None else "":
        if flag == "x":
            text = strip_whitespace(text)
        elif flag == "q":
            text = re.escape(text)
        else:
            value |= _FLAG_MAP[flag]
    try:
        return compile_regex(text, value)
    except UnsupportedRegex as exc:
        raise ExpressionError(str(exc)) from None


@builtin("matches")
def _matches(input: Any, pattern: Any, flags: Any = None) -> bool:
    return _regex(pattern, flags).search(_text(input)) is not None


@builtin("replace")
def _replace(input: Any, pattern: Any, replacement: Any, flags: Any = None) -> str:
    template = re.sub(r"\$(\d+)", r"\\\1", _text(replacement))
    return check_string(_regex(pattern, flags).sub(template, _text(input)))


@builtin("split")
def _split(string: Any, delimiter: Any) -> list[str]:
    return check_list(_regex(delimiter, None).split(_text(string)))


@builtin("string join")
def _string_join(list_: Any, delimiter: Any = "", prefix: Any = "", suffix: Any = "") -> str:
    parts = [_text(item) for item in list_ if item is not None]
    body = _text(delimiter if delimiter is not None else "").join(parts)
    return check_string(_text(prefix) + body + _text(suffix))


@builtin("trim")
def _trim(string: Any) -> str:
    return _text(string).strip()


@builtin("is blank")
def _is_blank(string: Any) -> bool:
    return not _text(string).strip()


# -- numbers -----------------------------------------------------------------------------------


def _num(value: Any) -> Decimal:
    if not ops.is_number(value):
        raise TypeError("not a number")
    return ops.to_decimal(value)


def _rounded(n: Any, scale: Any, mode: str) -> int | Decimal:
    digits = _int(scale)
    if abs(digits) > 6_000:
        raise ValueError("scale out of range")
    quantum = Decimal(1).scaleb(-digits)
    return ops.normalize(_num(n).quantize(quantum, rounding=mode, context=ops.DECIMAL))


@builtin("decimal")
def _decimal(n: Any, scale: Any) -> int | Decimal:
    return _rounded(n, scale, ROUND_HALF_EVEN)


@builtin("round half up")
def _round_half_up(n: Any, scale: Any = 0) -> int | Decimal:
    return _rounded(n, scale, ROUND_HALF_UP)


@builtin("round half down")
def _round_half_down(n: Any, scale: Any = 0) -> int | Decimal:
    return _rounded(n, scale, ROUND_HALF_DOWN)


@builtin("round up")
def _round_up(n: Any, scale: Any = 0) -> int | Decimal:
    return _rounded(n, scale, ROUND_UP)


@builtin("round down")
def _round_down(n: Any, scale: Any = 0) -> int | Decimal:
    return _rounded(n, scale, ROUND_DOWN)


@builtin("floor")
def _floor(n: Any, scale: Any = 0) -> int | Decimal:
    return _rounded(n, scale, ROUND_FLOOR)


@builtin("ceiling")
def _ceiling(n: Any, scale: Any = 0) -> int | Decimal:
    return _rounded(n, scale, ROUND_CEILING)


@builtin("abs")
def _abs(n: Any) -> Any:
    if ops.is_number(n):
        return ops.normalize(abs(_num(n)))
    return abs(n) if isinstance(n, timedelta) else None


@builtin("modulo")
def _modulo(dividend: Any, divisor: Any) -> int | Decimal | None:
    a, b = _num(dividend), _num(divisor)
    if b == 0:
        return None
    # FEEL's modulo takes the sign of the divisor, like floored division.
    return ops.normalize(a - b * (a / b).to_integral_value(rounding=ROUND_FLOOR))


@builtin("sqrt")
def _sqrt(number: Any) -> int | Decimal | None:
    value = _num(number)
    return None if value < 0 else ops.normalize(value.sqrt(ops.DECIMAL))


@builtin("log")
def _log(number: Any) -> int | Decimal | None:
    value = _num(number)
    return None if value <= 0 else ops.normalize(value.ln(ops.DECIMAL))


@builtin("exp")
def _exp(number: Any) -> int | Decimal:
    return ops.normalize(_num(number).exp(ops.DECIMAL))


@builtin("odd")
def _odd(number: Any) -> bool:
    return _int(number) % 2 == 1


@builtin("even")
def _even(number: Any) -> bool:
    return _int(number) % 2 == 0


_NUMBER_TEXT = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")


@builtin("number")
def _number(from_: Any, grouping_separator: Any = None, decimal_separator: Any = None) -> Any:
    text = _text(from_)
    if grouping_separator is not None:
        text = text.replace(_text(grouping_separator), "")
    if decimal_separator is not None:
        text = text.replace(_text(decimal_separator), ".")
    if not _NUMBER_TEXT.match(text) or len(text) > 100:
        return None
    return ops.normalize(ops.DECIMAL.create_decimal(text.strip()))


# Register the remaining families.
from seamline.expr import feel_lists as _feel_lists  # noqa: E402
from seamline.expr import feel_temporal as _feel_temporal  # noqa: E402

__all__ = ["BUILTINS", "_feel_lists", "_feel_temporal", "builtin", "invoke"]
