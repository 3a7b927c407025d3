"""`seamline worker`, `seamline message` and `seamline signal` as a user runs them."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from seamline.app import App
from seamline.store.sqlite import SqliteStore
from tests.integration.waiting import diagrams as d

#: Long past, so that timers set then are due for the real clock the CLI uses.
PAST = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
ENTRY = "from seamline.cli.main import main; main()"


def seamline(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", ENTRY, "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )


def started(db: Path, xml_path: Path, n: int = 1, **kw: object) -> list[str]:
    with App(SqliteStore(db), clock=lambda: PAST) as app:
        return [app.run(xml_path, **kw).instance.id for _ in range(n)]  # type: ignore[arg-type]


def status(db: Path, iid: str) -> str:
    with App(SqliteStore(db)) as app:
        return app.show(iid).instance.status.value


def test_worker_once_fires_due_timers(db: Path, diagram: Callable[..., Path]) -> None:
    (iid,) = started(db, diagram(d.timer_catch("PT5M")))
    result = seamline(db, "worker", "--once")
    assert result.returncode == 0, result.stderr
    assert "done: 1 step(s)" in result.stdout
    assert iid[:8] in result.stdout
    assert status(db, iid) == "completed"
    again = seamline(db, "worker", "--once")
    assert "done: 0 step(s)" in again.stdout


def test_message_with_key_and_data(db: Path, diagram: Callable[..., Path]) -> None:
    a, b = (
        started(db, diagram(d.zeebe_message_catch()), data={"orderId": key})[0]
        for key in ("A1", "B2")
    )
    result = seamline(db, "message", "paid", "--key", "B2", "--data", '{"amount": 5}', "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["outcome"] == "correlated"
    assert out["instances"] == [b]
    assert status(db, b) == "completed"
    assert status(db, a) == "waiting"


def test_message_ttl_zero_is_a_clear_error(db: Path) -> None:
    result = seamline(db, "message", "nobody", "--key", "k", "--ttl", "0")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "nobody" in result.stderr + result.stdout


def test_signal_reaches_every_instance(db: Path, diagram: Callable[..., Path]) -> None:
    ids = started(db, diagram(d.signal_catch()), n=2)
    result = seamline(db, "signal", "stop", "--json")
    assert result.returncode == 0, result.stderr
    assert sorted(json.loads(result.stdout)["instances"]) == sorted(ids)
    assert [status(db, i) for i in ids] == ["completed", "completed"]


def test_worker_stops_cleanly_on_sigterm(db: Path, diagram: Callable[..., Path]) -> None:
    (iid,) = started(db, diagram(d.timer_catch("PT5M")))
    proc = subprocess.Popen(
        [sys.executable, "-c", ENTRY, "--db", str(db), "worker", "--interval", "0.1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert "started" in first
        # The due timer is fired in the first round; wait for its log line before stopping.
        second = proc.stdout.readline()
        assert iid[:8] in second
        proc.send_signal(signal.SIGTERM)
        rest, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "stopped" in rest
    assert status(db, iid) == "completed"
