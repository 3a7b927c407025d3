"""A script that allocates without end stops at its memory limit, in a real ``seamline run``.

The child's peak resident memory is read from the kernel (``os.wait4``), so the test measures
what the machine would have had to give, not what seamline believes it used.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.timeout(180)

#: The bound the process as a whole must stay under with the default script_memory_limit.
PEAK_LIMIT_MB = 512

DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D"
  targetNamespace="t">
  <bpmn:process id="hog" isExecutable="true">
    <bpmn:startEvent id="Start"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="Task_Hog" name="Hog memory" scriptFormat="python">
      <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
      <bpmn:script>SCRIPT</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:endEvent id="End"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Task_Hog" />
    <bpmn:sequenceFlow id="F2" sourceRef="Task_Hog" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>
"""

GROWING = {
    "append-9mb": "d = []\nwhile True:\n    d.append('x' * 9000000)",
    "append-caught": "d = []\nwhile True:\n    try:\n        d.append('x' * 9000000)\n"
    "    except:\n        pass",
    "dict-of-lists": "d = {}\ni = 0\nwhile True:\n    i += 1\n    d[i] = [i] * 1000",
    "comprehension": "x = [[0] * 10**6 for i in range(10**4)]",
}

REFUSED_AT_ONCE = {
    "doubling": "s = 'x'\nwhile True:\n    s += s",
    "list-repeat": "x = [0] * 10**10",
    "bytearray": "x = bytearray(10**10)",
    "str-repeat": "x = 'x' * 10**10",
    "range-list": "x = list(range(10**9))",
}


def _run(cli: Any, script: str, config: str = "") -> tuple[int, float, str]:
    """``seamline run`` of a diagram with ``script``: exit code, peak RSS in MB, stdout."""
    folder = Path(cli.cwd)
    (folder / "hog.bpmn").write_text(DIAGRAM.replace("SCRIPT", script), encoding="utf-8")
    if config:
        (folder / "seamline.toml").write_text(config, encoding="utf-8")
    out, err = folder / "out.txt", folder / "err.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        proc = subprocess.Popen(
            [cli.binary, "run", "hog.bpmn"],
            cwd=folder,
            env=cli.env(),
            stdout=stdout,
            stderr=stderr,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    assert err.read_text() == "", err.read_text()
    return proc.returncode, usage.ru_maxrss / 1024, out.read_text()


@pytest.mark.parametrize("script", GROWING.values(), ids=GROWING.keys())
def test_a_growing_script_stops_at_its_memory_limit(bare: Any, script: str) -> None:
    code, peak_mb, stdout = _run(bare, script)
    assert code == 0, stdout
    assert peak_mb <= PEAK_LIMIT_MB, f"peak {peak_mb:.0f} MB"
    assert "status incident" in stdout
    [incident] = bare.json("incidents")
    assert "Task_Hog" in incident["error"]
    assert "memory limit of 256 MB" in incident["error"]


@pytest.mark.parametrize("script", REFUSED_AT_ONCE.values(), ids=REFUSED_AT_ONCE.keys())
def test_one_huge_allocation_is_refused_before_it_happens(bare: Any, script: str) -> None:
    code, peak_mb, stdout = _run(bare, script)
    assert code == 0, stdout
    assert peak_mb <= PEAK_LIMIT_MB, f"peak {peak_mb:.0f} MB"
    [incident] = bare.json("incidents")
    assert "Task_Hog" in incident["error"]


def test_the_memory_limit_is_configurable(bare: Any) -> None:
    config = "[seamline]\nscript_memory_limit = 64\n"
    code, peak_mb, _ = _run(bare, GROWING["append-9mb"], config)
    assert code == 0
    assert peak_mb <= 256, f"peak {peak_mb:.0f} MB"
    [incident] = bare.json("incidents")
    assert "memory limit of 64 MB" in incident["error"]
