"""The memory limit of restricted scripts, and the setting that sizes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from seamline.config import load_settings
from seamline.errors import ConfigError, ScriptMemoryExceeded
from seamline.expr.sandbox import Sandbox

pytestmark = pytest.mark.timeout(120)

SMALL = Sandbox(time_limit=30, memory_limit=32 * 2**20)


@pytest.mark.parametrize(
    "script",
    [
        "d = []\nwhile True:\n    d.append('x' * 1000000)",
        "d = []\nwhile True:\n    try:\n        d.append('x' * 1000000)\n    except:\n        pass",
        "def grow(d):\n    d.append('x' * 1000000)\n    grow(d) if len(d) < 900 else None\n"
        "for i in range(10**6):\n    grow([])",
    ],
    ids=["loop", "caught", "function"],
)
def test_growth_stops_at_the_memory_limit(script: str) -> None:
    with pytest.raises(ScriptMemoryExceeded, match="memory limit of 32 MB") as info:
        SMALL.execute(script, {}, where="Task_hog script")
    assert str(info.value).startswith("Task_hog script")
    assert "script_memory_limit" in str(info.value)


def test_an_expression_is_bounded_too() -> None:
    with pytest.raises(ScriptMemoryExceeded, match="Gateway_1 condition"):
        SMALL.evaluate(
            "len(['x' * 1000000 for i in range(10**6)]) > 0", {}, where="Gateway_1 condition"
        )


def test_a_script_within_the_limit_runs() -> None:
    out = SMALL.execute("d = ['x' * 1000 for i in range(1000)]\nn = len(d)", {})
    assert out["n"] == 1000


def test_the_limit_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Sandbox(memory_limit=0)


def test_the_setting_is_read_in_mb(tmp_path: Path) -> None:
    (tmp_path / "seamline.toml").write_text("[seamline]\nscript_memory_limit = 64\n")
    assert load_settings(cwd=tmp_path, environ={}).script_memory_limit == 64
    env = {"SEAMLINE_SCRIPT_MEMORY_LIMIT": "128"}
    assert load_settings(cwd=tmp_path, environ=env).script_memory_limit == 128
    (tmp_path / "seamline.toml").write_text("[seamline]\n")
    assert load_settings(cwd=tmp_path, environ={}).script_memory_limit == 256


@pytest.mark.parametrize("value", ["0", "-5", '"lots"', '"inf"'])
def test_a_wrong_setting_is_a_config_error(tmp_path: Path, value: str) -> None:
    (tmp_path / "seamline.toml").write_text(f"[seamline]\nscript_memory_limit = {value}\n")
    with pytest.raises(ConfigError, match="script_memory_limit must be"):
        load_settings(cwd=tmp_path, environ={})
