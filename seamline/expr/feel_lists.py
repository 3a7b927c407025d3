"""FEEL list built-ins (``count``, ``sum``, ``sort``, ``distinct values``, ...)."""

from __future__ import annotations

import builtins
import functools
from decimal import Decimal, localcontext
from typing import Any

from seamline.expr import feel_ops as ops
from seamline.expr.feel_builtins import builtin, invoke
from seamline.expr.values import FeelFunction, check_items, check_list


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError("not a list")
    return value


def _items(args: tuple[Any, ...]) -> list[Any]:
    """``min([1, 2])`` and ``min(1, 2)`` both mean the list of numbers."""
    if len(args) == 1 and isinstance(args[0], list):
        return args[0]
    return list(args)


def _numbers(args: tuple[Any, ...]) -> list[Decimal]:
    items = _items(args)
    if not all(ops.is_number(i) for i in items):
        raise TypeError("not all numbers")
    return [ops.to_decimal(i) for i in items]


@builtin("list contains")
def _list_contains(list_: Any, element: Any) -> bool:
    return any(ops.equal(item, element) is True for item in _list(list_))


@builtin("count")
def _count(list_: Any) -> int:
    return len(_list(list_))


def _extreme(args: tuple[Any, ...], pick: str) -> Any:
    items = _items(args)
    if not items:
        return None
    best = items[0]
    for item in items[1:]:
        verdict = ops.compare(pick, item, best)
        if verdict is None:
            return None
        if verdict:
            best = item
    return best


@builtin("min", variadic=True)
def _min(*list_: Any) -> Any:
    return _extreme(list_, "<")


@builtin("max", variadic=True)
def _max(*list_: Any) -> Any:
    return _extreme(list_, ">")


@builtin("sum", variadic=True)
def _sum(*list_: Any) -> Any:
    numbers = _numbers(list_)
    if not numbers:
        return None
    return ops.normalize(ops.DECIMAL.create_decimal(sum(numbers, Decimal(0))))


@builtin("product", variadic=True)
def _product(*list_: Any) -> Any:
    numbers = _numbers(list_)
    if not numbers:
        return None
    result = Decimal(1)
    for n in numbers:
        result = ops.DECIMAL.multiply(result, n)
    return ops.normalize(result)


@builtin("mean", variadic=True)
def _mean(*list_: Any) -> Any:
    numbers = _numbers(list_)
    if not numbers:
        return None
    return ops.normalize(ops.DECIMAL.divide(sum(numbers, Decimal(0)), len(numbers)))


@builtin("median", variadic=True)
def _median(*list_: Any) -> Any:
    numbers = sorted(_numbers(list_))
    if not numbers:
        return None
    middle = len(numbers) // 2
    if len(numbers) % 2:
        return ops.normalize(numbers[middle])
    return ops.normalize(ops.DECIMAL.divide(numbers[middle - 1] + numbers[middle], 2))


@builtin("stddev", variadic=True)
def _stddev(*list_: Any) -> Any:
    numbers = _numbers(list_)
    if len(numbers) < 2:
        return None
    with localcontext(ops.DECIMAL):
        mean = sum(numbers, Decimal(0)) / len(numbers)
        variance = sum(((n - mean) ** 2 for n in numbers), Decimal(0)) / (len(numbers) - 1)
        return ops.normalize(variance.sqrt())


@builtin("mode", variadic=True)
def _mode(*list_: Any) -> list[Any]:
    numbers = _numbers(list_)
    counts: dict[Decimal, int] = {}
    for n in numbers:
        counts[n] = counts.get(n, 0) + 1
    top = max(counts.values(), default=0)
    return sorted(ops.normalize(n) for n, c in counts.items() if c == top)


@builtin("all", variadic=True)
def _all(*list_: Any) -> bool | None:
    items = _items(list_)
    if any(item is False for item in items):
        return False
    return True if all(item is True for item in items) else None


@builtin("any", variadic=True)
def _any(*list_: Any) -> bool | None:
    items = _items(list_)
    if any(item is True for item in items):
        return True
    return False if all(item is False for item in items) else None


