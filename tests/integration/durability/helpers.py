"""Diagrams and process helpers shared by the durability tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.unit.engine import diagrams as d

CHILD = Path(__file__).with_name("child.py")

#: A user task per iteration, a script that counts, and a connector job per iteration.
COUNTING_LOOP = d.process(
    "counting",
    "\n".join(
        [
            '<bpmn:startEvent id="start"/>',
            '<bpmn:userTask id="work" name="Work"/>',
            d.script("count", "i = i + 1"),
            '<bpmn:serviceTask id="svc" name="Call" implementation="noop"/>',
            '<bpmn:exclusiveGateway id="again" default="f_out"/>',
            '<bpmn:endEvent id="end"/>',
            d.flow("f1", "start", "work"),
            d.flow("f2", "work", "count"),
            d.flow("f3", "count", "svc"),
            d.flow("f4", "svc", "again"),
            d.flow("f_back", "again", "work", "i < n"),
            d.flow("f_out", "again", "end"),
        ]
    ),
)


def spawn(*args: str, cwd: Path) -> subprocess.Popen[str]:
    """Start ``child.py`` with ``args`` in a new OS process, working in ``cwd``."""
    # A seamline.toml or SEAMLINE_* variable of the developer's own must not steer the child.
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEAMLINE_")}
    return subprocess.Popen(
        [sys.executable, str(CHILD), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=env,
    )
