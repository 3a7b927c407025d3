"""deploy, run, instances, show, resume, cancel."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import click
from rich.table import Table

from seamline import history as history_view
from seamline.cli.common import (
    Context,
    esc,
    handle_errors,
    out,
    parse_data,
    pass_context,
    print_json,
    short,
    styled,
)
from seamline.engine.calls import Call
from seamline.engine.step import InstanceView
from seamline.store.records import Event, Instance

_json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def _value(value: Any, width: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= width else text[: width - 1] + "…"


def print_view(view: InstanceView, *, history: bool = False) -> None:
    """An instance for people: header, what it waits for, data, history."""
    inst = view.instance
    header = (
        f"instance [bold]{inst.id}[/bold]  process {esc(inst.process_id)}  "
        f"status {styled(inst.status.value)}"
    )
    if inst.business_key:
        header += f"  key {esc(inst.business_key)}"
    out.print(header)
    if inst.error:
        out.print(f"[red]error:[/red] {esc(inst.error)}", markup=True)
    if view.waiting:
        table = Table(title="waiting for", title_justify="left")
        for col in ("task", "element", "name", "kind"):
            table.add_column(col)
        for w in view.waiting:
            table.add_row(short(w.task), esc(w.element), esc(w.name or ""), w.kind)
        out.print(table)
    if view.calls:
        print_calls(view.calls)
    if inst.data:
        table = Table(title="data", title_justify="left")
        table.add_column("name")
        table.add_column("value")
        for key, value in sorted(inst.data.items()):
            table.add_row(esc(key), esc(_value(value)))
        out.print(table)
    if history and view.history:
        print_history(view.history, inst)


def print_history(events: Sequence[Event], instance: Instance) -> None:
    """The history table of ``instance``; long details wrap instead of being cut."""
    table = Table(title="history", title_justify="left")
    for col in ("#", "at", "event", "by", "element"):
        table.add_column(col, no_wrap=col in ("#", "at"))
    table.add_column("details", overflow="fold")
    for row in history_view.rows(events, _element_types(instance)):
        table.add_row(
            str(row.step),
            row.at,
            esc(row.event),
            esc(row.actor),
            esc(row.element),
            esc(row.details),
        )
    out.print(table)


def _element_types(instance: Instance) -> dict[str, str]:
    """Element id -> BPMN type in the instance's definition, from the command's App."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_object(Context) if ctx else None
    if obj is None:
        return {}
    try:
        definition = obj.app.definitions.get(instance.definition_hash, instance.process_id)
    except Exception:  # the names fall back to the event kinds; showing must not fail on this
        return {}
    return history_view.element_types(definition)


def print_calls(calls: Sequence[Call], *, instances: Sequence[str] = ()) -> None:
    """Connector calls under way: which, since when, until when the lease holds, what next.

    ``instances`` (one per call) adds an instance column, for lists across instances.
    """
    table = Table(title="connector calls under way", title_justify="left")
    columns = ["instance"] if instances else []
    for col in (*columns, "element", "connector", "attempt", "state", "since", "lease until"):
        table.add_column(col)
    now = dt.datetime.now(dt.UTC)
    for i, c in enumerate(calls):
        state = "in flight" if c.status == "running" else "retry due"
        when = c.lease_until if c.status == "running" else c.run_at
        table.add_row(
            *([short(instances[i])] if instances else []),
            esc(c.element),
            esc(c.connector),
            str(c.attempt),
            state,
            _stamp(c.started_at),
            _stamp(when) if c.status == "running" else f"due {_stamp(when)}",
        )
    out.print(table)
    for i, c in enumerate(calls):
        where = f"instance {short(instances[i])} " if instances else ""
        out.print(esc(where + c.describe(now)))


