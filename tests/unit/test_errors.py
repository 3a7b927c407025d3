"""One error module, one table: every exception lives in seamline.errors with its outcome."""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
from pathlib import Path

import pytest

import seamline
from seamline import errors
from seamline.errors import (
    BUG,
    INTERNAL,
    OUTCOMES,
    BodyTooLarge,
    ConfigError,
    Forbidden,
    FormInvalid,
    InstanceChanged,
    NotFound,
    SeamlineError,
    TaskChanged,
    UsageError,
    outcome,
)

PACKAGE = Path(seamline.__file__).parent
EXIT_CODES = {1, 2, 3, 4}
HTTP_STATUSES = {400, 401, 403, 404, 409, 413, 415, 500}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(node: ast.expr, namespace: dict[str, object]) -> object:
    """A base class expression (``Name`` or ``module.Name``) looked up in the module."""
    if isinstance(node, ast.Attribute):
        return getattr(_resolve(node.value, namespace), node.attr, None)
    if isinstance(node, ast.Name):
        return namespace.get(node.id, getattr(builtins, node.id, getattr(errors, node.id, None)))
    return None


def _is_exception(node: ast.expr, namespace: dict[str, object]) -> bool:
    found = _resolve(node, namespace)
    return isinstance(found, type) and issubclass(found, BaseException)


def _exception_classes(path: Path) -> list[str]:
    """Classes in ``path`` (at any depth) with a base that resolves to an exception type."""
    namespace = vars(importlib.import_module(_module_name(path)))
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ClassDef):
            continue
        if any(_is_exception(base, namespace) for base in node.bases):
            found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}")
    return found


def test_no_module_but_errors_defines_an_exception_class() -> None:
    offenders = [
        hit
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "errors.py" or path.parent != PACKAGE
        for hit in _exception_classes(path)
    ]
    assert offenders == []


def test_the_scan_sees_exception_classes() -> None:
    # The scan above must be able to fail: errors.py itself is full of hits.
    hits = _exception_classes(PACKAGE / "errors.py")
    assert any(hit.endswith(" Abort") for hit in hits)
    assert any(hit.endswith(" TaskChanged") for hit in hits)
    assert any(hit.endswith(" UnsupportedRegex") for hit in hits)  # a ``re.error``


def _defined_exceptions() -> list[type[BaseException]]:
    return [
        value
        for value in vars(errors).values()
        if inspect.isclass(value)
        and issubclass(value, BaseException)
        and value.__module__ == errors.__name__
    ]


def test_every_error_kind_has_an_exit_code_and_an_http_status() -> None:
    for kind in _defined_exceptions():
        if issubclass(kind, SeamlineError):
            assert kind in OUTCOMES, f"{kind.__name__} is missing from OUTCOMES"
            assert OUTCOMES[kind].exit_code in EXIT_CODES, kind.__name__
            assert OUTCOMES[kind].http_status in HTTP_STATUSES, kind.__name__
        else:
            assert kind in INTERNAL, f"{kind.__name__} is neither a SeamlineError nor internal"


def test_every_class_is_drawn_in_the_tree_and_has_a_default_message() -> None:
    tree = errors.__doc__ or ""
    for kind in _defined_exceptions():
        assert kind.__name__ in tree, kind.__name__
        assert (kind.__doc__ or "").strip(), kind.__name__


@pytest.mark.parametrize(
    ("error", "exit_code", "http_status"),
    [
        (SeamlineError("x"), 1, 400),
        (FormInvalid("x"), 1, 400),
        (UsageError("x"), 2, 400),
        (ConfigError("x"), 2, 500),  # the server's configuration, not the request, is wrong
        (BodyTooLarge("x"), 2, 413),
        (InstanceChanged("x"), 3, 409),
        (TaskChanged("x"), 3, 409),
        (Forbidden("x"), 4, 403),
        (NotFound("x"), 1, 404),
    ],
)
def test_the_cli_and_the_web_read_the_same_table(
    error: SeamlineError, exit_code: int, http_status: int
) -> None:
    assert (error.exit_code, error.http_status) == (exit_code, http_status)
    assert outcome(error) == (exit_code, http_status)


def test_a_kind_defined_elsewhere_takes_its_nearest_listed_ancestors_outcome() -> None:
    class PluginLookupFailed(NotFound):
        """A plugin found nothing."""

    assert outcome(PluginLookupFailed()) == OUTCOMES[NotFound]


def test_anything_else_is_a_bug() -> None:
    assert outcome(KeyError("x")) == BUG == (70, 500)
