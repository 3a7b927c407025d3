"""incidents, retry, connectors, diagram: operating what runs."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from seamline.cli.common import (
    Context,
    esc,
    handle_errors,
    out,
    pass_context,
    print_json,
    short,
    styled,
)
from seamline.cli.instances import emit, print_calls
from seamline.engine.calls import Call
from seamline.errors import EngineError, UsageError
from seamline.store.records import InstanceStatus

_json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


@click.command("incidents")
@click.option("--process", "process_id")
@_json_option
@pass_context
@handle_errors
def incidents(ctx: Context, process_id: str | None, as_json: bool) -> None:
    """Instances stopped by an incident, with what went wrong."""
    rows = ctx.app.instances(status="incident", process_id=process_id, limit=500)
    if as_json:
        print_json(
            [
                {
                    "instance": i.id,
                    "process": i.process_id,
                    "error": i.error,
                    "updated": i.updated_at,
                }
                for i in rows
            ]
        )
        return
    table = Table(title=f"incidents ({len(rows)})")
    for col in ("instance", "process", "since", "error"):
        table.add_column(col)
    for i in rows:
        table.add_row(
            short(i.id),
            esc(i.process_id),
            i.updated_at.strftime("%Y-%m-%d %H:%M:%S"),
            esc(i.error or ""),
        )
    out.print(table)
    if rows:
        out.print("fix the cause, then: seamline retry INSTANCE")
    _calls_under_way(ctx, process_id)


def _calls_under_way(ctx: Context, process_id: str | None) -> None:
    """Running instances whose connector call is in flight: not an incident yet, but stuck
    until its lease runs out if the process making the call died."""
    calls: list[Call] = []
    owners: list[str] = []
    for inst in ctx.app.instances(status="running", process_id=process_id, limit=500):
        for call in ctx.app.show(inst.id, history=False).calls:
            calls.append(call)
            owners.append(inst.id)
    if calls:
        print_calls(calls, instances=owners)


@click.command("retry")
@click.argument("instance")
@_json_option
@pass_context
@handle_errors
def retry(ctx: Context, instance: str, as_json: bool) -> None:
    """Retry the failed steps of an incident (connector calls start from attempt 1).

    Exits 1 when the instance falls straight back into an incident (it is still printed).
    """
    view = ctx.app.retry(instance, user=ctx.user)
    emit(view, as_json)
    if view.instance.status is InstanceStatus.INCIDENT:
        raise EngineError(
            f"the retry failed again: {view.instance.error}", instance=view.instance.id
        )


@click.command("connectors")
@_json_option
@pass_context
@handle_errors
def connectors(ctx: Context, as_json: bool) -> None:
    """Connectors installed (built-ins, plug-ins, aliases) and their parameters."""
    described = ctx.app.connectors.describe()
    if as_json:
        print_json(described)
        return
    table = Table(title=f"connectors ({len(described)})")
    for col in ("name", "description", "parameters"):
        table.add_column(col)
    for c in described:
        params = c.get("parameters") or {}
        listed = ", ".join(
            f"{k}{'*' if (v or {}).get('required') else ''}" for k, v in params.items()
        )
        table.add_row(esc(c["name"]), esc(c.get("description", "")), esc(listed))
    out.print(table)
    out.print("* required")


@click.command("diagram")
@click.argument("target")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="SVG file to write.")
@click.option("--process", "process_id", help="The process to draw when a file holds several.")
@pass_context
@handle_errors
def diagram(ctx: Context, target: str, output: str | None, process_id: str | None) -> None:
    """Draw TARGET (a BPMN file, or an instance with its progress) as SVG."""
    from seamline.web.overlay import instance_svg

    path = Path(target)
    if path.is_file():
        from seamline.bpmn.render import render_svg
        from seamline.bpmn.xml import read_bytes

        svg = render_svg(read_bytes(path), str(path), process_id=process_id)
        status = None
    else:
        svg, status = instance_svg(ctx.app, target)
    if output:
        try:
            Path(output).write_text(svg, encoding="utf-8")
        except OSError as exc:
            raise UsageError(
                f"cannot write {output}: {exc.strerror}", hint="choose a writable -o path"
            ) from exc
        note = f" ({styled(status)})" if status else ""
        out.print(f"wrote {esc(output)}{note}")
    else:
        click.echo(svg)
