"""Checking files one by one, as `seamline validate` does.

Each BPMN file is loaded on its own, together with the DMN files given, the BPMN files that
define the processes its call activities name and the form files given or linked beside it, so
one file's problems never hide another's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from seamline.bpmn.definition import FileReport, ProcessDefinition
from seamline.bpmn.discover import with_linked_forms
from seamline.bpmn.dmn_index import is_dmn
from seamline.bpmn.flavours import bpmn
from seamline.bpmn.form_links import is_form_name
from seamline.bpmn.loader import load_sources, problem_from
from seamline.bpmn.normalize import called_process
from seamline.bpmn.problems import Problem, Severity
from seamline.bpmn.xml import parse_xml, read_bytes
from seamline.errors import LoadError


def _scan(sources: Mapping[str, bytes]) -> tuple[set[str], dict[str, set[str]], dict[str, str]]:
    """DMN file names, the processes each BPMN file calls, and which file defines each process."""
    dmn: set[str] = set()
    calls: dict[str, set[str]] = {}
    owner: dict[str, str] = {}
    for name in sorted(sources):
        if is_form_name(name):
            continue
        try:
            root = parse_xml(sources[name], name)
        except Exception:
            continue
        if is_dmn(root):
            dmn.add(name)
            continue
        calls[name] = {called_process(c) or "" for c in root.iter(bpmn("callActivity"))}
        for process in root.iter(bpmn("process")):
            owner.setdefault(str(process.get("id")), name)
    return dmn, calls, owner


def _needed(name: str, calls: dict[str, set[str]], owner: dict[str, str]) -> set[str]:
    todo, seen = [name], {name}
    while todo:
        for called in calls.get(todo.pop(), ()):
            other = owner.get(called.split(":")[-1])
            if other and other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


#: A further check of a loaded process (the engine's expression and connector checks).
DefinitionCheck = Callable[[ProcessDefinition], list[Problem]]
#: A further check of a DMN file's bytes (the DMN engine's own).
DmnCheck = Callable[[bytes, str], list[Problem]]


def _with(report: FileReport, problems: list[Problem]) -> FileReport:
    if not problems:
        return report
    ok = report.ok and not any(p.severity is Severity.ERROR for p in problems)
    return dataclasses.replace(report, ok=ok, problems=(*report.problems, *problems))


def check_sources(
    sources: Mapping[str, bytes],
    *,
    checks: Sequence[DefinitionCheck] = (),
    dmn_checks: Sequence[DmnCheck] = (),
) -> list[FileReport]:
    """One report per file (BPMN files first-come, DMN files after), in the order given.

    ``checks`` run on every process a file defines, ``dmn_checks`` on every DMN file; their
    problems join the file's report.
    """
    dmn, calls, owner = _scan(sources)
    forms = {n for n in sources if is_form_name(n)}
    reports: dict[str, FileReport] = {}
    for name in sources:
        if name in dmn:
            continue
        try:
            # A form file on its own is only checked to be JSON.
            wanted = {name} if name in forms else _needed(name, calls, owner) | dmn | forms
            bundle = load_sources({n: sources[n] for n in sorted(wanted)})
            report = next(r for r in bundle.files if r.file == name)
            extra = [
                problem
                for definition in bundle.definitions.values()
                if definition.file == name
                for check in checks
                for problem in check(definition)
            ]
            report = _with(report, extra)
        except Exception as exc:  # never a traceback, whatever the input
            report = FileReport(name, False, None, (), (problem_from(name, exc),))
        reports[name] = report
    if dmn:
        try:
            bundle = load_sources({n: sources[n] for n in sorted(dmn)})
            for r in bundle.files:
                extra = [p for check in dmn_checks for p in check(sources[r.file], r.file)]
                reports[r.file] = _with(r, extra)
        except Exception as exc:
            reports.update(
                {n: FileReport(n, False, None, (), (problem_from(n, exc),)) for n in dmn}
            )
    return [reports[name] for name in sources if name in reports]


def check_files(
    paths: Sequence[str | Path],
    *,
    checks: Sequence[DefinitionCheck] = (),
    dmn_checks: Sequence[DmnCheck] = (),
) -> list[FileReport]:
    """Read and check files from disk; unreadable files get a report with the reason.

    The form files a diagram links beside it are read with it (they get no report of their own
    unless given).
    """
    sources: dict[str, bytes] = {}
    failed: dict[str, FileReport] = {}
    for path in with_linked_forms(paths):
        name = str(path)
        try:
            sources[name] = read_bytes(path)
        except LoadError as exc:
            failed[name] = FileReport(name, False, None, (), (problem_from(name, exc),))
        except Exception as exc:
            failed[name] = FileReport(name, False, None, (), (problem_from(name, exc),))
    checked = {r.file: r for r in check_sources(sources, checks=checks, dmn_checks=dmn_checks)}
    return [failed.get(str(p)) or checked[str(p)] for p in dict.fromkeys(paths)]
