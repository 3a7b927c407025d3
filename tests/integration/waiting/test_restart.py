"""Timers survive restarts and two workers on one SQLite file never fire one twice."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

from seamline.app import App
from seamline.store.sqlite import SqliteStore
from tests.integration.waiting import diagrams as d
from tests.integration.waiting.conftest import START


def test_timers_due_while_no_worker_ran_fire_once_after_restart(
    db: Path, diagram: Callable[..., Path]
) -> None:
    path = diagram(d.timer_catch("PT5M"))
    with App(SqliteStore(db), clock=lambda: START) as first:
        ids = [first.run(path).instance.id for _ in range(3)]
    later = START + dt.timedelta(hours=2)  # nobody ran a worker meanwhile
    with App(SqliteStore(db), clock=lambda: later) as second:
        worker = second.worker()
        assert worker.run_once() == 3
        assert worker.run_once() == 0
        for iid in ids:
            assert second.show(iid).instance.status.value == "completed"
            kinds = [e.kind for e in second.store.list_events(iid)]
            assert kinds.count("timer_fired") == 1
    with App(SqliteStore(db), clock=lambda: later) as third:
        assert third.worker().run_once() == 0


def test_two_workers_on_one_file_fire_each_timer_once(
    db: Path, diagram: Callable[..., Path]
) -> None:
    path = diagram(d.timer_catch("PT1M"))
    with App(SqliteStore(db), clock=lambda: START) as setup:
        ids = [setup.run(path).instance.id for _ in range(8)]
    later = START + dt.timedelta(minutes=5)
    apps = [App(SqliteStore(db), clock=lambda: later) for _ in range(2)]
    barrier = threading.Barrier(2)
    steps: list[int] = []
    errors: list[BaseException] = []

    def work(app: App) -> None:
        try:
            barrier.wait()
            worker = app.worker()
            total = 0
            for _ in range(3):
                total += worker.run_once()
            steps.append(total)
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for a in apps:
        a.close()
    assert errors == []
    assert sum(steps) == len(ids)
    with App(SqliteStore(db), clock=lambda: later) as check:
        for iid in ids:
            view = check.show(iid)
            assert view.instance.status.value == "completed"
            assert view.instance.version == 2
            history = view.history or ()
            assert [e.kind for e in history].count("timer_fired") == 1
        assert check.store.due_timers(later + dt.timedelta(days=1)) == []
