"""What every command shares: the lazily built App, output, and error handling.

Exit codes (stable, documented in the README; each error kind's is in
:data:`seamline.errors.OUTCOMES`, the table the web's HTTP statuses come from too):

- 0 success
- 1 the operation failed (invalid diagram, not found, invalid form data, ...); an instance
  that stops at an incident is reported with its status, the command itself succeeded
- 2 usage error (bad option, bad JSON, bad configuration)
- 3 conflict: the instance or task changed meanwhile (retry)
- 4 forbidden: the acting user may not do this
- 70 internal error (a bug: please report it)
- 141 the reader of stdout left early (``| head``): quiet, as if SIGPIPE had ended the command
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from seamline import jsondata
from seamline.errors import BUG, FormInvalid, SeamlineError, UsageError, outcome

if TYPE_CHECKING:
    from seamline.app import App
    from seamline.config import Settings

F = TypeVar("F", bound=Callable[..., Any])

STATUS_STYLE = {
    "running": "cyan",
    "waiting": "yellow",
    "completed": "green",
    "failed": "bold red",
    "cancelled": "dim",
    "incident": "bold red",
    "open": "yellow",
    "claimed": "cyan",
}


class Context:
    """``ctx.obj``: global options, and the App built on first use."""

    def __init__(
        self,
        db: str | None,
        config: str | None,
        user: str | None,
        trusted: bool | None,
        *,
        log_level: str | None = None,
        log_format: str | None = None,
    ):
        self.db = db
        self.config = config
        self.user = user
        self.trusted = trusted
        self.log_level = log_level
        self.log_format = log_format
        self._app: App | None = None

    def configure_logging(self) -> None:
        """Send log records to stderr as ``--log-level`` / ``--log-format`` say."""
        from seamline.cli.logs import configure

        configure(self.log_level, self.log_format)

    @property
    def app(self) -> App:
        """The App, opened on first use and closed when the command ends."""
        if self._app is None:
            from seamline.app import App

            self._app = App.open(self.db, config=self.config, trusted_scripts=self.trusted)
            click.get_current_context().call_on_close(self._app.close)
            report_settings(self._app.settings)
        return self._app


_reported: set[str] = set()


def report_settings(settings: Settings) -> None:
    """Print the config file's warnings on stderr, each once per command."""
    for line in settings.warnings:
        if line not in _reported:
            _reported.add(line)
            err.print(f"warning: {line}", style="yellow", markup=False)


pass_context = click.make_pass_decorator(Context)


class PipeConsole(Console):
    """A rich Console that ends the command like :func:`quiet_broken_pipe` when its reader
    leaves (rich's own handling exits 1, which reads as a failure)."""

    def on_broken_pipe(self) -> None:
        quiet_broken_pipe()


# Pipes and CI logs get a comfortable width instead of rich's 80-column fallback.
_WIDTH = None if sys.stdout.isatty() else 140
out = PipeConsole(file=sys.stdout, highlight=False, soft_wrap=True, width=_WIDTH)
err = PipeConsole(file=sys.stderr, highlight=False, soft_wrap=True, width=_WIDTH)


def _default(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def print_json(value: Any) -> None:
    """Write ``value`` as JSON to stdout."""
    click.echo(jsondata.dumps(value, indent=2, default=_default, ensure_ascii=False))


def esc(value: object) -> str:
    """Text from processes, diagrams or users, shown literally: ``[/red]`` in a value is not
    rich markup (it would raise, or hide ``[Element_1]`` in an error)."""
    return escape(str(value))


def styled(status: str) -> str:
    """A status with its colour, as rich markup."""
    style = STATUS_STYLE.get(status, "")
    return f"[{style}]{status}[/{style}]" if style else status


#: The largest ``--data @file`` read; process data far beyond this belongs in a system of record.
MAX_DATA_BYTES = 16 * 2**20


def parse_data(value: str | None) -> dict[str, Any]:
    """``--data`` as JSON text, or ``@file.json``."""
    if not value:
        return {}
    text = value
    source = "--data"
    if value.startswith("@"):
        path = Path(value[1:])
        source = str(path)
        try:
            # Bounded: @/dev/zero must not read until memory runs out.
            with path.open("rb") as fh:
                raw = fh.read(MAX_DATA_BYTES + 1)
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
        if len(raw) > MAX_DATA_BYTES:
            raise UsageError(f"{path} is over the limit of {MAX_DATA_BYTES // 2**20} MiB")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UsageError(f"{path} is not UTF-8 text; save it as UTF-8 JSON") from exc
    try:
        data = jsondata.loads(text, source)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{source} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from exc
    if not isinstance(data, dict):
        raise UsageError(f"{source} must be a JSON object, e.g. '{{\"amount\": 100}}'")
    return data


def handle_errors(func: F) -> F:
    """Turn seamline errors into one line on stderr and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SeamlineError as exc:
            err.print(f"error: {exc}", style="red", markup=False)
            if isinstance(exc, FormInvalid):
                for line in exc.errors:
                    err.print(f"  - {line}", markup=False)
            sys.exit(outcome(exc).exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except BrokenPipeError:
            quiet_broken_pipe()
        except KeyboardInterrupt:
            err.print("interrupted; committed steps are kept", style="yellow")
            sys.exit(130)
        except Exception as exc:  # the last guard: a bug must not print a traceback at users
            if os.environ.get("SEAMLINE_DEBUG"):
                raise
            first = str(exc).splitlines()[0] if str(exc) else ""
            err.print(
                f"internal error: {type(exc).__name__}: {first}"
                " (set SEAMLINE_DEBUG=1 for the traceback, and please report it)",
                style="red",
                markup=False,
            )
            sys.exit(BUG.exit_code)

    return wrapper  # type: ignore[return-value]


#: The exit code of a command whose reader closed the pipe, as if SIGPIPE had ended it.
EXIT_BROKEN_PIPE = 141


def quiet_broken_pipe() -> NoReturn:
    """Exit quietly: the reader of stdout left (``seamline instances | head``), not a bug.

    stdout is pointed at /dev/null first, so flushing it at exit cannot fail a second time.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.exit(EXIT_BROKEN_PIPE)


def short(identifier: str) -> str:
    """The first 8 characters of an id (any unique prefix of 6+ is accepted back)."""
    return identifier[:8]
