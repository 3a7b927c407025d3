"""Drive the installed ``seamline`` binary the way a newcomer does, one process per command.

Each test copies a sample folder into its ``tmp_path`` and runs the binary there, so the
sample's ``seamline.toml`` is picked up from the working directory exactly as the samples'
README tells people to do. Every command is a separate process on one SQLite file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"

# Generous: a hung binary should fail the test, not the whole run; nothing asserts on speed.
HANG_GUARD_SECONDS = 120


def _binary() -> str:
    beside = Path(sys.executable).parent / "seamline"
    if beside.is_file():
        return str(beside)
    found = shutil.which("seamline")
    if found is None:
        pytest.skip("the seamline console script is not installed")
    return found


@dataclass(frozen=True)
class Result:
    """What one command did: exit code and both streams, kept apart."""

    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """stdout parsed as JSON."""
        return json.loads(self.stdout)

    def __str__(self) -> str:
        return (
            f"seamline {' '.join(self.args)} -> exit {self.code}\n"
            f"--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"
        )


class Seamline:
    """The binary, bound to one working directory and one SQLite file."""

    def __init__(
        self, cwd: Path, db: Path, *, pythonpath: str | None = None, db_from_env: bool = False
    ) -> None:
        self.binary = _binary()
        self.cwd = cwd
        self.db = db
        self.pythonpath = pythonpath
        #: Name the store with SEAMLINE_DB instead of --db (both must work).
        self.db_from_env = db_from_env

    def env(self) -> dict[str, str]:
        """The environment of one call: nothing of the caller's seamline settings leaks in."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("SEAMLINE_") and k != "PYTHONPATH"
        }
        # Wide tables, no colour codes: the human output stays readable in failure messages.
        env.update(COLUMNS="200", NO_COLOR="1", TERM="dumb")
        if self.pythonpath is not None:
            env["PYTHONPATH"] = self.pythonpath
        if self.db_from_env:
            env["SEAMLINE_DB"] = str(self.db)
        return env

    def __call__(
        self,
        *args: str,
        user: str | None = None,
        expect: int = 0,
    ) -> Result:
        """Run ``seamline [--db DB] [--as USER] ARGS`` and check its exit code is ``expect``.

        A successful call must write nothing to stderr.
        """
        argv: list[str] = [self.binary]
        if not self.db_from_env:
            argv += ["--db", str(self.db)]
        if user:
            argv += ["--as", user]
        argv += list(args)
        proc = subprocess.run(
            argv,
            cwd=self.cwd,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=HANG_GUARD_SECONDS,
            check=False,
        )
        result = Result(tuple(args), proc.returncode, proc.stdout, proc.stderr)
        assert "Traceback" not in result.stderr, str(result)
        assert "Traceback" not in result.stdout, str(result)
        assert result.code == expect, str(result)
        if expect == 0:
            assert result.stderr == "", str(result)
        return result

    def json(self, *args: str, user: str | None = None) -> Any:
        """Run a command with ``--json`` that must succeed; its parsed stdout."""
        return self(*args, "--json", user=user).json()


@pytest.fixture
def sample(tmp_path: Path) -> Callable[..., Seamline]:
    """``sample("invoice-approval")``: the sample copied into tmp_path, and a binary bound to it.

    ``pythonpath`` sets PYTHONPATH for the child (the samples need none: their config has
    ``python_path``).
    """

    def make(name: str, *, pythonpath: str | None = None, db_from_env: bool = False) -> Seamline:
        source = SAMPLES / name
        assert source.is_dir(), f"no sample {name}"
        folder = tmp_path / name
        shutil.copytree(
            source, folder, ignore=shutil.ignore_patterns("__pycache__", ".seamline", "*.db")
        )
        return Seamline(
            folder, tmp_path / "seamline.db", pythonpath=pythonpath, db_from_env=db_from_env
        )

    return make


@pytest.fixture
def bare(tmp_path: Path) -> Seamline:
    """The binary in an empty working directory (no seamline.toml) with its store in it."""
    return Seamline(tmp_path, tmp_path / "seamline.db", db_from_env=True)


def task_of(view: dict[str, Any], element: str) -> str:
    """The id of the task an instance view waits on at ``element``."""
    ids = [w["task"] for w in view["waiting"] if w["element"] == element]
    assert len(ids) == 1, f"expected one wait at {element}, got {view['waiting']}"
    return str(ids[0])


@pytest.fixture
def waiting_task() -> Callable[[dict[str, Any], str], str]:
    """:func:`task_of` as a fixture, since test modules here cannot import each other."""
    return task_of
