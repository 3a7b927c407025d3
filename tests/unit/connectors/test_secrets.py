from __future__ import annotations

from pathlib import Path

import pytest

from seamline.connectors.secrets import Secrets
from seamline.errors import ConfigError


def test_prefixed_environment_variable_resolves() -> None:
    secrets = Secrets(environ={"SEAMLINE_SECRET_API_TOKEN": "tok-123"})
    assert secrets.get("API_TOKEN") == "tok-123"
    assert secrets.get("api_token") == "tok-123"
    assert "API_TOKEN" in secrets


def test_plain_environment_variable_needs_allowing() -> None:
    environ = {"OPENAI_API_KEY": "sk-abc"}
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        Secrets(environ=environ).get("OPENAI_API_KEY")
    assert Secrets(environ=environ, allow_env=["OPENAI_API_KEY"]).get("OPENAI_API_KEY") == "sk-abc"


def test_missing_secret_names_it_and_where_to_set_it(tmp_path: Path) -> None:
    file = tmp_path / "secrets.toml"
    file.write_text("[secrets]\nOTHER = 'x'\n")
    with pytest.raises(ConfigError) as info:
        Secrets(environ={}, file=file).get("CRM_TOKEN")
    text = str(info.value)
    assert "CRM_TOKEN" in text and "SEAMLINE_SECRET_CRM_TOKEN" in text and str(file) in text


def test_file_secrets_and_environment_precedence(tmp_path: Path) -> None:
    file = tmp_path / "secrets.toml"
    file.write_text('[secrets]\nCRM = "from-file"\nDB = "db-pass"\n')
    secrets = Secrets(environ={"SEAMLINE_SECRET_CRM": "from-env"}, file=file)
    assert secrets.get("CRM") == "from-env"
    assert secrets.get("DB") == "db-pass"


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("[secrets\n", "cannot be read"),
        ("secrets = 3\n", "must be a table"),
        ("[secrets]\nA = 1\n", "A"),
    ],
)
def test_bad_secrets_file_is_a_config_error(tmp_path: Path, content: str, match: str) -> None:
    file = tmp_path / "s.toml"
    file.write_text(content)
    with pytest.raises(ConfigError, match=match):
        Secrets(file=file)


def test_absent_secrets_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        Secrets.from_config({"secrets_file": str(tmp_path / "nope.toml")})


def test_invalid_name_is_rejected() -> None:
    with pytest.raises(ConfigError, match="not a valid secret name"):
        Secrets().get("a b")


def test_redact_replaces_values_in_nested_structures() -> None:
    secrets = Secrets({"TOKEN": "s3cr3t", "LONG": "s3cr3t-extended"}, environ={})
    obj = {"a": "Bearer s3cr3t", "b": ["s3cr3t-extended", 1, None], "c": ("x s3cr3t",), "s3cr3t": 2}
    assert secrets.redact(obj) == {
        "a": "Bearer ***",
        "b": ["***", 1, None],
        "c": ("x ***",),
        "***": 2,
    }
    assert secrets.redact("nothing here") == "nothing here"


def test_plain_env_values_redacted_only_once_resolved() -> None:
    secrets = Secrets(environ={"HOME": "/home/me", "KEY": "k-42"}, allow_env=["KEY"])
    assert secrets.redact("/home/me k-42") == "/home/me k-42"
    secrets.get("KEY")
    assert secrets.redact("/home/me k-42") == "/home/me ***"


def test_repr_never_shows_values() -> None:
    secrets = Secrets({"TOKEN": "s3cr3t"})
    assert "s3cr3t" not in repr(secrets)


def test_from_config_reads_allow_env() -> None:
    secrets = Secrets.from_config({"secrets_allow_env": ["KEY"]}, environ={"KEY": "v"})
    assert secrets.get("KEY") == "v"
    with pytest.raises(ConfigError, match="secrets_allow_env"):
        Secrets.from_config({"secrets_allow_env": "KEY"})
