"""The ``shell`` connector: run an allow-listed program with arguments, never through a shell."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from typing import Any

from seamline.connectors.base import (
    ConnectorCall,
    ConnectorResult,
    ParamSpec,
    as_str_list,
    within_deadline,
)
from seamline.errors import ConnectorBpmnError, RetryableError

DEFAULT_TIMEOUT = 60.0
#: Output kept per stream; more is cut so a chatty program cannot bloat a snapshot.
MAX_OUTPUT = 1_000_000

PARAMETERS: Mapping[str, ParamSpec] = {
    "command": ParamSpec("string", True, "program name or path, as listed in shell_allow"),
    "args": ParamSpec("array", False, "arguments, each passed as one literal argument", []),
    "stdin": ParamSpec("string", False, "text written to the program's standard input"),
    "timeout": ParamSpec("number", False, "seconds before the program is killed", DEFAULT_TIMEOUT),
    "env": ParamSpec("object", False, "the program's whole environment (nothing is inherited)"),
    "check": ParamSpec("boolean", False, "a non-zero exit is a BPMN error SHELL_EXIT_<n>", True),
}


class ShellConnector:
    """Runs ``command args...`` with ``shell=False`` and returns exit code, stdout and stderr.

    ``command`` must appear verbatim in ``allow`` (config ``shell_allow``). A bare name is found
    on the worker's PATH; the program gets only the ``env`` given. Arguments are never
    interpreted by a shell, so ``"; rm -rf /"`` stays one literal argument.
    """

    name = "shell"
    description = "Run an allow-listed program with literal arguments (no shell)."
    parameters = PARAMETERS
    enforces_deadline = True

    def __init__(self, allow: Iterable[str] = ()) -> None:
        self.allow = tuple(allow)

    def invoke(self, call: ConnectorCall) -> ConnectorResult:
        """Run the program and collect its output."""
        params = call.params
        command = params.get("command")
        if not isinstance(command, str) or not command.strip():
            raise call.fatal("parameter 'command' is required", hint='e.g. "command": "echo"')
        if command not in self.allow:
            raise call.fatal(
                f"command '{command}' is not allowed",
                hint=f'add it to shell_allow in the config, e.g. shell_allow = ["{command}"]',
            )
        program = command if os.sep in command else shutil.which(command)
        if program is None:
            raise call.fatal(f"command '{command}' is not on the PATH of this worker")
        args = as_str_list(params.get("args"), call, "args")
        env = _env(call, params.get("env"))
        stdin = params.get("stdin")
        if stdin is not None and not isinstance(stdin, str):
            raise call.fatal("parameter 'stdin' must be text")
        timeout = _timeout(call, params.get("timeout"))
        try:
            completed = subprocess.run(
                [program, *args],
                input=stdin,
                capture_output=True,
                text=True,
                errors="replace",
                env=env,
                timeout=timeout,
                shell=False,
                check=False,
                stdin=None if stdin is not None else subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as exc:
            raise RetryableError(
                f"connector 'shell': '{command}' was killed after {timeout:.3g}s",
                hint="raise the timeout parameter",
                **call.context(),
            ) from exc
        except OSError as exc:
            raise call.fatal(f"command '{command}' cannot be run: {exc.strerror or exc}") from exc
        data = {
            "exit_code": completed.returncode,
            "stdout": completed.stdout[:MAX_OUTPUT],
            "stderr": completed.stderr[:MAX_OUTPUT],
        }
        meta = {
            "command": command,
            "exit_code": completed.returncode,
            "truncated": max(len(completed.stdout), len(completed.stderr)) > MAX_OUTPUT,
        }
        if completed.returncode != 0 and _flag(params.get("check", True)):
            code = completed.returncode
            name = f"SHELL_SIGNAL_{-code}" if code < 0 else f"SHELL_EXIT_{code}"
            first = (completed.stderr.strip().splitlines() or [""])[0][:200]
            raise ConnectorBpmnError(
                name,
                f"'{command}' exited with {code}" + (f": {first}" if first else ""),
                data=data,
                **call.context(),
            )
        return ConnectorResult(data=data, meta=meta)


def _flag(value: Any) -> bool:
    """A boolean parameter; diagrams often give booleans as text."""
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "0", "no", "off", "")
    return bool(value)


def _env(call: ConnectorCall, raw: Any) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise call.fatal("parameter 'env' must be an object of NAME: value")
    return {str(k): "" if v is None else str(v) for k, v in raw.items()}


def _timeout(call: ConnectorCall, value: Any) -> float:
    try:
        seconds = DEFAULT_TIMEOUT if value is None else float(value)
    except (TypeError, ValueError) as exc:
        raise call.fatal(f"parameter 'timeout' must be a number of seconds, got {value!r}") from exc
    return within_deadline(call, seconds, value)
