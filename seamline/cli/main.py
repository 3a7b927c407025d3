"""The `seamline` command: a click group whose callback builds the App into ``ctx.obj``."""

from __future__ import annotations

import importlib
import sys

import click

from seamline import __version__

# One module per command family; each exposes the click commands listed here.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("seamline.cli.validate", "validate"),
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
def cli() -> None:
    """seamline: run BPMN processes that coordinate agents, systems and people."""


def main() -> None:
    """Console-script entry point."""
    sys.exit(cli.main(standalone_mode=True))
