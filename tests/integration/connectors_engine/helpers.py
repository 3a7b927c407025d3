"""Shared by the connector engine tests: the diagrams folder, a hand-moved clock, the CLI."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

DIAGRAMS = Path(__file__).with_name("diagrams")
TOKEN = "tok-7f3a9c-very-secret"
SEAMLINE = Path(sys.executable).with_name("seamline")


class FakeClock:
    """Now, moved by hand."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move now forward."""
        self.now += dt.timedelta(seconds=seconds)


def diagram(name: str) -> Path:
    """A diagram of the diagrams folder by file name."""
    return DIAGRAMS / name


def cli(
    db: Path, *args: str, cwd: Path | None = None, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``seamline`` binary on ``db`` with the test token as a secret."""
    env = {**os.environ, "SEAMLINE_SECRET_API_TOKEN": TOKEN, "SEAMLINE_DB": str(db), **extra_env}
    for name in ("SEAMLINE_CONFIG", "SEAMLINE_USER"):
        if name not in extra_env:
            env.pop(name, None)
    return subprocess.run(
        [str(SEAMLINE), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or db.parent,
        timeout=60,
        check=False,
    )
