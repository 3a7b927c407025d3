"""Broken and hostile input through the binary: one line on stderr, the documented exit code.

Exit codes (seamline/cli/common.py): 1 the operation failed, 2 usage or configuration,
3 changed meanwhile, 4 forbidden, 70 a bug. The fixture asserts no traceback on every call;
these tests add that no corruption of the store or the input reaches a user as exit 70.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

INVOICE = "invoice-approval"


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def _one_error(result: Any) -> str:
    lines = _error_lines(result.stderr)
    assert len(lines) == 1, str(result)
    assert lines[0].startswith("error: "), str(result)
    return lines[0]


def _started(cli: Any) -> tuple[str, str]:
    """An invoice instance waiting at its approval task: (instance id, task id)."""
    view = cli.json("run", f"{INVOICE}.bpmn", "--data", "@data.json")
    return str(view["instance"]), str(view["waiting"][0]["task"])


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("UPDATE snapshots SET snapshot = 'garbage'", "snapshots row"),
        ("UPDATE snapshots SET version = 'v'", "snapshots row"),
        ("UPDATE instances SET version = 'x'", "instances row"),
        ("UPDATE definition_sources SET content = 'garbage'", "definition_sources row"),
    ],
)
def test_a_store_row_of_the_wrong_type_is_a_located_error(
    sample: Callable[..., Any], sql: str, expected: str
) -> None:
    cli = sample(INVOICE)
    instance, _ = _started(cli)
    with sqlite3.connect(cli.db) as conn:
        conn.execute(sql)
    conn.close()
    for args in (("show", instance), ("resume", instance), ("cancel", instance)):
        line = _one_error(cli(*args, user="root", expect=1))
        assert expected in line and "restore" in line


def test_a_task_priority_that_is_not_a_number_is_a_located_error(
    sample: Callable[..., Any],
) -> None:
    cli = sample(INVOICE)
    _, task = _started(cli)
    with sqlite3.connect(cli.db) as conn:
        conn.execute("UPDATE tasks SET priority = 'high'")
    conn.close()
    line = _one_error(cli("tasks", user="tom", expect=1))
    assert f"tasks row {task}" in line and "'high'" in line


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe[users.tom]\n", "not UTF-8"),
        (b'[seamline]\ntrusted_scripts = "false"\n', "trusted_scripts must be true or false"),
        (b"[seamline]\nscript_time_limit = -1\n", "positive number of seconds"),
    ],
)
def test_a_config_value_of_the_wrong_kind_is_a_usage_error(
    bare: Any, content: bytes, expected: str
) -> None:
    (bare.cwd / "seamline.toml").write_bytes(content)
    line = _one_error(bare("instances", expect=2))
    assert expected in line


def test_text_that_looks_like_markup_is_printed_literally(sample: Callable[..., Any]) -> None:
    cli = sample(INVOICE)
    data = '{"amount": 100, "invoiceCategory": "Misc", "note": "[/red] [bold]x"}'
    started = cli("run", f"{INVOICE}.bpmn", "--business-key", "[/x]", "--data", data)
    assert "key [/x]" in started.stdout and "[/red] [bold]x" in started.stdout
    assert "[/x]" in cli("instances").stdout
    assert "[/red] [bold]x" in cli("show", cli.json("instances")[0]["instance"]).stdout
    assert "[/m]" in cli("message", "[/m]", "--ttl", "PT1M").stdout


def test_a_decision_that_breaks_its_hit_policy_is_an_incident_naming_it(
    sample: Callable[..., Any],
) -> None:
    cli = sample(INVOICE)
    dmn = cli.cwd / "invoice-approver.dmn"
    dmn.write_text(
        dmn.read_text(encoding="utf-8").replace('hitPolicy="FIRST"', 'hitPolicy="UNIQUE"'),
        encoding="utf-8",
    )
    # Both the small-amount rule and the team-lead rule match: UNIQUE is broken at run time.
    data = '{"amount": 100, "invoiceCategory": "Misc"}'
    started = cli("run", f"{INVOICE}.bpmn", "--data", data)
    assert "status incident" in started.stdout
    # The decision's id is shown, not swallowed as a markup tag.
    assert "invoice-approver.dmn:10 [invoice-approver]: hit policy UNIQUE" in started.stdout
    assert "[invoice-approver]" in cli("incidents").stdout.replace("\n", " ")
    instance = cli.json("incidents")[0]["instance"]
    # A retry of an unchanged cause is the same incident: the retry failed (exit 1, one line
    # naming the cause) and the instance is still printed.
    again = cli("retry", instance, "--json", user="root", expect=1)
    assert again.json()["status"] == "incident"
    assert "[invoice-approver]" in _one_error(again)


@pytest.mark.parametrize("command", ["validate", "run"])
def test_a_device_that_never_ends_is_refused_as_oversize(bare: Any, command: str) -> None:
    result = bare(command, "/dev/zero", expect=1)
    assert "/dev/zero" in result.stderr and "over the limit" in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"\xff\xfe{}", "is not UTF-8 text"), (None, "is over the limit")],
)
def test_data_from_a_file_that_is_not_utf8_json_is_a_usage_error(
    sample: Callable[..., Any], content: bytes | None, expected: str
) -> None:
    cli = sample(INVOICE)
    source = "/dev/zero"
    if content is not None:
        (cli.cwd / "bad.json").write_bytes(content)
        source = "bad.json"
    line = _one_error(cli("run", f"{INVOICE}.bpmn", "--data", f"@{source}", expect=2))
    assert source in line and expected in line
    assert cli.json("instances") == []


def test_a_diagram_written_where_it_cannot_be_is_a_usage_error(
    sample: Callable[..., Any],
) -> None:
    cli = sample(INVOICE)
    instance, _ = _started(cli)
    target = cli.cwd / "no-such-folder" / "out.svg"
    line = _one_error(cli("diagram", instance, "-o", str(target), expect=2))
    assert f"cannot write {target}" in line
