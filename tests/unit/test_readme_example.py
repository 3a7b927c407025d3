"""The embedding example in README.md runs as written, from a checkout's root."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from seamline import App
from seamline.store.records import InstanceStatus

ROOT = Path(__file__).resolve().parents[2]
SECTION = "## Embedding seamline in Python"


def readme_example() -> str:
    """The first ```python block of the README's embedding section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    section = text[start : end if end != -1 else len(text)]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found is not None, f"no ```python block under {SECTION!r} in README.md"
    return found.group(1)


def test_the_section_has_one_example_that_uses_app() -> None:
    code = readme_example()
    compile(code, "README.md", "exec")
    assert "from seamline import App" in code
    assert 8 <= len(code.strip().splitlines()) <= 30


def test_the_readme_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = Path("samples", "invoice-approval")
    shutil.copytree(ROOT / sample, tmp_path / sample)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEAMLINE_DB", raising=False)
    monkeypatch.delenv("SEAMLINE_CONFIG", raising=False)
    monkeypatch.delenv("SEAMLINE_USER", raising=False)

    exec(compile(readme_example(), "README.md", "exec"), {"__name__": "__readme__"})

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("{'process': 'invoice-approval',") and "'new': True" in lines[0]
    assert lines[1] == "waiting ['Approve invoice']"
    assert lines[2] == "completed INV-4711/team-leads"
    kinds = [line.split()[0] for line in lines[3:]]
    assert kinds[0] == "instance_started" and kinds[-1] == "instance_completed"
    assert "task_claimed" in kinds and "task_completed" in kinds

    # What the example did is in the store it named.
    db = tmp_path / ".seamline" / "embedded.db"
    assert db.is_file()
    with App.open(str(db), cwd=tmp_path) as app:
        [instance] = app.instances()
    assert instance.status is InstanceStatus.COMPLETED
    assert instance.business_key == "4711"
