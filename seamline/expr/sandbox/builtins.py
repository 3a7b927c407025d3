"""What restricted code can name: an allow-list of builtins and five read-only module stand-ins.

The modules ``datetime``, ``math``, ``decimal``, ``json`` and ``re`` are offered as
:class:`ModuleProxy` objects that expose only public, non-module attributes (so
``datetime.sys``, ``json.codecs`` and ``re.enum`` do not exist), cannot be assigned to, and wrap
the few functions that could exhaust memory or CPU in one C call. They are pre-bound names and
are also what ``import`` returns; importing anything else is refused.
"""

from __future__ import annotations

import builtins
import datetime
import decimal
import json
import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import Any

from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence
from RestrictedPython.PrintCollector import PrintCollector

from seamline.expr.regexes import compile_regex
from seamline.expr.sandbox import guards
from seamline.expr.sandbox.guards import MAX_ITEMS, MAX_WIDTH, refuse

#: Largest argument of math.factorial / math.perm and of math.comb's n.
MAX_FACTORIAL = 20_000


class ModuleProxy:
    """A read-only view of an allow-listed module's public attributes."""

    __slots__ = ("_sandbox_attrs", "_sandbox_name")

    def __init__(self, name: str, attrs: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_sandbox_name", name)
        object.__setattr__(self, "_sandbox_attrs", dict(attrs))

    def __getattr__(self, name: str) -> Any:
        try:
            return self._sandbox_attrs[name]
        except KeyError:
            if name.startswith("__"):
                # Host code probing for protocols (copy, pickle...), not the script: no refusal.
                raise AttributeError(name) from None
            raise refuse(f"{self._sandbox_name}.{name} is not available in the sandbox") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise refuse(f"changing module {self._sandbox_name} is not allowed")

    def __delattr__(self, name: str) -> None:
        raise refuse(f"changing module {self._sandbox_name} is not allowed")

    def __repr__(self) -> str:
        return f"<module {self._sandbox_name!r}>"


def _public(module: ModuleType, denied: Iterable[str] = ()) -> dict[str, Any]:
    denied = set(denied)
    return {
        name: value
        for name in dir(module)
        if not name.startswith("_")
        and name not in denied
        and not isinstance(value := getattr(module, name), ModuleType)
    }


# -- re: RE2, linear time ----------------------------------------------------------------------
# Every pattern runs on RE2 (seamline.expr.regexes): no pattern can backtrack for ever, whatever
# its shape or its input, so no pattern needs to be judged by its shape.


def _re_search(name: str) -> Callable[..., Any]:
    def call(pattern: Any, string: Any, flags: int = 0) -> Any:
        return getattr(compile_regex(pattern, flags), name)(string)

    call.__name__ = name
    return call


def _re_split(pattern: Any, string: Any, maxsplit: int = 0, flags: int = 0) -> Any:
    return compile_regex(pattern, flags).split(string, maxsplit)


def _re_sub(name: str) -> Callable[..., Any]:
    def call(pattern: Any, repl: Any, string: Any, count: int = 0, flags: int = 0) -> Any:
        guards.check_sub_size(repl, string)
        return getattr(compile_regex(pattern, flags), name)(repl, string, count)

    call.__name__ = name
    return call


_RE = _public(re, denied={"template", "TEMPLATE", "T", "Scanner", "purge", "DEBUG"})
_RE.update(
    {name: _re_search(name) for name in ("match", "search", "fullmatch", "findall", "finditer")},
    compile=compile_regex,
    split=_re_split,
    sub=_re_sub("sub"),
    subn=_re_sub("subn"),
)


# -- math: bounded big-number functions ---------------------------------------------------------


def _bounded(name: str, *positions: int) -> Callable[..., Any]:
    function = getattr(math, name)

    def checked(*args: Any) -> Any:
        for index in positions:
            if len(args) > index and isinstance(args[index], int) and args[index] > MAX_FACTORIAL:
                raise refuse(f"math.{name} of more than {MAX_FACTORIAL} is not allowed")
        return function(*args)

    checked.__name__ = name
    return checked


def _prod(iterable: Iterable[Any], *, start: Any = 1) -> Any:
    result = start
    for item in iterable:
        result = guards.guarded_mul(result, item)
    return result


_MATH = _public(math)
_MATH.update(
    factorial=_bounded("factorial", 0),
    perm=_bounded("perm", 0, 1),
    comb=_bounded("comb", 0),
    prod=_prod,
)


# -- json: no file I/O, bounded indentation -----------------------------------------------------


def _dumps(obj: Any, **kwargs: Any) -> str:
    indent = kwargs.get("indent")
    if (isinstance(indent, int) and indent > MAX_WIDTH // 100) or (
        isinstance(indent, str) and len(indent) > MAX_WIDTH // 100
    ):
        raise refuse("json.dumps indentation is too large")
    return json.dumps(obj, **kwargs)


_JSON = _public(json, denied={"load", "dump"})
_JSON["dumps"] = _dumps

# decimal: every way to reach or replace a shared Context is left out, because a context is
# per thread and would outlive the script.
_DECIMAL = _public(
    decimal,
    denied={
        "getcontext",
        "setcontext",
        "localcontext",
        "Context",
        "DefaultContext",
        "BasicContext",
        "ExtendedContext",
    },
)
_DATETIME = _public(datetime, denied={"datetime_CAPI"})

MODULES: dict[str, ModuleProxy] = {
    "datetime": ModuleProxy("datetime", _DATETIME),
    "math": ModuleProxy("math", _MATH),
    "decimal": ModuleProxy("decimal", _DECIMAL),
    "json": ModuleProxy("json", _JSON),
    "re": ModuleProxy("re", _RE),
}


def guarded_import(
    name: str,
    globals: Any = None,
    locals: Any = None,
    fromlist: Any = (),
    level: int = 0,
) -> ModuleProxy:
    """``import`` for restricted code: only the five allow-listed modules, never relative."""
    module = MODULES.get(name)
    if module is None or level != 0:
        raise refuse(f'importing "{name}" is not allowed (allowed: {", ".join(sorted(MODULES))})')
    return module


def _names(words: str) -> list[str]:
    return words.split()


# -- builtins ------------------------------------------------------------------------------------


def _range(*args: int) -> range:
    result = range(*args)
    if len(result) > MAX_ITEMS:
        raise refuse(f"range() of more than {MAX_ITEMS} items is not allowed")
    return result


def _sum(iterable: Iterable[Any], start: Any = 0) -> Any:
    # sum(lists, []) concatenates quadratically in C; only numbers are summed here.
    if isinstance(start, str | bytes | list | tuple):
        raise refuse("sum() of sequences is not allowed; use a comprehension or join()")
    return builtins.sum(iterable, start)


def _getattr(obj: Any, name: str, *default: Any) -> Any:
    return guards.guarded_getattr(obj, name, *default)


_ALLOWED_BUILTINS = _names(
    "abs all any ascii bin bool callable chr dict divmod enumerate filter float frozenset hash "
    "hex int isinstance len list map max min next oct ord repr reversed round set slice sorted "
    "str tuple zip Ellipsis NotImplemented "
    # Exceptions a script may raise or catch; SystemExit, KeyboardInterrupt and GeneratorExit
    # are left out so a script cannot stop the worker that runs it.
    "ArithmeticError AssertionError AttributeError BaseException Exception IndexError "
    "KeyError LookupError MemoryError NameError NotImplementedError OverflowError "
    "RecursionError RuntimeError StopIteration TypeError UnboundLocalError UnicodeError "
    "ValueError ZeroDivisionError"
)

BUILTINS: dict[str, Any] = {name: getattr(builtins, name) for name in _ALLOWED_BUILTINS}
BUILTINS.update(
    range=_range,
    sum=_sum,
    pow=guards.guarded_pow,
    iter=guards.guarded_iter,
    getattr=_getattr,
    __import__=guarded_import,
)
BUILTINS.update(MODULES)

#: Names that exist in Python but are refused in the sandbox: a NameError for one of these is
#: reported as a SandboxViolation, not as a mistake in the script.
FORBIDDEN_NAMES = frozenset(
    _names(
        "open exec eval compile globals locals vars dir setattr delattr hasattr type object super "
        "input help breakpoint exit quit memoryview bytearray bytes classmethod staticmethod "
        "property id format issubclass copyright credits license SystemExit KeyboardInterrupt "
        "GeneratorExit os sys subprocess importlib builtins shutil socket pickle ctypes"
    )
)

#: The guard names RestrictedPython's rewritten code calls; set last so data cannot shadow them.
GUARDS: dict[str, Any] = {
    "__builtins__": BUILTINS,
    "_getattr_": guards.guarded_getattr,
    "_getitem_": operator.getitem,
    "_getiter_": iter,
    "_write_": guards.guarded_write,
    "_inplacevar_": guards.guarded_inplace,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_print_": PrintCollector,
    "_apply_": guards.guarded_apply,
    "_mul_": guards.guarded_mul,
    "_pow_": guards.guarded_pow,
    "_lshift_": guards.guarded_lshift,
    "_mod_": guards.guarded_mod,
    "_add_": guards.guarded_add,
    "_format_": guards.guarded_format,
}
