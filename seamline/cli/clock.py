"""clock: read and move the test clock of a database made for tests.

``seamline --db t.db clock init`` gives a fresh database a test clock; every command opening
that database then runs on the stored time. ``clock set`` and ``clock advance`` move it and
fire what became due, printing what fired. A database without a test clock refuses them all.
"""

from __future__ import annotations

import click
from rich.table import Table

from seamline.cli.common import Context, esc, handle_errors, out, pass_context, print_json, short
from seamline.services.testclock import Moved, parse_duration, parse_time

_json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


@click.group("clock")
def clock() -> None:
    """Read and move the test clock of a database made for tests.

    \b
    seamline --db t.db clock init [--at 2026-01-05T09:00:00Z]   (a fresh database)
    seamline --db t.db clock show
    seamline --db t.db clock set 2026-01-05T10:00:00Z
    seamline --db t.db clock advance PT1H        (or 1h, 90m, 1h30m, 2d)

    set and advance fire what became due, like `seamline worker --once`.
    """


@clock.command("init")
@click.option("--at", "at", help="Start time (ISO 8601) [default: now, to the second].")
@_json_option
@pass_context
@handle_errors
def init(ctx: Context, at: str | None, as_json: bool) -> None:
    """Give a fresh database a test clock."""
    start = ctx.app.clock_init(parse_time(at) if at else None)
    if as_json:
        print_json({"now": start.isoformat(), "test_clock": True})
        return
    out.print(f"test clock created at {start.isoformat()}")


@clock.command("show")
@_json_option
@pass_context
@handle_errors
def show(ctx: Context, as_json: bool) -> None:
    """Print the test clock's time."""
    now = ctx.app.clock_now()
    if as_json:
        print_json({"now": now.isoformat(), "test_clock": True})
        return
    out.print(now.isoformat())


@clock.command("set")
@click.argument("when")
@_json_option
@pass_context
@handle_errors
def set_time(ctx: Context, when: str, as_json: bool) -> None:
    """Put the test clock at WHEN (ISO 8601) and fire what became due."""
    _report(ctx.app.clock_set(parse_time(when)), as_json)


@clock.command("advance")
@click.argument("duration")
@_json_option
@pass_context
@handle_errors
def advance(ctx: Context, duration: str, as_json: bool) -> None:
    """Move the test clock forward by DURATION (PT1H, 1h, 90m...) and fire what became due."""
    _report(ctx.app.clock_advance(parse_duration(duration)), as_json)


def _report(moved: Moved, as_json: bool) -> None:
    if as_json:
        print_json(moved.to_json())
        return
    out.print(f"clock {moved.was.isoformat()} -> {moved.now.isoformat()}")
    if not moved.fired:
        out.print("nothing fell due")
        return
    table = Table(title=f"fired ({len(moved.fired)})")
    for col in ("instance", "process", "element", "due"):
        table.add_column(col)
    for f in moved.fired:
        table.add_row(short(f.instance_id), esc(f.process_id), esc(f.element), f.due.isoformat())
    out.print(table)
