"""Which settings a seamline.toml found in the working directory may not turn on by itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from seamline.config import load_settings
from seamline.config_review import dangerous_callable, dangerous_program


@pytest.mark.parametrize(
    "pattern", ["*", "os:*", "os.*", "subprocess.*", "builtins.*", "builtins:eval", "o*", "*:*"]
)
def test_broad_python_patterns_are_dangerous(pattern: str) -> None:
    assert dangerous_callable(pattern)


@pytest.mark.parametrize(
    "pattern", ["myorg.*", "claims_rules:check_policy", "fulfilment:*", "math:sqrt"]
)
def test_narrow_python_patterns_are_not(pattern: str) -> None:
    assert not dangerous_callable(pattern)


@pytest.mark.parametrize(
    "command", ["sh", "bash", "/bin/bash", "python3", "python3.11", "env", "*"]
)
def test_shells_and_interpreters_are_dangerous(command: str) -> None:
    assert dangerous_program(command)


@pytest.mark.parametrize("command", ["echo", "printf", "/usr/bin/convert"])
def test_ordinary_programs_are_not(command: str) -> None:
    assert not dangerous_program(command)


def _write(folder: Path, text: str) -> None:
    (folder / "seamline.toml").write_text(text, encoding="utf-8")


def test_found_file_keeps_the_sandbox_and_narrow_entries(tmp_path: Path) -> None:
    _write(
        tmp_path,
        '[seamline]\ntrusted_scripts = true\n[connectors]\npython_allow = ["os:*", "myorg.*"]\n',
    )
    found = load_settings(cwd=tmp_path, environ={})
    assert found.trusted_scripts is False
    assert found.connectors["connectors"]["python_allow"] == ["myorg.*"]
    assert len(found.warnings) == 2
    named = load_settings("seamline.toml", cwd=tmp_path, environ={})
    assert named.trusted_scripts is True
    assert named.connectors["connectors"]["python_allow"] == ["os:*", "myorg.*"]
    assert named.warnings == ()
    by_env = load_settings(cwd=tmp_path, environ={"SEAMLINE_CONFIG": "seamline.toml"})
    assert by_env.trusted_scripts is True and by_env.warnings == ()


def test_top_level_allow_lists_are_checked_too(tmp_path: Path) -> None:
    _write(tmp_path, 'shell_allow = ["echo", "bash"]\n')
    found = load_settings(cwd=tmp_path, environ={})
    assert found.connectors["shell_allow"] == ["echo"]
    [warning] = found.warnings
    assert warning.startswith("seamline.toml:1: shell_allow entry 'bash' is not applied")


def test_trusted_scripts_said_on_the_command_line_needs_no_warning(tmp_path: Path) -> None:
    _write(tmp_path, "[seamline]\ntrusted_scripts = true\n")
    assert load_settings(cwd=tmp_path, environ={}, trusted_scripts=True).warnings == ()
    said = load_settings(cwd=tmp_path, environ={"SEAMLINE_TRUSTED_SCRIPTS": "1"})
    assert said.trusted_scripts is True and said.warnings == ()


def test_unknown_keys_point_at_their_line(tmp_path: Path) -> None:
    _write(
        tmp_path,
        '[llm]\ndefault_profil = "x"\n\n[llm.profiles.x]\nprovider = "openai"\n'
        '[connectors.crm]\ntype = "http"\n',
    )
    [warning] = load_settings(cwd=tmp_path, environ={}).warnings
    assert warning.startswith("seamline.toml:2: unknown key default_profil in [llm]")
    assert warning.endswith("did you mean default_profile?")


def test_the_web_table_is_known_and_its_keys_checked(tmp_path: Path) -> None:
    _write(tmp_path, '[web]\nallowed_hosts = ["inbox.example"]\nsecert = "x"\n')
    [warning] = load_settings(cwd=tmp_path, environ={}).warnings
    assert warning.startswith("seamline.toml:3: unknown key secert in [web]")
    assert warning.endswith("did you mean secret?")
