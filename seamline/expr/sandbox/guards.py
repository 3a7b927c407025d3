"""The run-time half of the sandbox: the guard functions restricted code calls, and the limits.

Restricted code reaches objects only through these guards (RestrictedPython rewrites ``a.b`` to
``_getattr_(a, "b")`` and so on). A guard that refuses raises :class:`Abort`, a ``BaseException``
so that a script's ``except Exception:`` cannot swallow it; the refusal is also recorded per
thread, so that even a bare ``except:`` only delays the report until the script ends.

Memory limits: single operations that would build a huge object in one C call
(``"a" * 10**10``, ``2 ** 10**10``, ``f"{x:>999999999}"``, ``range(10**12)`` materialized,
``"x".ljust(10**10)``) are refused before they run. Growth spread over many steps (appending in
a loop) is bounded by the memory limit: the clock check every loop and call passes through also
samples the process's resident memory (:func:`make_tick`).
"""

from __future__ import annotations

import operator
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

import re2
from RestrictedPython.transformer import INSPECT_ATTRIBUTES

from seamline.errors import Abort

#: Longest str/bytes one operation may build.
MAX_STRING = 10_000_000
#: Most items one operation may put in a list or tuple, and the longest ``range``.
MAX_ITEMS = 1_000_000
#: Largest int (in bits) ``*``, ``**`` and ``<<`` may build.
MAX_INT_BITS = 1_000_000
#: Widest field a format spec, ``%`` format or padding method may ask for.
MAX_WIDTH = 10_000

#: Compiled patterns of the sandbox's ``re`` (RE2); their ``sub`` is size-guarded like re's.
PATTERN_TYPE = type(re2.compile(""))

#: Attributes refused on every object, beyond names starting with ``_``.
DENIED_ATTRIBUTES = frozenset(INSPECT_ATTRIBUTES) | {
    # str.format / format_map resolve "{0.__class__}" with the real getattr.
    "format",
    "format_map",
    # type.mro() lists base classes, the first step of a subclass walk.
    "mro",
    # Python 2 spellings some escape recipes still try.
    "func_globals",
    "func_code",
    "func_closure",
    "im_func",
    "im_self",
    "im_class",
    "gi_running",
}

_SEQUENCES = (str, bytes, list, tuple)
_NUMBERS = (int, float, bool)


class _State(threading.local):
    """Per-thread record of the first refusal of the script running in this thread."""

    abort: Abort | None = None


STATE = _State()


def refuse(detail: str, kind: str = "violation") -> Abort:
    """Record a refusal for the running script and return the exception to raise."""
    abort = Abort(kind, detail)
    if STATE.abort is None:
        STATE.abort = abort
    return abort


