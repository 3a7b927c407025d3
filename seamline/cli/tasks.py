"""tasks, claim, unclaim, assign, complete: the human work queue from a terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.table import Table

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
from seamline.cli.instances import emit
from seamline.engine.step import task_json
from seamline.errors import UsageError
from seamline.store.records import HumanTask

if TYPE_CHECKING:
    from seamline.app import App

_json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


@click.command("tasks")
@click.option("--mine", is_flag=True, help="Only tasks assigned or offered to me by name.")
@click.option("--group", help="Only tasks offered to this group.")
@click.option("--overdue", is_flag=True, help="Only tasks past their due date.")
@click.option("--instance", "instance_id", help="Only tasks of this instance.")
@click.option("--limit", default=100, show_default=True)
@_json_option
@pass_context
@handle_errors
def tasks(
    ctx: Context,
    mine: bool,
    group: str | None,
    overdue: bool,
    instance_id: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """List the open tasks you may take (administrators see all)."""
    app = ctx.app
    _require_user(ctx, app, "--mine" if mine else None)
    if instance_id:
        instance_id = app.store.get_instance(instance_id).id
    rows = app.tasks(
        user=ctx.user, mine=mine, group=group, overdue=overdue, instance_id=instance_id, limit=limit
    )
    if as_json:
        print_json([task_json(t) for t in rows])
        return
    table = Table(title=f"tasks ({len(rows)})")
    for col in ("task", "name", "process", "instance", "status", "assignee", "candidates", "due"):
        table.add_column(col)
    now = app.now()
    for t in rows:
        candidates = ", ".join([*t.candidate_users, *(f"@{g}" for g in t.candidate_groups)])
        due = ""
        if t.due_at:
            due = t.due_at.strftime("%Y-%m-%d %H:%M")
            if t.due_at < now:
                due = f"[red]{due} overdue[/red]"
        table.add_row(
            short(t.id),
            esc(t.name or t.element_id),
            esc(t.process_id),
            short(t.instance_id),
            styled(t.status.value),
            esc(t.assignee or ""),
            esc(candidates or "anyone"),
            due,
        )
    out.print(table)
    for t in rows:
        if t.note:
            out.print(f"[yellow]{short(t.id)}:[/yellow] {esc(t.note)}")


def _require_user(ctx: Context, app: App, flag: str | None) -> None:
    """Without ``--as``, a queue is nobody's: say how to name a user rather than print an empty
    table. An installation without users keeps the operator's view of every task."""
    if ctx.user is not None:
        return
    known = [u.name for u in app.directory.users()]
    if not known and flag is None:
        return
    what = f"tasks {flag}" if flag else "tasks"
    if known:
        how = f"pass --as USER or set SEAMLINE_USER (users in seamline.toml: {', '.join(known)})"
    else:
        how = "add a [users.NAME] table to seamline.toml, then pass --as NAME or set SEAMLINE_USER"
    raise UsageError(f"{what}: no user is set; {how}")


def _print_task(t: HumanTask, as_json: bool, verb: str) -> None:
    if as_json:
        print_json(task_json(t))
    else:
        name = esc(t.name or t.element_id)
        out.print(f"task {short(t.id)} ({name}) {verb}")


@click.command("claim")
@click.argument("task")
@_json_option
@pass_context
@handle_errors
def claim(ctx: Context, task: str, as_json: bool) -> None:
    """Take TASK: it leaves the other candidates' queues."""
    row = ctx.app.claim(task, user=ctx.user)
    _print_task(row, as_json, f"claimed by {esc(row.assignee or '')}")


@click.command("unclaim")
@click.argument("task")
@_json_option
@pass_context
@handle_errors
def unclaim(ctx: Context, task: str, as_json: bool) -> None:
    """Give TASK back to its candidates."""
    row = ctx.app.unclaim(task, user=ctx.user)
    _print_task(row, as_json, f"released: {styled(row.status.value)} to its candidates again")


@click.command("assign")
@click.argument("task")
@click.argument("user")
@_json_option
@pass_context
@handle_errors
def assign(ctx: Context, task: str, user: str, as_json: bool) -> None:
    """Hand TASK to USER."""
    row = ctx.app.assign(task, user, user=ctx.user)
    _print_task(row, as_json, f"assigned to {esc(row.assignee or user)}")


@click.command("complete")
@click.argument("task")
@click.option("--data", help="Form data: JSON text or @file.json.")
@click.option("--form", "interactive", is_flag=True, help="Fill the task's form field by field.")
@_json_option
@pass_context
@handle_errors
def complete(ctx: Context, task: str, data: str | None, interactive: bool, as_json: bool) -> None:
    """Complete TASK with form data; the instance advances to its next wait."""
    values = parse_data(data)
    if interactive:
        from seamline.humans.prompt import prompt_form

        row = ctx.app.task(task)
        if not row.form:
            raise click.UsageError(f"task {short(row.id)} has no form; use --data")
        click.echo(f"{row.name or row.element_id} ({row.process_id})")
        try:
            values = prompt_form(row.form, defaults=values)
        except click.Abort as exc:
            # click.prompt turns end of input into Abort; nothing has been committed yet.
            raise UsageError(
                "complete --form: no input (stdin closed); "
                "give the data with --data JSON or run in a terminal"
            ) from exc
    emit(ctx.app.complete(task, values, user=ctx.user), as_json)
