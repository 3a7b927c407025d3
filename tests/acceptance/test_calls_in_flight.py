"""A process killed in the middle of a connector call: `show` and `incidents` say so.

The call's job is committed as running under a lease before the connector is invoked; until
the lease runs out nothing else makes the call, so the instance looks "running". `show` (table
and --json "calls") and `incidents` name the call, its attempt, since when and until when its
lease holds.
"""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
<bpmn:process id="slow" isExecutable="true">
  <bpmn:startEvent id="start"/>
  <bpmn:serviceTask id="Task_Slow" name="Call the slow system">
    <bpmn:extensionElements>
      <zeebe:taskDefinition type="python"/>
      <zeebe:ioMapping>
        <zeebe:input source="slow_system:hold" target="function"/>
      </zeebe:ioMapping>
    </bpmn:extensionElements>
  </bpmn:serviceTask>
  <bpmn:endEvent id="end"/>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="Task_Slow"/>
  <bpmn:sequenceFlow id="f2" sourceRef="Task_Slow" targetRef="end"/>
</bpmn:process>
</bpmn:definitions>
"""

SYSTEM = '''
import pathlib
import time


def hold():
    """Say the call arrived, then never answer (the test kills the caller)."""
    pathlib.Path("call-arrived").write_text("yes")
    time.sleep(600)
    return {}
'''

CONFIG = """
[connectors]
python_path = ["."]
python_allow = ["slow_system:hold"]
"""

#: How long to wait for the child to reach the connector before failing (a hang guard only).
ARRIVAL_GUARD_SECONDS = 60


def _killed_mid_call(bare: Any) -> str:
    """Run the diagram in a child, kill it once the call arrived; the instance's id."""
    for name, text in (
        ("slow.bpmn", DIAGRAM),
        ("slow_system.py", SYSTEM),
        ("seamline.toml", CONFIG),
    ):
        Path(bare.cwd, name).write_text(text, encoding="utf-8")
    child = subprocess.Popen(
        [bare.binary, "run", "slow.bpmn"],
        cwd=bare.cwd,
        env=bare.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        guard = time.monotonic() + ARRIVAL_GUARD_SECONDS
        while not Path(bare.cwd, "call-arrived").exists():
            assert child.poll() is None, "the run ended before the call arrived"
            assert time.monotonic() < guard, "the call never arrived"
            time.sleep(0.05)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    (row,) = bare.json("instances")
    return str(row["instance"])


def test_show_and_incidents_name_the_call_in_flight(bare: Any) -> None:
    instance = _killed_mid_call(bare)
    shown = bare.json("show", instance)
    assert shown["status"] == "running"
    (call,) = shown["calls"]
    assert (call["element"], call["connector"], call["attempt"], call["status"]) == (
        "Task_Slow",
        "python",
        1,
        "running",
    )
    since = dt.datetime.fromisoformat(call["started_at"])
    until = dt.datetime.fromisoformat(call["lease_until"])
    # The default lease: 300 s for a call without a timeout, plus a 30 s margin.
    assert until - since == dt.timedelta(seconds=330)

    table = bare("show", instance).stdout
    assert "connector calls under way" in table
    assert "Task_Slow: connector 'python' call, attempt 1, in flight since" in table
    assert "its lease holds until" in table
    assert "the next worker round (or resume) makes it again" in table

    listed = bare("incidents").stdout
    assert f"instance {instance[:8]} Task_Slow: connector 'python' call, attempt 1" in listed
    assert bare.json("incidents") == []  # not an incident: the list's shape is unchanged
