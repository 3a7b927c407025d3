"""The shell connector running real programs."""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from seamline.connectors.base import ConnectorCall
from seamline.connectors.registry import ConnectorRegistry, invoke
from seamline.connectors.retry import RetryPolicy
from seamline.connectors.secrets import Secrets
from seamline.connectors.templating import render_params
from seamline.errors import ConnectorBpmnError, RetryableError

ALLOW = ["echo", "cat", "false", "env", "sleep"]
POLICY = RetryPolicy(max_attempts=3, jitter=0)


@pytest.fixture
def registry() -> ConnectorRegistry:
    for program in ALLOW:
        if shutil.which(program) is None:
            pytest.skip(f"{program} is not installed")
    return ConnectorRegistry.default({"shell_allow": ALLOW})


def run(registry: ConnectorRegistry, params: dict[str, Any]) -> Any:
    return invoke(registry, ConnectorCall("shell", params, "i-1", "RunIt"), POLICY)


def test_echo(registry: ConnectorRegistry) -> None:
    result = run(registry, {"command": "echo", "args": ["hello", "world"]})
    assert result.data == {"exit_code": 0, "stdout": "hello world\n", "stderr": ""}


def test_injection_attempt_stays_a_literal_argument(
    registry: ConnectorRegistry, tmp_path: Any
) -> None:
    victim = tmp_path / "keep.txt"
    victim.write_text("x")
    evil = f"; rm -rf {victim} && echo pwned $(whoami) `id`"
    result = run(registry, {"command": "echo", "args": [evil]})
    assert result.data["stdout"] == evil + "\n"
    assert victim.exists()


def test_rendered_args_each_stay_one_argument(registry: ConnectorRegistry) -> None:
    params = render_params(
        {"command": "echo", "args": ["{{ name }}", "--", "{{ n }}"]},
        {"name": "a b; ls", "n": 3},
        Secrets(environ={}),
    )
    assert run(registry, params).data["stdout"] == "a b; ls -- 3\n"


def test_cat_reads_stdin(registry: ConnectorRegistry) -> None:
    assert (
        run(registry, {"command": "cat", "stdin": "line 1\nline 2"}).data["stdout"]
        == "line 1\nline 2"
    )


def test_non_zero_exit_is_a_bpmn_error_unless_unchecked(registry: ConnectorRegistry) -> None:
    with pytest.raises(ConnectorBpmnError) as info:
        run(registry, {"command": "false"})
    assert info.value.code == "SHELL_EXIT_1" and info.value.data["exit_code"] == 1
    assert "[RunIt]" in str(info.value)
    assert run(registry, {"command": "false", "check": "false"}).data["exit_code"] == 1


def test_environment_is_explicit_only(
    registry: ConnectorRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEAMLINE_SECRET_LEAK", "should-not-pass")
    stdout = run(registry, {"command": "env", "env": {"GREETING": "hi"}}).data["stdout"]
    assert stdout.splitlines() == ["GREETING=hi"]


def test_timeout_kills_and_is_retryable(registry: ConnectorRegistry) -> None:
    with pytest.raises(RetryableError, match="killed after"):
        run(registry, {"command": "sleep", "args": ["30"], "timeout": 0.2})
