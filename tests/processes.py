"""Helpers for tests that start the installed `seamline` binary as a real process."""

from __future__ import annotations

import os
import selectors
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# A hung process should fail its test, not the run; nothing asserts on speed.
HANG_GUARD_SECONDS = 60


def seamline_binary() -> str:
    """The console script beside this interpreter (or on PATH); skips when there is none."""
    beside = Path(sys.executable).parent / "seamline"
    if beside.is_file():
        return str(beside)
    found = shutil.which("seamline")
    if found is None:
        pytest.skip("the seamline console script is not installed")
    return found


def child_env() -> dict[str, str]:
    """This environment without SEAMLINE_* settings, unbuffered so output arrives at once."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEAMLINE_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def first_line(proc: subprocess.Popen[str]) -> str:
    """The first line ``proc`` prints; AssertionError when it prints nothing in time."""
    assert proc.stdout is not None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout=HANG_GUARD_SECONDS):
            raise AssertionError("the process printed nothing")
    return proc.stdout.readline()