#: Seconds between two samples of the process's memory while a script runs: what a script can
#: allocate in this time is all it can overshoot its memory limit by.
MEMORY_SAMPLE_SECONDS = 0.002
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_bytes() -> int:
    """The process's resident memory now (Linux), else its peak so far."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return int(peak) if sys.platform == "darwin" else int(peak) * 1024


def make_tick(time_limit: float, memory_limit: int | None = None) -> Callable[[], None]:
    """A check that raises once ``time_limit`` seconds have passed from now, or once the
    process holds more than ``memory_limit`` bytes beyond what it held now.

    Memory is sampled at most every :data:`MEMORY_SAMPLE_SECONDS` (reading it costs a few
    microseconds); once over the limit every later check refuses, so a script that catches
    the refusal cannot go on allocating.
    """
    deadline = time.monotonic() + time_limit
    if memory_limit is None:

        def _tick_(_now: Callable[[], float] = time.monotonic) -> None:
            if _now() > deadline:
                raise refuse(f"ran longer than its time limit of {time_limit:g} s", "timeout")

        return _tick_
    ceiling = resident_bytes() + memory_limit
    detail = f"used more than its memory limit of {memory_limit / 2**20:g} MB (script_memory_limit)"
    next_sample = 0.0
    exceeded = False

    def _tick_memory_(_now: Callable[[], float] = time.monotonic) -> None:
        nonlocal next_sample, exceeded
        now = _now()
        if now > deadline:
            raise refuse(f"ran longer than its time limit of {time_limit:g} s", "timeout")
        if exceeded:
            raise refuse(detail, "memory")
        if now >= next_sample:
            next_sample = now + MEMORY_SAMPLE_SECONDS
            if resident_bytes() > ceiling:
                exceeded = True
                raise refuse(detail, "memory")

    return _tick_memory_


# -- attribute access --------------------------------------------------------------------------


def _width_guard(method: Any, what: str) -> Callable[..., Any]:
    """Wrap a padding method so its width argument is bounded."""

    def guarded(width: Any, *rest: Any) -> Any:
        if isinstance(width, int) and width > MAX_STRING:
            raise refuse(f"{what}({width}) would build a string longer than {MAX_STRING}")
        return method(width, *rest)

    return guarded


def _expandtabs_guard(text: str | bytes, method: Any) -> Callable[..., Any]:
    def expandtabs(tabsize: Any = 8) -> Any:
        tabs = text.count("\t") if isinstance(text, str) else text.count(b"\t")
        if isinstance(tabsize, int) and len(text) + tabs * tabsize > MAX_STRING:
            raise refuse(f"expandtabs() would build a string longer than {MAX_STRING}")
        return method(tabsize)

    return expandtabs


def _replace_guard(text: str | bytes, method: Any) -> Callable[..., Any]:
    def replace(old: Any, new: Any, count: int = -1) -> Any:
        hits = text.count(old) if count < 0 else min(count, text.count(old))
        if len(text) + hits * (len(new) - len(old)) > MAX_STRING:
            raise refuse(f"replace() would build a string longer than {MAX_STRING}")
        return method(old, new, count)

    return replace


def _join_guard(separator: str | bytes, method: Any) -> Callable[[Iterable[Any]], Any]:
    def join(parts: Iterable[Any]) -> Any:
        parts = list(parts)
        size = sum(len(p) for p in parts if isinstance(p, str | bytes))
        if size + len(separator) * len(parts) > MAX_STRING:
            raise refuse(f"join() would build a string longer than {MAX_STRING}")
        return method(parts)

    return join


def _extend_guard(target: list[Any], method: Any) -> Callable[[Iterable[Any]], None]:
    def extend(items: Iterable[Any]) -> None:
        items = list(items)
        if len(target) + len(items) > MAX_ITEMS:
            raise refuse(f"extend() would build a list longer than {MAX_ITEMS}")
        method(items)

    return extend


def _string_method(obj: str | bytes, name: str, value: Any) -> Any:
    if name in ("ljust", "rjust", "center", "zfill"):
        return _width_guard(value, name)
    if name == "expandtabs":
        return _expandtabs_guard(obj, value)
    if name == "replace":
        return _replace_guard(obj, value)
    if name == "join":
        return _join_guard(obj, value)
    return value


def guarded_getattr(obj: Any, name: str, *default: Any) -> Any:
    """``obj.name`` unless ``name`` is private or known to open a way out of the sandbox."""
    if type(name) is not str:
        raise TypeError("attribute name must be a string")
    if name.startswith("_") or name in DENIED_ATTRIBUTES:
        raise refuse(f'access to attribute "{name}" is not allowed')
    value = getattr(obj, name, *default)
    kind = type(obj)
    if kind is str or kind is bytes:
        return _string_method(obj, name, value)
    if kind is list and name == "extend":
        return _extend_guard(obj, value)
    if (kind is re.Pattern or kind is PATTERN_TYPE) and name in ("sub", "subn"):
        return _sub_guard(value)
    return value


def _sub_guard(method: Any) -> Callable[..., Any]:
    def sub(repl: Any, string: Any, count: int = 0) -> Any:
        check_sub_size(repl, string)
        return method(repl, string, count)

    return sub


def check_sub_size(repl: Any, string: Any) -> None:
    """Refuse a substitution that could build a string longer than MAX_STRING."""
    # Worst case: a match at every position, each replaced by the whole of `repl`.
    if (
        isinstance(repl, str | bytes)
        and isinstance(string, str | bytes)
        and len(string) + (len(string) + 1) * len(repl) > MAX_STRING
    ):
        raise refuse(f"re substitution could build a string longer than {MAX_STRING}")


def guarded_write(obj: Any) -> Any:
    """The object an assignment ``obj[k] = v`` / ``obj.a = v`` may change: dicts and lists only."""
    if type(obj) is dict or type(obj) is list:
        return obj
    if type(obj).__name__ == "ModuleProxy":  # named, not imported: that module imports this one
        raise refuse(f"changing {obj!r} is not allowed")
    raise refuse(f"changing a {type(obj).__name__} object is not allowed")


# -- operators that can build huge objects ------------------------------------------------------


def _check_repeat(seq: Any, times: Any) -> None:
    if isinstance(times, int) and times > 1:
        limit = MAX_ITEMS if isinstance(seq, list | tuple) else MAX_STRING
        if len(seq) * times > limit:
            raise refuse(f"repeating a {type(seq).__name__} {times} times is too large")


def guarded_mul(a: Any, b: Any) -> Any:
    """``a * b`` unless it would build a huge sequence or int."""
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        if a.bit_length() + b.bit_length() > MAX_INT_BITS:
            raise refuse(f"the product would exceed {MAX_INT_BITS} bits")
    elif isinstance(a, _SEQUENCES):
        _check_repeat(a, b)
    elif isinstance(b, _SEQUENCES):
        _check_repeat(b, a)
    return a * b


def guarded_pow(a: Any, b: Any, modulo: Any = None) -> Any:
    """``a ** b`` (and ``pow``) unless the int result would be huge."""
    if modulo is not None:
        return pow(a, b, modulo)
    if (
        type(a) is int
        and type(b) is int
        and b > 0
        and abs(a) > 1
        # A lower bound of the result's size: refuse only what is surely too large.
        and (a.bit_length() - 1) * b > MAX_INT_BITS
    ):
        raise refuse(f"{a} ** {b} would exceed {MAX_INT_BITS} bits")
    return a**b


def guarded_lshift(a: Any, b: Any) -> Any:
    """``a << b`` unless the result would be huge."""
    if type(a) is int and type(b) is int and a and b > MAX_INT_BITS:
        raise refuse(f"shifting by {b} bits would exceed {MAX_INT_BITS} bits")
    return a << b


def guarded_add(a: Any, b: Any) -> Any:
    """``a + b`` unless it would concatenate into a huge sequence."""
    if type(a) in _SEQUENCES and type(b) is type(a):
        limit = MAX_ITEMS if isinstance(a, list | tuple) else MAX_STRING
        if len(a) + len(b) > limit:
            raise refuse(f"concatenation would be longer than {limit}")
    return a + b


_PRINTF_FIELD = re.compile(rb"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")


@lru_cache(maxsize=512)
def _printf_ok(template: bytes) -> bool:
    for match in _PRINTF_FIELD.finditer(template):
        for number in match.groups():
            if number is not None and (number == b"*" or int(number) > MAX_WIDTH):
                return False
    return True


def guarded_mod(a: Any, b: Any) -> Any:
    """``a % b``; for %-formatting, unless a field asks for a huge or ``*`` width."""
    if type(a) is str or type(a) is bytes:
        template = a.encode("utf-8", "replace") if type(a) is str else a
        if not _printf_ok(template):
            raise refuse(f"%-format fields wider than {MAX_WIDTH} or with * are not allowed")
    return a % b


_DIGITS = re.compile(r"\d+")


def guarded_format(value: Any, conversion: str, spec: str) -> str:
    """An f-string field with a format spec, refusing widths beyond MAX_WIDTH."""
    if any(int(n) > MAX_WIDTH for n in _DIGITS.findall(spec)):
        raise refuse(f'format spec "{spec[:40]}" asks for a width beyond {MAX_WIDTH}')
    if conversion == "r":
        value = repr(value)
    elif conversion == "s":
        value = str(value)
    elif conversion == "a":
        value = ascii(value)
    return format(value, spec)


_INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "+=": guarded_add,
    "-=": operator.isub,
    "*=": guarded_mul,
    "/=": operator.itruediv,
    "//=": operator.ifloordiv,
    "%=": guarded_mod,
    "**=": guarded_pow,
    "<<=": guarded_lshift,
    ">>=": operator.irshift,
    "|=": operator.ior,
    "^=": operator.ixor,
    "&=": operator.iand,
    "@=": operator.imatmul,
}


def guarded_inplace(op: str, target: Any, value: Any) -> Any:
    """``target op= value`` with the same size checks as the plain operators."""
    return _INPLACE[op](target, value)


def guarded_apply(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """A call with ``*args``/``**kwargs`` (RestrictedPython routes those through here)."""
    return func(*args, **kwargs)


def guarded_iter(obj: Any, *sentinel: Any) -> Iterator[Any]:
    """``iter(obj)``; the two-argument form (an endless loop in C) is refused."""
    if sentinel:
        raise refuse("iter(callable, sentinel) is not allowed")
    return iter(obj)
