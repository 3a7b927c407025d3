"""The global options, pipes and help as a newcomer meets them on the command line."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from typing import Any

INVOICE = "invoice-approval"


def _started(cli: Any) -> dict[str, Any]:
    view: dict[str, Any] = cli.json("run", "invoice-approval.bpmn", "--data", "@data.json")
    return view


def _raw(cli: Any, *args: str, env: dict[str, str] | None = None, **kw: Any) -> Any:
    """Run the binary without the helper's own --db/--as, in the sample folder."""
    return subprocess.run(
        [cli.binary, *args],
        cwd=cli.cwd,
        env={**cli.env(), "SEAMLINE_DB": str(cli.db), **(env or {})},
        capture_output="stdout" not in kw,
        text=True,
        timeout=120,
        check=False,
        **kw,
    )


def test_as_works_after_the_subcommand(sample: Callable[..., Any]) -> None:
    cli = sample(INVOICE)
    _started(cli)
    [task] = cli.json("tasks", "--as", "tom")
    assert task["element"] == "Task_ApproveInvoice"
    assert cli.json("tasks", "--as", "alice") == []
    # Given in both places, the one after the subcommand wins.
    assert cli.json("tasks", "--as", "tom", user="alice") != []
    assert cli.json("tasks", "--as", "alice", user="tom") == []
    claimed = cli("claim", task["task"], "--as", "tom", "--json").json()
    assert claimed["assignee"] == "tom"


def test_db_and_config_work_after_the_subcommand(sample: Callable[..., Any]) -> None:
    cli = sample(INVOICE)
    _started(cli)
    other = cli.cwd / "other.db"
    listed = _raw(cli, "instances", "--json", "--db", str(other))
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.strip() == "[]"
    (cli.cwd / "nobody.toml").write_text("[users.zed]\n", encoding="utf-8")
    refused = _raw(cli, "tasks", "--config", "nobody.toml", "--as", "tom")
    assert refused.returncode == 4
    assert "unknown user tom; known: zed" in refused.stderr


def test_environment_still_names_the_user(sample: Callable[..., Any]) -> None:
    cli = sample(INVOICE)
    _started(cli)
    mine = _raw(cli, "tasks", "--json", env={"SEAMLINE_USER": "alice"})
    assert mine.returncode == 0, mine.stderr
    assert mine.stdout.strip() == "[]"
    # An option after the subcommand wins over the environment.
    toms = _raw(cli, "tasks", "--json", "--as", "tom", env={"SEAMLINE_USER": "alice"})
    assert toms.returncode == 0, toms.stderr
    assert '"Task_ApproveInvoice"' in toms.stdout


def test_subcommand_help_lists_the_global_options(bare: Any) -> None:
    shown = bare("tasks", "--help").stdout
    for option in ("--as", "--db", "--config", "--trusted-scripts"):
        assert option in shown


def test_a_reader_that_leaves_is_not_an_internal_error(sample: Callable[..., Any]) -> None:
    cli = sample(INVOICE)
    _started(cli)
    for args in (("instances", "--json"), ("instances",), ("tasks", "--as", "tom")):
        read, write = os.pipe()
        os.close(read)  # like `| head` that has already exited
        try:
            done = _raw(cli, *args, stdout=write, stderr=subprocess.PIPE)
        finally:
            os.close(write)
        assert done.returncode == 141, (args, done.returncode, done.stderr)
        assert done.stderr == "", (args, done.stderr)


def test_help_summaries_are_whole_sentences(bare: Any) -> None:
    shown = _raw(bare, "--help", env={"COLUMNS": "80"})
    assert shown.returncode == 0
    commands = shown.stdout.split("Commands:", 1)[1]
    cut = [line for line in commands.splitlines() if line.rstrip().endswith("...")]
    assert cut == []
    assert re.search(r"^\s+tasks\s+\S", commands, re.MULTILINE)
