"""Every BPMN file of the third-party corpus loads, or is rejected with a located error.

Each file is checked as `seamline validate` would, together with the other files of its folder
(call activities) and every DMN file of its corpus group (decisions). An uncaught exception, an
`internal-error` or an element dropped from a spec fails the test.

`test_corpus_figures` prints how many files of each folder load complete, are rejected or
crash; it writes to the terminal even without `-s`, but only in a run without xdist workers:

    .venv/bin/pytest -p no:cacheprovider tests/corpus/test_corpus_load.py -k figures -n 0
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from seamline.bpmn.check import check_files
from seamline.bpmn.definition import FileReport
from seamline.bpmn.flavours import bpmn
from seamline.bpmn.normalize import FLOW_NODES, elements
from seamline.bpmn.xml import parse_xml, read_bytes
from seamline.cli.main import cli

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

#: Share of the files with an executable process that must load complete: a regression guard a
#: little below today's figure (see benchmarks/README.md), not a goal. Camunda's deploy-time
#: checks (seamline/bpmn/deploy_checks.py) refuse some third-party drawings Camunda refuses too
#: (unconditioned exclusive branches, repeated ids, defaults with conditions): about 73% load.
MIN_COMPLETE = 0.71
_BROKEN = ("internal-error", "element-dropped")


def is_bpmn(path: Path) -> bool:
    """Whether a corpus file is a BPMN diagram."""
    return path.suffix == ".bpmn" or path.name.endswith(".bpmn20.xml")


def folders() -> list[Path]:
    """Every corpus folder holding BPMN files."""
    if not CORPUS.is_dir():
        return []
    return sorted({p.parent for p in CORPUS.rglob("*") if is_bpmn(p)})


def group_dmn(folder: Path) -> list[Path]:
    """The DMN files of the corpus group (top-level folder) a folder belongs to."""
    group = CORPUS / folder.relative_to(CORPUS).parts[0]
    return sorted(group.rglob("*.dmn"))


def executable(path: Path) -> bool:
    """Whether a file holds an executable, non-empty process (as benchmarks/corpus_load.py)."""
    try:
        root = parse_xml(read_bytes(path), str(path))
    except Exception:
        return False
    return any(
        p.get("isExecutable") != "false" and elements(p, *FLOW_NODES)
        for p in root.iter(bpmn("process"))
    )


@dataclass(frozen=True)
class Outcome:
    """What loading one folder gave."""

    reports: tuple[FileReport, ...]
    complete: int
    rejected: int
    crashed: int

    @property
    def files(self) -> int:
        """Files with an executable process."""
        return self.complete + self.rejected + self.crashed


@functools.cache
def outcome(folder: Path) -> Outcome:
    """Check a folder once per test process and count its files by outcome."""
    bpmn_files = sorted(p for p in folder.iterdir() if is_bpmn(p))
    reports = tuple(check_files([*bpmn_files, *group_dmn(folder)]))
    counts = {"complete": 0, "rejected": 0, "crashed": 0}
    by_file = {r.file: r for r in reports}
    for path in bpmn_files:
        report = by_file.get(str(path))
        if report is None or not executable(path):
            continue
        if any(p.code in _BROKEN for p in report.problems):
            counts["crashed"] += 1
        else:
            counts["complete" if report.ok else "rejected"] += 1
    return Outcome(reports, **counts)


@pytest.mark.slow
@pytest.mark.parametrize("folder", folders(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_folder_loads_without_crash(folder: Path) -> None:
    reports = outcome(folder).reports
    bad = [str(p) for r in reports for p in r.problems if p.code in _BROKEN]
    assert not bad, "\n".join(bad)
    for r in reports:
        if r.kind == "bpmn" and not r.ok:
            errors = [p for p in r.problems if p.severity == "error"]
            assert errors and all(p.element or p.line or p.code.startswith("xml") for p in errors)


def table(rows: list[tuple[str, Outcome]]) -> str:
    """The per-folder figures as a text table with a total line."""
    width = max([len(name) for name, _ in rows] + [10])
    lines = [f"{'folder':<{width}} {'files':>6} {'complete':>9} {'rejected':>9} {'crashed':>8}"]
    for name, o in rows:
        lines.append(f"{name:<{width}} {o.files:>6} {o.complete:>9} {o.rejected:>9} {o.crashed:>8}")
    files = sum(o.files for _, o in rows)
    done = sum(o.complete for _, o in rows)
    rejected = sum(o.rejected for _, o in rows)
    crashed = sum(o.crashed for _, o in rows)
    lines.append(f"{'total':<{width}} {files:>6} {done:>9} {rejected:>9} {crashed:>8}")
    share = 100 * done / files if files else 0.0
    lines.append(f"{share:.1f}% of the files with an executable process load complete")
    return "\n".join(lines)


@pytest.mark.slow
def test_corpus_figures(capsys: pytest.CaptureFixture[str]) -> None:
    found = folders()
    if not found:
        pytest.skip(f"corpus not found at {CORPUS}")
    rows = [(str(f.relative_to(CORPUS)), outcome(f)) for f in found]
    with capsys.disabled():
        print("\n" + table(rows))
    files = sum(o.files for _, o in rows)
    assert sum(o.crashed for _, o in rows) == 0
    assert sum(o.complete for _, o in rows) >= MIN_COMPLETE * files


def test_table_totals_and_share() -> None:
    rows = [("a", Outcome((), 3, 1, 0)), ("bb", Outcome((), 1, 0, 0))]
    text = table(rows).splitlines()
    assert text[-2].split() == ["total", "5", "4", "1", "0"]
    assert text[-1].startswith("80.0%")


@pytest.mark.slow
@pytest.mark.parametrize("folder", folders(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_cli_validate_never_exits_with_an_internal_error(folder: Path) -> None:
    """`seamline validate --json` over every diagram of a folder (with its group's DMN files)
    exits 0 or 1, never 70, and reports no internal error for any file: the expression and
    connector checks the CLI adds run over the corpus too."""
    files = [str(p) for p in sorted(folder.iterdir()) if is_bpmn(p)]
    argv = ["validate", "--json", *files, *map(str, group_dmn(folder))]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code in (0, 1), (result.exit_code, result.output[-2000:])
    reports = json.loads(result.stdout)
    internal = [
        f"{r['file']}: {p['message']}"
        for r in reports
        for p in r["problems"]
        if p["code"] == "internal-error" or p["message"].startswith("unexpected ")
    ]
    assert not internal, "\n".join(internal)
