"""The `seamline` command: a click group whose callback builds the App into ``ctx.obj``."""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Callable
from typing import Any

import click

from seamline import __version__
from seamline.cli.logs import FORMATS, LEVELS

# One module per command family; each exposes the click commands listed here.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("seamline.cli.validate", "validate"),
    "deploy": ("seamline.cli.instances", "deploy"),
    "run": ("seamline.cli.instances", "run"),
    "instances": ("seamline.cli.instances", "instances"),
    "show": ("seamline.cli.instances", "show"),
    "resume": ("seamline.cli.instances", "resume"),
    "cancel": ("seamline.cli.instances", "cancel"),
    "set": ("seamline.cli.instances", "set_data"),
    "tasks": ("seamline.cli.tasks", "tasks"),
    "claim": ("seamline.cli.tasks", "claim"),
    "unclaim": ("seamline.cli.tasks", "unclaim"),
    "assign": ("seamline.cli.tasks", "assign"),
    "complete": ("seamline.cli.tasks", "complete"),
    "worker": ("seamline.cli.world", "worker"),
    "message": ("seamline.cli.world", "message"),
    "signal": ("seamline.cli.world", "signal"),
    "incidents": ("seamline.cli.ops", "incidents"),
    "retry": ("seamline.cli.ops", "retry"),
    "connectors": ("seamline.cli.ops", "connectors"),
    "diagram": ("seamline.cli.ops", "diagram"),
    "web": ("seamline.cli.web", "web"),
    "clock": ("seamline.cli.clock", "clock"),
}

#: What ``seamline --help`` lists for each command: whole sentences, not click's cut at 45.
SUMMARIES: dict[str, str] = {
    "validate": "Check BPMN and DMN files without running.",
    "deploy": "Store process definitions; print versions.",
    "run": "Start a process; advance until it waits.",
    "instances": "List instances, newest first.",
    "show": "Show an instance: status, data, history.",
    "resume": "Advance an instance again.",
    "cancel": "Cancel an instance and its open tasks.",
    "set": "Set process variables of an instance.",
    "tasks": "List the open tasks you may take.",
    "claim": "Take a task from its candidates' queues.",
    "unclaim": "Give a task back to its candidates.",
    "assign": "Hand a task to a user.",
    "complete": "Complete a task with its form data.",
    "worker": "Fire due timers and run connector jobs.",
    "message": "Send a message to an instance or process.",
    "signal": "Broadcast a signal to every instance.",
    "incidents": "List instances stopped by an incident.",
    "retry": "Retry the failed steps of an incident.",
    "connectors": "List the installed connectors.",
    "diagram": "Draw a diagram or an instance as SVG.",
    "web": "Serve the web inbox and JSON API.",
    "clock": "Read and move a test database's clock.",
}

_DB_HELP = (
    "Store: a SQLite file path, sqlite:///path.db, postgresql://... "
    "[default: .seamline/seamline.db]"
)
_CONFIG_HELP = "Config file [default: ./seamline.toml if present]."
_USER_HELP = "Act as this user (from seamline.toml)."
_TRUSTED_HELP = "Run diagram scripts as plain Python, unrestricted (only for diagrams you trust)."
_LOG_LEVEL_HELP = "Log records from this level on to stderr [default: warning]."
_LOG_FORMAT_HELP = "Log lines as text, or as JSON objects [default: text]."
_LEVEL = click.Choice(LEVELS, case_sensitive=False)
_FORMAT = click.Choice(FORMATS, case_sensitive=False)


def _global_params() -> list[click.Parameter]:
    """The global options again, for every subcommand: ``seamline tasks --as tom`` works too.

    No environment variables here: the group already read them, and an unset option must not
    override what was given before the subcommand.
    """
    return [
        click.Option(["--db", "seamline_db"], help=_DB_HELP),
        click.Option(["--config", "seamline_config"], help=_CONFIG_HELP),
        click.Option(["--as", "seamline_user"], help=_USER_HELP),
        click.Option(
            ["--trusted-scripts", "seamline_trusted"],
            is_flag=True,
            default=None,
            help=_TRUSTED_HELP,
        ),
        click.Option(["--log-level", "seamline_log_level"], type=_LEVEL, help=_LOG_LEVEL_HELP),
        click.Option(["--log-format", "seamline_log_format"], type=_FORMAT, help=_LOG_FORMAT_HELP),
    ]


