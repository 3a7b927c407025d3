"""The test clock: a database's own notion of now, moved only when told.

A database created with a test clock (``seamline clock init`` on a fresh database, or
:meth:`TestClocks.init`) keeps the time in its settings; every App opened on it runs on that
time instead of the real one (:func:`stored`). ``set`` and ``advance`` move it and then do what
became due, like ``seamline worker --once`` rounds until nothing is due, and report what fired.
A database without one refuses to have its time read or moved: a production database never
runs on a clock somebody set.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from seamline.engine.engine import Engine
from seamline.errors import UsageError
from seamline.services.worker import Worker
from seamline.store.base import Store

#: The settings key the test clock's time is kept under (ISO 8601, UTC).
KEY = "test_clock"

#: How many worker rounds one move may take before it gives up (a timer that fires forever).
MAX_ROUNDS = 1000

_NO_CLOCK = (
    "this database has no test clock; create one with `seamline clock init` on a fresh database"
)

_ISO_DURATION = re.compile(
    r"^P(?:(?P<weeks>\d+(?:\.\d+)?)W)?(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$",
    re.IGNORECASE,
)
_SHORT_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(w|d|h|m|s)", re.IGNORECASE)
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


def parse_duration(text: str) -> dt.timedelta:
    """``PT1H``, ``P1DT2H``, ``1h``, ``90m``, ``1h30m``, ``2d``...; UsageError otherwise."""
    value = text.strip()
    match = _ISO_DURATION.match(value)
    if match and value.upper() not in ("P", "PT") and not value.upper().endswith("T"):
        parts = {k: float(v) for k, v in match.groupdict().items() if v}
        return dt.timedelta(**parts)
    compact = value.replace(" ", "")
    pieces = _SHORT_PART.findall(compact)
    if pieces and "".join(n + u for n, u in pieces).lower() == compact.lower():
        total = dt.timedelta()
        for number, unit in pieces:
            total += dt.timedelta(**{_UNITS[unit.lower()]: float(number)})
        return total
    raise UsageError(
        f"cannot read the duration {text!r}",
        hint="write an ISO 8601 duration such as PT1H or P1DT2H, or 1h, 90m, 1h30m, 2d",
    )


def parse_time(text: str) -> dt.datetime:
    """An ISO 8601 date-time (UTC when it names no offset); UsageError otherwise."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"cannot read the time {text!r}", hint="write it as 2026-01-05T09:00:00Z"
        ) from None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class StoredClock:
    """The test clock of one database: reads as the stored time, moves by :meth:`move`."""

    def __init__(self, store: Store, at: dt.datetime) -> None:
        self.store = store
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at

    def move(self, at: dt.datetime) -> None:
        """Store the new time and read it from now on."""
        self.store.put_setting(KEY, at.isoformat())
        self.at = at


def stored(store: Store) -> StoredClock | None:
    """The database's test clock, or None if it was not created with one."""
    value = store.get_setting(KEY)
    return None if value is None else StoredClock(store, parse_time(value))


@dataclass(frozen=True)
class Fired:
    """One timer that fired when the test clock moved."""

    instance_id: str
    process_id: str
    element: str
    due: dt.datetime

    def to_json(self) -> dict[str, Any]:
        """The ``fired`` entry of `seamline clock ... --json`."""
        return {
            "instance": self.instance_id,
            "process": self.process_id,
            "element": self.element,
            "due": self.due.isoformat(),
        }


@dataclass(frozen=True)
class Moved:
    """Where the test clock was, where it is now, and what fired on the way."""

    was: dt.datetime
    now: dt.datetime
    fired: tuple[Fired, ...]

    def to_json(self) -> dict[str, Any]:
        """What `seamline clock set|advance --json` prints."""
        return {
            "was": self.was.isoformat(),
            "now": self.now.isoformat(),
            "fired": [f.to_json() for f in self.fired],
        }


class TestClocks:
    """Reads, creates and moves the test clock of the database under one engine."""

    __test__ = False  # not a pytest test class, whatever its name

    def __init__(self, engine: Engine, store: Store, clock: Callable[[], dt.datetime]) -> None:
        self.engine = engine
        self.store = store
        self.clock = clock

    def _clock(self) -> StoredClock:
        if self.store.get_setting(KEY) is None:
            raise UsageError(_NO_CLOCK)
        if not isinstance(self.clock, StoredClock):
            raise UsageError(
                "the test clock was created after this App was opened; open it again to run on it"
            )
        return self.clock

    def init(self, at: dt.datetime | None = None) -> dt.datetime:
        """Give a fresh database a test clock at ``at`` (the real time, to the second, if None).

        Refused when it already has one, or holds definitions or instances: their timers were
        set by another clock.
        """
        existing = self.store.get_setting(KEY)
        if existing is not None:
            raise UsageError(f"this database already has a test clock (at {existing})")
        if self.store.list_definitions() or self.store.list_instances(limit=1):
            raise UsageError(
                "a test clock is created on a fresh database; this one already holds processes",
                hint="point --db at a new file, then run `seamline clock init` first",
            )
        start = at or dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.store.put_setting(KEY, start.astimezone(dt.UTC).isoformat())
        return start.astimezone(dt.UTC)

    def now(self) -> dt.datetime:
        """The test clock's time; UsageError if the database has none."""
        return self._clock()()

    def set(self, at: dt.datetime) -> Moved:
        """Put the clock at ``at`` and fire what became due."""
        clock = self._clock()
        was = clock()
        clock.move(at.astimezone(dt.UTC))
        return Moved(was, clock(), tuple(self._fire()))

    def advance(self, delta: dt.timedelta) -> Moved:
        """Move the clock forward by ``delta`` and fire what became due."""
        if delta <= dt.timedelta(0):
            raise UsageError(f"the clock only moves forward; {delta} is not a step ahead")
        return self.set(self._clock()() + delta)

    def _fire(self) -> list[Fired]:
        """Worker rounds until nothing is due; the timers that fired, from the histories of
        the instances whose timers were due (a timer that fell due twice fires twice)."""
        worker = Worker(self.engine, owner="clock")
        fired: list[Fired] = []
        seen: dict[str, tuple[str, int]] = {}  # instance -> (process, last event seq read)
        for _ in range(MAX_ROUNDS):
            for timer in self.store.due_timers(self.clock(), MAX_ROUNDS):
                if timer.instance_id not in seen:
                    events = self.store.list_events(timer.instance_id)
                    last = events[-1].seq or 0 if events else 0
                    process = self.store.get_instance(timer.instance_id).process_id
                    seen[timer.instance_id] = (process, last)
            if worker.run_once() == 0:
                return fired
            for instance_id, (process, last) in list(seen.items()):
                for event in self.store.list_events(instance_id, after_seq=last):
                    last = max(last, event.seq or 0)
                    if event.kind == "timer_fired":
                        due = parse_time(str(event.data.get("due") or event.at.isoformat()))
                        fired.append(Fired(instance_id, process, event.element_id or "", due))
                seen[instance_id] = (process, last)
        raise UsageError(f"timers kept falling due after {MAX_ROUNDS} rounds; stopped")
