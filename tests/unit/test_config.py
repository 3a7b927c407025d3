"""seamline.toml values of the wrong type are configuration errors, never silently coerced."""

from __future__ import annotations

from pathlib import Path

import pytest

from seamline.config import load_settings
from seamline.errors import ConfigError


def _settings_from(tmp_path: Path, content: bytes, **environ: str) -> object:
    (tmp_path / "seamline.toml").write_bytes(content)
    return load_settings(cwd=tmp_path, environ=environ)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe[users]\n", "not UTF-8"),
        (b'[seamline]\ntrusted_scripts = "false"\n', "trusted_scripts must be true or false"),
        (b"[seamline]\ndb = 5\n", "seamline.db must be a quoted path"),
        (b"[seamline]\nscript_time_limit = -1\n", "positive number of seconds"),
        (b"[seamline]\nscript_time_limit = 0\n", "positive number of seconds"),
        (b'[seamline]\nscript_time_limit = "nan"\n', "positive number of seconds"),
    ],
)
def test_a_wrong_value_is_a_config_error(tmp_path: Path, content: bytes, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected) as caught:
        _settings_from(tmp_path, content)
    assert caught.value.exit_code == 2


def test_an_infinite_time_limit_from_the_environment_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="positive number"):
        _settings_from(tmp_path, b"", SEAMLINE_SCRIPT_TIME_LIMIT="inf")


def test_well_typed_values_are_read(tmp_path: Path) -> None:
    content = b'[seamline]\ntrusted_scripts = true\ndb = "x.db"\nscript_time_limit = 0.5\n'
    settings = load_settings(cwd=tmp_path, environ={})
    assert settings.trusted_scripts is False
    (tmp_path / "seamline.toml").write_bytes(content)
    # Named: trusted_scripts from a file merely found in the working directory is not applied.
    settings = load_settings("seamline.toml", cwd=tmp_path, environ={})
    assert (settings.trusted_scripts, settings.db, settings.script_time_limit) == (
        True,
        "x.db",
        0.5,
    )
