"""The `seamline` command: a click group whose callback builds the App into ``ctx.obj``."""

from __future__ import annotations

import importlib
import sys

import click

from seamline import __version__

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
}


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
        return command


@click.group(cls=SeamlineGroup)
@click.version_option(__version__, prog_name="seamline")
@click.option(
    "--db",
    envvar="SEAMLINE_DB",
    help="Store: a SQLite file path, sqlite:///path.db, postgresql://... "
    "[default: .seamline/seamline.db]",
)
@click.option(
    "--config", envvar="SEAMLINE_CONFIG", help="Config file [default: ./seamline.toml if present]."
)
@click.option("--as", "user", envvar="SEAMLINE_USER", help="Act as this user (from seamline.toml).")
@click.option(
    "--trusted-scripts",
    is_flag=True,
    default=None,
    help="Run diagram scripts as plain Python, unrestricted (only for diagrams you trust).",
)
@click.pass_context
def cli(
    ctx: click.Context,
    db: str | None,
    config: str | None,
    user: str | None,
    trusted_scripts: bool | None,
) -> None:
    """seamline: run BPMN processes that coordinate agents, systems and people.

    \b
    Exit codes: 0 done, 1 failed (see the one-line error), 2 usage or configuration,
    3 changed meanwhile (try again), 4 not allowed for this user, 70 internal error.
    """
    from seamline.cli.common import Context

    ctx.obj = Context(db, config, user, trusted_scripts)


def main() -> None:
    """Console-script entry point."""
    sys.exit(cli.main(standalone_mode=True))
