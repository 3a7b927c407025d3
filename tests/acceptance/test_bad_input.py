"""What a newcomer's mistakes look like: one clear line on stderr, the documented exit code.

Exit codes (seamline/cli/common.py): 1 the operation failed, 2 usage or configuration,
4 forbidden. No traceback ever (the fixture asserts that on every call).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from seamline.cli.common import __doc__ as EXIT_CODES_DOC

INVOICE = "invoice-approval"


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.lower().startswith("error")]


def test_the_exit_codes_used_here_are_the_documented_ones() -> None:
    assert EXIT_CODES_DOC is not None
    for line in ("- 1 the operation failed", "- 2 usage error", "- 4 forbidden"):
        assert line in EXIT_CODES_DOC


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.bpmn", None, "missing.bpmn: file not found"),
        ("notes.bpmn", "remember to buy milk\n", "notes.bpmn:1: not well-formed XML"),
        ("page.bpmn", "<?xml version='1.0'?><html><body/></html>", "neither BPMN 2.0 nor DMN"),
    ],
)
def test_run_on_something_that_is_not_a_diagram(
    bare: Any, name: str, content: str | None, expected: str
) -> None:
    if content is not None:
        (bare.cwd / name).write_text(content, encoding="utf-8")
    result = bare("run", name, expect=1)
    assert result.stdout == ""
    assert _error_lines(result.stderr) == result.stderr.strip().splitlines()
    assert len(_error_lines(result.stderr)) == 1
    assert expected in result.stderr


def test_run_with_data_that_is_not_a_json_object(sample: Callable[..., Any]) -> None:
    cli = sample(INVOICE)
    for data, expected in [
        ("{amount: 5}", "--data is not valid JSON"),
        ("[1, 2]", "--data must be a JSON object"),
        ("@nowhere.json", "cannot read nowhere.json"),
    ]:
        result = cli("run", f"{INVOICE}.bpmn", "--data", data, expect=2)
        assert result.stdout == ""
        assert len(_error_lines(result.stderr)) == 1, result.stderr
        assert expected in _error_lines(result.stderr)[0]
    # Nothing was started.
    assert cli.json("instances") == []


def test_unknown_ids_and_users(sample: Callable[..., Any]) -> None:
    cli = sample(INVOICE)
    shown = cli("show", "deadbeef", expect=1)
    assert _error_lines(shown.stderr) == [
        "error: no instance with id 'deadbeef' (list the instances to find its id)"
    ]
    completed = cli("complete", "deadbeef", "--data", "{}", expect=1)
    assert "no task with id 'deadbeef'" in completed.stderr
    stranger = cli("tasks", user="mallory", expect=4)
    assert "unknown user mallory" in stranger.stderr and "tom" in stranger.stderr


def test_broken_config_is_a_usage_error(bare: Any) -> None:
    (bare.cwd / "seamline.toml").write_text('[users.x]\ngroups = "clerks"\n', encoding="utf-8")
    result = bare("tasks", expect=2)
    assert _error_lines(result.stderr) == [
        'error: users.x.groups: must be a list of group names, e.g. ["clerks"]'
    ]
