"""The worker: fires due timers and runs due connector jobs, one leased instance at a time.

It keeps going after errors (an error is logged and the instance keeps its committed state),
takes a lease on an instance before touching it so that two workers never advance the same
instance at once, and on SIGTERM finishes the step in flight, releases its lease and stops.
Whatever it does is written to the instance's history by the engine.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any, Protocol

from seamline.engine.engine import Engine
from seamline.errors import InstanceChanged, SeamlineError

log = logging.getLogger(__name__)

Log = Callable[[str], None]


class _HasEngine(Protocol):
    """Anything that carries an engine (an App): ``Worker(app)`` keeps working."""

    @property
    def engine(self) -> Engine: ...


class Worker:
    """Does what is due, in rounds; ``run_once`` is one round (for cron: `worker --once`).

    Built over an :class:`Engine`; an App is accepted too and gives its engine. The first
    parameter keeps its public name, ``app``, so ``Worker(app=...)`` callers keep working.
    """

    def __init__(
        self,
        app: Engine | _HasEngine,
        *,
        owner: str | None = None,
        lease_seconds: float = 60.0,
        batch: int = 100,
        log: Log | None = None,
    ) -> None:
        self.engine: Engine = app if isinstance(app, Engine) else app.engine
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lease = timedelta(seconds=lease_seconds)
        self.batch = batch
        self.log: Log = log or (lambda line: None)
        self.stopping = threading.Event()

    # -- one round -----------------------------------------------------------------------------

    def run_once(self) -> int:
        """Fire every due timer and run every due job; returns the number of steps taken."""
        store = self.engine.store
        now = self.engine.clock()
        steps = 0
        timer_instances = _unique(t.instance_id for t in store.due_timers(now, self.batch))
        for instance_id in timer_instances:
            if self.stopping.is_set():
                return steps
            steps += self._step(instance_id, "timer", self.engine.fire_timers)
        job_instances = _unique(j.instance_id for j in store.runnable_jobs(now, self.batch))
        for instance_id in job_instances:
            if self.stopping.is_set():
                return steps
            steps += self._step(instance_id, "job", self.engine.run_jobs)
        return steps

    def _step(self, instance_id: str, what: str, action: Callable[..., Any]) -> int:
        store = self.engine.store
        now = self.engine.clock()
        if not store.acquire_lease(instance_id, self.owner, now + self.lease, now):
            return 0  # another worker has it
        log.debug("lease taken", extra={"instance": instance_id, "work": what})
        try:
            view = action(instance_id)
        except InstanceChanged:
            self.log(f"{what:5} {instance_id[:8]} changed meanwhile; will look again")
            return 0
        except SeamlineError as exc:
            self.log(f"{what:5} {instance_id[:8]} error: {exc}")
            return 0
        except Exception as exc:  # keep going: one broken instance must not stop the worker
            self.log(f"{what:5} {instance_id[:8]} internal error: {type(exc).__name__}: {exc}")
            return 0
        finally:
            store.release_lease(instance_id, self.owner)
        if view is None:
            return 0
        inst = view.instance
        waits = ", ".join(w.element for w in view.waiting)
        detail = f" at {waits}" if waits else ""
        error = f" ({inst.error})" if inst.error else ""
        self.log(f"{what:5} {inst.id[:8]} {inst.process_id} -> {inst.status.value}{detail}{error}")
        return 1

    # -- forever -------------------------------------------------------------------------------

    def run(self, *, interval: float = 1.0) -> None:
        """Round after round until :meth:`stop` (or SIGTERM / SIGINT when installed)."""
        self.log(f"worker {self.owner} started")
        while not self.stopping.is_set():
            steps = self.run_once()
            if steps == 0:
                self.stopping.wait(interval)
        self.log(f"worker {self.owner} stopped")

    def stop(self, *_: Any) -> None:
        """Finish the step in flight, then stop."""
        self.stopping.set()

    def install_signal_handlers(self) -> None:
        """SIGTERM and SIGINT stop the worker after its current step."""
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)


def _unique(ids: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for i in ids:
        seen.setdefault(i, None)
    return list(seen)
