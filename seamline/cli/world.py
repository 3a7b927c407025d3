"""worker, message, signal: time and the outside world."""

from __future__ import annotations

import datetime as dt

import click

from seamline.cli.common import (
    Context,
    esc,
    handle_errors,
    out,
    parse_data,
    pass_context,
    print_json,
)
from seamline.services.correlation import Delivery

_json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def _ttl(value: str) -> dt.timedelta:
    from seamline.connectors.retry import parse_duration

    text = value.strip()
    if text in ("0", ""):
        return dt.timedelta(0)
    try:
        seconds = float(text) if text.replace(".", "", 1).isdigit() else parse_duration(text)
    except Exception as exc:
        raise click.BadParameter(
            f"{value!r} is not seconds or an ISO-8601 duration like PT10M"
        ) from exc
    return dt.timedelta(seconds=seconds)


def _print(delivery: Delivery, as_json: bool) -> None:
    if as_json:
        print_json(delivery.to_json())
        return
    if delivery.outcome == "duplicate":
        out.print(f"message {delivery.message_id} was already received; nothing done")
    elif delivery.outcome == "buffered":
        expires = delivery.expires_at.strftime("%Y-%m-%d %H:%M:%S") if delivery.expires_at else ""
        out.print(
            f"[yellow]buffered[/yellow] {esc(delivery.name)}: no instance waits for it yet; "
            f"kept until {expires} UTC"
        )
    else:
        for instance, status in delivery.statuses.items():
            out.print(f"{delivery.outcome} {esc(delivery.name)} -> instance {instance}: {status}")
        if not delivery.statuses:
            out.print(f"{esc(delivery.name)}: nobody was waiting")


@click.command("message")
@click.argument("name")
@click.option("--key", help="Correlation key (or the instance's business key).")
@click.option("--data", help="Payload: JSON text or @file.json.")
@click.option("--id", "message_id", help="Message id: resending the same id does nothing.")
@click.option(
    "--ttl",
    default="PT1H",
    show_default=True,
    help="Keep an unmatched message this long (ISO duration or seconds); 0 rejects it.",
)
@_json_option
@pass_context
@handle_errors
def message(
    ctx: Context,
    name: str,
    key: str | None,
    data: str | None,
    message_id: str | None,
    ttl: str,
    as_json: bool,
) -> None:
    """Send message NAME to the instance waiting for it, or start a process with it."""
    delivery = ctx.app.message(
        name, key=key, data=parse_data(data), message_id=message_id, ttl=_ttl(ttl), user=ctx.user
    )
    _print(delivery, as_json)


@click.command("signal")
@click.argument("name")
@click.option("--data", help="Payload: JSON text or @file.json.")
@_json_option
@pass_context
@handle_errors
def signal(ctx: Context, name: str, data: str | None, as_json: bool) -> None:
    """Broadcast signal NAME to every instance and start event waiting for it."""
    _print(ctx.app.signal(name, data=parse_data(data), user=ctx.user), as_json)


@click.command("worker")
@click.option("--once", is_flag=True, help="Do what is due now, then exit (for cron).")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between idle rounds.")
@pass_context
@handle_errors
def worker(ctx: Context, once: bool, interval: float) -> None:
    """Fire due timers and run due connector jobs; SIGTERM stops after the current step."""

    def log(line: str) -> None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        click.echo(f"{stamp} {line}")

    w = ctx.app.worker(log=log)
    if once:
        steps = w.run_once()
        log(f"done: {steps} step(s)")
        return
    w.install_signal_handlers()
    w.run(interval=interval)
