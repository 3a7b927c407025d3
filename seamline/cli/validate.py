"""`seamline validate FILE... [--json]`: check diagrams without running them."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from seamline.bpmn.definition import FileReport, ProcessDefinition
from seamline.bpmn.problems import Problem, Severity
from seamline.cli.common import PipeConsole

_STYLE = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "dim"}


def _reports(files: tuple[str, ...]) -> list[FileReport]:
    from seamline.bpmn.check import check_files
    from seamline.bpmn.loader import problem_from

    try:
        return check_files(list(files), checks=_engine_checks(), dmn_checks=_dmn_checks())
    except Exception as exc:  # the last guard: no input may print a traceback
        return [FileReport(f, False, None, (), (problem_from(f, exc),)) for f in files]


def _engine_checks() -> list[Callable[[ProcessDefinition], list[Problem]]]:
    """What only the engine can judge: expressions and scripts parse in their dialect."""
    from seamline.engine.expressions import Evaluator
    from seamline.expr.sandbox import Sandbox
    from seamline.services.validator import engine_checks

    return engine_checks(Evaluator(Sandbox()), _registry())


def _registry() -> Any:
    """The connectors this installation knows (built-ins, plug-ins, aliases in seamline.toml)."""
    from seamline.cli.common import Context, report_settings
    from seamline.config import load_settings
    from seamline.connectors.registry import ConnectorRegistry
    from seamline.errors import SeamlineError

    ctx = click.get_current_context(silent=True)
    options = ctx.find_object(Context) if ctx else None
    try:
        settings = load_settings(options.config if options else None)
        report_settings(settings)
        return ConnectorRegistry.default(settings.connectors)
    except SeamlineError as exc:
        click.echo(f"warning: connectors not checked: {exc}", err=True)
        return None


def _dmn_checks() -> list[Callable[[bytes, str], list[Problem]]]:
    """The DMN engine's own checks: hit policies, FEEL entries, decision graphs."""
    from seamline.dmn import check_dmn

    return [check_dmn]


def _human(reports: list[FileReport]) -> None:
    width = None if sys.stdout.isatty() else 160
    out = PipeConsole(file=sys.stdout, highlight=False, soft_wrap=True, width=width)
    err = PipeConsole(file=sys.stderr, highlight=False, soft_wrap=True, width=width)
    table = Table(title="seamline validate")
    for column in ("file", "flavour", "processes", "status"):
        table.add_column(column)
    for r in reports:
        status = "[green]ok[/green]" if r.ok else "[red]error[/red]"
        listed = r.decisions if r.kind == "dmn" else r.processes
        # File and process names are shown literally, never read as rich markup.
        table.add_row(escape(r.file), r.flavour or "-", escape(", ".join(listed) or "-"), status)
    out.print(table)
    for r in reports:
        for p in r.problems:
            console = err if p.severity is Severity.ERROR else out
            console.print(_line(p), style=_STYLE[p.severity], markup=False)


def _line(p: Problem) -> str:
    where = f"{p.file}:{p.line}" if p.line else p.file
    element = f" [{p.element}]" if p.element else ""
    hint = f" ({p.hint})" if p.hint else ""
    return f"{where}{element} {p.severity.value}: {p.message}{hint}"


@click.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per BPMN file.")
def validate(files: tuple[str, ...], as_json: bool) -> None:
    """Check BPMN (and DMN) files: exit 0 if all load, 1 if any has an error."""
    reports = _reports(files)
    if as_json:
        click.echo(json.dumps([r.to_json() for r in reports], indent=2))
    else:
        _human(reports)
    sys.exit(0 if all(r.ok for r in reports) else 1)
