"""Log records on stderr: none by default, text or JSON lines when asked, from any position."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from typing import Any

INVOICE = "invoice-approval"
RUN = ("run", "invoice-approval.bpmn", "--data", "@data.json", "--json")


def _raw(
    cli: Any, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The binary in the sample folder, stdout and stderr kept apart."""
    return subprocess.run(
        [cli.binary, "--db", str(cli.db), *args],
        cwd=cli.cwd,
        env={**cli.env(), **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_debug_json_logs_are_json_lines_naming_the_instance(sample: Callable[..., Any]) -> None:
    cli = sample(INVOICE)
    ran = _raw(cli, "--log-level", "debug", "--log-format", "json", *RUN)
    assert ran.returncode == 0, ran.stderr
    instance = json.loads(ran.stdout)["instance"]  # stdout stays the command's own output
    records = [json.loads(line) for line in ran.stderr.splitlines()]
    assert records, "no log lines at debug level"
    for record in records:
        assert {"ts", "level", "logger", "message"} <= set(record), record
        assert record["logger"].startswith("seamline.")
    mine = {r["message"] for r in records if r.get("instance") == instance}
    assert {"instance started", "instance committed"} <= mine
    assert "task ran" in mine and any(r.get("element") for r in records)
    assert {r["level"] for r in records} <= {"DEBUG", "INFO"}


def test_by_default_nothing_is_logged(sample: Callable[..., Any]) -> None:
    cli = sample(INVOICE)
    ran = _raw(cli, *RUN)
    assert ran.returncode == 0, ran.stderr
    assert ran.stderr == ""


def test_the_level_may_follow_the_command_or_come_from_the_environment(
    sample: Callable[..., Any],
) -> None:
    cli = sample(INVOICE)
    after = _raw(cli, *RUN, "--log-level", "info")
    assert after.returncode == 0, after.stderr
    [line] = [x for x in after.stderr.splitlines() if "instance started" in x]
    instance = json.loads(after.stdout)["instance"]
    assert " INFO seamline.engine" in line and f"instance={instance}" in line
    assert "DEBUG" not in after.stderr
    from_env = _raw(cli, *RUN, env={"SEAMLINE_LOG": "info", "SEAMLINE_LOG_FORMAT": "json"})
    assert from_env.returncode == 0, from_env.stderr
    started = [json.loads(x) for x in from_env.stderr.splitlines()]
    assert any(r["message"] == "instance started" for r in started)
    # Given after the command, the option wins over the environment.
    quiet = _raw(cli, *RUN, "--log-level", "warning", env={"SEAMLINE_LOG": "debug"})
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr


def test_an_unknown_level_is_a_usage_error(sample: Callable[..., Any]) -> None:
    cli = sample(INVOICE)
    bad = _raw(cli, "--log-level", "loud", *RUN)
    assert bad.returncode == 2
    assert "--log-level" in bad.stderr and "loud" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert _raw(cli, "instances", "--json").stdout.strip() == "[]"  # nothing ran
