"""seamline.toml as a newcomer writes it, and as a folder someone else prepared comes with it."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from typing import Any

SCRIPT_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <process id="trusting" isExecutable="true">
    <startEvent id="s"/>
    <scriptTask id="peek" scriptFormat="python"><script>import os
cwd_known = bool(os.getcwd())</script></scriptTask>
    <endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="peek"/>
    <sequenceFlow id="f2" sourceRef="peek" targetRef="e"/>
  </process>
</definitions>
"""


def _raw(cli: Any, *args: str) -> subprocess.CompletedProcess[str]:
    """The binary in the folder, stderr kept for the warnings (the helper wants it empty)."""
    return subprocess.run(
        [cli.binary, *args],
        cwd=cli.cwd,
        env={**cli.env(), "SEAMLINE_DB": str(cli.db)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning:")]


def test_unknown_sections_and_keys_are_named_with_their_line(bare: Any) -> None:
    (bare.cwd / "seamline.toml").write_text(
        "# users and lanes\n"
        "[seamline]\n"
        "script_time_limt = 3\n"
        "\n"
        "[users.tom]\n"
        'groups = ["leads"]\n'
        "\n"
        "[polices]\n"
        'deny = ["x"]\n'
        "[lane]\n"
        'Accounting = "accounting"\n',
        encoding="utf-8",
    )
    done = _raw(bare, "instances", "--json")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    found = _warnings(done.stderr)
    assert len(found) == 3, done.stderr
    [key] = [w for w in found if "[seamline]" in w]
    [polices] = [w for w in found if "[polices]" in w]
    [lane] = [w for w in found if "[lane]" in w]
    assert key.startswith("warning: seamline.toml:3: unknown key script_time_limt in [seamline]")
    assert "script_memory_limit" in key and key.endswith("did you mean script_time_limit?")
    assert polices.startswith("warning: seamline.toml:8: unknown section [polices] (known: ")
    assert "seamline, users, lanes, connectors, llm" in polices
    assert lane.startswith("warning: seamline.toml:10: unknown section [lane]")
    assert lane.endswith("did you mean [lanes]?")


def test_a_known_config_warns_about_nothing(sample: Callable[..., Any]) -> None:
    for name in (
        "invoice-approval",
        "claims-triage",
        "customer-onboarding",
        "order-fulfilment",
        "agent-triage",
    ):
        cli = sample(name)
        assert _raw(cli, "instances").stderr == "", name


def test_trusted_scripts_from_a_found_file_is_not_applied(bare: Any) -> None:
    (bare.cwd / "trusting.bpmn").write_text(SCRIPT_BPMN, encoding="utf-8")
    (bare.cwd / "seamline.toml").write_text(
        "[seamline]\ntrusted_scripts = true\n", encoding="utf-8"
    )
    implicit = _raw(bare, "run", "trusting.bpmn", "--json")
    assert _warnings(implicit.stderr) == [
        "warning: seamline.toml:2: trusted_scripts = true is not applied (it would run diagram "
        "scripts unrestricted as you, and this file was found in the working directory); "
        "pass --config ./seamline.toml to accept it"
    ]
    assert '"completed"' not in implicit.stdout
    named = _raw(bare, "--config", "./seamline.toml", "run", "trusting.bpmn", "--json")
    assert named.returncode == 0, named.stderr
    assert named.stderr == ""
    assert '"status": "completed"' in named.stdout
    # Said on the command line (after the subcommand, too), the file's setting is not needed.
    flagged = _raw(bare, "run", "trusting.bpmn", "--json", "--trusted-scripts")
    assert flagged.returncode == 0, flagged.stderr
    assert flagged.stderr == ""
    assert '"status": "completed"' in flagged.stdout


def test_broad_allow_lists_from_a_found_file_are_not_applied(sample: Callable[..., Any]) -> None:
    cli = sample("claims-triage")
    config = cli.cwd / "seamline.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'python_allow = ["claims_rules:check_policy", "claims_rules:pay_out"]',
            'python_allow = ["*"]\nshell_allow = ["bash", "echo"]',
        ),
        encoding="utf-8",
    )
    implicit = _raw(cli, "run", "claims-triage.bpmn", "--data", "@data.json", "--json")
    found = _warnings(implicit.stderr)
    assert [w.split(" is not applied")[0] for w in found] == [
        "warning: seamline.toml:16: python_allow entry '*'",
        "warning: seamline.toml:17: shell_allow entry 'bash'",
    ]
    assert all(w.endswith("pass --config ./seamline.toml to accept it") for w in found)
    assert "not allowed" in implicit.stdout + implicit.stderr
    named = _raw(
        cli, "--config", "seamline.toml", "run", "claims-triage.bpmn", "--data", "@data.json"
    )
    assert named.returncode == 0, named.stderr
    assert named.stderr == ""
