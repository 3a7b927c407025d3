from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from seamline.cli.main import cli

from .helpers import DMN, diagram

GOOD = diagram(
    '<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t"/>'
    '<bpmn:businessRuleTask id="t" camunda:decisionRef="dec1"/>'
)

HOSTILE = {
    "xxe.bpmn": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<d>&x;</d>",
    "dtd.bpmn": b'<?xml version="1.0"?><!DOCTYPE d SYSTEM "http://127.0.0.1:9/x.dtd"><d/>',
    "laughs.bpmn": b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
    b"<l>&b;</l>",
    "latin1.bpmn": b'<?xml version="1.0" encoding="UTF-8"?><d>\xe9\xff</d>',
    "text.bpmn": b"this is not xml at all",
    "empty.bpmn": b"",
}


def _run(*args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_valid_files_exit_zero_with_table(tmp_path: Path) -> None:
    (tmp_path / "a.bpmn").write_bytes(GOOD)
    (tmp_path / "d.dmn").write_bytes(DMN)
    code, out, err = _run(str(tmp_path / "a.bpmn"), str(tmp_path / "d.dmn"))
    assert code == 0, out + err
    assert "camunda7" in out and "ok" in out and "dec1" in out
    assert err == ""


def test_missing_decision_is_error_on_stderr(tmp_path: Path) -> None:
    (tmp_path / "a.bpmn").write_bytes(GOOD)
    code, out, err = _run(str(tmp_path / "a.bpmn"))
    assert code == 1
    assert "[t] error: decision 'dec1' is not defined" in err
    assert "error" in out  # the status column


def test_json_output(tmp_path: Path) -> None:
    (tmp_path / "a.bpmn").write_bytes(GOOD)
    code, out, _ = _run("--json", str(tmp_path / "a.bpmn"))
    assert code == 1
    [report] = json.loads(out)
    assert report["file"].endswith("a.bpmn") and report["ok"] is False
    assert report["flavour"] == "camunda7" and report["processes"] == []
    problem = report["problems"][0]
    assert set(problem) == {"line", "element", "severity", "code", "message", "hint"}
    assert problem["code"] == "decision-not-found"


def test_usage_error_exit_two() -> None:
    code, _, _ = _run()
    assert code == 2


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_inputs_give_one_clear_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(HOSTILE[name])
    code, out, err = _run(str(path))
    assert code == 1
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and str(path) in lines[0] and " error: " in lines[0]
    assert "Traceback" not in out + err


def test_huge_file_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.bpmn"
    with path.open("wb") as fh:
        fh.write(b"<d>")
        fh.write(b"<x/>" * (50 * 1024 * 1024 // 4))
        fh.write(b"</d>")
    code, out, _ = _run("--json", str(path))
    assert code == 1
    assert json.loads(out)[0]["problems"][0]["code"] == "xml-too-large"


def test_real_subprocess_run(tmp_path: Path) -> None:
    path = tmp_path / "xxe.bpmn"
    path.write_bytes(HOSTILE["xxe.bpmn"])
    exe = Path(sys.executable).parent / "seamline"
    result = subprocess.run(
        [str(exe), "validate", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "xml-unsafe" not in result.stderr  # the message, not the code, is printed
    assert "document type declarations and entities are refused" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
