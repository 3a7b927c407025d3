"""Turns FEEL parse results into closures; used by lark as an inline LALR transformer."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any, cast

from lark import Token, Transformer

from seamline.errors import ExpressionError
from seamline.expr import feel_ops as ops
from seamline.expr.feel_builtins import BUILTINS, invoke
from seamline.expr.feel_properties import get_property
from seamline.expr.feel_support import bindings, index_items, parse_number, unescape
from seamline.expr.feel_temporal import parse_temporal_literal
from seamline.expr.values import FeelFunction, Range, check_items

Evaluator = Callable[[ops.Scope], Any]
#: A compiled positive unary test: (input value, scope) -> satisfied?
Test = Callable[[Any, ops.Scope], bool]


class Const:
    """An evaluator for a literal (kept recognisable so ``items[1]`` is known to index)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self, scope: ops.Scope) -> Any:
        return self.value


class Var:
    """An evaluator for a name: local bindings, then the caller's variables, then built-ins."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, scope: ops.Scope) -> Any:
        value = scope.get(self.name)
        if value is ops.MISSING:
            return BUILTINS.get(self.name)
        return value


class _Literals(threading.local):
    """The string literals of the expression being compiled in this thread, while collecting."""

    collected: list[str] | None = None


LITERALS = _Literals()


class Compiler(Transformer[Token, Any]):
    """One method per grammar alias; each returns an evaluator closure."""

    # -- literals and names --------------------------------------------------------------

    def number(self, c: list[Any]) -> Evaluator:
        return Const(parse_number(str(c[0])))

    def negative_number(self, c: list[Any]) -> Evaluator:
        return Const(ops.negate(parse_number(str(c[0]))))

    def string(self, c: list[Any]) -> Evaluator:
        value = unescape(str(c[0]))
        if LITERALS.collected is not None:
            LITERALS.collected.append(value)
        return Const(value)

    def true(self, c: list[Any]) -> Evaluator:
        return Const(True)

    def false(self, c: list[Any]) -> Evaluator:
        return Const(False)

    def null(self, c: list[Any]) -> Evaluator:
        return Const(None)

    def var(self, c: list[Any]) -> Evaluator:
        return Var(str(c[0]))

    def backtick_var(self, c: list[Any]) -> Evaluator:
        return Var(str(c[0])[1:-1])

    def input_value(self, c: list[Any]) -> Evaluator:
        def ev(scope: ops.Scope) -> Any:
            scope.run.input_used = True
            return scope.run.input

        return ev

    def temporal_literal(self, c: list[Any]) -> Evaluator:
        text = unescape(str(c[0]))
        value = parse_temporal_literal(text)
        if value is None:
            raise ExpressionError(f"@{c[0]} is not a date, time, date and time or duration")
        return Const(value)

    # -- collections ---------------------------------------------------------------------

    def empty_list(self, c: list[Any]) -> Evaluator:
        return lambda scope: []

    def list_(self, c: list[Any]) -> Evaluator:
        items = tuple(c)
        return lambda scope: [item(scope) for item in items]

    def empty_context(self, c: list[Any]) -> Evaluator:
        return lambda scope: {}

    def context_entry(self, c: list[Any]) -> tuple[str, Evaluator]:
        *keys, value = c
        if len(keys) == 1 and keys[0].type == "STRING":
            return unescape(str(keys[0])), value
        return " ".join(str(k) for k in keys), value

    def context(self, c: list[Any]) -> Evaluator:
        entries: tuple[tuple[str, Evaluator], ...] = tuple(c)

        def ev(scope: ops.Scope) -> dict[str, Any]:
            result: dict[str, Any] = {}
            # Later entries may refer to earlier ones, so they see the context being built.
            inner = scope.child(result)
            for key, value in entries:
                result[key] = value(inner)
            return result

        return ev

    def interval_close(self, c: list[Any]) -> bool:
        return str(c[0]) == "]"

    def _interval(self, c: list[Any], start_included: bool) -> Evaluator:
        start, end, end_included = c
        return lambda scope: Range(start(scope), end(scope), start_included, end_included)

    def interval_from_included(self, c: list[Any]) -> Evaluator:
        return self._interval(c, True)

    def interval_from_excluded(self, c: list[Any]) -> Evaluator:
        return self._interval(c, False)

    # -- operators -----------------------------------------------------------------------

    def _binary(self, c: list[Any], op: Callable[[Any, Any], Any]) -> Evaluator:
        left, right = c
        return lambda scope: op(left(scope), right(scope))

    def add(self, c: list[Any]) -> Evaluator:
        return self._binary(c, ops.add)

    def sub(self, c: list[Any]) -> Evaluator:
        return self._binary(c, ops.sub)

    def mul(self, c: list[Any]) -> Evaluator:
        return self._binary(c, ops.mul)

    def div(self, c: list[Any]) -> Evaluator:
        return self._binary(c, ops.div)

    def pow(self, c: list[Any]) -> Evaluator:
        return self._binary(c, ops.power)

    def neg(self, c: list[Any]) -> Evaluator:
        (operand,) = c
        if isinstance(operand, Const):
            return Const(ops.negate(operand.value))
        return lambda scope: ops.negate(operand(scope))

    def compare(self, c: list[Any]) -> Evaluator:
        left, op, right = c
        symbol = str(op)
        return lambda scope: ops.compare(symbol, left(scope), right(scope))

    def between(self, c: list[Any]) -> Evaluator:
        value, low, high = c

        def ev(scope: ops.Scope) -> bool | None:
            return ops.in_range(value(scope), Range(low(scope), high(scope)))

        return ev

    def and_(self, c: list[Any]) -> Evaluator:
        left, right = c

        def ev(scope: ops.Scope) -> bool | None:
            a = left(scope)
            if a is False:
                return False
            b = right(scope)
            if b is False:
                return False
            return True if a is True and b is True else None

        return ev

    def or_(self, c: list[Any]) -> Evaluator:
        left, right = c

        def ev(scope: ops.Scope) -> bool | None:
            a = left(scope)
            if a is True:
                return True
            b = right(scope)
            if b is True:
                return True
            return False if a is False and b is False else None

        return ev

    def instance_of(self, c: list[Any]) -> Evaluator:
        value, type_name = c
        name = str(type_name)
        return lambda scope: ops.instance_of(value(scope), name)

    # -- unary tests ---------------------------------------------------------------------

    def unary_compare(self, c: list[Any]) -> Test:
        op, operand = c
        symbol = str(op)
        return lambda value, scope: ops.compare(symbol, value, operand(scope)) is True

    def expression_test(self, c: list[Any]) -> Test:
        (expression,) = c

        def test(value: Any, scope: ops.Scope) -> bool:
            run = scope.run
            saved = run.input, run.input_used
            run.input, run.input_used = value, False
            try:
                result = expression(scope)
                used = run.input_used
            finally:
                run.input, run.input_used = saved
            return ops.test_value(value, result, used)

        return test

    def test_list(self, c: list[Any]) -> Test:
        tests = tuple(c)
        return lambda value, scope: any(t(value, scope) for t in tests)

    def in_(self, c: list[Any]) -> Evaluator:
        value, test = c
        return lambda scope: test(value(scope), scope)

    def unary_tests(self, c: list[Any]) -> list[Test]:
        return list(c)

    # -- postfix -------------------------------------------------------------------------

    def path(self, c: list[Any]) -> Evaluator:
        target, *words = c
        name = " ".join(str(w) for w in words)
        return lambda scope: get_property(target(scope), name)

    def filter(self, c: list[Any]) -> Evaluator:
        target, condition = c
        if isinstance(condition, Const):
            index = condition.value
            return lambda scope: index_items(target(scope), index)

        def ev(scope: ops.Scope) -> Any:
            value = target(scope)
            items = value if isinstance(value, list) else [] if value is None else [value]
            result = []
            for position, item in enumerate(items):
                scope.run.tick()
                names = item if isinstance(item, Mapping) else {}
                inner = scope.child(names).child({"item": item})
                verdict = condition(inner)
                if position == 0 and ops.is_number(verdict):
                    # A computed index such as items[n] rather than a condition.
                    return index_items(value, verdict)
                if verdict is True:
                    result.append(item)
            return result

        return ev

    def _call(self, callee: Evaluator, args: tuple[Evaluator, ...], named: bool) -> Evaluator:
        def ev(scope: ops.Scope) -> Any:
            scope.run.tick()
            function = callee(scope)
            if not isinstance(function, FeelFunction) and isinstance(callee, Var):
                builtin = BUILTINS.get(callee.name)
                if builtin is None and function is not None:
                    raise ExpressionError(f"{callee.name} is not a function")
                if builtin is None:
                    raise ExpressionError(f"unknown function {callee.name}()")
                function = builtin
            if not isinstance(function, FeelFunction):
                raise ExpressionError("called a value that is not a function")
            if named:
                pairs = cast(tuple[tuple[str, Evaluator], ...], args)
                return invoke(function, [], {key: arg(scope) for key, arg in pairs})
            return invoke(function, [arg(scope) for arg in args], None)

        return ev

    def call_none(self, c: list[Any]) -> Evaluator:
        return self._call(c[0], (), False)

    def call_positional(self, c: list[Any]) -> Evaluator:
        return self._call(c[0], tuple(c[1:]), False)

    def endpoint_call(self, c: list[Any]) -> Evaluator:
        return self._call(Var(str(c[0])), tuple(c[1:]), False)

    def named_arg(self, c: list[Any]) -> tuple[str, Evaluator]:
        *words, value = c
        return " ".join(str(w) for w in words), value

    def call_named(self, c: list[Any]) -> Evaluator:
        return self._call(c[0], tuple(c[1:]), True)

    # -- control -------------------------------------------------------------------------

    def iteration(self, c: list[Any]) -> tuple[str, Evaluator, Evaluator | None]:
        return str(c[0]), c[1], None

    def iteration_range(self, c: list[Any]) -> tuple[str, Evaluator, Evaluator | None]:
        return str(c[0]), c[1], c[2]

    def for_expr(self, c: list[Any]) -> Evaluator:
        *iterations, body = c

        def ev(scope: ops.Scope) -> list[Any]:
            results: list[Any] = []
            for names in bindings(scope, iterations):
                names["partial"] = results
                results.append(body(scope.child(names)))
                check_items(len(results))
            return results

        return ev

    def if_expr(self, c: list[Any]) -> Evaluator:
        condition, then, otherwise = c
        return lambda scope: then(scope) if condition(scope) is True else otherwise(scope)

    def some_expr(self, c: list[Any]) -> Evaluator:
        return self._quantified(c, every=False)

    def every_expr(self, c: list[Any]) -> Evaluator:
        return self._quantified(c, every=True)

    def _quantified(self, c: list[Any], every: bool) -> Evaluator:
        *iterations, body = c

        def ev(scope: ops.Scope) -> bool:
            verdicts = (body(scope.child(n)) is True for n in bindings(scope, iterations))
            return all(verdicts) if every else any(verdicts)

        return ev

    def function_def(self, c: list[Any]) -> Evaluator:
        *params, body = c
        names = tuple(str(p) for p in params)

        def ev(scope: ops.Scope) -> FeelFunction:
            def impl(*args: Any) -> Any:
                return body(scope.child(dict(zip(names, args, strict=False))))

            return FeelFunction("function", names, impl)

        return ev
