"""The current time as seamline sees it: the engine's clock while a step runs, else the real one.

The engine sets the clock for the duration of each step (``seamline.engine.clock.using``), so
everything evaluated inside a step, SpiffWorkflow's timers and FEEL's ``now()`` and JUEL's
``now()`` / ``dateTime()`` alike, agrees on one injectable notion of now. This module sits at the
bottom of the package so that the expression languages can read it without importing the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextvars import ContextVar

Clock = Callable[[], dt.datetime]

current: ContextVar[Clock | None] = ContextVar("seamline_clock", default=None)


def now() -> dt.datetime:
    """The engine's clock reading inside a step, else the real UTC time (always aware)."""
    clock = current.get()
    if clock is None:
        return dt.datetime.now(dt.UTC)
    value = clock()
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
