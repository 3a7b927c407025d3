"""The engine's clock as SpiffWorkflow's notion of now, for the duration of a workflow operation.

SpiffWorkflow computes and checks timer due dates with ``datetime.now(timezone.utc)`` inside its
timer module; :func:`seamline.spiff.install` replaces that module's ``datetime`` by a subclass
whose ``now()`` asks the clock set by :func:`using`. Outside :func:`using` it is the real clock,
so nothing else changes behaviour.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from seamline.timekeeping import Clock
from seamline.timekeeping import current as _current


@contextmanager
def using(clock: Clock) -> Iterator[None]:
    """Run the enclosed workflow operations with ``clock`` as their notion of now."""
    token = _current.set(clock)
    try:
        yield
    finally:
        _current.reset(token)
