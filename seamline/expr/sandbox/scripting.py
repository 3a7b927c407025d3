"""Running the Python in diagrams: script tasks, pre/post scripts, conditions and expressions.

A BPMN file is untrusted code. Unless the operator opts in (``trusted=True``, set from the
configuration or ``--trusted-scripts``), its Python runs restricted:

- compiled with RestrictedPython's transformer plus seamline's additions
  (:mod:`seamline.expr.sandbox.policy`): no names or attributes starting with ``_``, no
  ``class`` statements, no ``exec``/``eval``;
- run with guard functions (:mod:`seamline.expr.sandbox.guards`) that refuse the attributes
  known to lead out (``format``, ``mro``, frame and code attributes), writes to anything but
  dicts and lists, and single operations that would build huge objects;
- with an allow-list of builtins and the modules ``datetime``, ``math``, ``decimal``, ``json`` and
  ``re`` only (:mod:`seamline.expr.sandbox.builtins`).

Time limit. Instead of ``sys.settrace`` (a per-line cost, and per thread), the compiler inserts a
clock check into every loop body, function body, lambda and comprehension step. Python code can
only run for an unbounded time by looping or calling, so every long run passes a check; a check
fires in whatever thread runs the script. Code without loops, comprehensions, lambdas or
functions -- nearly every gateway condition -- gets no checks and no clock at all: it executes a
bounded number of operations, each of which is either cheap or refused by the size guards (the
allowed builtins that iterate in C only consume bounded inputs: ``range`` is capped and the
endless two-argument ``iter`` is not offered). Recursion is bounded by the interpreter's
recursion limit, and branching recursion by the checks in function bodies.

Memory limit. The same checks sample the process's resident memory every few milliseconds; a
run that grows it by more than ``memory_limit`` bytes is stopped (and every later check stops it
again, so catching the refusal does not help). Single operations that would allocate a lot at
once are refused by the guards before they run, so between two samples a script can only add
what it allocates in a few milliseconds. Trusted code has neither a time nor a memory limit.

Errors: syntax errors raise :class:`ExpressionSyntaxError`; refusals, at compile time or at run
time, :class:`SandboxViolation`; running out of time :class:`ScriptTimeout`, out of memory
:class:`ScriptMemoryExceeded`; any other exception
the script raises :class:`ExpressionError`. Each message is one line naming ``where``, the line
of the script and the error, and never a host file path.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import datetime
import decimal
import json
import math
import re
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import CodeType, TracebackType
from typing import Any, Literal, cast

from seamline.errors import (
    Abort,
    ExpressionError,
    ExpressionSyntaxError,
    SandboxViolation,
    ScriptMemoryExceeded,
    ScriptTimeout,
)
from seamline.expr.sandbox.builtins import FORBIDDEN_NAMES, GUARDS
from seamline.expr.sandbox.guards import STATE, make_tick
from seamline.expr.sandbox.policy import TICK, SandboxPolicy

__all__ = ["DATA_TYPES", "DEFAULT_MEMORY_LIMIT", "Sandbox", "ScriptMemoryExceeded"]

#: The file name compiled code carries; tracebacks are matched against it to find the line.
FILENAME = "<script>"
#: Compiled code kept per Sandbox; the cache is emptied when it fills.
CACHE_SIZE = 4096
#: Default bound on the memory one restricted run may add to the process, in bytes.
DEFAULT_MEMORY_LIMIT = 256 * 2**20
#: Longest error text (from the script's exception) put into a message.
MAX_DETAIL = 200

#: Values :meth:`Sandbox.execute` hands back as task data. Anything else a script leaves in its
#: namespace (functions, modules, regex matches, iterators...) is not data and is left out.
DATA_TYPES: tuple[type, ...] = (
    type(None),
    bool,
    int,
    float,
    str,
    list,
    dict,
    tuple,
    set,
    frozenset,
    decimal.Decimal,
    datetime.date,
    datetime.time,
    datetime.timedelta,
)

_TRUSTED_MODULES = {"datetime": datetime, "math": math, "decimal": decimal, "json": json, "re": re}

_HINT_VIOLATION = (
    "diagram scripts run restricted; an operator may allow plain Python with --trusted-scripts"
)
_HINT_TIMEOUT = "make the loop end, or raise the script time limit"
_HINT_MEMORY = "keep less data in the script, or raise script_memory_limit in seamline.toml"


@dataclass(frozen=True, slots=True)
class _Compiled:
    code: CodeType
    needs_clock: bool


class Sandbox:
    """Compiles and runs diagram Python, restricted unless ``trusted`` (see the module docstring).

    ``time_limit`` (seconds) and ``memory_limit`` (bytes of growth, None for none) bound each
    restricted run; trusted code has no limits.
    """

    def __init__(
        self,
        *,
        trusted: bool = False,
        time_limit: float = 5.0,
        memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
    ) -> None:
        if time_limit <= 0:
            raise ValueError("time_limit must be positive")
        if memory_limit is not None and memory_limit <= 0:
            raise ValueError("memory_limit must be positive")
        self.trusted = trusted
        self.time_limit = time_limit
        self.memory_limit = memory_limit
        self._cache: dict[tuple[str, str], _Compiled] = {}

    # -- public API --------------------------------------------------------------------------

    def check(
        self, source: str, *, mode: Literal["eval", "exec"], where: str | None = None
    ) -> None:
        """Compile ``source`` without running it.

        Raises ExpressionSyntaxError for invalid Python and SandboxViolation for code the sandbox
        would refuse before running it (private names, class statements, ``exec``...).
        """
        self._compiled(source, mode, where or _default_where(mode))

    def evaluate(
        self, expression: str, variables: Mapping[str, Any], *, where: str | None = None
    ) -> Any:
        """The value of the Python ``expression`` with ``variables`` as its names."""
        where = where or "expression"
        compiled = self._cache.get((expression, "eval")) or self._compiled(
            expression, "eval", where
        )
        namespace = self._namespace(variables, compiled)
        STATE.abort = None
        try:
            result = eval(compiled.code, namespace)
        except BaseException as exc:
            namespace.clear()  # the traceback keeps the namespace: let go of what it built
            raise self._translate(exc, where, expression) from exc
        if STATE.abort is not None:
            raise self._translate(STATE.abort, where, expression)
        return result

    def constants(self, expression: str) -> tuple[str, ...]:
        """The string literals the compiled ``expression`` carries, as the objects it returns.

        A value :meth:`evaluate` returns holds these very objects where it holds the
        expression's own literals; equal strings from the variables are other objects.
        """
        compiled = self._compiled(expression, "eval", "expression")
        return tuple(_string_constants(compiled.code))

    def execute(
        self, script: str, variables: Mapping[str, Any], *, where: str | None = None
    ) -> dict[str, Any]:
        """Run ``script`` with ``variables`` as its namespace; return the resulting task data.

        The result holds every variable bound when the script ends -- the inputs it left alone,
        the ones it changed and the ones it created, without those it deleted -- keeping only
        data values (:data:`DATA_TYPES`, checked at the top level): functions the script
        defines, modules and other objects are left out. Mutable inputs (lists, dicts) are
        changed in place, as in SpiffWorkflow, so a failing script may leave them half changed.
        """
        where = where or "script"
        compiled = self._cache.get((script, "exec")) or self._compiled(script, "exec", where)
        namespace = self._namespace(variables, compiled)
        STATE.abort = None
        try:
            exec(compiled.code, namespace)
        except BaseException as exc:
            namespace.clear()  # the traceback keeps the namespace: let go of what it built
            raise self._translate(exc, where, script) from exc
        if STATE.abort is not None:
            raise self._translate(STATE.abort, where, script)
        return _data(namespace, variables, self.trusted)

    # -- compiling ---------------------------------------------------------------------------

    def _compiled(self, source: str, mode: str, where: str) -> _Compiled:
        key = (source, mode)
        compiled = self._cache.get(key)
        if compiled is None:
            if not isinstance(source, str):
                raise ExpressionSyntaxError(
                    f"{where}: expected Python text, got {type(source).__name__}"
                )
            compiled = (
                self._compile_trusted(source, mode, where)
                if self.trusted
                else _compile_restricted(source, mode, where)
            )
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            self._cache[key] = compiled
        return compiled

    @staticmethod
    def _compile_trusted(source: str, mode: str, where: str) -> _Compiled:
        tree = _parse(source, mode, where)
        with _quiet():
            return _Compiled(compile(tree, FILENAME, mode), needs_clock=False)

    # -- running -----------------------------------------------------------------------------

    def _namespace(self, variables: Mapping[str, Any], compiled: _Compiled) -> dict[str, Any]:
        namespace = dict(variables)
        if self.trusted:
            for name, module in _TRUSTED_MODULES.items():
                namespace.setdefault(name, module)
            namespace["__builtins__"] = builtins
            return namespace
        namespace.update(GUARDS)
        if compiled.needs_clock:
            namespace[TICK] = make_tick(self.time_limit, self.memory_limit)
        return namespace

    def _translate(self, exc: BaseException, where: str, source: str) -> BaseException:
        """The SeamlineError to raise for ``exc`` escaping a run (KeyboardInterrupt passes)."""
        if isinstance(exc, KeyboardInterrupt):
            return exc
        # A refusal the script caught and hid still counts: report the first one.
        abort = STATE.abort if STATE.abort is not None else exc
        STATE.abort = None
        line = _script_line(exc.__traceback__, source)
        place = f"{where}, line {line}" if line else where
        if isinstance(abort, Abort):
            if abort.kind == "timeout":
                return ScriptTimeout(
                    f"{place}: {abort.detail}", hint=_HINT_TIMEOUT, where=where, script_line=line
                )
            if abort.kind == "memory":
                return ScriptMemoryExceeded(
                    f"{place}: {abort.detail}", hint=_HINT_MEMORY, where=where, script_line=line
                )
            return SandboxViolation(
                f"{place}: {abort.detail}", hint=_HINT_VIOLATION, where=where, script_line=line
            )
        if isinstance(exc, NameError) and getattr(exc, "name", None) in FORBIDDEN_NAMES:
            return SandboxViolation(
                f'{place}: "{exc.name}" is not available in the sandbox',
                hint=_HINT_VIOLATION,
                where=where,
                script_line=line,
            )
        return ExpressionError(
            f"{place}: {type(exc).__name__}: {_one_line(exc)}", where=where, script_line=line
        )


# -- helpers ---------------------------------------------------------------------------------


def _string_constants(code: CodeType) -> Iterator[str]:
    for const in code.co_consts:
        if isinstance(const, str):
            yield const
        elif isinstance(const, CodeType):
            yield from _string_constants(const)
        elif isinstance(const, tuple | frozenset):
            yield from (c for c in const if isinstance(c, str))


def _default_where(mode: str) -> str:
    return "expression" if mode == "eval" else "script"


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence compiler warnings while compiling a diagram's text.

    Diagram authors write ``"\\d+"`` and ``x is 1``, which Python accepts with a warning; that
    is no concern of the operator's and must not turn into an error where warnings are errors.
    Compiling happens once per text (cached), so the global warning filter is touched rarely.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _parse(source: str, mode: str, where: str) -> ast.Module | ast.Expression:
    try:
        with _quiet():
            return cast(ast.Module | ast.Expression, ast.parse(source, FILENAME, mode))
    except SyntaxError as exc:
        line = f", line {exc.lineno}" if exc.lineno and "\n" in source.strip() else ""
        raise ExpressionSyntaxError(
            f"{where}{line}: invalid Python: {exc.msg}", where=where, script_line=exc.lineno
        ) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        # null bytes, or nesting too deep for the parser
        raise ExpressionSyntaxError(
            f"{where}: invalid Python: {_one_line(exc)}", where=where
        ) from None


def _compile_restricted(source: str, mode: str, where: str) -> _Compiled:
    tree = _parse(source, mode, where)
    errors: list[str] = []
    policy = SandboxPolicy(errors, [], {})
    try:
        policy.visit(tree)  # transforms the tree in place; the root node stays
    except RecursionError:
        raise ExpressionSyntaxError(
            f"{where}: invalid Python: nested too deeply", where=where
        ) from None
    if errors:
        raise _refusal(errors, source, where)
    ast.fix_missing_locations(tree)
    try:
        with _quiet():
            code = compile(tree, FILENAME, mode)
    except (SyntaxError, ValueError, RecursionError) as exc:
        raise ExpressionSyntaxError(
            f"{where}: invalid Python: {_one_line(exc)}", where=where
        ) from None
    return _Compiled(code, policy.needs_clock)


def _refusal(errors: list[str], source: str, where: str) -> SandboxViolation:
    """One SandboxViolation for the compile-time refusals RestrictedPython collected."""
    # RestrictedPython writes "Line N: message", outermost construct first; name a few.
    multiline = "\n" in source.strip()
    numbers: list[int] = []
    details: list[str] = []
    for error in errors:
        prefix, _, detail = error.partition(": ")
        number = prefix.removeprefix("Line ").strip()
        if number.isdigit():
            numbers.append(int(number))
        if detail and detail not in details:
            details.append(detail.rstrip("."))
    place = f"{where}, line {min(numbers)}" if numbers and multiline else where
    text = "; ".join(details[:3]) + ("; ..." if len(details) > 3 else "")
    return SandboxViolation(
        f"{place}: {text}",
        hint=_HINT_VIOLATION,
        where=where,
        script_line=min(numbers) if numbers else None,
    )


def _script_line(tb: TracebackType | None, source: str) -> int | None:
    """The line of the script where the error happened (the innermost frame of the script)."""
    if "\n" not in source.strip():
        return None  # one-line code: a line number would only be noise
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == FILENAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if len(text) > MAX_DETAIL:
        text = text[: MAX_DETAIL - 3] + "..."
    return text or "(no message)"


def _data(namespace: dict[str, Any], variables: Mapping[str, Any], trusted: bool) -> dict[str, Any]:
    """The task data left in ``namespace`` after a script ran."""
    result: dict[str, Any] = {}
    for name, value in namespace.items():
        if name in GUARDS or name == TICK or name == "__builtins__":
            continue
        if not isinstance(value, DATA_TYPES):
            continue
        result[name] = value
    # Guard names were overwritten in the namespace; data the caller had under them stays.
    for name in GUARDS.keys() & variables.keys():
        result[name] = variables[name]
    return result