def _stamp(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else ""


def emit(view: InstanceView, as_json: bool, *, history: bool = False) -> None:
    """Print a view in the requested form."""
    if as_json:
        print_json(view.to_json())
    else:
        print_view(view, history=history)


@click.command("deploy")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@_json_option
@pass_context
@handle_errors
def deploy(ctx: Context, files: tuple[str, ...], as_json: bool) -> None:
    """Store the processes of FILES (BPMN, with their DMN); print ids and version hashes."""
    deployed = ctx.app.deploy(list(files))
    if as_json:
        print_json([d.to_json() for d in deployed])
        return
    table = Table(title="deployed")
    for col in ("process", "name", "version", "flavour", ""):
        table.add_column(col)
    for d in deployed:
        table.add_row(
            esc(d.process_id),
            esc(d.name or ""),
            d.hash[:12],
            d.flavour,
            "new" if d.new else "unchanged",
        )
    out.print(table)


@click.command("run")
@click.argument("target")
@click.option("--process", "process_id", help="The process to start when the file holds several.")
@click.option("--data", help="Input data: JSON text or @file.json.")
@click.option("--business-key", help="A key of your own to find the instance by.")
@_json_option
@pass_context
@handle_errors
def run(
    ctx: Context,
    target: str,
    process_id: str | None,
    data: str | None,
    business_key: str | None,
    as_json: bool,
) -> None:
    """Start TARGET (a BPMN file, or a deployed process id) and advance it until it waits."""
    view = ctx.app.run(
        target, parse_data(data), process_id=process_id, business_key=business_key, user=ctx.user
    )
    emit(view, as_json)


@click.command("instances")
@click.option(
    "--status",
    type=click.Choice(["running", "waiting", "completed", "failed", "cancelled", "incident"]),
)
@click.option("--process", "process_id")
@click.option("--limit", default=50, show_default=True)
@_json_option
@pass_context
@handle_errors
def instances(
    ctx: Context, status: str | None, process_id: str | None, limit: int, as_json: bool
) -> None:
    """List instances, newest first."""
    rows = ctx.app.instances(status=status, process_id=process_id, limit=limit)
    if as_json:
        print_json(
            [
                {
                    "instance": i.id,
                    "process": i.process_id,
                    "status": i.status.value,
                    "business_key": i.business_key,
                    "version": i.definition_hash,
                    "created": i.created_at,
                    "updated": i.updated_at,
                    "error": i.error,
                }
                for i in rows
            ]
        )
        return
    table = Table(title=f"instances ({len(rows)})")
    for col in ("instance", "process", "status", "key", "updated", "error"):
        table.add_column(col)
    for i in rows:
        table.add_row(
            short(i.id),
            esc(i.process_id),
            styled(i.status.value),
            esc(i.business_key or ""),
            i.updated_at.strftime("%Y-%m-%d %H:%M:%S"),
            esc(_value(i.error or "", 50)),
        )
    out.print(table)


@click.command("show")
@click.argument("instance")
@_json_option
@pass_context
@handle_errors
def show(ctx: Context, instance: str, as_json: bool) -> None:
    """Show an instance: status, data, what it waits for, history."""
    emit(ctx.app.show(instance), as_json, history=True)


@click.command("resume")
@click.argument("instance")
@_json_option
@pass_context
@handle_errors
def resume(ctx: Context, instance: str, as_json: bool) -> None:
    """Advance an instance again, e.g. after the cause of an incident is fixed."""
    emit(ctx.app.resume(instance, user=ctx.user), as_json)


@click.command("cancel")
@click.argument("instance")
@_json_option
@pass_context
@handle_errors
def cancel(ctx: Context, instance: str, as_json: bool) -> None:
    """Cancel an instance; its open tasks are withdrawn."""
    emit(ctx.app.cancel(instance, user=ctx.user), as_json)


@click.command("set")
@click.argument("instance")
@click.option("--data", required=True, help="Variables to set: JSON text or @file.json.")
@_json_option
@pass_context
@handle_errors
def set_data(ctx: Context, instance: str, data: str, as_json: bool) -> None:
    """Set process variables of INSTANCE; conditional events waiting on them re-evaluate."""
    emit(ctx.app.set_data(instance, parse_data(data), user=ctx.user), as_json)
