from __future__ import annotations

from typing import Any

import pytest

from seamline.connectors.base import ConnectorCall
from seamline.connectors.shell import ShellConnector
from seamline.errors import FatalError


def run(params: dict[str, Any], allow: tuple[str, ...] = ("echo",)) -> Any:
    return ShellConnector(allow).invoke(ConnectorCall("shell", params, "i-1", "Task_1"))


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"command": "rm", "args": ["-rf", "/"]}, "'rm' is not allowed"),
        ({"command": "/bin/echo"}, "'/bin/echo' is not allowed"),
        ({"command": "echo; rm"}, "not allowed"),
        ({}, "'command' is required"),
        ({"command": "echo", "args": "a b"}, "'args' must be a list"),
        ({"command": "echo", "stdin": 3}, "'stdin' must be text"),
        ({"command": "echo", "env": ["A"]}, "'env' must be"),
        ({"command": "echo", "timeout": -1}, "must be positive"),
        ({"command": "echo", "timeout": "x"}, "'timeout' must be"),
    ],
)
def test_refused_before_running(params: dict[str, Any], match: str) -> None:
    with pytest.raises(FatalError, match=match) as info:
        run(params)
    assert "[Task_1]" in str(info.value)


def test_not_allowed_names_the_config_key() -> None:
    with pytest.raises(FatalError, match="shell_allow"):
        run({"command": "cat"})


def test_allowed_but_missing_program() -> None:
    with pytest.raises(FatalError, match="not on the PATH"):
        run({"command": "no-such-program-xyz"}, allow=("no-such-program-xyz",))
