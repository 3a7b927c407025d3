"""`seamline web`: the human inbox and the instance pages in a browser, plus a JSON API."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from typing import Any

import click

from seamline.cli.common import Context, err, handle_errors, pass_context
from seamline.errors import ConfigError, UsageError

#: The environment variable that may hold the secret signing session cookies.
SECRET_ENV = "SEAMLINE_WEB_SECRET"


@click.command("web")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port (0: any free one).")
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME[:PORT]",
    help="Also answer requests for this Host name (repeatable; default: the listen address"
    " and localhost).",
)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker threads answering requests (read in full before a worker takes one).",
)
@click.option(
    "--read-timeout",
    default=30,
    show_default=True,
    type=click.IntRange(1, 3600),
    help="Seconds an idle or slow connection is kept before it is closed.",
)
@pass_context
@handle_errors
def web(
    ctx: Context,
    host: str,
    port: int,
    allow_hosts: tuple[str, ...],
    threads: int,
    read_timeout: int,
) -> None:
    """Serve the web inbox: tasks with their forms, instances on their diagrams, a JSON API."""
    from seamline.web.security import HostAllowList, default_hosts
    from seamline.web.serve import ACCESS_LOGGER, Server, access_log
    from seamline.web.wsgi import WebApp

    section = _web_section(ctx.app.settings.raw)
    extra = [*_configured_hosts(section), *_checked_hosts(allow_hosts, "--allow-host")]
    application = WebApp(ctx.app, allowed_hosts=[], secret=_secret(section))
    if ctx.log_level is None:  # the access log shows unless a log level was chosen
        logging.getLogger(ACCESS_LOGGER).setLevel(logging.INFO)
    try:
        server = Server(access_log(application), host, port, threads, read_timeout)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    application.hosts = HostAllowList([*default_hosts(host, server.port), *extra])
    # Printed and flushed first, so a script (or a test) can read the port it got.
    click.echo(f"seamline web on http://{server.url_host}:{server.port}/ (Ctrl-C stops it)")
    if host in ("", "0.0.0.0", "::") and not extra:
        _log(
            f"note: only requests for localhost are answered; add --allow-host NAME for the"
            f" names people use to reach port {server.port}"
        )
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _log(line: str) -> None:
    err.print(line, markup=False, highlight=False)


def _web_section(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    section = raw.get("web", {})
    if not isinstance(section, Mapping):
        raise ConfigError("[web] must be a table")
    return section


def _configured_hosts(section: Mapping[str, Any]) -> list[str]:
    names = section.get("allowed_hosts", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ConfigError('web.allowed_hosts must be a list of host names, e.g. ["inbox.example"]')
    return _checked_hosts(names, "web.allowed_hosts")


def _checked_hosts(names: Iterable[str], where: str) -> list[str]:
    out = []
    for name in names:
        if not name.strip() or any(c in name for c in "/ ,@?#"):
            raise UsageError(
                f"{where}: {name!r} is not a host name; give NAME or NAME:PORT,"
                " e.g. inbox.example.com"
            )
        out.append(name.strip())
    return out


def _secret(section: Mapping[str, Any]) -> str | None:
    """The signing secret from the environment or ``[web] secret``; None makes a random one."""
    from seamline.web.security import MIN_SECRET_LENGTH

    value = os.environ.get(SECRET_ENV) or section.get("secret")
    where = SECRET_ENV if os.environ.get(SECRET_ENV) else "web.secret"
    if value is None:
        return None
    if not isinstance(value, str) or len(value) < MIN_SECRET_LENGTH:
        raise ConfigError(
            f"{where} must be a text of at least {MIN_SECRET_LENGTH} characters"
            ' (e.g. the output of python3 -c "import secrets; print(secrets.token_hex(32))")'
        )
    return value
