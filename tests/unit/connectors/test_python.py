from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seamline.connectors.base import ConnectorCall, ConnectorResult
from seamline.connectors.python import PythonConnector
from seamline.errors import BpmnError, FatalError, RetryableError

MODULE = """
import sys
from seamline.connectors.base import ConnectorResult
from seamline.errors import BpmnError, RetryableError

calls = []

def score(*, amount, rate=2):
    calls.append(amount)
    return {"score": amount * rate}

def busy():
    raise RetryableError("busy", retry_after=5)

def rejected():
    raise BpmnError("REJECTED")

def broken():
    raise ValueError("bad input")

def not_json():
    return {"when": object()}

def full():
    return ConnectorResult({"a": 1}, {"m": 1})

class Tools:
    @staticmethod
    def double(x):
        return x * 2

_private = 1
VALUE = 3
"""


@pytest.fixture
def module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    (tmp_path / "acme_tasks.py").write_text(MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "acme_tasks"
    sys.modules.pop("acme_tasks", None)


def run(
    function: str, args: dict[str, Any] | None = None, allow: tuple[str, ...] = ("acme_tasks.*",)
) -> Any:
    call = ConnectorCall("python", {"function": function, "args": args or {}}, "i-1", "Task_1")
    return PythonConnector(allow).invoke(call)


@pytest.mark.parametrize("path", ["acme_tasks:score", "acme_tasks.score"])
def test_calls_allowed_function_with_keyword_args(module: str, path: str) -> None:
    result = run(path, {"amount": 3})
    assert result.data == {"score": 6} and result.meta == {"function": path}


def test_attribute_path_after_colon(module: str) -> None:
    assert run("acme_tasks:Tools.double", {"x": 4}).data == 8


def test_connector_result_passes_through(module: str) -> None:
    assert run("acme_tasks:full") == ConnectorResult({"a": 1}, {"m": 1})


@pytest.mark.parametrize(
    ("allow", "path"),
    [
        (("acme_tasks:score",), "acme_tasks.score"),
        (("acme_tasks.score",), "acme_tasks:score"),
        (("acme_*",), "acme_tasks:score"),
    ],
)
def test_allow_patterns_match_both_spellings(
    module: str, allow: tuple[str, ...], path: str
) -> None:
    assert run(path, {"amount": 1}, allow).data == {"score": 2}


def test_not_allowed_names_path_and_config_key_without_importing(module: str) -> None:
    with pytest.raises(FatalError) as info:
        run("acme_tasks:score", {"amount": 1}, allow=("other.*",))
    assert "acme_tasks:score" in str(info.value) and "python_allow" in str(info.value)
    assert "acme_tasks" not in sys.modules
    with pytest.raises(FatalError, match="not allowed"):
        run("os:system", {"command": "true"}, allow=())


def test_error_kinds_pass_through(module: str) -> None:
    with pytest.raises(RetryableError) as retry:
        run("acme_tasks:busy")
    assert retry.value.retry_after == 5
    with pytest.raises(BpmnError, match="REJECTED"):
        run("acme_tasks:rejected")


def test_other_exceptions_become_fatal(module: str) -> None:
    with pytest.raises(FatalError, match="raised ValueError: bad input") as info:
        run("acme_tasks:broken")
    assert isinstance(info.value.__cause__, ValueError)
    with pytest.raises(FatalError, match="TypeError"):
        run("acme_tasks:score", {"unknown": 1})


@pytest.mark.parametrize(
    ("path", "args", "match"),
    [
        ("acme_tasks:not_json", {}, "not JSON-able"),
        ("acme_tasks:missing", {}, "has no 'missing'"),
        ("acme_tasks:_private", {}, "private"),
        ("acme_tasks:sys.exit", {}, "reaches module 'sys'"),
        ("acme_tasks:VALUE", {}, "not callable"),
        ("acme_tasks_nope:fn", {}, "cannot be imported"),
        ("acme_tasks:score", [1], "'args' must be"),
        ("", {}, "'function' is required"),
    ],
)
def test_fatal_cases(module: str, path: str, args: Any, match: str) -> None:
    with pytest.raises(FatalError, match=match):
        run(path, args, allow=("acme_tasks*",))
