"""Every BPMN file of the third-party corpus loads, or is rejected with a located error.

Each file is checked as `seamline validate` would, together with the other files of its folder
(call activities) and every DMN file of its corpus group (decisions). An uncaught exception, an
`internal-error` or an element dropped from a spec fails the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from seamline.bpmn.check import check_files

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


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


@pytest.mark.slow
@pytest.mark.parametrize("folder", folders(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_folder_loads_without_crash(folder: Path) -> None:
    bpmn = sorted(p for p in folder.iterdir() if is_bpmn(p))
    reports = check_files([*bpmn, *group_dmn(folder)])
    bad = [
        str(p)
        for r in reports
        for p in r.problems
        if p.code in ("internal-error", "element-dropped")
    ]
    assert not bad, "\n".join(bad)
    for r in reports:
        if r.kind == "bpmn" and not r.ok:
            errors = [p for p in r.problems if p.severity == "error"]
            assert errors and all(p.element or p.line or p.code.startswith("xml") for p in errors)
