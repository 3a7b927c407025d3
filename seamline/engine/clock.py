"""An injectable clock for SpiffWorkflow's timers.

SpiffWorkflow computes and checks timer due dates with ``datetime.now(timezone.utc)`` inside its
timer module. The engine runs every workflow operation under :func:`using` its own clock, and
the timer module's ``datetime`` is replaced, once, by a subclass whose ``now()`` asks that clock.
Outside :func:`using` it is the real clock, so nothing else changes behaviour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from seamline.timekeeping import Clock
from seamline.timekeeping import current as _current


class _ClockedDatetime(dt.datetime):
    """``datetime`` whose ``now()`` follows the engine's clock while a step runs."""

    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> Any:
        clock = _current.get()
        if clock is None:
            return dt.datetime.now(tz)
        value = clock()
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(tz) if tz is not None else value.astimezone().replace(tzinfo=None)


def _install() -> None:
    from SpiffWorkflow.bpmn.specs.event_definitions import timer

    if timer.datetime is not _ClockedDatetime:
        timer.datetime = _ClockedDatetime


_install()


@contextmanager
def using(clock: Clock) -> Iterator[None]:
    """Run the enclosed workflow operations with ``clock`` as their notion of now."""
    token = _current.set(clock)
    try:
        yield
    finally:
        _current.reset(token)
