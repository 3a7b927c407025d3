"""The worker's log line for a step says where the instance waits, once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from seamline import App, MemoryStore

ESCALATION = Path(__file__).resolve().parents[3] / "samples" / "escalation" / "escalation.bpmn"


def test_timer_step_log_names_the_wait_without_repeating_itself() -> None:
    now = [dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)]
    app = App(MemoryStore(), clock=lambda: now[0])
    started = app.run(ESCALATION)
    assert started.instance.status.value == "waiting"
    now[0] += dt.timedelta(minutes=2)
    lines: list[str] = []
    app.worker(log=lines.append).run_once()
    [line] = lines
    assert line.endswith("-> waiting at take_over"), line
    assert "waiting waiting" not in line
