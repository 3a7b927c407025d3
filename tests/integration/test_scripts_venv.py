"""scripts/demo and scripts/test reuse a healthy .venv and rebuild a broken one.

The scripts run for real (bash) in a copy of the repository's layout; the programs they call
(python3, pip, seamline, ruff, lint-imports, mypy) are small stand-ins that record their calls,
so no environment is built and nothing is downloaded.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SEAMLINE_STUB = """#!/usr/bin/env bash
echo "seamline $*" >> "$CALLS"
case "$*" in
  --version) echo "seamline 0" ;;
  *"tasks --json"*) echo '[{"task": "abcdef123456"}]' ;;
  *"instances --json"*) echo '[{"instance": "i1"}]' ;;
esac
"""
PYTHON_STUB = f"""#!/usr/bin/env bash
if [ "${{1:-}}" = "-m" ]; then echo "python $*" >> "$CALLS"; exit 0; fi
exec {sys.executable} "$@"
"""
PIP_STUB = """#!/usr/bin/env bash
echo "pip $*" >> "$CALLS"
here="$(cd "$(dirname "$0")" && pwd)"
for program in seamline ruff lint-imports mypy pytest; do
    cp "$STUBS/$program" "$here/$program"
done
"""
TOOL_STUB = '#!/bin/sh\necho "$(basename "$0") $*" >> "$CALLS"\n'


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def _python3_stub(builds: bool) -> str:
    """python3 on PATH: records its call; builds a stand-in .venv only when ``builds``."""
    make = 'mkdir -p "$3/bin"\ncp "$STUBS/python" "$STUBS/pip" "$3/bin/"\n'
    return '#!/usr/bin/env bash\necho "python3 $*" >> "$CALLS"\n' + (make if builds else "exit 1\n")


def _stubs(folder: Path) -> Path:
    for name, text in (
        ("python", PYTHON_STUB),
        ("pip", PIP_STUB),
        ("seamline", SEAMLINE_STUB),
        ("ruff", TOOL_STUB),
        ("lint-imports", TOOL_STUB),
        ("mypy", TOOL_STUB),
        ("pytest", TOOL_STUB),
    ):
        _write(folder / name, text)
    return folder


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The repository's scripts, pyproject.toml and the demo's sample, without a .venv."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "scripts", root / "scripts")
    shutil.copytree(ROOT / "samples" / "invoice-approval", root / "samples" / "invoice-approval")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    os.utime(root / "pyproject.toml", (1_000_000_000, 1_000_000_000))
    return root


def _healthy_venv(root: Path, stamp: str) -> None:
    bin_dir = root / ".venv" / "bin"
    _write(bin_dir / "python", PYTHON_STUB)
    _write(bin_dir / "seamline", SEAMLINE_STUB)
    _write(bin_dir / "pip", PIP_STUB)
    for tool in ("ruff", "lint-imports", "mypy", "pytest"):
        _write(bin_dir / tool, TOOL_STUB)
    (root / ".venv" / stamp).touch()


def _run(root: Path, script: str, *, builds: bool) -> tuple[subprocess.CompletedProcess[str], str]:
    path_dir = root.parent / "path"
    _write(path_dir / "python3", _python3_stub(builds))
    calls = root.parent / "calls.log"
    calls.write_text("", encoding="utf-8")
    env = {
        **os.environ,
        "PATH": f"{path_dir}{os.pathsep}{os.environ['PATH']}",
        "CALLS": str(calls),
        "STUBS": str(_stubs(root.parent / "stubs")),
    }
    done = subprocess.run(
        ["bash", str(root / "scripts" / script)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done, calls.read_text(encoding="utf-8")


@pytest.mark.parametrize("stamp", [".installed", ".installed-dev"])
def test_demo_reuses_a_healthy_venv(repo: Path, stamp: str) -> None:
    _healthy_venv(repo, stamp)
    done, calls = _run(repo, "demo", builds=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "== using .venv (set up before; delete it to rebuild)"
    assert "python3" not in calls and "pip" not in calls
    assert "seamline --as tom complete abcdef123456" in calls


def test_demo_sets_up_a_missing_venv_and_says_so(repo: Path) -> None:
    done, calls = _run(repo, "demo", builds=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "== setting up .venv (first run, ~20 s)"
    assert "python3 -m venv .venv" in calls and "pip install" in calls
    assert (repo / ".venv" / ".installed").is_file()
    again, calls = _run(repo, "demo", builds=False)
    assert again.returncode == 0, again.stderr
    assert "python3" not in calls and "pip" not in calls


def test_demo_repairs_a_venv_without_the_console_script(repo: Path) -> None:
    _healthy_venv(repo, ".installed")
    (repo / ".venv" / "bin" / "seamline").unlink()
    done, calls = _run(repo, "demo", builds=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("== updating .venv")
    assert "pip install -q --disable-pip-version-check -e ." in calls
    assert "No such file" not in done.stderr


def test_demo_reinstalls_when_pyproject_changed(repo: Path) -> None:
    _healthy_venv(repo, ".installed")
    # pyproject.toml edited after the install
    os.utime(repo / ".venv" / ".installed", (999_999_000, 999_999_000))
    done, calls = _run(repo, "demo", builds=False)
    assert done.returncode == 0, done.stderr
    assert "pip install" in calls


def test_test_script_reuses_a_healthy_dev_venv(repo: Path) -> None:
    _healthy_venv(repo, ".installed-dev")
    done, calls = _run(repo, "test", builds=False)
    assert done.returncode == 0, done.stderr
    assert "python3" not in calls and "pip" not in calls
    assert "lint-imports --no-cache" in calls
    assert "mypy seamline" in calls and "mypy --explicit-package-bases tests" in calls
    assert "python -m pytest -n 2" in calls


def test_test_script_installs_on_a_clean_clone(repo: Path) -> None:
    done, calls = _run(repo, "test", builds=True)
    assert done.returncode == 0, done.stderr
    assert "pip install -q --disable-pip-version-check -e .[dev]" in calls
    assert "lint-imports --no-cache" in calls
    assert "python -m pytest -n 2" in calls