@builtin("sublist")
def _sublist(list_: Any, start_position: Any, length: Any = None) -> list[Any] | None:
    items = _list(list_)
    start = int(start_position)
    if start == 0 or abs(start) > len(items):
        return None
    begin = start - 1 if start > 0 else len(items) + start
    return items[begin:] if length is None else items[begin : begin + int(length)]


@builtin("append", variadic=True)
def _append(list_: Any, *items: Any) -> list[Any]:
    return check_list([*_list(list_), *items])


@builtin("concatenate", variadic=True)
def _concatenate(*lists: Any) -> list[Any]:
    result: list[Any] = []
    for item in lists:
        result.extend(_list(item))
        check_items(len(result))
    return result


@builtin("insert before")
def _insert_before(list_: Any, position: Any, newItem: Any) -> list[Any] | None:
    items = _list(list_)
    index = int(position)
    if index == 0 or abs(index) > len(items):
        return None
    at = index - 1 if index > 0 else len(items) + index
    return check_list([*items[:at], newItem, *items[at:]])


@builtin("remove")
def _remove(list_: Any, position: Any) -> list[Any] | None:
    items = _list(list_)
    index = int(position)
    if index == 0 or abs(index) > len(items):
        return None
    at = index - 1 if index > 0 else len(items) + index
    return [*items[:at], *items[at + 1 :]]


@builtin("reverse")
def _reverse(list_: Any) -> list[Any]:
    return _list(list_)[::-1]


@builtin("index of")
def _index_of(list_: Any, match: Any) -> list[int]:
    return [i for i, item in enumerate(_list(list_), 1) if ops.equal(item, match) is True]


def _distinct(items: list[Any]) -> list[Any]:
    result: list[Any] = []
    for item in items:
        if not any(ops.equal(item, seen) is True for seen in result):
            result.append(item)
    return result


@builtin("union", variadic=True)
def _union(*lists: Any) -> list[Any]:
    return _distinct(_concatenate(*lists))


@builtin("distinct values")
def _distinct_values(list_: Any) -> list[Any]:
    return _distinct(_list(list_))


@builtin("duplicate values")
def _duplicate_values(list_: Any) -> list[Any]:
    items = _list(list_)
    dupes = [x for i, x in enumerate(items) if any(ops.equal(x, y) is True for y in items[:i])]
    return _distinct(dupes)


@builtin("flatten")
def _flatten(list_: Any) -> list[Any]:
    result: list[Any] = []
    stack = [iter(_list(list_))]
    # Iterative, so a deeply nested list_ cannot exhaust the Python stack.
    while stack:
        for item in stack[-1]:
            if isinstance(item, builtins.list):
                stack.append(iter(item))
                break
            result.append(item)
            check_items(len(result))
        else:
            stack.pop()
    return result


@builtin("sort")
def _sort(list_: Any, precedes: Any = None) -> list[Any] | None:
    items = _list(list_)
    if precedes is None:

        def before(a: Any, b: Any) -> Any:
            return ops.compare("<", a, b)

    elif isinstance(precedes, FeelFunction):

        def before(a: Any, b: Any) -> Any:
            return invoke(precedes, [a, b], None)

    else:
        return None

    def order(a: Any, b: Any) -> int:
        if before(a, b) is True:
            return -1
        if before(b, a) is True:
            return 1
        return 0

    return sorted(items, key=functools.cmp_to_key(order))


@builtin("is empty")
def _is_empty(list_: Any) -> bool:
    return not _list(list_)


@builtin("list_ replace")
def _list_replace(list_: Any, position: Any, newItem: Any) -> list[Any] | None:
    items = [*_list(list_)]
    if isinstance(position, FeelFunction):
        return [newItem if invoke(position, [x, newItem], None) is True else x for x in items]
    index = int(position)
    if index == 0 or abs(index) > len(items):
        return None
    items[index - 1 if index > 0 else index] = newItem
    return items
