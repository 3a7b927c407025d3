"""Checking files one by one, as `seamline validate` does.

Each BPMN file is loaded on its own, together with the DMN files given and the BPMN files that
define the processes its call activities name, so one file's problems never hide another's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from seamline.bpmn.definition import FileReport
from seamline.bpmn.dmn_index import is_dmn
from seamline.bpmn.flavours import bpmn
from seamline.bpmn.loader import load_sources, problem_from
from seamline.bpmn.xml import parse_xml, read_bytes
from seamline.errors import LoadError


def _scan(sources: Mapping[str, bytes]) -> tuple[set[str], dict[str, set[str]], dict[str, str]]:
    """DMN file names, the processes each BPMN file calls, and which file defines each process."""
    dmn: set[str] = set()
    calls: dict[str, set[str]] = {}
    owner: dict[str, str] = {}
    for name in sorted(sources):
        try:
            root = parse_xml(sources[name], name)
        except Exception:
            continue
        if is_dmn(root):
            dmn.add(name)
            continue
        calls[name] = {str(c.get("calledElement")) for c in root.iter(bpmn("callActivity"))}
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


def check_sources(sources: Mapping[str, bytes]) -> list[FileReport]:
    """One report per file (BPMN files first-come, DMN files after), in the order given."""
    dmn, calls, owner = _scan(sources)
    reports: dict[str, FileReport] = {}
    for name in sources:
        if name in dmn:
            continue
        try:
            wanted = _needed(name, calls, owner) | dmn
            bundle = load_sources({n: sources[n] for n in sorted(wanted)})
            report = next(r for r in bundle.files if r.file == name)
        except Exception as exc:  # never a traceback, whatever the input
            report = FileReport(name, False, None, (), (problem_from(name, exc),))
        reports[name] = report
    if dmn:
        try:
            bundle = load_sources({n: sources[n] for n in sorted(dmn)})
            reports.update({r.file: r for r in bundle.files})
        except Exception as exc:
            reports.update(
                {n: FileReport(n, False, None, (), (problem_from(n, exc),)) for n in dmn}
            )
    return [reports[name] for name in sources if name in reports]


def check_files(paths: Sequence[str | Path]) -> list[FileReport]:
    """Read and check files from disk; unreadable files get a report with the reason."""
    sources: dict[str, bytes] = {}
    failed: dict[str, FileReport] = {}
    for path in paths:
        name = str(path)
        try:
            sources[name] = read_bytes(path)
        except LoadError as exc:
            failed[name] = FileReport(name, False, None, (), (problem_from(name, exc),))
        except Exception as exc:
            failed[name] = FileReport(name, False, None, (), (problem_from(name, exc),))
    checked = {r.file: r for r in check_sources(sources)}
    return [failed.get(str(p)) or checked[str(p)] for p in dict.fromkeys(paths)]