#: Subcommand parameter name -> the :class:`~seamline.cli.common.Context` attribute it sets.
_GLOBAL_TARGETS = {
    "seamline_db": "db",
    "seamline_config": "config",
    "seamline_user": "user",
    "seamline_trusted": "trusted",
    "seamline_log_level": "log_level",
    "seamline_log_format": "log_format",
}


def _with_global_options(command: click.Command) -> click.Command:
    """Add the global options to ``command``; given there, they win over the group's."""
    if getattr(command, "_seamline_globals", False) or command.callback is None:
        return command
    callback: Callable[..., Any] = command.callback

    @functools.wraps(callback)
    def merged(*args: Any, **kwargs: Any) -> Any:
        from seamline.cli.common import Context, quiet_broken_pipe

        obj = click.get_current_context().find_object(Context)
        for name, attribute in _GLOBAL_TARGETS.items():
            value = kwargs.pop(name, None)
            if value is not None and obj is not None:
                setattr(obj, attribute, value)
        if obj is not None:
            obj.configure_logging()
        try:
            return callback(*args, **kwargs)
        except BrokenPipeError:
            quiet_broken_pipe()

    command.params.extend(_global_params())
    command.callback = merged
    command._seamline_globals = True  # type: ignore[attr-defined]
    return command


class SeamlineGroup(click.Group):
    """Loads command modules lazily, so `seamline validate` does not import the engine."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module = importlib.import_module(target[0])
        command = getattr(module, target[1])
        assert isinstance(command, click.Command)
        if command.short_help is None:
            command.short_help = SUMMARIES.get(cmd_name)
        if isinstance(command, click.Group):  # `seamline clock advance 1h --db t.db` too
            for sub in command.commands.values():
                _with_global_options(sub)
        return _with_global_options(command)


@click.group(cls=SeamlineGroup)
@click.version_option(__version__, prog_name="seamline")
@click.option("--db", envvar="SEAMLINE_DB", help=_DB_HELP)
@click.option("--config", envvar="SEAMLINE_CONFIG", help=_CONFIG_HELP)
@click.option("--as", "user", envvar="SEAMLINE_USER", help=_USER_HELP)
@click.option("--trusted-scripts", is_flag=True, default=None, help=_TRUSTED_HELP)
@click.option("--log-level", type=_LEVEL, envvar="SEAMLINE_LOG", help=_LOG_LEVEL_HELP)
@click.option("--log-format", type=_FORMAT, envvar="SEAMLINE_LOG_FORMAT", help=_LOG_FORMAT_HELP)
@click.pass_context
def cli(
    ctx: click.Context,
    db: str | None,
    config: str | None,
    user: str | None,
    trusted_scripts: bool | None,
    log_level: str | None,
    log_format: str | None,
) -> None:
    """seamline: run BPMN processes that coordinate agents, systems and people.

    \b
    The options below may also follow the command (seamline tasks --as tom);
    given there, they win. Environment: SEAMLINE_DB, SEAMLINE_CONFIG,
    SEAMLINE_USER, SEAMLINE_TRUSTED_SCRIPTS, SEAMLINE_LOG, SEAMLINE_LOG_FORMAT.

    \b
    Exit codes: 0 done, 1 failed (see the one-line error), 2 usage or configuration,
    3 changed meanwhile (try again), 4 not allowed for this user, 70 internal error.
    """
    from seamline.cli.common import Context

    ctx.obj = Context(db, config, user, trusted_scripts, log_level=log_level, log_format=log_format)
    ctx.obj.configure_logging()


def main() -> None:
    """Console-script entry point."""
    from seamline.cli.common import quiet_broken_pipe

    try:
        cli.main(standalone_mode=True)
        code: int | str | None = 0
    except SystemExit as exc:
        code = exc.code
    # The reader of a pipe may leave before the last buffered line (`seamline ... | head`).
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_broken_pipe()
    sys.exit(code)
